// Faults in real Chromium: full or blocked storage, a corrupt or newer stored plan, two tabs, closing
// right after an edit, and a whole session recorded for network requests and CSP violations.
// Each test asserts the notice a person sees and that no plan data is lost.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, launch, openApp, addEntity, storedPlan, EXAMPLES } from './harness.mjs';

let server;
let browser;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cen-planner-faults-'));
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); server?.close(); });

const example = (key) => fs.readFileSync(path.join(EXAMPLES, `${key}.json`), 'utf8');

async function seeded(entries) {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1400, height: 900 } });
  await context.addInitScript((e) => {
    if (!sessionStorage.getItem('seeded')) {
      sessionStorage.setItem('seeded', '1');
      for (const [k, v] of Object.entries(e)) localStorage.setItem(k, v);
    }
  }, entries);
  return context;
}

test('a full storage shows a notice, keeps the plan in the tab, offers export, and recovers', async () => {
  const { page, context } = await openApp(browser, server);
  await page.selectOption('#examples', 'seed-000-same-account-same-region');
  await page.waitForSelector('#save-status[data-state="saved"]');
  // Fill the origin's quota (10 MiB of UTF-16 in Chromium) with filler.
  await page.evaluate(() => {
    const chunk = 'x'.repeat(256 * 1024);
    for (let i = 0; ; i++) {
      try { localStorage.setItem(`filler-${i}`, chunk); } catch { break; }
    }
    let small = 'y'.repeat(1024);
    for (let i = 0; ; i++) {
      try { localStorage.setItem(`small-${i}`, small); } catch { break; }
    }
  });
  await page.click('.entity[data-id="vpc-1"]');
  await page.fill('#field-name', 'Renamed while storage is full '.repeat(200));
  await page.click('#save-entity');
  await page.waitForSelector('#notice.error');
  assert.match(await page.locator('#notice').innerText(), /Not saved: browser storage is full.*still here in this tab/s);
  assert.equal(await page.locator('#save-status').getAttribute('data-state'), 'failed');
  assert.match(await page.locator('.entity[data-id="vpc-1"]').innerText(), /Renamed while storage is full/);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#notice-export')]);
  const file = path.join(tmp, 'full.json');
  await download.saveAs(file);
  assert.match(JSON.parse(fs.readFileSync(file, 'utf8')).plan.vpcs[0].name, /^Renamed while storage is full/);
  // Free the space: the next change is saved and the user is told.
  await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('filler-') || k.startsWith('small-')).forEach((k) => localStorage.removeItem(k)));
  await page.click('.entity[data-id="vpc-2"]');
  await page.fill('#field-name', 'After cleanup');
  await page.click('#save-entity');
  await page.waitForFunction(() => document.querySelector('#notice')?.innerText.includes('Saved in this browser again'));
  const stored = JSON.parse(await storedPlan(page)).plan;
  assert.match(stored.vpcs[0].name, /^Renamed while storage is full/);
  assert.equal(stored.vpcs[1].name, 'After cleanup');
  await context.close();
});

test('blocked storage: the app still works in the tab, says so, and exports', async () => {
  const context = await browser.newContext({ acceptDownloads: true });
  await context.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('The operation is insecure.', 'SecurityError'); } });
  });
  const { page } = await openApp(browser, server, { context });
  await page.waitForSelector('#notice.error');
  assert.match(await page.locator('#notice').innerText(), /browser storage is blocked.*kept in this tab only/s);
  await addEntity(page, 'accounts', { name: 'Offline', uid: '42' });
  await page.locator('.entity[data-id="acct-1"]').waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-plan')]);
  const file = path.join(tmp, 'blocked.json');
  await download.saveAs(file);
  assert.equal(JSON.parse(fs.readFileSync(file, 'utf8')).plan.accounts[0].uid, '42');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a corrupt stored plan is set aside; the last good copy and the raw text are offered', async () => {
  const good = example('seed-000-same-account-same-region');
  const corrupt = good.slice(0, 300);
  const context = await seeded({ 'cen-planner.plan': corrupt, 'cen-planner.plan.backup': good });
  const { page } = await openApp(browser, server, { context });
  await page.waitForSelector('#notice.error');
  assert.match(await page.locator('#notice').innerText(), /could not be read \(line \d+, column \d+: .*\)\. It was set aside unchanged/s);
  assert.equal(await page.evaluate(() => localStorage.getItem('cen-planner.plan.unreadable')), corrupt);
  // Nothing is saved over it until the user edits.
  assert.equal(await page.evaluate(() => localStorage.getItem('cen-planner.plan')), corrupt);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-unreadable')]);
  const file = path.join(tmp, 'unreadable.json');
  await download.saveAs(file);
  assert.equal(fs.readFileSync(file, 'utf8'), corrupt);
  await page.click('#restore-backup');
  await page.locator('.entity[data-id="vpc-2"]').waitFor();
  assert.deepEqual(JSON.parse(await storedPlan(page)), JSON.parse(good));
  await context.close();
});

test('a plan stored by an older version (a real v1 file) is migrated and saved in the current version', async () => {
  const v1 = fs.readFileSync(path.join(EXAMPLES, '..', 'tests', 'fixtures', 'plan-v1.json'), 'utf8');
  assert.match(v1, /"version": 1,/);
  const context = await seeded({ 'cen-planner.plan': v1 });
  const { page } = await openApp(browser, server, { context });
  await page.locator('.entity[data-id="vco-4"]').waitFor();
  assert.equal(await page.locator('#notice').count(), 0, 'no error: an older plan is simply read');
  // Nothing is rewritten until the user edits; then the plan is saved in the current version.
  assert.equal(await page.evaluate(() => localStorage.getItem('cen-planner.plan')), v1);
  await page.click('.entity[data-id="vpc-1"]');
  await page.fill('#field-name', 'Migrated VPC1');
  await page.click('#save-entity');
  const stored = JSON.parse(await storedPlan(page));
  assert.equal(stored.version, 2);
  assert.equal(stored.plan.vpcs[0].name, 'Migrated VPC1');
  assert.equal(stored.plan.ipsec_connections.length, 4);
  await context.close();
});

test('a plan stored by a newer version is set aside, not overwritten', async () => {
  const newer = '{"format":"cen-planner-plan","version":99,"plan":{"future":true}}';
  const context = await seeded({ 'cen-planner.plan': newer });
  const { page } = await openApp(browser, server, { context });
  await page.waitForSelector('#notice.error');
  assert.match(await page.locator('#notice').innerText(), /saved by a newer CEN Planner \(plan format version 99\)/);
  assert.equal(await page.evaluate(() => localStorage.getItem('cen-planner.plan.unreadable')), newer);
  await addEntity(page, 'accounts', { uid: '7' });
  await page.locator('.entity[data-id="acct-1"]').waitFor();
  assert.equal(JSON.parse(await storedPlan(page)).plan.accounts[0].uid, '7');
  assert.equal(await page.evaluate(() => localStorage.getItem('cen-planner.plan.unreadable')), newer);
  await context.close();
});

test('two tabs: an edit in one is not silently overwritten by the other, which offers a choice', async () => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const { page: a } = await openApp(browser, server, { context });
  await a.selectOption('#examples', 'seed-000-same-account-same-region');
  await a.waitForSelector('#save-status[data-state="saved"]');
  const { page: b } = await openApp(browser, server, { context });
  await b.locator('.entity[data-id="vpc-1"]').waitFor();

  // Tab A renames VPC-A and saves.
  await a.click('.entity[data-id="vpc-1"]');
  await a.fill('#field-name', 'Renamed in tab A');
  await a.click('#save-entity');
  await a.waitForSelector('#save-status[data-state="saved"]');
  // Tab B is told, and its saving pauses.
  await b.waitForFunction(() => document.querySelector('#notice')?.innerText.includes('changed in another tab'));
  assert.equal(await b.locator('#save-status').getAttribute('data-state'), 'paused');
  // B edits: nothing of A's is overwritten while B has not chosen.
  await b.click('.entity[data-id="vpc-2"]');
  await b.fill('#field-name', 'Renamed in tab B');
  await b.click('#save-entity');
  await b.waitForTimeout(800);
  let stored = JSON.parse(await a.evaluate(() => localStorage.getItem('cen-planner.plan'))).plan;
  assert.equal(stored.vpcs[0].name, 'Renamed in tab A');
  assert.equal(stored.vpcs[1].name, 'VPC-B');
  // B chooses to load A's plan; its own version stays one click away.
  await b.click('#load-other-tab');
  await b.waitForFunction(() => document.querySelector('.entity[data-id="vpc-1"]').innerText.includes('Renamed in tab A'));
  assert.ok(await b.locator('#undo-replace').isVisible());
  // Now B renames VPC-B: saved on top of A's change, and A is told.
  await b.click('.entity[data-id="vpc-2"]');
  await b.fill('#field-name', 'Renamed in tab B');
  await b.click('#save-entity');
  await b.waitForSelector('#save-status[data-state="saved"]');
  stored = JSON.parse(await b.evaluate(() => localStorage.getItem('cen-planner.plan'))).plan;
  assert.deepEqual(stored.vpcs.map((v) => v.name), ['Renamed in tab A', 'Renamed in tab B']);
  await a.waitForFunction(() => document.querySelector('#notice')?.innerText.includes('changed in another tab'));
  // A keeps its own plan instead: it is saved over B's.
  await a.click('#keep-mine');
  await a.waitForSelector('#save-status[data-state="saved"]');
  stored = JSON.parse(await a.evaluate(() => localStorage.getItem('cen-planner.plan'))).plan;
  assert.deepEqual(stored.vpcs.map((v) => v.name), ['Renamed in tab A', 'VPC-B']);
  await context.close();
});

test('closing the tab right after an edit keeps the edit', async () => {
  const context = await browser.newContext();
  const { page } = await openApp(browser, server, { context });
  await page.selectOption('#examples', 'seed-004-peering-migration');
  await page.waitForSelector('#save-status[data-state="saved"]');
  await page.click('.entity[data-id="vpc-2"]');
  await page.fill('#field-name', 'Edited just before closing');
  await page.click('#save-entity');
  await page.close({ runBeforeUnload: true });
  const { page: again } = await openApp(browser, server, { context });
  await again.locator('.entity[data-id="vpc-2"]').waitFor();
  assert.match(await again.locator('.entity[data-id="vpc-2"]').innerText(), /Edited just before closing/);
  await context.close();
});

test('a whole session makes no request beyond the app\'s own files and no CSP violation', async () => {
  const context = await browser.newContext({ acceptDownloads: true });
  await context.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const requests = [];
  context.on('request', (r) => requests.push(r.url()));
  const { page, base } = await openApp(browser, server, { context });
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  assert.match(csp, /^default-src 'none'; script-src 'self' 'wasm-unsafe-eval' 'sha256-[^']+'; style-src 'self' 'sha256-[^']+' 'sha256-[^']+'; img-src 'self' data: blob:; connect-src 'self'/);
  await page.selectOption('#examples', 'seed-003-vpn-global-network');
  await addEntity(page, 'vpcs', { name: '<img src=x onerror=alert(1)> "quoted" & <b>bold</b>', cidr: '10.99.0.0/16' });
  await page.locator('.entity[data-id="vpc-3"]').waitFor();
  assert.equal(await page.locator('.entity[data-id="vpc-3"] .entity-name').innerText(), '<img src=x onerror=alert(1)> "quoted" & <b>bold</b>');
  assert.equal(await page.locator('.entity img').count(), 0);
  await page.click('#show-matrix');
  await page.selectOption('#reach-from', 'vpc-1');
  await page.selectOption('#reach-to', 'vco-3');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-plan')]);
  const file = path.join(tmp, 'session.json');
  await download.saveAs(file);
  await page.setInputFiles('#import-file', file);
  await page.waitForFunction(() => document.querySelector('#notice')?.innerText.includes('Imported'));
  await page.reload();
  await page.locator('.entity[data-id="vpc-3"]').waitFor();
  const foreign = requests.filter((u) => !u.startsWith(base + '/') && !u.startsWith('blob:' + base) && !u.startsWith('data:'));
  assert.deepEqual(foreign, []);
  assert.deepEqual(await page.evaluate(() => window.__csp), []);
  assert.deepEqual(page.errors, []);
  await context.close();
});
