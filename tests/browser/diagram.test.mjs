// The diagram in real Chromium: drawing seed 003 with the mouse, moving and reloading, undo and redo,
// attaching with the keyboard only, exporting SVG and PNG, and screenshots of every example.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, launch, openApp, storedPlan, EXAMPLES, ARTIFACTS, openExample } from './harness.mjs';

let server;
let browser;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cen-planner-diagram-'));
before(async () => { server = await startServer(); browser = await launch(); fs.mkdirSync(ARTIFACTS, { recursive: true }); });
after(async () => { await browser?.close(); server?.close(); });

const node = (page, id) => page.locator(`#diagram .node[data-id="${id}"]`);

async function create(page, kind, region, fields) {
  if (region) await page.selectOption('#palette-region', region);
  // The palette creates the node at once (kinds not on it are under "More…") and selects it.
  if (await page.locator(`#palette-${kind}`).count()) await page.click(`#palette-${kind}`);
  else await page.selectOption('#palette-more', kind);
  await page.waitForSelector(`#entity-form[data-kind="${kind}"]`);
  for (const [key, value] of Object.entries(fields)) {
    const el = page.locator(`#field-${key}`);
    const tag = await el.evaluate((n) => n.tagName.toLowerCase() + (n.type === 'checkbox' ? ':checkbox' : ''));
    if (tag === 'select') await el.selectOption(value);
    else if (tag === 'input:checkbox') await el.setChecked(Boolean(value));
    else { await el.fill(String(value)); await el.blur(); }
  }
  await page.click('#save-entity');
}

/** Drags with the real mouse from one point to another in steps. */
async function drag(page, from, to) {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 5 });
  await page.mouse.move(to.x, to.y, { steps: 5 });
  await page.mouse.up();
}

async function center(locator) {
  const b = await locator.boundingBox();
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
}

async function badge(page, id) {
  return node(page, id).locator('.badge').evaluate((b) => b.getAttribute('class')).catch(() => null);
}

test('draw seed 003 with the mouse: attach two regions, see the missing bandwidth, add it, see it go', async () => {
  const { page, context } = await openApp(browser, server);
  await page.selectOption('#as-of', '2019-09-19');
  await page.click('#show-diagram');
  await create(page, 'accounts', null, { name: 'Account A', uid: '1111222233334444' });
  await create(page, 'vpcs', 'us-east-1', { name: 'VPC1 (Virginia)', cidr: '172.16.0.0/16' });
  await create(page, 'vswitches', null, { vpc: 'vpc-1', cidr: '172.16.1.0/24' });
  await create(page, 'vpcs', 'cn-shanghai', { name: 'VPC2 (Shanghai)', cidr: '192.168.0.0/16' });
  await create(page, 'vswitches', null, { vpc: 'vpc-2', cidr: '192.168.1.0/24' });
  await create(page, 'cens', null, { name: 'Global CEN', overlapping_routes: true });
  await node(page, 'cen-1').waitFor();
  await page.click('#fit');
  // Drag from each VPC's connector handle onto the CEN hub.
  for (const vpc of ['vpc-1', 'vpc-2']) {
    await drag(page, await center(node(page, vpc).locator('.handle')), await center(node(page, 'cen-1').locator('rect')));
    await page.waitForFunction((v) => (document.querySelector('#canvas-hint')?.innerText ?? '').includes(`Attached ${v}`), vpc === 'vpc-1' ? 'VPC1' : 'VPC2');
  }
  // The core says what the cross-region attachment needs, in the findings and as a badge on the CEN.
  await page.waitForFunction(() => document.querySelector('#findings').innerText.includes('CEN-BWP-001'));
  assert.equal(await page.locator('#diagram .edge.attachment').count(), 2);
  assert.match(await badge(page, 'cen-1'), /badge warning/);
  await page.screenshot({ path: path.join(ARTIFACTS, 'diagram-missing-bandwidth.png') });

  await create(page, 'bandwidth_packages', null, { name: 'China–North America', cen: 'cen-1', area_a: 'China', area_b: 'North-America', mbps: '10' });
  await create(page, 'region_bandwidths', null, { cen: 'cen-1', region_a: 'cn-shanghai', region_b: 'us-east-1', mbps: '10' });
  await page.waitForFunction(() => !document.querySelector('#findings').innerText.includes('CEN-BWP-001'));
  assert.doesNotMatch(await badge(page, 'cen-1') ?? '', /warning|error/);
  assert.equal(await page.locator('#diagram .edge.bandwidth .edge-label').textContent(), '10 Mbps');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a moved node stays after a reload, and undo / redo move it back and forth', async () => {
  const { page, context } = await openApp(browser, server);
  await openExample(page, 'seed-004-peering-migration');
  await page.click('#show-diagram');
  // The canvas keeps the readable zoom it picked; Fit shows the whole plan.
  await page.click('#fit');
  const before = await node(page, 'vpc-2').getAttribute('transform');
  const c = await center(node(page, 'vpc-2').locator('rect'));
  await drag(page, c, { x: c.x + 120, y: c.y + 90 });
  // The move is in the plan once it is an undo step (the node is drawn where it goes during the drag).
  await page.waitForFunction(() => !document.querySelector('#undo').disabled);
  await page.waitForFunction((b) => document.querySelector('#diagram .node[data-id="vpc-2"]').getAttribute('transform') !== b, before);
  const moved = await node(page, 'vpc-2').getAttribute('transform');
  // Undo and redo are edits on the plan: the position goes back and forth.
  await page.keyboard.press('Control+z');
  await page.waitForFunction((m) => document.querySelector('#diagram .node[data-id="vpc-2"]').getAttribute('transform') !== m, moved);
  assert.equal(await node(page, 'vpc-2').getAttribute('transform'), before);
  await page.keyboard.press('Control+Shift+z');
  await page.waitForFunction((m) => document.querySelector('#diagram .node[data-id="vpc-2"]').getAttribute('transform') === m, moved);
  // The position is saved in the plan and survives a reload.
  const pos = JSON.parse(await storedPlan(page)).plan.layout['vpc-2'];
  assert.ok(pos && pos.x > 0 && pos.y > 0, JSON.stringify(pos));
  await page.reload();
  await page.click('#show-diagram');
  assert.equal(await node(page, 'vpc-2').getAttribute('transform'), moved);
  // Undo also covers form edits and deletes.
  await node(page, 'vpc-1').click();
  await page.click('#delete-entity');
  await page.click('#confirm-delete-yes');
  await node(page, 'vpc-1').waitFor({ state: 'detached' });
  await page.click('#undo');
  await node(page, 'vpc-1').waitFor();
  await context.close();
});

test('keyboard only: tab to a VPC, move it with the arrows, attach it to the CEN, inspect and delete', async () => {
  const { page, context } = await openApp(browser, server);
  await openExample(page, 'seed-000-same-account-same-region');
  await page.click('.entity[data-id="att-2"]');
  await page.click('#delete-entity');
  await page.click('#confirm-delete-yes');
  await page.click('#show-diagram');
  const focusOn = async (id) => {
    for (let i = 0; i < 200; i++) {
      if (await page.evaluate(() => document.activeElement?.closest('#diagram') && document.activeElement.dataset.id) === id) return;
      await page.keyboard.press('Tab');
    }
    assert.fail(`could not tab to ${id}`);
  };
  await focusOn('vpc-2');
  const before = await node(page, 'vpc-2').getAttribute('transform');
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction((b) => document.querySelector('#diagram .node[data-id="vpc-2"]').getAttribute('transform') !== b, before);
  // The drawing is redrawn; focus comes back to the moved node on the next frame.
  await page.waitForFunction(() => document.activeElement?.closest('#diagram') && document.activeElement.dataset.id === 'vpc-2', null, { timeout: 5000 })
    .catch(() => {});
  assert.equal(await page.evaluate(() => document.activeElement?.dataset?.id), 'vpc-2', 'focus stays on the moved node');
  await page.keyboard.press('a');
  assert.match(await page.locator('#canvas-hint').innerText(), /Connect VPC-B: move to a lit node/);
  await focusOn('cen-1');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('#canvas-hint')?.innerText.includes('Attached VPC-B and CEN-1'));
  assert.equal(JSON.parse(await storedPlan(page)).plan.attachments.length, 2);
  await focusOn('vpc-2');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#entity-form[data-kind="vpcs"]');
  await focusOn('vpc-2');
  // Delete asks first, in the page; the confirm button has the focus, so Enter deletes.
  await page.keyboard.press('Delete');
  await page.waitForSelector('#confirm-delete[open]');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'confirm-delete-yes');
  await page.keyboard.press('Enter');
  await node(page, 'vpc-2').waitFor({ state: 'detached' });
  await context.close();
});

test('export SVG and PNG: a valid SVG with the escaped names, a PNG of the drawing size', async () => {
  const { page, context } = await openApp(browser, server);
  await openExample(page, 'seed-003-vpn-global-network');
  await page.click('.entity[data-id="vpc-1"]');
  await page.fill('#field-name', 'VPC1 <Virginia> & "prod"');
  await page.click('#save-entity');
  await page.click('#show-diagram');
  const [svgDl] = await Promise.all([page.waitForEvent('download'), page.click('#export-svg')]);
  assert.equal(svgDl.suggestedFilename(), 'Seed-003-global-network-with-VPN-Gateway-and-CEN.svg');
  const svgFile = path.join(tmp, 'd.svg');
  await svgDl.saveAs(svgFile);
  const svg = fs.readFileSync(svgFile, 'utf8');
  const parsed = await page.evaluate((s) => {
    const doc = new DOMParser().parseFromString(s, 'image/svg+xml');
    return { error: doc.querySelector('parsererror')?.textContent ?? null, w: doc.documentElement.getAttribute('width'), h: doc.documentElement.getAttribute('height'),
      labels: [...doc.querySelectorAll('.node title')].map((t) => t.textContent) };
  }, svg);
  assert.equal(parsed.error, null);
  for (const name of ['VPC1 <Virginia> & "prod" (vpc-1)', 'VPC2 (Shanghai) (vpc-2)', 'Office 3 (cgw-3)', 'Global CEN (cen-1)']) assert.ok(parsed.labels.includes(name), name);
  assert.ok(svg.includes('VPC1 &lt;Virginia&gt; &amp; &quot;prod&quot;'));

  const [pngDl] = await Promise.all([page.waitForEvent('download'), page.click('#export-png')]);
  assert.equal(pngDl.suggestedFilename(), 'Seed-003-global-network-with-VPN-Gateway-and-CEN.png');
  const png = fs.readFileSync(await pngDl.path());
  assert.equal(png.subarray(1, 4).toString(), 'PNG');
  // Twice the drawing's size, or less when that would pass the PNG's pixel limit (ui::files::MAX_PNG_PIXELS).
  const [w, h] = [Number(parsed.w), Number(parsed.h)];
  const scale = Math.min(2, Math.sqrt(2_400_000 / (w * h)));
  assert.equal(png.readUInt32BE(16), Math.round(w * scale));
  assert.equal(png.readUInt32BE(20), Math.round(h * scale));
  fs.writeFileSync(path.join(ARTIFACTS, 'export-seed-003.png'), png);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('every example plan as a diagram, in light and dark (screenshots to look at)', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const { page, context } = await openApp(browser, server, { colorScheme });
    await page.click('#show-diagram');
    for (const key of fs.readdirSync(EXAMPLES).map((f) => f.replace(/\.json$/, ''))) {
      await openExample(page, key);
      const expected = JSON.parse(fs.readFileSync(path.join(EXAMPLES, `${key}.json`), 'utf8')).plan;
      const nodes = ['vpcs', 'vbrs', 'ccns', 'sags', 'vpn_gateways', 'customer_gateways', 'cens', 'sites'].reduce((n, k) => n + (expected[k]?.length ?? 0), 0);
      await page.waitForFunction((n) => document.querySelectorAll('#diagram .node').length === n, nodes);
      await page.click('#fit');
      await page.locator('#diagram').screenshot({ path: path.join(ARTIFACTS, `diagram-${key}-${colorScheme}.png`) });
    }
    assert.deepEqual(page.errors, []);
    await context.close();
  }
});
