// In-browser measurements on the generated fixtures (typical and largest): time to interactive,
// import, edit → findings painted, the save of that edit and the size of the stored copy. Figures are
// recorded in artifacts/performance.json and printed; budgets are judged in docs/performance.md, never
// asserted here (timings on a shared 2-core machine are noisy). The assertions check that the work
// really happened.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { startServer, launch, openApp, recordStorage, saveSpans, ARTIFACTS } from './harness.mjs';

let server;
let browser;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cen-planner-perf-'));
const figures = {};
before(async () => { server = await startServer(); browser = await launch(); fs.mkdirSync(ARTIFACTS, { recursive: true }); });
after(async () => {
  await browser?.close();
  server?.close();
  fs.writeFileSync(path.join(ARTIFACTS, 'performance.json'), JSON.stringify(figures, null, 2) + '\n');
  console.log('# browser figures (ms):', JSON.stringify(figures));
});

const bin = process.env.CEN_PLANNER_BIN;

test('time to interactive after navigation', async () => {
  const { page, context } = await openApp(browser, server);
  await page.reload();
  const ms = await page.evaluate(async () => {
    while (!document.querySelector('#plan-name')) await new Promise((r) => setTimeout(r, 1));
    return performance.now();
  });
  figures.interactive_ms = Math.round(ms);
  assert.ok(ms > 0);
  await context.close();
});

for (const preset of ['typical', 'largest']) {
  test(`${preset} plan: import, then an edit until its findings are painted`, { skip: !bin && 'CEN_PLANNER_BIN not set' }, async () => {
    const file = path.join(tmp, `${preset}.json`);
    execFileSync(bin, ['generate', '--preset', preset, '-o', file]);
    const plan = JSON.parse(fs.readFileSync(file, 'utf8')).plan;
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    await recordStorage(context);
    const { page } = await openApp(browser, server, { context });
    const t0 = Date.now();
    await page.setInputFiles('#import-file', file);
    await page.waitForFunction(() => document.querySelector('#notice')?.innerText.includes('Imported'), null, { timeout: 120000 });
    figures[`${preset}_import_ms`] = Date.now() - t0;
    const saved = (old) => page.waitForFunction((o) => document.querySelector('#save-status')?.dataset.state === 'saved'
      && (localStorage.getItem('cen-planner.plan') ?? o) !== o, old, { timeout: 60000 });
    await saved(null);
    const stored = await page.evaluate(() => localStorage.getItem('cen-planner.plan'));
    figures[`${preset}_plan_file_chars`] = fs.statSync(file).size;
    figures[`${preset}_stored_utf16_units`] = stored.length;
    const logged = await page.evaluate(() => window.__storageLog.length);
    await page.waitForSelector('#findings-summary');
    const summary = await page.locator('#findings-summary').innerText();
    // Edit: give the first vSwitch the CIDR of the second one's VPC neighbour, which changes the findings.
    await page.click(`.entity[data-id="${plan.vswitches[0].id}"]`);
    await page.fill('#field-name', 'edited for the measurement');
    const ms = await page.evaluate(async () => {
      const before = document.querySelector('#findings-summary').innerText;
      const start = performance.now();
      document.querySelector('#save-entity').click();
      // Wait for the next paint after the DOM reflects the edit.
      while (!document.querySelector('.entity.selected')?.innerText.includes('edited for the measurement')) await new Promise((r) => setTimeout(r, 0));
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      return { ms: performance.now() - start, before };
    });
    figures[`${preset}_edit_to_paint_ms`] = Math.round(ms.ms);
    // The save of that edit (debounced, after the paint): one burst of storage calls.
    await saved(stored);
    const spans = await saveSpans(page, logged);
    assert.equal(spans.length, 1, `one save after the edit: ${spans}`);
    figures[`${preset}_save_ms`] = Math.round(spans[0] * 10) / 10;
    figures[`${preset}_entities`] = Object.values(plan).filter(Array.isArray).flat().length;
    assert.equal(ms.before, summary);
    assert.match(await page.locator('.entity.selected').innerText(), /edited for the measurement/);
    assert.ok(await page.locator('.entity').count() <= 50 * 20, 'long lists render a page at a time');
    await context.close();
  });
}
