// The largest plan's first edits, traced, for one or more builds side by side: each round opens every build in
// turn, imports the largest generated plan, waits for its findings and its save, then edits the names of three
// vSwitches as the performance test does (select, type, Save, checked, stored), with Chromium's trace running.
// Not a test (it asserts nothing).
// `cd tests/browser && CEN_PLANNER_BIN=… node probes/first-edit.mjs ROUNDS DIST [DIST…]` prints, per build and round,
// the page's longest main-thread tasks during the edits (the tasks running the DevTools commands that drive the page
// are left out: they are not the page's) and the Long Tasks API's count of tasks over 50 ms.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { launch, startServer } from '../harness.mjs';

const [rounds, ...dists] = process.argv.slice(2);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cen-planner-probe-'));
const file = path.join(tmp, 'largest.json');
execFileSync(process.env.CEN_PLANNER_BIN || 'cen-planner', ['generate', '--preset', 'largest', '-o', file]);
const plan = JSON.parse(fs.readFileSync(file, 'utf8')).plan;
const roots = dists.map((d) => path.resolve(d));
const servers = await Promise.all(roots.map((root) => startServer(root)));
const browser = await launch();
const checked = (page) => page.waitForFunction(() => document.querySelector('#findings')?.dataset.checking !== 'true', null, { timeout: 60000 });
const stored = (page, old) => page.waitForFunction((o) => document.querySelector('#save-status')?.dataset.state === 'saved'
  && localStorage.getItem('cen-planner.plan.rev') !== o, old, { timeout: 60000 });

/** The page's main-thread tasks (ms) in a trace after its first user-timing mark, the DevTools commands left out. */
function pageTasks(trace) {
  const events = JSON.parse(fs.readFileSync(trace, 'utf8')).traceEvents;
  const marks = events.filter((e) => e.cat?.includes('user_timing'));
  const [pid, tid] = [marks[0].pid, marks[0].tid];
  const start = Math.min(...marks.map((e) => e.ts));
  const main = events.filter((e) => e.pid === pid && e.tid === tid && e.ph === 'X' && e.ts >= start).sort((a, b) => a.ts - b.ts);
  const tasks = main.filter((e) => e.name === 'ThreadControllerImpl::RunTask' || e.name === 'RunTask');
  const devtools = main.filter((e) => e.name === 'Receive mojo message' && JSON.stringify(e.args).includes('DevTools'));
  return tasks
    .filter((t) => !devtools.some((d) => d.ts >= t.ts && d.ts <= t.ts + t.dur))
    .map((t) => t.dur / 1000);
}

const results = roots.map(() => []);
for (let r = 0; r < Number(rounds); r++) {
  for (let b = 0; b < roots.length; b++) {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    await context.addInitScript(() => {
      window.__longtasks = [];
      new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__longtasks.push(e.duration); }).observe({ type: 'longtask' });
    });
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${servers[b].address().port}/`);
    await page.waitForSelector('#plan-name');
    await page.setInputFiles('#import-file', file);
    await page.waitForFunction(() => document.querySelector('#notice')?.innerText.includes('Imported'), null, { timeout: 120000 });
    await checked(page);
    await stored(page, null);
    const trace = path.join(tmp, `trace-${b}-${r}.json`);
    await browser.startTracing(page, { path: trace, categories: ['toplevel', 'devtools.timeline', 'blink.user_timing'] });
    await page.evaluate(() => { window.__longtasks = []; performance.mark('edits'); });
    for (let i = 0; i < 3; i++) {
      await page.click(`.entity[data-id="${plan.vswitches[i].id}"]`);
      await page.fill('#field-name', `edited ${i} in round ${r}`);
      const rev = await page.evaluate(() => localStorage.getItem('cen-planner.plan.rev'));
      await page.click('#save-entity');
      await page.locator('.entity.selected', { hasText: `edited ${i} in round ${r}` }).waitFor();
      await checked(page);
      await stored(page, rev);
    }
    await browser.stopTracing();
    const longTasks = await page.evaluate(() => window.__longtasks.length);
    const tasks = pageTasks(trace).sort((x, y) => y - x);
    results[b].push(tasks[0] ?? 0);
    console.log(`${roots[b]} round ${r}: longest tasks ${tasks.slice(0, 5).map(Math.round).join(' ')} ms; over 50 ms (Long Tasks API): ${longTasks}`);
    await context.close();
  }
}
for (let b = 0; b < roots.length; b++) console.log(`${roots[b]}: longest task per round ${results[b].map(Math.round).join(' ')} ms`);
await browser.close();
for (const s of servers) s.close();
