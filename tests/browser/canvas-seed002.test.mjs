// Seed 002's branch case built by drawing: a VPC in Shanghai, a Smart Access Gateway branch in
// Hangzhou (its CCN, in the Mainland China CCN area, made with it) and the CEN both are attached to,
// within a budget of user actions and typed characters; exported, it behaves as the example
// (`cen-planner diff`: no change of findings, routes or reachability).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, launch, openApp, storedPlan, checked } from './harness.mjs';
import { counter, node, handle, behavesAs } from './drawing.mjs';

let server;
let browser;
const SHOTS = process.env.CANVAS_SHOTS || '/tmp';
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); server?.close(); });

test('seed 002 (a Mainland CCN branch bound to the CEN) drawn on the canvas within 60 actions and 250 characters behaves as the example', async () => {
  const { page, context } = await openApp(browser, server, { context: await browser.newContext({ viewport: { width: 1600, height: 900 } }) });
  await page.waitForSelector('#diagram');
  const u = counter(page);
  await u.select('#as-of', '2019-09-19');

  // Shanghai: a VPC (its block typed) and its vSwitch (the next free /24 of the VPC, by default).
  await u.select('#palette-region', 'cn-shanghai');
  await u.click('#palette-vpcs');
  await page.waitForSelector('#inspector #entity-form[data-kind="vpcs"]');
  await u.fill('#field-cidr', '192.168.0.0/16');
  await u.click('#palette-vswitches');
  await page.waitForSelector('#inspector #entity-form[data-kind="vswitches"]');
  assert.equal(await page.inputValue('#field-cidr'), '192.168.1.0/24');

  // The branch: the first one comes with its CCN, in the CCN area of the region (Mainland China).
  await u.click('#palette-sags');
  await page.waitForSelector('#inspector #entity-form[data-kind="sags"]');
  await u.fill('#field-cidrs', '10.8.1.0/24');
  await page.locator(node('ccn-1')).waitFor();
  assert.match(await page.locator(node('ccn-1')).innerHTML(), /Mainland China/);

  // The CEN, and both networks attached to it by a line from their handle.
  await u.click('#palette-cens');
  await page.locator(node('cen-1')).waitFor();
  await u.drag(handle('vpc-1'), node('cen-1'));
  await page.waitForFunction(() => document.querySelectorAll('#diagram .edge.attachment').length === 1);
  await u.drag(handle('ccn-1'), node('cen-1'));
  await page.waitForFunction(() => document.querySelectorAll('#diagram .edge.attachment').length === 2)
    .catch(async (e) => { await page.screenshot({ path: path.join(SHOTS, 'canvas-seed002-failed.png') }); throw new Error(`${e.message}; hint: ${await page.locator('#canvas-hint').innerText().catch(() => 'none')}`); });
  await checked(page);

  console.log(`seed 002 on the canvas: ${u.actions} actions, ${u.typed} characters typed`);
  assert.ok(u.actions <= 60, `${u.actions} actions:\n${u.log.join('\n')}`);
  assert.ok(u.typed <= 250, `${u.typed} characters`);
  await page.screenshot({ path: path.join(SHOTS, 'canvas-seed002-drawn-1600-light.png') });

  // The drawn plan behaves as the example. Ids and names are free text: the drawn ids are given the
  // example's (by kind, in creation order) and the names copied by id before comparing.
  behavesAs(await storedPlan(page), 'seed-002-ccn-branch.json', {
    ids: { 'vpc-1': 'vpc-sh', 'vsw-1': 'vsw-sh', 'sag-1': 'sag-hz', 'att-1': 'att-sh', 'att-2': 'att-ccn' },
  });
  assert.deepEqual(page.errors, []);
  await context.close();
});
