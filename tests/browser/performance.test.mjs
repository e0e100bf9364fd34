// The browser budgets of issue 13, measured on the generated fixtures (typical and largest) in headless
// Chromium on the release build. Figures go to artifacts/performance.json (and are printed); the exact
// figures and their baselines are in docs/performance.md. A test fails only when a budget is missed by
// more than 2× (timings on a shared 2-core machine are noisy); the other assertions check that the work
// really happened.
//
// | budget | how it is measured |
// |---|---|
// | save in the form → next paint ≤ 16 ms typical, ≤ 50 ms largest | Event Timing (`PerformanceEventTiming.duration`: from the click's hardware timestamp to the next paint after its handlers) of the click on Save, median of 10 edits; Event Timing reports only interactions of 16 ms or more, so a shorter one is taken from the next animation frame after the click (`rAF − event.timeStamp`) |
// | no main-thread task over 50 ms while the largest plan is edited | Long Tasks API over the 10 edits, their checks by the worker and their saves |
// | open the report of the typical plan ≤ 1 s | click on "Print / save report" → the report's page has its heading (progress: "Preparing the report…"), median of 3 |
// | PNG export of the typical plan ≤ 1 s | click on "Export PNG" → the download starts (progress: "Exporting PNG…"), median of 3 |
// | interactive ≤ 150 ms after navigation | `performance.now()` (from the navigation's start) when the toolbar's plan name is in the page: the slower of the medians of 5 arrivals from another page (`about:blank`, as Lighthouse navigates) and 5 reloads of the loaded app (no request for 500 ms); reloads made at once after the previous page showed its toolbar are recorded apart (`interactive_back_to_back_ms`) |
// | import of the largest plan ≤ 1.5 s with progress | file chosen → "Imported" (the plan shown); the findings follow from the worker (`*_import_checked_ms`) |
// | first load ≤ 300 KB brotli | the wasm, JS and CSS `index.html` loads, each `brotli -q 11` (Node's zlib); the worker and the page's parts fetched after the first paint (`split_*.wasm`) are counted apart |
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { startServer, launch, openApp, navigationTimes, recordStorage, saveSpans, checked, ARTIFACTS, DIST, menuClick } from './harness.mjs';

let server;
let browser;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cen-planner-perf-'));
const figures = {};
before(async () => { server = await startServer(); browser = await launch(); fs.mkdirSync(ARTIFACTS, { recursive: true }); });
after(async () => {
  await browser?.close();
  server?.close();
  fs.writeFileSync(path.join(ARTIFACTS, 'performance.json'), JSON.stringify(figures, null, 2) + '\n');
  console.log('# browser figures:', JSON.stringify(figures));
});

const bin = process.env.CEN_PLANNER_BIN;
/** The budgets measured as missed on this machine and recorded so in docs/performance.md. */
const NOT_MET_YET = [];
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const round = (x) => Math.round(x * 10) / 10;

/** Notes in `misses` when `value` misses `budget` by more than 2× (the figure itself is recorded);
 * each test asserts at its end that nothing was missed, so every figure is measured first. */
function withinTwice(name, value, budget, misses) {
  figures[`${name}_budget`] = budget;
  if (!(value <= 2 * budget)) misses.push(`${name}: ${value} is more than twice the budget of ${budget}`);
}

/** Records Event Timing entries, long tasks, and the next animation frame after every click. */
async function instrument(context) {
  await context.addInitScript(() => {
    window.__events = [];
    window.__longtasks = [];
    window.__frames = [];
    try {
      new PerformanceObserver((l) => {
        for (const e of l.getEntries()) {
          window.__events.push({ name: e.name, start: e.startTime, duration: e.duration, id: e.target?.id ?? '',
            delay: e.processingStart - e.startTime, handlers: e.processingEnd - e.processingStart });
        }
      })
        .observe({ type: 'event', durationThreshold: 16, buffered: true });
    } catch { /* no Event Timing */ }
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__longtasks.push({ start: e.startTime, duration: e.duration }); })
      .observe({ type: 'longtask', buffered: true });
    // What made a frame long (Long Animation Frames): its scripts, and how much was style, layout and paint.
    window.__longFrames = [];
    try {
      new PerformanceObserver((l) => {
        for (const e of l.getEntries()) {
          if (e.duration <= 50) continue;
          window.__longFrames.push({
            start: Math.round(e.startTime), duration: Math.round(e.duration), blocking: Math.round(e.blockingDuration),
            rendering: Math.round(e.renderStart ? e.startTime + e.duration - e.renderStart : 0),
            scripts: e.scripts.map((s) => `${s.invokerType} ${s.invoker} ${Math.round(s.duration)} ms`
              + ` (${(s.sourceURL || '').split('/').pop()}${s.sourceFunctionName ? ` ${s.sourceFunctionName}` : ''})`),
          });
        }
      }).observe({ type: 'long-animation-frame', buffered: true });
    } catch { /* no Long Animation Frames */ }
    // Every text the banner shows (progress messages included), without forcing a layout.
    window.__notices = [];
    new MutationObserver(() => {
      const text = document.querySelector('#notice')?.textContent ?? '';
      if (text !== window.__notices.at(-1)) window.__notices.push(text);
    }).observe(document, { childList: true, subtree: true, characterData: true });
    // Elements drawn on the canvas while `window.__countCanvas` is set (the import of a plan too big to draw).
    window.__canvasDrawn = 0;
    new MutationObserver((list) => {
      if (!window.__countCanvas) return;
      for (const m of list) {
        if (!m.target.closest?.('svg.canvas')) continue;
        for (const n of m.addedNodes) if (n.nodeType === 1) window.__canvasDrawn += 1 + n.getElementsByTagName('*').length;
      }
    }).observe(document, { childList: true, subtree: true });
    addEventListener('click', (ev) => {
      const id = ev.target?.id ?? '';
      const start = ev.timeStamp;
      requestAnimationFrame(() => window.__frames.push({ id, start, frame: performance.now() }));
    }, true);
  });
}

/** Input → next paint of the last click on `#id`: Event Timing's duration, or the frame estimate. */
async function clickToPaint(page, id) {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50))));
  return page.evaluate((id) => {
    const frame = window.__frames.filter((f) => f.id === id).at(-1);
    const timed = window.__events.filter((e) => e.name === 'click' && e.id === id && Math.abs(e.start - frame.start) < 2).at(-1);
    return { eventTiming: timed?.duration ?? null, delay: timed?.delay ?? null, handlers: timed?.handlers ?? null, frame: frame.frame - frame.start };
  }, id);
}

test('first load: wasm + JS + CSS ≤ 300 KB brotli (the analysis worker apart)', () => {
  const misses = [];
  const html = fs.readFileSync(path.join(DIST, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:href|src)="\/?([^"]+\.(?:wasm|js|css))"/g)].map((m) => m[1]);
  const unique = [...new Set(files)];
  assert.ok(unique.some((f) => f.endsWith('.wasm')) && unique.some((f) => f.endsWith('.js')), `index.html loads ${unique}`);
  const br = (f) => zlib.brotliCompressSync(fs.readFileSync(path.join(DIST, f)), { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  const sizes = Object.fromEntries(unique.map((f) => [f, br(f)]));
  const total = Object.values(sizes).reduce((a, b) => a + b, 0);
  figures.first_load_files_brotli = sizes;
  figures.first_load_brotli_bytes = total;
  const worker = ['worker_bg.wasm', 'worker.js', 'worker_loader.js'].filter((f) => fs.existsSync(path.join(DIST, f)));
  figures.worker_brotli_bytes = worker.reduce((a, f) => a + br(f), 0);
  // The parts of the page fetched after the first paint (src/ui/lazy.rs), counted apart like the worker.
  const parts = fs.readdirSync(DIST).filter((f) => /^web-.*-(split|chunk)_.*\.wasm$/.test(f));
  figures.later_parts_brotli = Object.fromEntries(parts.map((f) => [f, br(f)]));
  figures.later_parts_brotli_bytes = parts.reduce((a, f) => a + br(f), 0);
  assert.ok(parts.length > 0 && !unique.some((f) => parts.includes(f)), `the later parts (${parts}) are not in the first load`);
  assert.ok(!unique.some((f) => f.startsWith('worker')), 'the worker is not in the first load');
  withinTwice('first_load_brotli_bytes', total, 300 * 1000, misses);
  assert.deepEqual(misses, []);
});

test('time to interactive after navigation: arriving from another page, and reloading', async () => {
  const misses = [];
  const { page, context, base } = await openApp(browser, server);
  const arrive = [];
  const reload = [];
  const backToBack = [];
  for (let i = 0; i < 5; i++) {
    const times = await navigationTimes(page, base);
    arrive.push(times.arrive);
    reload.push(times.reload);
    backToBack.push(times.backToBack);
  }
  figures.interactive_arrive_ms = Math.round(median(arrive));
  figures.interactive_arrive_runs_ms = arrive.map(Math.round);
  figures.interactive_reload_ms = Math.round(median(reload));
  figures.interactive_reload_runs_ms = reload.map(Math.round);
  figures.interactive_back_to_back_ms = Math.round(median(backToBack));
  figures.interactive_back_to_back_runs_ms = backToBack.map(Math.round);
  // The budget's figure: the slower of arriving and reloading.
  figures.interactive_ms = Math.max(figures.interactive_arrive_ms, figures.interactive_reload_ms);
  withinTwice('interactive_ms', figures.interactive_ms, 150, misses);
  await context.close();
  assert.deepEqual(misses, []);
});

for (const preset of ['typical', 'largest']) {
  test(`${preset} plan: import, then 10 saves in the form, each to its next paint`, { skip: !bin && 'CEN_PLANNER_BIN not set' }, async (t) => {
    const file = path.join(tmp, `${preset}.json`);
    execFileSync(bin, ['generate', '--preset', preset, '-o', file]);
    const plan = JSON.parse(fs.readFileSync(file, 'utf8')).plan;
    const misses = [];
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    await recordStorage(context);
    await instrument(context);
    const { page } = await openApp(browser, server, { context });
    await page.evaluate(() => { window.__countCanvas = true; });
    const t0 = Date.now();
    await page.setInputFiles('#import-file', file);
    await page.waitForFunction(() => document.querySelector('#notice')?.innerText.includes('Imported'), null, { timeout: 120000 });
    figures[`${preset}_import_ms`] = Date.now() - t0;
    figures[`${preset}_import_progress_shown`] = await page.evaluate(() => window.__notices.some((t) => t.includes('Importing')));
    await checked(page);
    figures[`${preset}_import_checked_ms`] = Date.now() - t0;
    figures[`${preset}_import_canvas_elements`] = await page.evaluate(() => { window.__countCanvas = false; return window.__canvasDrawn; });
    if (preset === 'largest') {
      // A plan too big to draw on every change waits for "Draw it anyway": its import draws nothing.
      assert.equal(figures.largest_import_canvas_elements, 0, 'the import of the largest plan drew on the canvas');
      assert.match(await page.locator('#canvas-too-big').innerText(), /canvas waits/);
    }
    const saved = (old) => page.waitForFunction((o) => document.querySelector('#save-status')?.dataset.state === 'saved'
      && (localStorage.getItem('cen-planner.plan') ?? o) !== o, old, { timeout: 60000 });
    await saved(null);
    figures[`${preset}_plan_file_chars`] = fs.statSync(file).size;
    figures[`${preset}_stored_utf16_units`] = (await page.evaluate(() => localStorage.getItem('cen-planner.plan'))).length;
    figures[`${preset}_entities`] = Object.values(plan).filter(Array.isArray).flat().length;
    if (!figures[`${preset}_import_progress_shown`]) misses.push('the page did not say the file is being imported');
    if (preset === 'largest') withinTwice('largest_import_ms', figures.largest_import_ms, 1500, misses);

    // Ten saves of a vSwitch's name in the form; each waits for its findings and its save.
    // The editing begins here: a task counts when it had not ended by then (one that ended before, whose
    // entry came late, is not one "while the plan is edited").
    const logged = await page.evaluate(() => {
      window.__editStart = performance.now();
      window.__longtasks.length = 0; window.__longFrames.length = 0; return window.__storageLog.length;
    });
    const paints = [];
    // Each step's start, so that a long frame says during which step it came.
    const step = (name) => page.evaluate((n) => { (window.__steps ??= []).push([performance.now(), n]); }, name);
    for (let i = 0; i < 10; i++) {
      await step(`edit ${i}: select`);
      await page.click(`.entity[data-id="${plan.vswitches[i].id}"]`);
      await step(`edit ${i}: type`);
      await page.fill('#field-name', `edited ${i} for the measurement`);
      const before = await page.evaluate(() => document.querySelector('#save-status').dataset.state === 'saved' && localStorage.getItem('cen-planner.plan'));
      await step(`edit ${i}: save`);
      await page.click('#save-entity');
      paints.push(await clickToPaint(page, 'save-entity'));
      await page.locator('.entity.selected', { hasText: `edited ${i} for the measurement` }).waitFor();
      await step(`edit ${i}: checking`);
      await checked(page);
      await step(`edit ${i}: storing`);
      await saved(before);
    }
    const durations = paints.map((p) => p.eventTiming ?? p.frame);
    figures[`${preset}_save_to_paint_ms`] = round(median(durations));
    figures[`${preset}_save_to_paint_runs_ms`] = durations.map(round);
    figures[`${preset}_save_to_paint_event_timing_entries`] = paints.filter((p) => p.eventTiming !== null).length;
    // Where the time goes (Event Timing): input delay, the handlers, then rendering until the paint.
    figures[`${preset}_save_input_delay_ms`] = round(median(paints.map((p) => p.delay ?? 0)));
    figures[`${preset}_save_handlers_ms`] = round(median(paints.map((p) => p.handlers ?? 0)));
    const longtasks = await page.evaluate(() => window.__longtasks
      .filter((t) => t.start + t.duration > window.__editStart).map((t) => Math.round(t.duration)));
    figures[`${preset}_editing_longest_task_ms`] = Math.max(0, ...longtasks);
    figures[`${preset}_editing_tasks_over_50ms`] = longtasks.filter((d) => d > 50).length;
    figures[`${preset}_editing_long_frames`] = await page.evaluate(() => window.__longFrames.map((f) =>
      ({ during: window.__steps.filter(([t]) => t <= f.start).at(-1)?.[1]
        ?? (f.start + f.duration > window.__editStart ? 'before the edits, still running' : 'ended before the edits'), ...f })));
    const spans = await saveSpans(page, logged);
    assert.equal(spans.length, 10, `one save per edit: ${spans}`);
    figures[`${preset}_save_ms`] = round(median(spans));
    withinTwice(`${preset}_save_to_paint_ms`, figures[`${preset}_save_to_paint_ms`], preset === 'typical' ? 16 : 50, misses);
    if (preset === 'largest') withinTwice('largest_editing_longest_task_ms', figures.largest_editing_longest_task_ms, 50, misses);
    assert.match(await page.locator('.entity.selected').innerText(), /edited 9 for the measurement/);
    assert.ok(await page.locator('.entity').count() <= 50 * 20, 'long lists render a page at a time');
    assert.deepEqual(page.errors, []);

    if (preset === 'typical') {
      // The report: made in the worker, shown in a tab opened at the click; the page says it is working.
      // Median of 3 (the first run also loads the worker's report code).
      await page.evaluate(() => { window.__longtasks.length = 0; });
      const reportRuns = [];
      for (let i = 0; i < 3; i++) {
        const r0 = Date.now();
        const [tab] = await Promise.all([context.waitForEvent('page'), menuClick(page, '#print-report')]);
        await tab.waitForSelector('main.report h1', { timeout: 30000 });
        reportRuns.push(Date.now() - r0);
        assert.match(await tab.locator('h1').first().innerText(), new RegExp(plan.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
        if (i === 0) figures.typical_report_html_chars = await tab.evaluate(() => document.documentElement.outerHTML.length);
        await tab.close();
        await page.waitForFunction(() => !document.querySelector('#print-report')?.getAttribute('aria-busy')?.includes('true'));
      }
      figures.typical_report_progress_shown = await page.evaluate(() => window.__notices.some((t) => t.includes('Preparing the report')));
      figures.typical_report_ms = median(reportRuns);
      figures.typical_report_runs_ms = reportRuns;
      figures.typical_report_longest_task_ms = Math.max(0, ...(await page.evaluate(() => window.__longtasks.map((t) => Math.round(t.duration)))));
      if (!figures.typical_report_progress_shown) misses.push('the page did not say the report is being prepared');
      withinTwice('typical_report_ms', figures.typical_report_ms, 1000, misses);

      // PNG export of the diagram.
      await page.click('#show-diagram');
      await page.waitForSelector('#export-png');
      // The whole diagram, not the summaries the typical plan opens with (`core::condense`).
      await menuClick(page, '#expand-all');
      await page.waitForFunction(() => !document.querySelector('.diagram .summary'));
      await page.evaluate(() => { window.__longtasks.length = 0; });
      const pngRuns = [];
      let png;
      for (let i = 0; i < 3; i++) {
        const p0 = Date.now();
        [png] = await Promise.all([page.waitForEvent('download', { timeout: 30000 }), page.click('#export-png')]);
        pngRuns.push(Date.now() - p0);
        await page.waitForFunction(() => document.querySelector('#notice')?.innerText.includes('Exported'));
      }
      figures.typical_png_ms = median(pngRuns);
      figures.typical_png_runs_ms = pngRuns;
      figures.typical_png_progress_shown = await page.evaluate(() => window.__notices.some((t) => t.includes('Exporting PNG')));
      figures.typical_png_longest_task_ms = Math.max(0, ...(await page.evaluate(() => window.__longtasks.map((t) => Math.round(t.duration)))));
      const bytes = fs.readFileSync(await png.path());
      assert.equal(bytes.subarray(1, 4).toString(), 'PNG');
      figures.typical_png_bytes = bytes.length;
      if (!figures.typical_png_progress_shown) misses.push('the page did not say the PNG is being made');
      withinTwice('typical_png_ms', figures.typical_png_ms, 1000, misses);
    }
    await context.close();
    // Budgets docs/performance.md records as not met yet (issue 13 stays open for them): a miss of
    // only these is reported as TODO, with its figure; any other miss fails the test.
    if (misses.length && misses.every((m) => NOT_MET_YET.some((k) => m.startsWith(`${k}:`)))) {
      t.todo(`budgets not met yet (docs/performance.md): ${misses.join('; ')}`);
    }
    assert.deepEqual(misses, []);
  });
}
