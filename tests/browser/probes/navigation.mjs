// How long the app takes to show its toolbar after each kind of navigation (docs/performance.md, issue 13):
// arriving from another page, reloading the loaded app, and reloading at once after the toolbar appeared.
// Not a test (it asserts nothing): `cd tests/browser && DIST=$PWD/../../dist node probes/navigation.mjs [ROUNDS]`.
import { startServer, launch, openApp } from '../harness.mjs';

const rounds = Number(process.argv[2] || 6);
const server = await startServer();
const browser = await launch();
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const kinds = { 'arrive (from about:blank)': [], 'reload (loaded app)': [], 'reload at once (back to back)': [] };
const [arrive, reload, backToBack] = Object.values(kinds);
for (let r = 0; r < rounds; r++) {
  const { page, context, base } = await openApp(browser, server);
  const toolbar = () => page.evaluate(async () => {
    while (!document.querySelector('#plan-name')) await new Promise((res) => setTimeout(res, 1));
    return Math.round(performance.now());
  });
  for (let i = 0; i < 3; i++) {
    await page.goto('about:blank');
    await page.goto(base + '/');
    arrive.push(await toolbar());
    await page.waitForLoadState('networkidle');
    await page.reload();
    reload.push(await toolbar());
    await page.reload();
    backToBack.push(await toolbar());
  }
  await context.close();
}
for (const [kind, runs] of Object.entries(kinds)) console.log(`${kind}: median ${median(runs)} ms (${runs.join(' ')})`);
await browser.close();
server.close();
