// Faults in real Chromium: full or blocked storage, a corrupt or newer stored plan, two tabs, closing
// right after an edit, and a whole session recorded for network requests and CSP violations.
// Each test asserts the notice a person sees and that no plan data is lost.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { startServer, launch, openApp, addEntity, storedPlan, storedRaw, decodeStored, checked, EXAMPLES, openExample, menuClick } from './harness.mjs';

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
  await openExample(page, 'seed-000-same-account-same-region');
  await page.waitForSelector('#save-status[data-state="saved"]');
  // Fill the origin's quota (10 MiB of UTF-16 in Chromium) with filler.
  await page.evaluate(() => {
    const chunk = 'x'.repeat(256 * 1024);
    for (let i = 0; ; i++) {
      try { localStorage.setItem(`filler-${i}`, chunk); } catch { break; }
    }
    for (const size of [1024, 32]) {
      const small = 'y'.repeat(size);
      for (let i = 0; ; i++) {
        try { localStorage.setItem(`small-${size}-${i}`, small); } catch { break; }
      }
    }
  });
  // The stored copy is compressed: a repeated name would add almost nothing, so the name is 6,000
  // pseudo-random letters (about 3.5 KB compressed), more than the space left.
  let seed = 7;
  const noise = Array.from({ length: 6000 }, () => String.fromCharCode(97 + ((seed = (seed * 1103515245 + 12345) % 2147483648) % 26))).join('');
  await page.click('.entity[data-id="vpc-1"]');
  await page.fill('#field-name', `Renamed while storage is full ${noise}`);
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
  const [download] = await Promise.all([page.waitForEvent('download'), menuClick(page, '#export-plan')]);
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

// Compressed copies (`core::stored`): the copy the app writes, then damaged or from a newer encoding.
async function compressedCopies() {
  const { page, context } = await openApp(browser, server);
  await openExample(page, 'seed-000-same-account-same-region');
  await page.waitForSelector('#save-status[data-state="saved"]');
  const good = await storedRaw(page);
  await openExample(page, 'seed-004-peering-migration');
  await page.waitForSelector('#save-status[data-state="saved"]');
  const other = await storedRaw(page);
  assert.equal(await storedRaw(page, 'cen-planner.plan.backup'), good, 'the previous copy is the backup, as stored');
  await context.close();
  assert.match(good, /^cen-planner:z1:\d+:\d+:/);
  assert.deepEqual(JSON.parse(decodeStored(good)), JSON.parse(example('seed-000-same-account-same-region')));
  return { good, other };
}

const damages = [
  ['a character changed', (t) => { const i = Math.floor(t.length * 0.6); return t.slice(0, i) + String.fromCharCode(0x3000 + ((t.charCodeAt(i) - 0x3000) ^ 0x1234)) + t.slice(i + 1); },
    /could not be read \(the compressed copy is damaged: .*\)\. It was set aside unchanged/s],
  ['its end cut off', (t) => t.slice(0, Math.floor(t.length / 2)),
    /could not be read \(the compressed copy is damaged: it has \d+ characters of data where its header says \d+\)\. It was set aside unchanged/s],
  ['a character outside the encoding', (t) => t.slice(0, 40) + 'x' + t.slice(41),
    /could not be read \(the compressed copy is damaged: character \d+ of its data is not part of the encoding\)\. It was set aside unchanged/s],
  ['a newer version\'s encoding', (t) => t.replace('cen-planner:z1:', 'cen-planner:z9:'),
    /could not be read \(it is stored in an encoding this CEN Planner does not know \("z9"\), probably by a newer version\)\. It was set aside unchanged/s],
];

for (const [damage, spoil, message] of damages) {
  test(`a compressed stored copy with ${damage} is set aside like any unreadable copy; the last good copy and the raw text are offered`, async () => {
    const { good, other } = await compressedCopies();
    const corrupt = spoil(other);
    assert.notEqual(corrupt, other);
    const context = await seeded({ 'cen-planner.plan': corrupt, 'cen-planner.plan.backup': good });
    const { page } = await openApp(browser, server, { context });
    await page.waitForSelector('#notice.error');
    assert.match(await page.locator('#notice').innerText(), message);
    assert.equal(await page.evaluate(() => localStorage.getItem('cen-planner.plan.unreadable')), corrupt);
    // Nothing is saved over it, and the backup is kept, until the user acts.
    assert.equal(await page.evaluate(() => localStorage.getItem('cen-planner.plan')), corrupt);
    assert.equal(await page.evaluate(() => localStorage.getItem('cen-planner.plan.backup')), good);
    // The raw text is offered as it is stored (it cannot be decompressed).
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-unreadable')]);
    const file = path.join(tmp, `unreadable-${damages.findIndex((d) => d[0] === damage)}.txt`);
    await download.saveAs(file);
    assert.equal(fs.readFileSync(file, 'utf8'), corrupt);
    await page.click('#restore-backup');
    await page.locator('.entity[data-id="vpc-2"]').waitFor();
    assert.deepEqual(JSON.parse(await storedPlan(page)), JSON.parse(example('seed-000-same-account-same-region')));
    assert.equal(await page.evaluate(() => localStorage.getItem('cen-planner.plan.unreadable')), corrupt);
    assert.deepEqual(page.errors, []);
    await context.close();
  });
}

test('an uncompressed plan file stored by an earlier version still loads, and the next save compresses it', async () => {
  const plain = example('seed-004-peering-migration');
  assert.match(plain, /^\{/);
  const context = await seeded({ 'cen-planner.plan': plain });
  const { page } = await openApp(browser, server, { context });
  await page.locator('.entity[data-id="pcc-1"]').waitFor();
  assert.equal(await page.locator('#notice').count(), 0, 'no error: a plain copy is simply read');
  assert.equal(await page.evaluate(() => localStorage.getItem('cen-planner.plan')), plain, 'nothing is rewritten until an edit');
  await page.click('.entity[data-id="vpc-1"]');
  await page.fill('#field-name', 'Edited after the upgrade');
  await page.click('#save-entity');
  await page.waitForSelector('#save-status[data-state="saved"]');
  const raw = await storedRaw(page);
  assert.match(raw, /^cen-planner:z1:\d+:\d+:/);
  assert.ok(raw.length * 3 < plain.length, `${raw.length} units stored for ${plain.length} characters`);
  assert.equal(JSON.parse(decodeStored(raw)).plan.vpcs[0].name, 'Edited after the upgrade');
  // The plain copy became the backup, unchanged, and it is still readable: restore it after a reload.
  assert.equal(await storedRaw(page, 'cen-planner.plan.backup'), plain);
  // The exported plan file stays plain, readable JSON.
  const [download] = await Promise.all([page.waitForEvent('download'), menuClick(page, '#export-plan')]);
  const file = path.join(tmp, 'upgraded.json');
  await download.saveAs(file);
  assert.equal(JSON.parse(fs.readFileSync(file, 'utf8')).plan.vpcs[0].name, 'Edited after the upgrade');
  assert.deepEqual(page.errors, []);
  await context.close();
});

const bin = process.env.CEN_PLANNER_BIN;

test('the largest generated plan is stored compressed within 1.2 M UTF-16 units and survives a reload', { skip: !bin && 'CEN_PLANNER_BIN not set' }, async () => {
  const file = path.join(tmp, 'largest.json');
  execFileSync(bin, ['generate', '--preset', 'largest', '-o', file]);
  const text = fs.readFileSync(file, 'utf8');
  const plan = JSON.parse(text).plan;
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const { page } = await openApp(browser, server, { context });
  await page.setInputFiles('#import-file', file);
  await page.waitForFunction(() => document.querySelector('#notice')?.innerText.includes('Imported'), null, { timeout: 120000 });
  // Saved: something is stored (nothing was before the import) and no save is pending.
  const savedOtherThan = (old) => page.waitForFunction((o) => document.querySelector('#save-status')?.dataset.state === 'saved'
    && (localStorage.getItem('cen-planner.plan') ?? o) !== o, old, { timeout: 60000 });
  await savedOtherThan(null);
  const raw = await storedRaw(page);
  assert.match(raw, /^cen-planner:z1:\d+:\d+:/);
  assert.ok(raw.length <= 1200000, `the stored copy is ${raw.length} UTF-16 units (budget 1,200,000; the plan file is ${text.length} characters)`);
  assert.deepEqual(JSON.parse(decodeStored(raw)).plan, plan);
  await checked(page);
  const summary = await page.locator('#findings-summary').innerText();
  await page.reload();
  await page.waitForSelector('#plan-name', { timeout: 60000 });
  await page.locator(`.entity[data-id="${plan.vpcs[0].id}"]`).waitFor({ timeout: 60000 });
  await checked(page);
  assert.equal(await page.locator('#plan-name').inputValue(), plan.name);
  assert.equal(await page.locator('#findings-summary').innerText(), summary);
  assert.equal(await page.locator('#notice.error').count(), 0);
  assert.equal(await page.evaluate(() => localStorage.getItem('cen-planner.plan')), raw, 'loading does not rewrite it');
  // An edit is saved on top of it, and the loaded copy becomes the backup.
  await page.click(`.entity[data-id="${plan.vpcs[0].id}"]`);
  await page.fill('#field-name', 'Edited in the largest plan');
  await page.click('#save-entity');
  await savedOtherThan(raw);
  assert.equal(JSON.parse(decodeStored(await storedRaw(page))).plan.vpcs[0].name, 'Edited in the largest plan');
  assert.equal(await storedRaw(page, 'cen-planner.plan.backup'), raw);
  assert.deepEqual(page.errors, []);
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
  assert.equal(stored.version, 3);
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
  await openExample(a, 'seed-000-same-account-same-region');
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
  let stored = JSON.parse(decodeStored(await a.evaluate(() => localStorage.getItem('cen-planner.plan')))).plan;
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
  stored = JSON.parse(decodeStored(await b.evaluate(() => localStorage.getItem('cen-planner.plan')))).plan;
  assert.deepEqual(stored.vpcs.map((v) => v.name), ['Renamed in tab A', 'Renamed in tab B']);
  await a.waitForFunction(() => document.querySelector('#notice')?.innerText.includes('changed in another tab'));
  // A keeps its own plan instead: it is saved over B's.
  await a.click('#keep-mine');
  await a.waitForSelector('#save-status[data-state="saved"]');
  stored = JSON.parse(decodeStored(await a.evaluate(() => localStorage.getItem('cen-planner.plan')))).plan;
  assert.deepEqual(stored.vpcs.map((v) => v.name), ['Renamed in tab A', 'VPC-B']);
  await context.close();
});

test('closing the tab right after an edit keeps the edit', async () => {
  // Wide enough for the entity list to be open.
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const { page } = await openApp(browser, server, { context });
  await openExample(page, 'seed-004-peering-migration');
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
  await openExample(page, 'seed-003-vpn-global-network');
  await addEntity(page, 'vpcs', { name: '<img src=x onerror=alert(1)> "quoted" & <b>bold</b>', cidr: '10.99.0.0/16' });
  await page.locator('.entity[data-id="vpc-3"]').waitFor();
  assert.equal(await page.locator('.entity[data-id="vpc-3"] .entity-name').innerText(), '<img src=x onerror=alert(1)> "quoted" & <b>bold</b>');
  assert.equal(await page.locator('.entity img').count(), 0);
  await page.click('#show-matrix');
  await page.selectOption('#reach-from', 'vpc-1');
  await page.selectOption('#reach-to', 'vco-3');
  const [download] = await Promise.all([page.waitForEvent('download'), menuClick(page, '#export-plan')]);
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
