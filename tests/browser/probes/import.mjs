// Importing a plan file, file chosen → "Imported", for one or more builds side by side (docs/performance.md).
// Not a test (it asserts nothing): `cd tests/browser && node probes/import.mjs ROUNDS PLAN.json DIST [DIST…]`
// (`cen-planner generate --preset largest -o PLAN.json` writes the largest generated plan).
import path from 'node:path';
import { launch, startServer } from '../harness.mjs';

const [rounds, planFile, ...dists] = process.argv.slice(2);
const roots = dists.map((d) => path.resolve(d));
const servers = await Promise.all(roots.map((root) => startServer(root)));
const browser = await launch();
const times = roots.map(() => []);
for (let r = 0; r < Number(rounds); r++) {
  for (let b = 0; b < roots.length; b++) {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${servers[b].address().port}/`);
    await page.waitForSelector('#plan-name');
    await page.waitForTimeout(1000);
    const t0 = Date.now();
    await page.setInputFiles('#import-file', planFile);
    await page.waitForFunction(() => document.querySelector('#notice')?.innerText.includes('Imported'), null, { timeout: 120000 });
    times[b].push(Date.now() - t0);
    await context.close();
  }
}
roots.forEach((root, b) => {
  const sorted = [...times[b]].sort((x, y) => x - y);
  console.log(`${root}: median ${sorted[Math.floor(sorted.length / 2)]} ms (${times[b].join(' ')})`);
});
await browser.close();
servers.forEach((s) => s.close());
