// Seed 004 built by drawing: two peered VPCs in Hangzhou (the peering a line from VPC to VPC, the
// static route each way made from the selected peering, then from the selected route), and the CEN
// both are attached to, within a budget of user actions and typed characters; exported, it behaves
// as the example (`cen-planner diff`: the same CEN-PEER-001 conflict, routes and reachability).
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

test('seed 004 (a peered VPC migrating to CEN) drawn on the canvas within 60 actions and 250 characters behaves as the example', async () => {
  const { page, context } = await openApp(browser, server, { context: await browser.newContext({ viewport: { width: 1600, height: 900 } }) });
  await page.waitForSelector('#diagram');
  const u = counter(page);
  await u.select('#as-of', '2019-09-19');

  // VPC-X and VPC-Y in Hangzhou, each with its vSwitch (the next free /24 of the VPC).
  for (const [cidr, vswitch] of [['192.168.0.0/16', '192.168.1.0/24'], ['172.16.0.0/16', '172.16.1.0/24']]) {
    await u.click('#palette-vpcs');
    await page.waitForSelector('#inspector #entity-form[data-kind="vpcs"]');
    await u.fill('#field-cidr', cidr);
    await u.click('#palette-vswitches');
    await page.waitForSelector('#inspector #entity-form[data-kind="vswitches"]');
    assert.equal(await page.inputValue('#field-cidr'), vswitch);
  }

  // The peering: a line from VPC-X to VPC-Y. A route made with the peering selected goes over it to
  // the peer's block; made again (the new route selected), the way back.
  await u.drag(handle('vpc-1'), node('vpc-2'));
  await page.waitForSelector('#inspector #entity-form[data-kind="peerings"]');
  await u.click('#palette-route_entries');
  await page.waitForSelector('#inspector #entity-form[data-kind="route_entries"]');
  assert.equal(await page.inputValue('#field-destination'), '172.16.0.0/16');
  assert.equal(await page.inputValue('#field-next_hop'), 'pcc-1');
  await u.click('#palette-route_entries');
  await page.waitForFunction(() => document.querySelector('#inspector #field-destination')?.value === '192.168.0.0/16');

  // The CEN, and both VPCs attached to it by a line from their handle.
  await u.click('#palette-cens');
  await page.locator(node('cen-1')).waitFor();
  await u.drag(handle('vpc-1'), node('cen-1'));
  await page.waitForFunction(() => document.querySelectorAll('#diagram .edge.attachment').length === 1);
  await u.drag(handle('vpc-2'), node('cen-1'));
  await page.waitForFunction(() => document.querySelectorAll('#diagram .edge.attachment').length === 2)
    .catch(async (e) => { await page.screenshot({ path: path.join(SHOTS, 'canvas-seed004-failed.png') }); throw new Error(`${e.message}; hint: ${await page.locator('#canvas-hint').innerText().catch(() => 'none')}`); });
  await checked(page);
  // The conflict the seed is about is found.
  assert.match(await page.locator('#findings').textContent(), /CEN-PEER-001/);

  console.log(`seed 004 on the canvas: ${u.actions} actions, ${u.typed} characters typed`);
  assert.ok(u.actions <= 60, `${u.actions} actions:\n${u.log.join('\n')}`);
  assert.ok(u.typed <= 250, `${u.typed} characters`);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.click('#fit');
  await page.screenshot({ path: path.join(SHOTS, 'canvas-seed004-drawn-1280-light.png') });

  // The drawn plan behaves as the example (names are free text, copied from the example by id).
  behavesAs(await storedPlan(page), 'seed-004-peering-migration.json');
  assert.deepEqual(page.errors, []);
  await context.close();
});
