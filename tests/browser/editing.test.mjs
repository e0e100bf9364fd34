// Editing safely, in real Chromium on the release build: the matrix pages at any size and names
// offices as offices, a view switch with a focused field raises no error, nothing typed is lost when
// the selection changes, deletes say what goes with the entity and ask in the page (undo restores
// everything), and a next hop that names an entity is picked from the network's own.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, launch, openApp, storedPlan, EXAMPLES } from './harness.mjs';

let server;
let browser;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cen-planner-editing-'));
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); server?.close(); });

const seed003 = () => JSON.parse(fs.readFileSync(path.join(EXAMPLES, 'seed-003-vpn-global-network.json'), 'utf8'));
const planOf = async (page) => JSON.parse(await storedPlan(page)).plan;
/** Waits until the stored plan (decoded) satisfies `test`. */
async function waitForPlan(page, test, timeout = 10000) {
  const end = Date.now() + timeout;
  for (;;) {
    if (test(await planOf(page))) return;
    if (Date.now() > end) throw new Error('the stored plan never satisfied the condition');
    await page.waitForTimeout(50);
  }
}

async function openSeed003(page) {
  await page.selectOption('#examples', 'seed-003-vpn-global-network');
  await page.locator('.entity[data-id="vpc-1"]').waitFor();
}

async function importPlan(page, file) {
  await page.setInputFiles('#import-file', file);
  await page.waitForFunction(() => document.querySelector('#notice')?.innerText.includes('Imported'));
}

test('the reachability matrix pages past 40 endpoints with Next and Previous, and names offices as offices', async () => {
  // Seed 003 (2 VPCs, 4 offices) plus 40 VPCs: 46 endpoints, offices last.
  const file = seed003();
  for (let i = 0; i < 40; i++) {
    file.plan.vpcs.push({ id: `vpc-x${i}`, name: `Extra VPC ${i}`, owner: 'acct-1', region: 'us-east-1', cidr: `10.${i}.0.0/16` });
    file.plan.vswitches.push({ id: `vsw-x${i}`, vpc: `vpc-x${i}`, zone: 'us-east-1a', cidr: `10.${i}.1.0/24` });
  }
  const big = path.join(tmp, 'big.json');
  fs.writeFileSync(big, JSON.stringify(file));
  const { page, context } = await openApp(browser, server);
  await importPlan(page, big);
  await page.click('#show-matrix');
  await page.waitForSelector('#matrix');
  const next = page.locator('#matrix-next');
  const previous = page.locator('#matrix-previous');
  assert.equal((await next.textContent()).trim(), 'Next');
  assert.equal((await previous.textContent()).trim(), 'Previous');
  assert.equal(await page.locator('#matrix-range').innerText(), 'Endpoints 1–40 of 46');
  assert.equal(await previous.isDisabled(), true);
  assert.equal(await next.isDisabled(), false);
  assert.equal(await page.locator('#matrix tbody tr').count(), 40);

  await next.click();
  await page.waitForFunction(() => document.querySelector('#matrix-range')?.innerText === 'Endpoints 41–46 of 46');
  assert.equal(await next.isDisabled(), true);
  assert.equal(await previous.isDisabled(), false);
  const rows = await page.locator('#matrix tbody th').allInnerTexts();
  assert.equal(rows.length, 6);
  // The offices are listed by their office's name, marked "office", not by their IPsec connection.
  assert.deepEqual(rows.slice(2).map((r) => r.replace(/\s+/g, ' ').trim()), ['Office 1 office', 'Office 2 office', 'Office 3 office', 'Office 4 office']);
  assert.doesNotMatch(rows.join(' '), /IPsec/);
  // Screen readers hear the kind too.
  assert.equal(await page.locator('#matrix button[aria-label="office Office 1 to office Office 2: reachable"]').count(), 1);
  // A cell of the second page explains its pair.
  await page.locator('#matrix tbody tr').nth(2).locator('button.cell').first().click();
  await page.waitForFunction(() => document.querySelector('#reach-result')?.innerText.includes('→'));

  await previous.click();
  await page.waitForFunction(() => document.querySelector('#matrix-range')?.innerText === 'Endpoints 1–40 of 46');
  assert.equal(await previous.isDisabled(), true);
  assert.equal(await next.isDisabled(), false);
  // The keyboard reaches the pager: Next is a real, focusable button.
  await next.focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('#matrix-range')?.innerText === 'Endpoints 41–46 of 46');
  // Next is now disabled: the focus moves on to Previous rather than being lost.
  await page.waitForFunction(() => document.activeElement?.id === 'matrix-previous');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('switching the view while a field still has focus raises no error and the app keeps working', async () => {
  const { page, context } = await openApp(browser, server);
  await openSeed003(page);
  await page.click('.entity[data-id="vpc-1"]');
  await page.fill('#field-name', 'VPC1 renamed while focused');
  // A programmatic click does not blur first: the form goes away with the field focused.
  await page.focus('#field-name');
  await page.evaluate(() => document.querySelector('#show-matrix').click());
  await page.waitForSelector('#matrix');
  await page.evaluate(() => document.querySelector('#show-diagram').click());
  await page.waitForSelector('#diagram');
  await page.focus('#field-cidr');
  await page.fill('#field-cidr', '172.16.0.0/16');
  await page.evaluate(() => document.querySelector('#show-matrix').click());
  await page.waitForSelector('#matrix');
  await page.evaluate(() => document.querySelector('#show-matrix').click());
  await page.waitForSelector('#entity-form');
  await page.waitForTimeout(200);
  assert.deepEqual(page.errors, [], 'no panic, no page error');
  // Nothing typed was lost: the name is in the plan or still in the field.
  const applied = (await planOf(page)).vpcs.find((v) => v.id === 'vpc-1').name === 'VPC1 renamed while focused';
  const shown = await page.inputValue('#field-name');
  assert.ok(applied || shown === 'VPC1 renamed while focused', `name lost: ${shown}`);
  // The app still edits: a change reaches the plan and the findings.
  await page.fill('#field-cidr', '172.16.0.300/16');
  await page.locator('#field-cidr').blur();
  await page.waitForFunction(() => document.querySelector('#error-cidr')?.innerText.includes('not an IPv4 address'));
  await page.fill('#field-cidr', '172.16.0.0/16');
  await page.click('#save-entity');
  await page.click('.entity[data-id="vpc-2"]');
  await page.waitForFunction(() => document.querySelector('#entity-form h2')?.innerText.includes('vpc-2'));
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a valid edit is applied when the user selects another entity, and undo takes it back', async () => {
  const { page, context } = await openApp(browser, server);
  await openSeed003(page);
  await page.click('.entity[data-id="vpc-1"]');
  await page.fill('#field-name', 'VPC1 edited');
  await page.click('.entity[data-id="vpc-2"]');
  await page.waitForFunction(() => document.querySelector('#entity-form h2')?.innerText.includes('vpc-2'));
  assert.equal((await planOf(page)).vpcs[0].name, 'VPC1 edited');
  assert.match(await page.locator('.entity[data-id="vpc-1"]').innerText(), /VPC1 edited/);
  await page.click('#undo');
  await page.waitForFunction(() => document.querySelector('.entity[data-id="vpc-1"]')?.innerText.includes('VPC1 (Virginia)'));
  assert.equal((await planOf(page)).vpcs[0].name, 'VPC1 (Virginia)');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('invalid typed text survives a selection change with its error and never reaches the plan', async () => {
  const { page, context } = await openApp(browser, server);
  await openSeed003(page);
  const before = await storedPlan(page);
  await page.click('.entity[data-id="vpc-1"]');
  await page.fill('#field-cidr', '172.16.0.300/16');
  await page.click('.entity[data-id="vpc-2"]');
  await page.waitForFunction(() => document.querySelector('#entity-form h2')?.innerText.includes('vpc-2'));
  // The plan is untouched, the sidebar marks the entity and the banner says where the text is.
  assert.equal(await storedPlan(page), before);
  assert.match(await page.locator('.entity[data-id="vpc-1"] .unsaved').innerText(), /edited/);
  assert.match(await page.locator('#notice').innerText(), /IPv4 CIDR block is not valid.*kept/);
  // Back on VPC1: the text, its error and a note are there.
  await page.click('.entity[data-id="vpc-1"]');
  await page.waitForFunction(() => document.querySelector('#entity-form h2')?.innerText.includes('vpc-1'));
  assert.equal(await page.inputValue('#field-cidr'), '172.16.0.300/16');
  assert.match(await page.locator('#error-cidr').innerText(), /"172\.16\.0\.300" is not an IPv4 address/);
  assert.equal(await page.getAttribute('#field-cidr', 'aria-invalid'), 'true');
  assert.match(await page.locator('#draft-note').innerText(), /not in the plan/);
  assert.equal(await page.locator('#notice').count(), 0, 'the banner pointing here is gone');
  // A valid name typed beside it is applied on leaving; the bad CIDR still is not.
  await page.fill('#field-name', 'VPC1 still editing');
  await page.locator('#field-name').blur();
  await page.waitForFunction(() => document.querySelector('.entity[data-id="vpc-1"]')?.innerText.includes('VPC1 still editing'));
  const plan = await planOf(page);
  assert.equal(plan.vpcs[0].cidr, '172.16.0.0/16');
  assert.equal(plan.vpcs[0].name, 'VPC1 still editing');
  // The view switch rebuilds the form: the draft is still shown.
  await page.click('#show-diagram');
  await page.waitForSelector('.inspector #field-cidr');
  assert.equal(await page.inputValue('#field-cidr'), '172.16.0.300/16');
  // Discard brings the plan's value back and the marker goes.
  await page.click('#discard-draft');
  assert.equal(await page.inputValue('#field-cidr'), '172.16.0.0/16');
  await page.locator('.entity[data-id="vpc-1"] .unsaved').waitFor({ state: 'detached' });
  assert.deepEqual(page.errors, []);
  await context.close();
});

/** Waits until the forms of the plan's kinds have been opened out of sight (`lazy::warm_forms`); their kinds. */
async function formsWarmed(page) {
  await page.waitForFunction(() => document.documentElement.dataset.formsWarmed && !document.documentElement.dataset.formsWarming, null, { timeout: 30000 });
  return (await page.evaluate(() => document.documentElement.dataset.formsWarmed)).split(' ');
}

test('the forms a plan needs are opened once out of sight: nothing shows, and the plan and typed text are unchanged', async () => {
  const { page, context } = await openApp(browser, server);
  await page.evaluate(() => {
    // The out-of-sight forms the page lays out (each is taken out in the task that adds it).
    window.__warmUps = 0;
    new MutationObserver((list) => {
      for (const m of list) window.__warmUps += [...m.addedNodes].filter((n) => n.classList?.contains('warm-up')).length;
    }).observe(document.body, { childList: true });
  });
  await openSeed003(page);
  const kinds = await formsWarmed(page);
  assert.ok(kinds.includes('vpcs') && kinds.includes('accounts'), `kinds warmed: ${kinds}`);
  const before = await storedPlan(page);
  assert.equal(await page.evaluate(() => window.__warmUps), kinds.length, 'each kind\'s form was laid out once');
  assert.equal(await page.locator('.warm-up, #entity-form').count(), 0, 'no form is left in the page');

  // Text typed into VPC1 and left (not valid, so kept as a draft), then a reload: the forms are
  // warmed again, and VPC1's form, which holds the text, is not the one opened.
  await page.click('.entity[data-id="vpc-1"]');
  await page.fill('#field-cidr', '172.16.0.300/16');
  await page.click('.entity[data-id="vpc-2"]');
  await page.waitForFunction(() => document.querySelector('#entity-form h2')?.innerText.includes('vpc-2'));
  await page.reload();
  await page.locator('.entity[data-id="vpc-1"] .unsaved').waitFor();
  const again = await formsWarmed(page);
  assert.ok(again.includes('vpcs'), `kinds warmed after the reload: ${again}`);
  assert.equal(await storedPlan(page), before, 'the plan is unchanged');
  await page.click('.entity[data-id="vpc-1"]');
  await page.waitForFunction(() => document.querySelector('#entity-form h2')?.innerText.includes('vpc-1'));
  assert.equal(await page.inputValue('#field-cidr'), '172.16.0.300/16');
  assert.equal(await page.locator('.warm-up').count(), 0);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('the forms are opened out of sight only once the user has stopped for a moment: never while the pointer moves', async () => {
  const { page, context } = await openApp(browser, server);
  // The pointer moves over the canvas every 100 ms from before the plan opens until 2.5 s after.
  let moving = true;
  const moves = (async () => {
    for (let i = 0; moving; i++) {
      await page.mouse.move(600 + (i % 2) * 40, 400);
      await page.waitForTimeout(100);
    }
  })();
  await openSeed003(page);
  await page.waitForTimeout(2500);
  const during = await page.evaluate(() => ({ warmed: document.documentElement.dataset.formsWarmed ?? '', warming: document.documentElement.dataset.formsWarming }));
  moving = false;
  await moves;
  assert.equal(during.warmed, '', 'no form was opened while the pointer moved');
  assert.equal(during.warming, 'true', 'the warm-up was waiting');
  const stopped = Date.now();
  const kinds = await formsWarmed(page);
  assert.ok(kinds.includes('vpcs') && kinds.includes('accounts'), `kinds warmed: ${kinds}`);
  assert.ok(Date.now() - stopped >= 800, 'the warm-up waited a second after the last move');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a new entity started and left is kept as a draft and comes back with +', async () => {
  const { page, context } = await openApp(browser, server);
  await openSeed003(page);
  await page.click('#add-vpcs');
  await page.fill('#field-name', 'Half-made VPC');
  await page.fill('#field-cidr', '10.9.0.0/16');
  await page.click('.entity[data-id="vpc-2"]');
  await page.waitForFunction(() => document.querySelector('#entity-form h2')?.innerText.includes('vpc-2'));
  assert.equal((await planOf(page)).vpcs.length, 2, 'nothing is created without Create');
  assert.match(await page.getAttribute('#add-vpcs', 'aria-label'), /draft is kept/);
  await page.click('#add-vpcs');
  await page.waitForSelector('#entity-form[data-kind="vpcs"]');
  assert.equal(await page.inputValue('#field-name'), 'Half-made VPC');
  assert.equal(await page.inputValue('#field-cidr'), '10.9.0.0/16');
  await page.click('#save-entity');
  await page.locator('.entity[data-id="vpc-3"]').waitFor();
  assert.equal((await planOf(page)).vpcs[2].cidr, '10.9.0.0/16');
  assert.doesNotMatch(await page.getAttribute('#add-vpcs', 'aria-label'), /draft/);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('deleting a VPC lists what goes with it, asks in the page, and undo restores everything', async () => {
  const { page, context } = await openApp(browser, server);
  await openSeed003(page);
  const before = await storedPlan(page);
  await page.click('.entity[data-id="vpc-1"]');
  await page.click('#delete-entity');
  const dialog = page.locator('#confirm-delete[open]');
  await dialog.waitFor();
  const text = await dialog.innerText();
  assert.match(text, /Delete VPC VPC1 \(Virginia\)\?/);
  assert.match(text, /vSwitch \(1\): VPC1 app vSwitch/);
  assert.match(text, /VPN gateway \(1\): VPN GW1 \(Virginia\)/);
  assert.match(text, /IPsec connections \(2\): Office 1 IPsec, Office 2 IPsec/);
  assert.match(text, /Route entries \(2\): To Office 1, To Office 2/);
  assert.match(text, /Attachment \(1\): VPC1 \(Virginia\) → Global CEN/);
  assert.doesNotMatch(text, /Office 3|VPC2/);
  // The confirm button has the focus; Tab stays inside the dialog; Escape cancels.
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'confirm-delete-yes');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'confirm-delete-no');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  assert.equal(await storedPlan(page), before);

  // Cancel with the button leaves the plan too.
  await page.click('#delete-entity');
  await page.click('#confirm-delete-no');
  await dialog.waitFor({ state: 'detached' });
  assert.equal(await storedPlan(page), before);

  await page.click('#delete-entity');
  await dialog.waitFor();
  assert.match(await page.locator('#confirm-delete-yes').innerText(), /Delete VPC1 \(Virginia\) and 7 more/);
  await page.keyboard.press('Enter');
  await page.locator('.entity[data-id="vpc-1"]').waitFor({ state: 'detached' });
  const after = await planOf(page);
  assert.deepEqual(after.vpcs.map((v) => v.id), ['vpc-2']);
  assert.deepEqual(after.vswitches.map((v) => v.id), ['vsw-2']);
  assert.deepEqual(after.vpn_gateways.map((v) => v.id), ['vpngw-2']);
  assert.equal(after.customer_gateways.length, 4, 'offices stay');
  // Nothing is left pointing at the deleted VPC.
  assert.doesNotMatch(await page.locator('#findings').textContent(), /PLAN-REF/);
  assert.match(await page.locator('#notice').innerText(), /Deleted VPC VPC1 \(Virginia\) and 7 entities that depended on it/);
  // Keyboard users land on Undo; one undo brings all eight back.
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'notice-undo');
  await page.keyboard.press('Enter');
  await page.locator('.entity[data-id="vpc-1"]').waitFor();
  assert.equal(await storedPlan(page), before);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a route entry names its next hop from a list of the network\'s VPN gateways, free text for an instance', async () => {
  const { page, context } = await openApp(browser, server);
  await openSeed003(page);
  await page.click('.entity[data-id="rte-1"]');
  await page.waitForSelector('#entity-form[data-kind="route_entries"]');
  const hop = page.locator('#field-next_hop');
  assert.equal(await hop.evaluate((n) => n.tagName), 'SELECT');
  assert.equal(await hop.inputValue(), 'vpngw-1');
  // Only VPC1's gateway is offered: a route entry's next hop is in its own network.
  assert.deepEqual(await hop.locator('option').evaluateAll((os) => os.map((o) => o.value)), ['vpngw-1']);

  // An ECS next hop is an instance id: free text.
  await page.selectOption('#field-next_hop_type', 'ecs');
  await page.waitForFunction(() => document.querySelector('#field-next_hop')?.tagName === 'INPUT');
  await page.fill('#field-next_hop', 'i-bp1abc');
  await page.locator('#field-next_hop').blur();
  await waitForPlan(page, (p) => p?.route_entries?.[0]?.next_hop === 'i-bp1abc');
  const stored = await planOf(page);
  assert.equal(stored.route_entries[0].next_hop_type, 'ecs');

  // Back to a VPN gateway: the instance id is not one, so it is refused until a gateway is picked.
  await page.selectOption('#field-next_hop_type', 'vpn_gateway');
  await page.waitForFunction(() => document.querySelector('#field-next_hop')?.tagName === 'SELECT');
  await page.waitForFunction(() => document.querySelector('#error-next_hop')?.innerText.includes('no VPN gateway has the id'));
  assert.equal((await planOf(page)).route_entries[0].next_hop_type, 'ecs', 'not applied with a bad next hop');
  await page.selectOption('#field-next_hop', 'vpngw-1');
  await waitForPlan(page, (p) => p?.route_entries?.[0]?.next_hop === 'vpngw-1');
  const back = (await planOf(page)).route_entries[0];
  assert.equal(back.next_hop_type, 'vpn_gateway');
  assert.equal(await page.locator('#error-next_hop').innerText(), '');

  // A new entry in VPC2's table offers VPC2's gateway only.
  await page.click('#add-route_entries');
  await page.waitForSelector('#entity-form[data-kind="route_entries"] h2:text("New Route entry")');
  await page.selectOption('#field-network', 'vpc-2');
  await page.fill('#field-destination', '10.50.0.0/16');
  await page.selectOption('#field-next_hop_type', 'vpn_gateway');
  await page.waitForFunction(() => document.querySelector('#field-next_hop')?.tagName === 'SELECT');
  assert.deepEqual(await page.locator('#field-next_hop option').evaluateAll((os) => os.map((o) => o.value)), ['', 'vpngw-2']);
  await page.selectOption('#field-next_hop', 'vpngw-2');
  await page.click('#save-entity');
  await page.locator('.entity[data-id="rte-5"]').waitFor();
  const added = (await planOf(page)).route_entries.find((r) => r.id === 'rte-5');
  assert.equal(added.next_hop, 'vpngw-2');
  assert.equal(added.network, 'vpc-2');
  assert.deepEqual(page.errors, []);
  await context.close();
});
