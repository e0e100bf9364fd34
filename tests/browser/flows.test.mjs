// Declared flows in the app (issue 11): the matrix marks the pairs a flow speaks of and lists each flow
// with its state in the core's words, and an open forbidden flow's fix (two Deny route maps) applies
// from the findings panel and is undoable, as does a missing region bandwidth's (the bandwidth and the
// package of its areas), while a fix outside the plan offers nothing to apply.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, launch, openApp, openExample, checked, storedPlan, EXAMPLES } from './harness.mjs';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cen-planner-flows-'));

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

test('a region pair on the test link gets its bandwidth and package in one step from the findings, and undo takes both back', async () => {
  const { page, context } = await openApp(browser, server);
  // Two VPCs in Hangzhou and Silicon Valley on one CEN, no bandwidth: only the 1 Kbps test link.
  const file = path.join(tmp, 'test-link.json');
  fs.writeFileSync(file, JSON.stringify({
    format: 'cen-planner-plan',
    version: 3,
    plan: {
      name: 'Test link',
      accounts: [{ id: 'a', uid: '1' }],
      vpcs: [
        { id: 'v1', owner: 'a', region: 'cn-hangzhou', cidr: '10.1.0.0/16' },
        { id: 'v2', owner: 'a', region: 'us-west-1', cidr: '10.2.0.0/16' },
      ],
      vswitches: [{ id: 's1', vpc: 'v1', cidr: '10.1.1.0/24' }, { id: 's2', vpc: 'v2', cidr: '10.2.1.0/24' }],
      cens: [{ id: 'c', owner: 'a', overlapping_routes: true }],
      attachments: [{ id: 't1', cen: 'c', network: 'v1' }, { id: 't2', cen: 'c', network: 'v2' }],
    },
  }));
  await page.setInputFiles('#import-file', file);
  await page.waitForFunction(() => document.querySelector('#notice')?.innerText.includes('Imported'));
  await checked(page);
  const testLink = () => page.locator('#findings .finding', { hasText: 'CEN-BW-008' });
  assert.match(await testLink().innerText(), /only the default 1 Kbps test link/);
  // The security-group reminder is outside the plan: its words say so, and it has nothing to apply.
  const groups = page.locator('#findings .finding', { hasText: 'CEN-SG-001' });
  assert.match(await groups.innerText(), /Fix: outside the plan: /);
  assert.equal(await groups.locator('.apply-fix').count(), 0);
  await testLink().locator('.apply-fix').click();
  await checked(page);
  const plan = JSON.parse(await storedPlan(page)).plan;
  assert.deepEqual(plan.region_bandwidths.map((b) => [b.region_a, b.region_b, b.mbps]), [['cn-hangzhou', 'us-west-1', 10]]);
  assert.deepEqual(plan.bandwidth_packages.map((p) => [p.area_a, p.area_b, p.cen]), [['China', 'North-America', 'c']]);
  await page.waitForFunction(() => !/CEN-BW-008|CEN-BWP-001/.test(document.querySelector('#findings').innerText));
  // One undo takes the bandwidth and the package back.
  await page.click('#undo');
  await checked(page);
  const undone = JSON.parse(await storedPlan(page)).plan;
  assert.equal(undone.region_bandwidths?.length ?? 0, 0);
  assert.equal(undone.bandwidth_packages?.length ?? 0, 0);
  assert.match(await testLink().innerText(), /only the default 1 Kbps test link/);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a pair the plan does not decide is a ? cell in the matrix, with its words', async () => {
  // The hybrid-cloud example without its lines' AS paths: CEN keeps one BGP line active and the plan
  // does not say which, so the answer toward the data centre is undetermined, never list order.
  const { page, context } = await openApp(browser, server);
  const example = JSON.parse(fs.readFileSync(path.join(EXAMPLES, 'hybrid-cloud-two-vbrs-sag-backup.json'), 'utf8'));
  for (const line of example.plan.sites[0].lines) delete line.as_path_length;
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cen-planner-undetermined-')), 'no-as-paths.json');
  fs.writeFileSync(file, JSON.stringify(example));
  await page.setInputFiles('#import-file', file);
  await page.waitForFunction(() => document.querySelector('#notice')?.innerText.includes('Imported'));
  await checked(page);
  await page.click('#show-matrix');
  await page.waitForSelector('#matrix td button');
  const undetermined = page.locator('#matrix td.warning button', { hasText: '?' });
  assert.ok(await undetermined.count() > 0, (await page.locator('#matrix').innerText()));
  assert.match(await undetermined.first().getAttribute('aria-label'), /undetermined/);
  assert.match(await page.locator('.matrix-view').innerText(), /\? undetermined/);
  assert.deepEqual(page.errors, []);
  await context.close();
});
