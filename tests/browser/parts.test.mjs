// The page loads in parts (src/ui/lazy.rs, src/ui/kit.rs, scripts/build-web.sh): the canvas and the toolbar
// first, then the editing kit, the canvas's views, the inspector's forms, the lists, the findings, the
// matrix, the review tools and the delete confirmation.
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

test('edits made before the editing part arrives are applied when it arrives, in order, each its own undo step', async () => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  // The editing kit (src/ui/kit.rs) is held back until the test lets it through.
  const held = [];
  await context.route(/-split_cen_editing\.wasm$/, (route) => { held.push(route); });
  const { page } = await openApp(browser, server, { context });
  const original = await page.inputValue('#plan-name');
  for (const name of ['First name', 'Second name']) {
    await page.fill('#plan-name', name);
    await page.press('#plan-name', 'Tab');
  }
  // Nothing is applied yet: there is nothing to undo, and the stored plan has the original name.
  assert.equal(await page.isDisabled('#undo'), true);
  assert.ok(!(await page.evaluate(() => localStorage.getItem('cen-planner.plan') ?? '')).includes('Second name'));
  // The page asked for the part (once it was idle, or for the first edit); it is let through now.
  while (held.length === 0) await new Promise((r) => setTimeout(r, 20));
  for (const route of held.splice(0)) await route.continue();
  // Both renames arrive, in order: the plan is named by the second, and undo goes back one at a time.
  await page.waitForFunction(() => !document.querySelector('#undo').disabled, null, { timeout: 15000 });
  assert.equal(await page.inputValue('#plan-name'), 'Second name');
  await page.click('#undo');
  assert.equal(await page.inputValue('#plan-name'), 'First name');
  await page.click('#undo');
  assert.equal(await page.inputValue('#plan-name'), original);
  await page.click('#redo');
  await page.click('#redo');
  await page.waitForFunction(() => document.querySelector('#save-status')?.dataset.state === 'saved'
    && (localStorage.getItem('cen-planner.plan') ?? '').length > 0, null, { timeout: 15000 });
  assert.equal(await page.inputValue('#plan-name'), 'Second name');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('when the editing part cannot be loaded, an edit says so and the plan is unchanged', async () => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  await context.route(/-split_cen_editing\.wasm$/, (route) => route.abort());
  const { page } = await openApp(browser, server, { context });
  const original = await page.inputValue('#plan-name');
  await page.fill('#plan-name', 'Renamed');
  await page.press('#plan-name', 'Tab');
  await page.waitForFunction(() => /editing part of the app could not be loaded/.test(document.querySelector('#notice')?.innerText ?? ''));
  assert.match(await page.locator('#notice').innerText(), /the change was not made\. Reload the page: your plan is kept/);
  assert.equal(await page.isDisabled('#undo'), true);
  // The plan is as it was: a reload shows the original name.
  await page.reload();
  await page.waitForSelector('#plan-name');
  assert.equal(await page.inputValue('#plan-name'), original);
  assert.ok(!page.errors.some((e) => /panicked|RuntimeError|unreachable/.test(e)), page.errors.join('\n'));
  await context.close();
});
