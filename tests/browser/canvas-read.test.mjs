// The canvas says what an architect reads: labels never below 11 px at the zoom the app picks,
// badges on edges (a click selects the finding's entity), a VPC that expands to show its vSwitches
// (kept across a reload), sites with their lines, a minimap that moves the view, and the canvas
// tools in one row (two compact lines at 1280 px with both side panels and the inspector open). Screenshots at 1280×720 and 1920×1080, light
// and dark, of seed 003 and the typical plan.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { startServer, launch, openApp, openExample, checked } from './harness.mjs';

let server;
let browser;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cen-planner-canvas-read-'));
const SHOTS = process.env.CANVAS_SHOTS || '/tmp';
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); server?.close(); });

const node = (id) => `#diagram .node[data-id="${id}"]`;

/** The smallest on-screen size of the canvas's text: its font size times the screen's scale. */
async function smallestText(page) {
  return page.evaluate(() => {
    let least = Infinity;
    let what = '';
    for (const t of document.querySelectorAll('#diagram text')) {
      if (!t.textContent.trim()) continue;
      const size = parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a;
      if (size < least) { least = size; what = `${t.getAttribute('class') ?? 'text'} “${t.textContent}”`; }
    }
    return { least, what };
  });
}

/** Imports the typical generated plan (needs the CLI to generate it). */
async function importTypical(page) {
  const file = path.join(tmp, 'typical.json');
  if (!fs.existsSync(file)) fs.writeFileSync(file, execFileSync(process.env.CEN_PLANNER_BIN, ['generate', '--preset', 'typical'], { encoding: 'utf8', maxBuffer: 64 << 20 }));
  await page.setInputFiles('#import-file', file);
  await page.waitForFunction(() => document.querySelector('#notice')?.innerText.includes('Imported'), null, { timeout: 60000 });
  await page.waitForSelector('#diagram .node');
  await page.waitForTimeout(500);
}

test('labels are 11 px or more at the zoom the app picks; the canvas tools are one row (two compact lines at 1280 px with everything open); screenshots', async () => {
  for (const [width, height] of [[1280, 720], [1920, 1080]]) {
    for (const colorScheme of ['light', 'dark']) {
      const context = await browser.newContext({ viewport: { width, height }, colorScheme });
      const { page } = await openApp(browser, server, { context });
      // Both side panels open (a first visit at 1280 px starts with the list closed).
      if (await page.getAttribute('#toggle-list', 'aria-pressed') !== 'true') await page.click('#toggle-list');
      if (await page.getAttribute('#toggle-findings', 'aria-pressed') !== 'true') await page.click('#toggle-findings');
      await openExample(page, 'seed-003-vpn-global-network');
      await page.waitForTimeout(300);
      const seed = await smallestText(page);
      assert.ok(seed.least >= 11, `seed 003 at ${width}: ${seed.what} at ${seed.least.toFixed(2)} px`);
      await page.click(node('vpc-1'));
      await page.waitForSelector('#inspector #entity-form');
      // The inspector took room from the canvas: the scale stays.
      await page.waitForTimeout(200);
      const inspected = await smallestText(page);
      assert.ok(inspected.least >= 11, `seed 003 at ${width} with the inspector: ${inspected.what} at ${inspected.least.toFixed(2)} px`);
      // The canvas tools are one row (Fit, SVG and PNG beside the palette), inspector open too; at
      // 1280 px with everything open, the palette (its selects whole) is the first of two compact lines.
      const rows = await page.$$eval('.diagram-tools > *', (els) => els.filter((e) => e.offsetParent && e.offsetHeight > 0).map((e) => { const r = e.getBoundingClientRect(); return [Math.round(r.top + r.height / 2), Math.round(r.right), e.classList.contains('palette') || e.classList.contains('palette-region')]; }));
      const middles = rows.map(([m]) => m);
      const lines = 1 + [...middles].sort((a, b) => a - b).filter((m, i, all) => i > 0 && m - all[i - 1] > 10).length;
      const palette = rows.filter(([, , p]) => p).map(([m]) => m);
      assert.ok(Math.max(...palette) - Math.min(...palette) < 6, `the palette wraps at ${width}: ${palette.join(',')}`);
      if (width >= 1920) assert.ok(Math.max(...middles) - Math.min(...middles) < 6, `canvas tools wrap at ${width}: ${middles.join(',')}`);
      else assert.ok(lines <= 2, `canvas tools on ${lines} lines at ${width}: ${middles.join(',')}`);
      // Nothing is cut off at the right edge.
      const right = (await page.locator('.diagram-tools').boundingBox());
      assert.ok(Math.max(...rows.map(([, r]) => r)) <= right.x + right.width, `canvas tools overflow at ${width}`);
      const tools = await page.locator('.diagram-tools').boundingBox();
      assert.ok(tools.height < (width >= 1920 ? 48 : 80), `canvas tools ${tools.height}px tall at ${width}`);
      await page.screenshot({ path: path.join(SHOTS, `canvas-read-seed003-${width}-${colorScheme}.png`) });
      if (process.env.CEN_PLANNER_BIN) {
        await importTypical(page);
        const typical = await smallestText(page);
        assert.ok(typical.least >= 11, `typical at ${width}: ${typical.what} at ${typical.least.toFixed(2)} px`);
        await page.screenshot({ path: path.join(SHOTS, `canvas-read-typical-${width}-${colorScheme}.png`) });
      }
      assert.deepEqual(page.errors, []);
      await context.close();
    }
  }
});

test('a badge on a line selects the entity of its finding; a VPC expands to its vSwitches and stays so after a reload', async () => {
  const { page, context } = await openApp(browser, server);
  await openExample(page, 'seed-003-vpn-global-network');
  await page.click('#fit');
  // Seed 003's cross-border package (CEN-BWP-008) is a badge on the cross-region line.
  const badge = page.locator('#diagram .edge.bandwidth .edge-badge');
  await badge.waitFor();
  assert.match(await badge.locator('title').textContent(), /CEN-BWP-008: bandwidth package/);
  assert.equal(await badge.locator('text').textContent(), '1');
  await badge.click();
  await page.waitForSelector('#inspector #entity-form[data-kind="bandwidth_packages"]');
  // From the keyboard too: Enter on a focused badge.
  await page.click(node('vpc-1'));
  await page.waitForSelector('#inspector #entity-form[data-kind="vpcs"]');
  await badge.focus();
  await page.keyboard.press('Enter');
  await page.waitForSelector('#inspector #entity-form[data-kind="bandwidth_packages"]');

  // The VPC's toggle shows its vSwitches: block and zone.
  const toggle = page.locator('#diagram [data-expand="vpc-1"]');
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  const before = await page.locator(node('vpc-1')).boundingBox();
  await toggle.click();
  const row = page.locator('#diagram [data-vswitch="vsw-1"]');
  await row.waitFor();
  assert.match(await row.textContent(), /172\.16\.1\.0\/24/);
  const after = await page.locator(node('vpc-1')).boundingBox();
  assert.ok(after.height > before.height * 1.4, `${before.height} → ${after.height}`);
  // A click on the row selects the vSwitch.
  await row.click();
  await page.waitForSelector('#inspector #entity-form[data-kind="vswitches"]');
  // Kept across a reload, with the view.
  await page.waitForTimeout(200);
  await page.reload();
  await page.waitForSelector('#diagram [data-vswitch="vsw-1"]');
  assert.equal(await page.getAttribute('#diagram [data-expand="vpc-1"]', 'aria-expanded'), 'true');
  // Enter on the toggle hides them again.
  await page.focus('#diagram [data-expand="vpc-1"]');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => !document.querySelector('#diagram [data-vswitch="vsw-1"]'));
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('sites are drawn with their lines and roles', async () => {
  const { page, context } = await openApp(browser, server, { context: await browser.newContext({ viewport: { width: 1280, height: 720 } }) });
  await openExample(page, 'hybrid-cloud-two-vbrs-sag-backup');
  await page.click('#fit');
  await page.locator(node('site-1')).waitFor();
  assert.match(await page.locator(node('site-1')).textContent(), /SITE.*Data centre.*10\.10\.0\.0\/16/s);
  const roles = await page.$$eval('#diagram .edge.site-line .edge-label', (els) => els.map((e) => e.textContent));
  assert.deepEqual(roles, ['active', 'standby', 'standby']);
  await page.screenshot({ path: path.join(SHOTS, 'canvas-read-sites-1280-light.png') });
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('the minimap shows the visible area and moves the view by click, drag and keys; it hides', async () => {
  const { page, context } = await openApp(browser, server);
  // None for an empty plan.
  await page.waitForSelector('#start-path');
  assert.equal(await page.locator('#minimap').count(), 0);
  await openExample(page, 'seed-003-vpn-global-network');
  const map = page.locator('#minimap-view');
  await map.waitFor();
  assert.equal(await page.locator('#minimap-view .mini-region').count(), 2);
  await page.locator('#minimap-viewport').waitFor();
  const viewBox = async () => (await page.getAttribute('#diagram', 'viewBox')).split(' ').map(Number);
  const v0 = await viewBox();
  // A click centres the view there.
  const box = await map.boundingBox();
  await page.mouse.click(box.x + box.width * 0.9, box.y + box.height * 0.9);
  const v1 = await viewBox();
  assert.ok(v1[0] !== v0[0] || v1[1] !== v0[1], `${v0} → ${v1}`);
  // A drag follows the pointer.
  await page.mouse.move(box.x + box.width * 0.9, box.y + box.height * 0.9);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.5, { steps: 5 });
  await page.mouse.up();
  const v2 = await viewBox();
  assert.ok(v2[0] < v1[0], `${v1} → ${v2}`);
  // Keys move it (a tenth of the view).
  await map.focus();
  await page.keyboard.press('ArrowRight');
  const v3 = await viewBox();
  assert.ok(Math.abs(v3[0] - (v2[0] + v2[2] / 10)) < 1, `${v2} → ${v3}`);
  // The canvas's view rectangle follows.
  assert.ok(Number(await page.getAttribute('#minimap-viewport', 'x')) > 0 || v3[0] <= 0);
  // Hidden, and back after a reload as it was left.
  await page.click('#minimap-toggle');
  assert.equal(await page.locator('#minimap-view').count(), 0);
  await page.waitForTimeout(200);
  await page.reload();
  await page.waitForSelector('#minimap-toggle');
  assert.equal(await page.locator('#minimap-view').count(), 0);
  await page.click('#minimap-toggle');
  await map.waitFor();
  assert.deepEqual(page.errors, []);
  await context.close();
});
