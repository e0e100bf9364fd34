// Declared flows in the app (issue 11): the matrix marks the pairs a flow speaks of and lists each flow
// with its state in the core's words, and an open forbidden flow's fix (two Deny route maps) applies
// from the findings panel and is undoable.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openApp, openExample, checked, storedPlan } from './harness.mjs';

let server;
let browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); server?.close(); });

test('the matrix marks required and forbidden pairs and lists each declared flow with its state', async () => {
  const { page, context } = await openApp(browser, server);
  await openExample(page, 'hub-and-spoke-forbidden-spokes');
  await page.click('#show-matrix');
  await page.waitForSelector('#matrix td button');
  const text = await page.locator('.matrix-view').innerText();
  assert.match(text, /Spokes use the hub \(required: Spokes ↔ Hub \(shared services\)\): met/);
  assert.match(text, /Spokes are isolated \(forbidden: Spokes ↔ Spokes\): forbidden but open/);
  const rows = await page.locator('#matrix tbody tr').allInnerTexts();
  // Hub ↔ spokes are required (R), spoke ↔ spoke forbidden (F).
  assert.match(rows[0], /✓R/);
  assert.match(rows[1], /✓F/);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('an open forbidden flow is closed one pair at a time by its fix, and undo takes it back', async () => {
  const { page, context } = await openApp(browser, server);
  await openExample(page, 'hub-and-spoke-forbidden-spokes');
  const open = () => page.locator('#findings .finding', { hasText: 'PLAN-FLOW-003' });
  assert.match(await open().innerText(), /Spoke 1 → Spoke 2 is reachable/);
  await open().locator('.apply-fix').click();
  await checked(page);
  assert.equal(JSON.parse(await storedPlan(page)).plan.route_maps.length, 2);
  // The pair is closed; the next open pair is named.
  await page.waitForFunction(() => !document.querySelector('#findings').innerText.includes('Spoke 1 → Spoke 2 is reachable'));
  assert.match(await open().innerText(), /forbidden but open/);
  await page.click('#undo');
  await checked(page);
  assert.equal(JSON.parse(await storedPlan(page)).plan.route_maps?.length ?? 0, 0);
  assert.match(await open().innerText(), /Spoke 1 → Spoke 2 is reachable/);
  assert.deepEqual(page.errors, []);
  await context.close();
});
