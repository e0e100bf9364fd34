// Architecture reviews in real Chromium: a second plan opened read-only beside the user's own,
// comments and waivers added, exported and reimported; the report printed to PDF.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, launch, openApp, addEntity, storedPlan, storedRaw, decodeStored, EXAMPLES, ARTIFACTS, openExample, menuClick } from './harness.mjs';

let server;
let browser;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cen-planner-review-'));
before(async () => { server = await startServer(); browser = await launch(); fs.mkdirSync(ARTIFACTS, { recursive: true }); });
after(async () => { await browser?.close(); server?.close(); });

test('review mode: open a second plan beside mine, comment and waive, export, reimport and see them', async () => {
  const { page, context } = await openApp(browser, server);
  await openExample(page, 'seed-000-same-account-same-region');
  const mine = await storedPlan(page);

  await page.setInputFiles('#review-file', path.join(EXAMPLES, 'seed-004-peering-migration.json'));
  await page.waitForSelector('#review-bar');
  assert.match(await page.locator('#review-bar').innerText(), /Reviewing “Seed 004 — migrating a peered VPC to CEN” \(read-only\)/);
  await page.locator('.entity[data-id="pcc-1"]').waitFor();

  // Read-only: an edit of the reviewed plan is refused with a notice.
  await page.click('.entity[data-id="vpc-1"]');
  await page.fill('#field-name', 'Changed by the reviewer');
  await page.click('#save-entity');
  await page.waitForFunction(() => document.querySelector('#notice')?.innerText.includes('open for review (read-only)'));
  assert.match(await page.locator('.entity[data-id="vpc-1"]').innerText(), /VPC-X \(migrating\)/);

  await addEntity(page, 'comments', { entity: 'rte-1', code: 'CEN-PEER-001', author: 'Reviewer', text: 'Split the /16 before the cut-over <b>please</b>' });
  await page.locator('.entity[data-id="comment-1"]').waitFor();
  await addEntity(page, 'waivers', { code: 'CEN-PEER-001', entity: 'rte-2', reason: 'VPC-Y keeps the peering until Q3', author: 'Reviewer' });
  await page.locator('.entity[data-id="waiver-1"]').waitFor();
  // The findings follow the worker's check of the edit; their rows are drawn when scrolled to
  // (`content-visibility: auto`), as the user sees them.
  await page.waitForFunction(() => /VPC-Y keeps the peering until Q3/.test(document.querySelector('#waived')?.textContent ?? ''));
  await page.locator('#waived').scrollIntoViewIfNeeded();
  assert.match(await page.locator('#waived').innerText(), /Waived \(1\)[\s\S]*CEN-PEER-001[\s\S]*VPC-Y keeps the peering until Q3/);
  assert.match(await page.locator('#findings-summary').innerText(), /1 warnings/);
  // The user's own plan in storage is untouched while reviewing.
  assert.equal(decodeStored(await page.evaluate(() => localStorage.getItem('cen-planner.plan'))), mine);
  // The review copy is stored compressed like the plan.
  assert.match(await storedRaw(page, 'cen-planner.review'), /^cen-planner:z1:\d+:\d+:/);

  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-review')]);
  const file = path.join(tmp, 'reviewed.json');
  await download.saveAs(file);
  const reviewed = JSON.parse(fs.readFileSync(file, 'utf8')).plan;
  assert.equal(reviewed.comments[0].text, 'Split the /16 before the cut-over <b>please</b>');
  assert.equal(reviewed.waivers[0].entity, 'rte-2');

  await page.click('#back-to-own');
  await page.locator('.entity[data-id="vsw-2"]').waitFor();
  assert.equal(await page.locator('#review-bar').count(), 0);
  assert.deepEqual(JSON.parse(await storedPlan(page)), JSON.parse(mine));

  // Reimported, the comment and the waiver are there.
  await page.setInputFiles('#import-file', file);
  await page.locator('.entity[data-id="comment-1"]').waitFor();
  assert.match(await page.locator('.entity[data-id="comment-1"]').innerText(), /comment-1/);
  await page.waitForFunction(() => /VPC-Y keeps the peering until Q3/.test(document.querySelector('#waived')?.textContent ?? ''));
  await page.locator('#waived').scrollIntoViewIfNeeded();
  assert.match(await page.locator('#waived').innerText(), /VPC-Y keeps the peering until Q3/);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a dropped plan can be opened for review instead of replacing mine', async () => {
  const { page, context } = await openApp(browser, server);
  await openExample(page, 'seed-000-same-account-same-region');
  const text = fs.readFileSync(path.join(EXAMPLES, 'seed-003-vpn-global-network.json'), 'utf8');
  const dataTransfer = await page.evaluateHandle((t) => {
    const dt = new DataTransfer();
    dt.items.add(new File([t], 'from-colleague.json', { type: 'application/json' }));
    return dt;
  }, text);
  await page.dispatchEvent('body', 'drop', { dataTransfer });
  await page.click('#open-for-review');
  await page.waitForSelector('#review-bar');
  await page.locator('.entity[data-id="vco-4"]').waitFor();
  await page.click('#back-to-own');
  await page.locator('.entity[data-id="vsw-2"]').waitFor();
  assert.equal(await page.locator('.entity[data-id="vco-4"]').count(), 0);
  await context.close();
});

test('comparing with a baseline shows the behaviour that changed', async () => {
  const { page, context } = await openApp(browser, server);
  await openExample(page, 'seed-003-vpn-global-network');
  await page.click('.entity[data-id="rte-1"]');
  await page.locator('#field-published').setChecked(false);
  await page.click('#save-entity');
  await page.setInputFiles('#baseline-file', path.join(EXAMPLES, 'seed-003-vpn-global-network.json'));
  await page.waitForSelector('#diff-view h2');
  const text = await page.locator('#diff-view').innerText();
  assert.match(text, /changed: Route entry To Office 1 \(published\)/);
  assert.match(text, /new finding CEN-VPN-001/);
  assert.match(text, /route lost in VPC2 \(Shanghai\): 10\.10\.10\.0\/24/);
  assert.match(text, /VPC2 \(Shanghai\) → Office 1 IPsec: reachable → not reachable/);
  await context.close();
});

test('the report opens in a new tab and prints to PDF', async () => {
  const { page, context } = await openApp(browser, server);
  await openExample(page, 'seed-003-vpn-global-network');
  await addEntity(page, 'comments', { entity: 'vpc-1', text: 'Is 10 Mbps enough for the nightly sync?' });
  const [popup] = await Promise.all([context.waitForEvent('page'), menuClick(page, '#print-report')]);
  // The tab opens at the click; the report (made by the analysis worker) follows.
  await popup.waitForSelector('main.report h2');
  await popup.waitForLoadState();
  const errors = [];
  popup.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  // Text content: on screen, sections out of view are not rendered yet (report.css), so their innerText is empty.
  const h2 = await popup.locator('h2').allTextContents();
  assert.deepEqual(h2, ['Summary', 'Diagram', 'Findings', 'Declared flows', 'Route tables', 'Reachability', 'Bandwidth budget', 'Cross-account grants', 'Open review comments (1)']);
  assert.match(await popup.locator('body').textContent(), /Is 10 Mbps enough for the nightly sync\?/);
  // The page is styled (the embedded stylesheet is allowed by the app's CSP).
  assert.equal(await popup.evaluate(() => getComputedStyle(document.querySelector('h2')).borderBottomStyle), 'solid');
  const pdf = await popup.pdf({ path: path.join(ARTIFACTS, 'report-seed-003.pdf'), format: 'A4', printBackground: true });
  assert.equal(pdf.subarray(0, 4).toString(), '%PDF');
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
  assert.ok(pages >= 3, `${pages} pages`);
  assert.deepEqual(errors, []);
  await context.close();
});
