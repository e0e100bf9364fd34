// Seed 000's four cases built by drawing: two VPCs of one account or of two (the second account
// made from the palette's More list, its VPC drawn while it is selected, the grant made with the
// attachment), in one region or two (the cross-region bandwidth drawn from region to region, with
// its package; the values set in the inspector, the package reached from the bandwidth's). Each
// within a budget of user actions and typed characters; exported, each behaves as its example
// (`cen-planner diff`: no change of findings, routes or reachability).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, launch, openApp, storedPlan, checked } from './harness.mjs';
import { counter, node, handle, region, regionHandle, behavesAs } from './drawing.mjs';

let server;
let browser;
const SHOTS = process.env.CANVAS_SHOTS || '/tmp';
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); server?.close(); });

/** A VPC in the palette's region (or the plan's), its block typed, and its vSwitch (the next free /24). */
async function vpcWithVSwitch(u, page, cidr, vswitch) {
  await u.click('#palette-vpcs');
  await page.waitForSelector('#inspector #entity-form[data-kind="vpcs"]');
  await u.fill('#field-cidr', cidr);
  await u.click('#palette-vswitches');
  await page.waitForSelector('#inspector #entity-form[data-kind="vswitches"]');
  assert.equal(await page.inputValue('#field-cidr'), vswitch);
}

/** An account from the palette's More list (selected: what is drawn next is its own), its UID typed if given. */
async function account(u, page, uid) {
  await u.select('#palette-more', 'accounts');
  await page.waitForSelector('#inspector #entity-form[data-kind="accounts"]');
  if (uid) await u.fill('#field-uid', uid);
}

/** The CEN, the whole drawing in view, and both VPCs attached to it by a line from their handle. */
async function attachBoth(u, page) {
  await u.click('#palette-cens');
  await page.locator(node('cen-1')).waitFor();
  // The canvas keeps its zoom while things are added: Fit shows them all.
  await u.click('#fit');
  await u.drag(handle('vpc-1'), node('cen-1'));
  await page.waitForFunction(() => document.querySelectorAll('#diagram .edge.attachment').length === 1);
  await u.drag(handle('vpc-2'), node('cen-1'));
  await page.waitForFunction(() => document.querySelectorAll('#diagram .edge.attachment').length === 2);
}

/** The cross-region bandwidth: a line from region `a` to region `b` (with the package of their areas). */
async function bandwidth(u, page, a, b) {
  // (The canvas is drawn again after the attachment is checked and saved: wait for that first.)
  await checked(page);
  await page.waitForFunction(() => document.querySelector('#save-status')?.dataset.state !== 'saving');
  await page.locator(region(b)).waitFor({ state: 'visible' });
  await page.locator(regionHandle(a)).waitFor({ state: 'visible' });
  await u.drag(regionHandle(a), region(b));
  await page.waitForSelector('#inspector #entity-form[data-kind="region_bandwidths"]');
}

const CASES = [
  {
    example: 'seed-000-same-account-same-region.json',
    what: 'two VPCs of one account in one region',
    async draw(u, page) {
      await vpcWithVSwitch(u, page, '192.168.0.0/16', '192.168.1.0/24');
      await vpcWithVSwitch(u, page, '172.16.0.0/16', '172.16.1.0/24');
      await attachBoth(u, page);
    },
  },
  {
    example: 'seed-000-same-account-cross-region.json',
    what: 'two VPCs of one account in Hangzhou and Silicon Valley',
    async draw(u, page) {
      await vpcWithVSwitch(u, page, '192.168.0.0/16', '192.168.1.0/24');
      await u.select('#palette-region', 'us-west-1');
      await vpcWithVSwitch(u, page, '172.16.0.0/16', '172.16.1.0/24');
      await attachBoth(u, page);
      // 10 Mbps and a China–North America package of 10 Mbps: the defaults.
      await bandwidth(u, page, 'cn-hangzhou', 'us-west-1');
    },
  },
  {
    example: 'seed-000-cross-account-same-region.json',
    what: 'a VPC of account B attached to the CEN of account A in one region',
    async draw(u, page) {
      await account(u, page, '1111222233334444');
      await vpcWithVSwitch(u, page, '192.168.0.0/16', '192.168.1.0/24');
      await u.click('#palette-cens');
      await page.locator(node('cen-1')).waitFor();
      await account(u, page);
      await vpcWithVSwitch(u, page, '172.16.0.0/16', '172.16.1.0/24');
      await u.click('#fit');
      await u.drag(handle('vpc-1'), node('cen-1'));
      await page.waitForFunction(() => document.querySelectorAll('#diagram .edge.attachment').length === 1);
      await u.drag(handle('vpc-2'), node('cen-1'));
      await page.waitForFunction(() => /With a grant/.test(document.querySelector('#canvas-hint')?.innerText ?? ''));
    },
  },
  {
    example: 'seed-000-cross-account-cross-region.json',
    what: 'a VPC of account B in Beijing attached to the CEN of account A with its VPC in Qingdao',
    async draw(u, page) {
      await account(u, page, '1111222233334444');
      await u.select('#palette-region', 'cn-qingdao');
      await vpcWithVSwitch(u, page, '192.168.0.0/16', '192.168.1.0/24');
      await u.click('#palette-cens');
      await page.locator(node('cen-1')).waitFor();
      await account(u, page);
      await u.select('#palette-region', 'cn-beijing');
      await vpcWithVSwitch(u, page, '172.16.0.0/16', '172.16.1.0/24');
      await u.click('#fit');
      await u.drag(handle('vpc-1'), node('cen-1'));
      await page.waitForFunction(() => document.querySelectorAll('#diagram .edge.attachment').length === 1);
      await u.drag(handle('vpc-2'), node('cen-1'));
      await page.waitForFunction(() => /With a grant/.test(document.querySelector('#canvas-hint')?.innerText ?? ''));
      // 5 Mbps between the regions, on a China–China package of 8 Mbps (reached from the bandwidth).
      await bandwidth(u, page, 'cn-qingdao', 'cn-beijing');
      await u.fill('#field-mbps', '5');
      await u.click('#inspector [data-go="cenbwp-1"]');
      await page.waitForSelector('#inspector #entity-form[data-kind="bandwidth_packages"]');
      await u.fill('#field-mbps', '8');
    },
  },
];

for (const c of CASES) {
  test(`seed 000 (${c.what}) drawn on the canvas within 60 actions and 250 characters behaves as the example`, async () => {
    const { page, context } = await openApp(browser, server, { context: await browser.newContext({ viewport: { width: 1600, height: 900 } }) });
    await page.waitForSelector('#diagram');
    const u = counter(page);
    await u.select('#as-of', '2019-09-19');
    const name = path.basename(c.example, '.json');
    await c.draw(u, page).catch(async (e) => {
      await page.screenshot({ path: path.join(SHOTS, `canvas-${name}-failed.png`) });
      throw new Error(`${e.message}; hint: ${await page.locator('#canvas-hint').innerText().catch(() => 'none')}\n${u.log.join('\n')}`);
    });
    await checked(page);

    console.log(`${name} on the canvas: ${u.actions} actions, ${u.typed} characters typed`);
    assert.ok(u.actions <= 60, `${u.actions} actions:\n${u.log.join('\n')}`);
    assert.ok(u.typed <= 250, `${u.typed} characters`);
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.click('#fit');
    await page.screenshot({ path: path.join(SHOTS, `canvas-${name}-drawn-1280-light.png`) });

    // The drawn plan behaves as the example (names are free text, copied from the example by id).
    behavesAs(await storedPlan(page), c.example);
    assert.deepEqual(page.errors, []);
    await context.close();
  });
}
