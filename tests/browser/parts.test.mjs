// The page loads in parts (src/ui/lazy.rs, scripts/build-web.sh): the canvas, toolbar and editing core
// first, then the inspector's forms, the lists, the findings, the matrix and the review tools.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openApp, openExample } from './harness.mjs';
import { node } from './drawing.mjs';

let server;
let browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); server?.close(); });

test('the later parts are fetched by themselves after the first paint, and the inspector shows at once', async () => {
  const { page } = await openApp(browser, server);
  // Every part arrives without a user action.
  await page.waitForFunction(() => {
    const parts = performance.getEntriesByType('resource').filter((e) => /-(split|chunk)_.*\.wasm$/.test(e.name));
    return parts.length >= 6 && parts.every((e) => e.responseEnd > 0);
  }, null, { timeout: 15000 });
  const { parts, painted } = await page.evaluate(() => ({
    parts: performance.getEntriesByType('resource').filter((e) => /-(split|chunk)_.*\.wasm$/.test(e.name)).map((e) => e.startTime),
    painted: performance.getEntriesByName('first-paint')[0]?.startTime ?? performance.getEntriesByName('first-contentful-paint')[0]?.startTime,
  }));
  assert.ok(painted !== undefined, 'the page painted');
  assert.ok(Math.min(...parts) >= painted, `the parts start after the first paint (${Math.min(...parts)} ms, painted ${painted} ms)`);
  await openExample(page, 'seed-003-vpn-global-network');
  await page.click(node('vpc-1'));
  await page.waitForSelector('#inspector #entity-form[data-kind="vpcs"]');
  assert.deepEqual(page.errors, []);
});

test('a part that does not arrive says so in its place; the canvas works and the plan is kept', async () => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  await context.route(/-(split|chunk)_.*\.wasm$/, (route) => route.abort());
  const { page } = await openApp(browser, server, { context });
  // The findings panel is a part too: it says it could not be loaded.
  await page.waitForFunction(() => /could not be loaded/.test(document.querySelector('aside.findings')?.innerText ?? ''));
  await page.selectOption('#examples', 'seed-003-vpn-global-network');
  await page.waitForFunction(() => /Opened the example/.test(document.querySelector('#notice')?.innerText ?? ''));
  await page.click(node('vpc-1'));
  await page.waitForFunction(() => /could not be loaded/.test(document.querySelector('#inspector')?.innerText ?? ''));
  assert.match(await page.locator('#inspector').innerText(), /Reload the page: your plan is kept/);
  // The canvas still draws and selects; no panic.
  assert.ok(await page.locator(node('vpc-1')).count() === 1);
  assert.ok(!page.errors.some((e) => /panicked|RuntimeError|unreachable/.test(e)), page.errors.join('\n'));
  await context.close();
});
