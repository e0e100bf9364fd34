// Save in the inspector → next paint on the typical plan (Event Timing's duration of the click on Save, in 8 ms
// steps), for one or more builds side by side: each round opens every build in turn and saves N names.
// Not a test (it asserts nothing). `cd tests/browser && CEN_PLANNER_BIN=… node probes/save-paint.mjs ROUNDS N DIST [DIST…]`
// prints, per build, the median and how many saves fell in each step.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { launch, startServer } from '../harness.mjs';

const [rounds, saves, ...dists] = process.argv.slice(2);
const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cen-planner-probe-')), 'typical.json');
execFileSync(process.env.CEN_PLANNER_BIN || 'cen-planner', ['generate', '--preset', 'typical', '-o', file]);
const plan = JSON.parse(fs.readFileSync(file, 'utf8')).plan;
const roots = dists.map((d) => path.resolve(d));
const servers = await Promise.all(roots.map((root) => startServer(root)));
const browser = await launch();
const results = roots.map(() => []);
for (let r = 0; r < Number(rounds); r++) {
  for (let b = 0; b < roots.length; b++) {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    await context.addInitScript(() => {
      window.__events = [];
      new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__events.push({ name: e.name, id: e.target?.id ?? '', duration: e.duration }); })
        .observe({ type: 'event', durationThreshold: 16, buffered: true });
    });
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${servers[b].address().port}/`);
    await page.waitForSelector('#plan-name');
    await page.setInputFiles('#import-file', file);
    await page.waitForFunction(() => document.querySelector('#notice')?.innerText.includes('Imported'), null, { timeout: 120000 });
    await page.waitForTimeout(2000);
    for (let i = 0; i < Number(saves); i++) {
      await page.click(`.entity[data-id="${plan.vswitches[i].id}"]`);
      await page.waitForTimeout(200);
      await page.fill('#field-name', `edited ${i} in round ${r}`);
      await page.evaluate(() => { window.__events = []; });
      await page.click('#save-entity');
      await page.waitForTimeout(700);
      // Under 16 ms, Event Timing reports nothing: counted as 8.
      results[b].push(await page.evaluate(() => Math.round(window.__events.filter((e) => e.name === 'click' && e.id === 'save-entity').at(-1)?.duration ?? 8)));
    }
    await context.close();
  }
}
roots.forEach((root, b) => {
  const steps = {};
  for (const d of results[b]) steps[d] = (steps[d] || 0) + 1;
  const sorted = [...results[b]].sort((x, y) => x - y);
  console.log(`${root}: median ${sorted[Math.floor(sorted.length / 2)]} ms, saves per step ${JSON.stringify(steps)}`);
});
await browser.close();
servers.forEach((s) => s.close());
