// Browser tests: the release build in real headless Chromium, with real localStorage, downloads and
// file uploads. Run by scripts/test.sh after `trunk build --release`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { startServer, launch, openApp, addEntity, storedPlan, EXAMPLES, ARTIFACTS, openExample, checked, menuClick } from './harness.mjs';

let server;
let browser;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cen-planner-browser-'));

before(async () => {
  server = await startServer();
  browser = await launch();
  fs.mkdirSync(ARTIFACTS, { recursive: true });
});
after(async () => {
  await browser?.close();
  server?.close();
});

async function sidebarIds(page, kind) {
  return page.locator(`.kind[data-kind="${kind}"] .entity`).evaluateAll((els) => els.map((e) => e.dataset.id));
}

async function withAccount(page) {
  await addEntity(page, 'accounts', { name: 'Main account', uid: '1111222233334444' });
  await page.waitForSelector('.kind[data-kind="accounts"] .entity[data-id="acct-1"]');
}

function planOf(text) {
  return JSON.parse(text).plan;
}

test('adding a VPC shows it in the sidebar and stores it', async () => {
  const { page, context } = await openApp(browser, server);
  await withAccount(page);
  await addEntity(page, 'vpcs', { name: 'Shop VPC', region: 'cn-hangzhou', cidr: '10.1.0.0/16' });
  const item = page.locator('.kind[data-kind="vpcs"] .entity[data-id="vpc-1"]');
  await item.waitFor();
  assert.match(await item.innerText(), /Shop VPC/);
  assert.equal(planOf(await storedPlan(page)).vpcs[0].cidr, '10.1.0.0/16');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('an invalid CIDR is refused with a visible message and nothing is saved', async () => {
  const { page, context } = await openApp(browser, server);
  await withAccount(page);
  const before = await storedPlan(page);
  await addEntity(page, 'vpcs', { name: 'Broken', cidr: '10.1.0.300/16' });
  const error = page.locator('#error-cidr');
  await error.waitFor();
  assert.match(await error.innerText(), /"10\.1\.0\.300" is not an IPv4 address/);
  assert.equal(await page.locator('#field-cidr').getAttribute('aria-invalid'), 'true');
  assert.match(await page.locator('.form-error').innerText(), /Not saved/);
  assert.deepEqual(await sidebarIds(page, 'vpcs'), []);
  assert.equal(await storedPlan(page), before);
  // Host bits set: the message says which block was meant; correcting it saves.
  await page.fill('#field-cidr', '10.1.0.1/16');
  await page.click('#save-entity');
  await page.waitForFunction(() => document.querySelector('#error-cidr')?.innerText.includes('10.1.0.0/16'));
  await page.fill('#field-cidr', '10.1.0.0/16');
  await page.click('#save-entity');
  await page.locator('.kind[data-kind="vpcs"] .entity[data-id="vpc-1"]').waitFor();
  await context.close();
});

test('a reload keeps the plan', async () => {
  const { page, context } = await openApp(browser, server);
  await page.fill('#plan-name', 'Kept across reloads');
  await page.locator('#plan-name').blur();
  await withAccount(page);
  await addEntity(page, 'cens', { name: 'Main CEN', overlapping_routes: true });
  await page.locator('.entity[data-id="cen-1"]').waitFor();
  await page.reload();
  await page.locator('.entity[data-id="cen-1"]').waitFor();
  assert.equal(await page.inputValue('#plan-name'), 'Kept across reloads');
  assert.deepEqual(await sidebarIds(page, 'accounts'), ['acct-1']);
  await context.close();
});

test('export downloads a file equal to the plan, and importing it into a new plan restores it', async () => {
  const { page, context } = await openApp(browser, server);
  await openExample(page, 'seed-004-peering-migration');
  await page.locator('.entity[data-id="pcc-1"]').waitFor();
  const stored = await storedPlan(page);
  const [download] = await Promise.all([page.waitForEvent('download'), menuClick(page, '#export-plan')]);
  assert.equal(download.suggestedFilename(), 'Seed-004-migrating-a-peered-VPC-to-CEN.cen-plan.json');
  const file = path.join(tmp, download.suggestedFilename());
  await download.saveAs(file);
  const exported = fs.readFileSync(file, 'utf8');
  assert.equal(exported, stored);
  const example = JSON.parse(fs.readFileSync(path.join(EXAMPLES, 'seed-004-peering-migration.json'), 'utf8'));
  assert.deepEqual(JSON.parse(exported), example);

  await menuClick(page, '#new-plan');
  await page.waitForFunction(() => document.querySelectorAll('.entity').length === 0);
  await page.setInputFiles('#import-file', file);
  await page.locator('.entity[data-id="pcc-1"]').waitFor();
  assert.match(await page.locator('#notice').innerText(), /Imported Seed-004/);
  assert.equal(await storedPlan(page), stored);
  await context.close();
});

test('a malformed file is refused with its line and column and the current plan is unchanged', async () => {
  const { page, context } = await openApp(browser, server);
  await openExample(page, 'seed-003-vpn-global-network');
  await page.locator('.entity[data-id="vco-4"]').waitFor();
  const before = await storedPlan(page);
  const bad = path.join(tmp, 'broken.json');
  fs.writeFileSync(bad, '{\n  "format": "cen-planner-plan",\n  "version": 1,\n  "plan": {"vpcs": [}\n}\n');
  await page.setInputFiles('#import-file', bad);
  await page.waitForSelector('#notice.error');
  const text = await page.locator('#notice').innerText();
  assert.match(text, /broken\.json was not imported: line 4, column 21/);
  assert.match(text, /Your plan is unchanged/);
  assert.equal(await storedPlan(page), before);
  assert.equal((await sidebarIds(page, 'ipsec_connections')).length, 4);

  // The same through drag and drop, with a file from a newer version of the app.
  const dataTransfer = await page.evaluateHandle(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(['{"format":"cen-planner-plan","version":7,"plan":{}}'], 'future.json', { type: 'application/json' }));
    return dt;
  });
  await page.dispatchEvent('body', 'drop', { dataTransfer });
  await page.waitForFunction(() => document.querySelector('#notice')?.innerText.includes('future.json'));
  assert.match(await page.locator('#notice').innerText(), /newer CEN Planner/);
  assert.equal(await storedPlan(page), before);
  await context.close();
});

test('a dropped plan file is imported', async () => {
  const { page, context } = await openApp(browser, server);
  const text = fs.readFileSync(path.join(EXAMPLES, 'seed-000-cross-account-same-region.json'), 'utf8');
  const dataTransfer = await page.evaluateHandle((t) => {
    const dt = new DataTransfer();
    dt.items.add(new File([t], 'plan.json', { type: 'application/json' }));
    return dt;
  }, text);
  await page.dispatchEvent('body', 'drop', { dataTransfer });
  // A dropped plan asks: review it beside my plan, or replace mine.
  await page.click('#replace-with-dropped');
  await page.locator('.entity[data-id="grant-1"]').waitFor();
  assert.deepEqual(planOf(await storedPlan(page)), JSON.parse(text).plan);
  await context.close();
});

test('every example opens from the menu, and undo brings back the replaced plan', async () => {
  const { page, context } = await openApp(browser, server);
  await withAccount(page);
  for (const key of fs.readdirSync(EXAMPLES).map((f) => f.replace(/\.json$/, ''))) {
    await openExample(page, key);
    const expected = JSON.parse(fs.readFileSync(path.join(EXAMPLES, `${key}.json`), 'utf8')).plan;
    await page.waitForFunction((name) => document.querySelector('#plan-name').value === name, expected.name);
    assert.equal(await page.locator('.entity').count(), Object.values(expected).filter(Array.isArray).flat().length, key);
    // The hub-and-spoke example is meant to show its open forbidden flow (one error).
    assert.match(await page.locator('#findings-summary').innerText(), key === 'hub-and-spoke-forbidden-spokes' ? /^1 error/ : /^0 errors/, key);
  }
  await menuClick(page, '#new-plan');
  await page.click('#undo-replace');
  await page.waitForFunction(() => document.querySelector('#plan-name').value.startsWith('Seed'));
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('overlapping vSwitches in one CEN show a finding that selects its entity', async () => {
  const { page, context } = await openApp(browser, server);
  await openExample(page, 'seed-000-same-account-same-region');
  await page.locator('.entity[data-id="vsw-2"]').click();
  await page.fill('#field-cidr', '192.168.1.0/24');
  await page.click('#save-entity');
  // (A finding's row is drawn when scrolled to, `content-visibility: auto`: its text is read with textContent.)
  const finding = page.locator('.findings-group.error .finding-button', { hasText: 'CEN-CIDR-005' });
  await finding.waitFor();
  assert.match(await finding.textContent(), /192\.168\.1\.0\/24 \(vSwitch VPC-A vSwitch of VPC-A\) and 192\.168\.1\.0\/24 \(vSwitch VPC-B vSwitch of VPC-B\) are identical routes/);
  // The block is also outside VPC-B's own range (CEN-CIDR-002).
  assert.match(await page.locator('#findings-summary').innerText(), /^2 errors/);
  await menuClick(page, '#new-plan').then(() => page.click('#undo-replace'));
  await finding.click();
  assert.match(await page.locator('#entity-form h2').innerText(), /vSwitch vsw-2/);
  await page.screenshot({ path: path.join(ARTIFACTS, 'finding-selected.png') });
  await context.close();
});

test('an unreadable stored plan is set aside, never overwritten', async () => {
  const context = await browser.newContext();
  await context.addInitScript(() => {
    if (!sessionStorage.getItem('seeded')) {
      sessionStorage.setItem('seeded', '1');
      localStorage.setItem('cen-planner.plan', '{"format":"cen-planner-plan","version":1,"plan":{"vpcs":[{');
    }
  });
  const { page } = await openApp(browser, server, { context });
  await page.waitForSelector('#notice.error');
  assert.match(await page.locator('#notice').innerText(), /could not be read.*set aside unchanged/s);
  const aside = await page.evaluate(() => localStorage.getItem('cen-planner.plan.unreadable'));
  assert.equal(aside, '{"format":"cen-planner-plan","version":1,"plan":{"vpcs":[{');
  await context.close();
});

test('a person can build the seed 003 plan by hand, and the CLI checks the export', async () => {
  const { page, context } = await openApp(browser, server);
  await page.fill('#plan-name', 'Seed 003 by hand');
  await page.locator('#plan-name').blur();
  await withAccount(page);
  await addEntity(page, 'vpcs', { name: 'VPC1 (Virginia)', region: 'us-east-1', cidr: '172.16.0.0/16' });
  await addEntity(page, 'vpcs', { name: 'VPC2 (Shanghai)', region: 'cn-shanghai', cidr: '192.168.0.0/16' });
  await addEntity(page, 'vswitches', { name: 'VPC1 app', vpc: 'vpc-1', zone: 'us-east-1a', cidr: '172.16.1.0/24' });
  await addEntity(page, 'vswitches', { name: 'VPC2 app', vpc: 'vpc-2', zone: 'cn-shanghai-b', cidr: '192.168.1.0/24' });
  await addEntity(page, 'vpn_gateways', { name: 'GW1', vpc: 'vpc-1', bandwidth_mbps: '10' });
  await addEntity(page, 'vpn_gateways', { name: 'GW2', vpc: 'vpc-2', bandwidth_mbps: '10' });
  const offices = [
    ['Office 1', 'us-east-1', '203.0.113.1', 'vpngw-1', '10.10.10.0/24', 'vpc-1'],
    ['Office 2', 'us-east-1', '203.0.113.2', 'vpngw-1', '10.10.20.0/24', 'vpc-1'],
    ['Office 3', 'cn-shanghai', '198.51.100.3', 'vpngw-2', '10.20.10.0/24', 'vpc-2'],
    ['Office 4', 'cn-shanghai', '198.51.100.4', 'vpngw-2', '10.20.20.0/24', 'vpc-2'],
  ];
  for (const [i, [name, region, ip, gw, cidr, vpc]] of offices.entries()) {
    await addEntity(page, 'customer_gateways', { name, region, public_ip: ip });
    await addEntity(page, 'ipsec_connections', { name: `${name} IPsec`, vpn_gateway: gw, customer_gateway: `cgw-${i + 1}`, local_cidrs: '0.0.0.0/0', remote_cidrs: cidr });
    await addEntity(page, 'route_entries', { name: `To ${name}`, network: vpc, destination: cidr, next_hop_type: 'vpn_gateway', next_hop: gw, published: true });
  }
  await addEntity(page, 'cens', { name: 'Global CEN', overlapping_routes: true });
  await addEntity(page, 'attachments', { cen: 'cen-1', network: 'vpc-1' });
  await addEntity(page, 'attachments', { cen: 'cen-1', network: 'vpc-2' });
  await addEntity(page, 'bandwidth_packages', { name: 'China–North America', cen: 'cen-1', area_a: 'China', area_b: 'North-America', mbps: '10' });
  await addEntity(page, 'region_bandwidths', { cen: 'cen-1', region_a: 'cn-shanghai', region_b: 'us-east-1', mbps: '10' });
  await page.locator('.entity[data-id="rbw-1"]').waitFor();
  // Checked as of today, the only warning is that Basic edition is no longer sold (CEN-ED-001).
  assert.match(await page.locator('#findings-summary').innerText(), /^0 errors, 1 warnings/);
  assert.match(await page.locator('.findings-group.warning').textContent(), /CEN-ED-001/);
  await page.reload();
  await page.locator('.entity[data-id="rbw-1"]').waitFor();

  const [download] = await Promise.all([page.waitForEvent('download'), menuClick(page, '#export-plan')]);
  const file = path.join(tmp, 'seed-003-by-hand.json');
  await download.saveAs(file);
  const built = planOf(fs.readFileSync(file, 'utf8'));
  const example = JSON.parse(fs.readFileSync(path.join(EXAMPLES, 'seed-003-vpn-global-network.json'), 'utf8')).plan;
  for (const list of ['vpcs', 'vswitches', 'vpn_gateways', 'customer_gateways', 'ipsec_connections', 'route_entries', 'attachments', 'region_bandwidths']) {
    assert.equal(built[list].length, example[list].length, list);
  }
  assert.deepEqual(built.route_entries.map((r) => r.destination), example.route_entries.map((r) => r.destination));
  if (process.env.CEN_PLANNER_BIN) {
    const out = execFileSync(process.env.CEN_PLANNER_BIN, ['check', file], { encoding: 'utf8' });
    assert.match(out, /Seed 003 by hand\): 24 entities, 0 errors/);
  }
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('the app is readable in light and dark (screenshots for people to look at)', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const { page, context } = await openApp(browser, server, { colorScheme });
    await openExample(page, 'seed-003-vpn-global-network');
    await page.locator('.entity[data-id="vpc-1"]').click();
    const bg = await page.evaluate(() => getComputedStyle(document.querySelector('.sidebar')).backgroundColor);
    assert.equal(bg, colorScheme === 'dark' ? 'rgb(29, 33, 40)' : 'rgb(255, 255, 255)');
    await page.screenshot({ path: path.join(ARTIFACTS, `app-${colorScheme}.png`) });
    assert.deepEqual(page.errors, []);
    await context.close();
  }
});

test('removing the bandwidth package changes the findings and the why-not answer live', async () => {
  const { page, context } = await openApp(browser, server);
  await openExample(page, 'seed-003-vpn-global-network');
  await page.selectOption('#reach-from', 'vpc-1');
  await page.selectOption('#reach-to', 'vpc-2');
  const result = page.locator('#reach-result');
  await page.waitForFunction(() => document.querySelector('#reach-result').innerText.includes('reachable, up to 10 Mbps'));
  assert.doesNotMatch(await page.locator('#findings').textContent(), /CEN-BWP-002/);

  await page.click('.entity[data-id="cenbwp-1"]');
  await page.click('#delete-entity');
  await page.click('#confirm-delete-yes');
  // The region bandwidth now draws on no package: an error naming the missing area pair.
  await page.waitForFunction(() => document.querySelector('#findings').innerText.includes('CEN-BWP-002'));
  assert.match(await page.locator('#findings-summary').innerText(), /^1 errors/);
  assert.match(await page.locator('#findings').textContent(), /needs a China–North-America package/);
  const text = await result.innerText();
  assert.match(text, /VPC1 \(Virginia\) → VPC2 \(Shanghai\): 1 Kbps test link only/);
  assert.match(text, /CEN-BWP-001/);
  assert.match(text, /Fix: Buy a bandwidth package covering Mainland China–North America, bind it to CEN Global CEN/);
  await page.screenshot({ path: path.join(ARTIFACTS, 'why-not-after-removing-package.png') });

  // Unpublishing an office route makes the office unreachable from the other region, with the fix.
  await page.click('.entity[data-id="rte-1"]');
  await page.locator('#field-published').setChecked(false);
  await page.click('#save-entity');
  await page.selectOption('#reach-from', 'vpc-2');
  await page.selectOption('#reach-to', 'vco-1');
  await page.waitForFunction(() => document.querySelector('#reach-result').innerText.includes('CEN-VPN-001'));
  // The rule's own words (the same finding as in the findings panel), and the fix the app can apply.
  assert.match(await result.innerText(), /one-way: the return does not arrive/);
  assert.match(await result.innerText(), /Fix: Publish route To Office 1 to CEN/);
  await page.screenshot({ path: path.join(ARTIFACTS, 'why-not-one-way-with-fix.png') });
  await page.click('#reach-result .apply-fix');
  await page.waitForFunction(() => document.querySelector('#reach-result').innerText.includes('reachable both ways'));
  assert.equal(await page.locator('#reach-result .apply-fix').count(), 0);
  await checked(page);
  assert.doesNotMatch(await page.locator('#findings').textContent(), /CEN-VPN-001/);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a network shows its route table, and the matrix opens the explainer for a cell', async () => {
  const { page, context } = await openApp(browser, server);
  await openExample(page, 'seed-004-peering-migration');
  await page.click('.entity[data-id="vpc-1"]');
  // The table is answered by the analysis worker.
  await page.waitForSelector('#route-table tbody tr');
  const rows = await page.locator('#route-table tbody tr').allInnerTexts();
  assert.equal(rows.length, 3);
  assert.match(rows[1], /172\.16\.1\.0\/24\s+CEN → VPC-Y \(peer\)\s+learned from CEN\s+not learned: peering route Peering route to VPC-Y wins \(CEN-PEER-001\)/);
  await page.click('#show-matrix');
  await page.waitForSelector('#matrix td button');
  const cells = page.locator('#matrix td button');
  assert.equal(await cells.count(), 4);
  await page.click('#matrix button[aria-label="VPC VPC-X (migrating) to VPC VPC-Y (peer): reachable"]');
  await page.waitForFunction(() => document.querySelector('#reach-result').innerText.includes('peering X–Y peering'));
  await context.close();
});
