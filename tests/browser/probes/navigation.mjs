// How long the app takes to show its toolbar after each kind of navigation (docs/performance.md, issue 13):
// arriving from another page, reloading the loaded app, and reloading at once after the toolbar appeared
// (`navigationTimes` in the harness, as the performance test measures them, more rounds).
// Not a test (it asserts nothing): `cd tests/browser && DIST=$PWD/../../dist node probes/navigation.mjs [ROUNDS]`.
import { startServer, launch, openApp, navigationTimes } from '../harness.mjs';

const rounds = Number(process.argv[2] || 6);
const server = await startServer();
const browser = await launch();
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const kinds = { arrive: [], reload: [], backToBack: [] };
for (let r = 0; r < rounds; r++) {
  const { page, context, base } = await openApp(browser, server);
  for (let i = 0; i < 3; i++) {
    const times = await navigationTimes(page, base);
    for (const kind of Object.keys(kinds)) kinds[kind].push(Math.round(times[kind]));
  }
  await context.close();
}
const names = { arrive: 'arrive (from about:blank)', reload: 'reload (loaded app)', backToBack: 'reload at once (back to back)' };
for (const [kind, runs] of Object.entries(kinds)) console.log(`${names[kind]}: median ${median(runs)} ms (${runs.join(' ')})`);
await browser.close();
server.close();
