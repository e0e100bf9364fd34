// Seed 002's branch case built by drawing: a VPC in Shanghai, a Smart Access Gateway branch in
// Hangzhou (its CCN, in the Mainland China CCN area, made with it) and the CEN both are attached to,
// within a budget of user actions and typed characters; exported, it behaves as the example
// (`cen-planner diff`: no change of findings, routes or reachability).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { startServer, launch, openApp, storedPlan, EXAMPLES, checked } from './harness.mjs';
import { counter, node, handle } from './drawing.mjs';

let server;
let browser;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cen-planner-seed002-'));
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
  const example = JSON.parse(fs.readFileSync(path.join(EXAMPLES, 'seed-002-ccn-branch.json'), 'utf8'));
  const ids = { 'vpc-1': 'vpc-sh', 'vsw-1': 'vsw-sh', 'sag-1': 'sag-hz', 'att-1': 'att-sh', 'att-2': 'att-ccn' };
  let text = await storedPlan(page);
  for (const [from, to] of Object.entries(ids)) text = text.replaceAll(`"${from}"`, `"${to}"`);
  const drawn = JSON.parse(text);
  const names = new Map();
  for (const list of Object.values(example.plan)) if (Array.isArray(list)) for (const e of list) if (e.id) names.set(e.id, e.name);
  const drawnIds = [];
  for (const list of Object.values(drawn.plan)) if (Array.isArray(list)) for (const e of list) if (e.id) { drawnIds.push(e.id); if (names.has(e.id) && e.name !== undefined) e.name = names.get(e.id); }
  assert.deepEqual(drawnIds.sort(), [...names.keys()].sort(), 'the same entities');
  drawn.plan.name = example.plan.name;
  drawn.plan.notes = example.plan.notes;
  delete drawn.plan.layout;
  const file = path.join(tmp, 'drawn.json');
  fs.writeFileSync(file, JSON.stringify(drawn, null, 2));
  if (process.env.CEN_PLANNER_BIN) {
    let out;
    try {
      out = execFileSync(process.env.CEN_PLANNER_BIN, ['diff', path.join(EXAMPLES, 'seed-002-ccn-branch.json'), file, '--format', 'json'], { encoding: 'utf8' });
    } catch (e) { out = e.stdout; }
    const d = JSON.parse(out);
    assert.deepEqual(d.added, []);
    assert.deepEqual(d.removed, []);
    assert.deepEqual(d.findings_appeared, [], JSON.stringify(d.findings_appeared));
    assert.deepEqual(d.findings_gone, [], JSON.stringify(d.findings_gone));
    assert.deepEqual(d.routes_gained, []);
    assert.deepEqual(d.routes_lost, []);
    assert.deepEqual(d.reachability, []);
    // What differs is only what a person writes and does not change an answer.
    for (const e of d.changed) assert.ok(e.fields.every((f) => ['zone', 'created_on', 'attached_on', 'uid'].includes(f)), JSON.stringify(e));
  }
  assert.deepEqual(page.errors, []);
  await context.close();
});
