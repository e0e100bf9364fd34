// Big plans on the canvas and the matrix beside it: the matrix opens as a side panel next to the
// canvas (the chosen cell highlighted, its answer beside it, the path drawn; Shift+click on two
// nodes chooses their cell; paging works); a big plan opens with its regions collapsed into summary
// nodes (a click expands one, kept after a reload; a node moved there keeps its place within its
// region on the whole diagram); a pair on two pages of the matrix shows its row by its column;
// filters by CEN and by account. Screenshots at
// 1280×720, light and dark.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { startServer, launch, openApp, openExample, checked, EXAMPLES } from './harness.mjs';
import { node } from './drawing.mjs';

let server;
let browser;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cen-planner-big-'));
const SHOTS = process.env.CANVAS_SHOTS || '/tmp';
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); server?.close(); });

let typicalFile;
function typical() {
  if (!typicalFile) {
    typicalFile = path.join(tmp, 'typical.json');
    fs.writeFileSync(typicalFile, execFileSync(process.env.CEN_PLANNER_BIN, ['generate', '--preset', 'typical'], { encoding: 'utf8', maxBuffer: 64 << 20 }));
  }
  return typicalFile;
}

async function importPlan(page, file) {
  await page.setInputFiles('#import-file', file);
  await page.waitForFunction(() => document.querySelector('#notice')?.innerText.includes('Imported'), null, { timeout: 60000 });
}

test('the matrix opens beside the canvas: the chosen cell is highlighted, its answer beside it, the path drawn', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, colorScheme });
    const { page } = await openApp(browser, server, { context });
    await openExample(page, 'seed-003-vpn-global-network');
    const example = JSON.parse(fs.readFileSync(path.join(EXAMPLES, 'seed-003-vpn-global-network.json'), 'utf8')).plan;
    const name = (id) => [...example.vpcs, ...example.customer_gateways].find((e) => e.id === id).name;
    await page.click('#matrix-beside');
    await page.waitForSelector('#matrix-side #matrix');
    // Beside the canvas, not instead of it.
    const canvas = await page.locator('#diagram').boundingBox();
    const side = await page.locator('#matrix-side').boundingBox();
    assert.ok(canvas.width > 400 && side.x >= canvas.x + canvas.width - 2, `canvas ${JSON.stringify(canvas)}, matrix ${JSON.stringify(side)}`);
    // The narrower canvas keeps its zoom; Fit shows the whole picture in it.
    await page.click('#fit');
    // A cell: highlighted, both directions beside the matrix, the path drawn on the canvas.
    const cell = page.locator('#matrix-side #matrix tbody tr:nth-child(1) td:nth-child(3)');
    await cell.locator('button').click();
    await page.waitForSelector('#matrix-side #matrix td.chosen');
    assert.equal(await page.locator('#matrix-side #matrix td.chosen').count(), 1);
    assert.match(await cell.getAttribute('class'), /chosen/);
    await page.waitForSelector('#pair-answer #pair-verdict');
    assert.equal(await page.locator('#pair-answer .pair-direction').count(), 2, 'both directions, a line each');
    assert.equal(await page.locator('#pair-traces .trace').count(), 2, 'their hops');
    await page.waitForSelector('#diagram .node.on-path');
    // Two nodes chosen on the canvas (select, then Shift+click) choose their cell.
    await page.click(node('vpc-2'));
    await page.click(node('cgw-1'), { modifiers: ['Shift'] });
    await page.waitForFunction(([a, b]) => {
      const label = document.querySelector('#matrix-side #matrix td.chosen button')?.getAttribute('aria-label') ?? '';
      return label.includes(a) && label.includes(b);
    }, [name('vpc-2'), name('cgw-1')]);
    await page.waitForSelector('#diagram .node.on-path');
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(SHOTS, `canvas-matrix-beside-1280-${colorScheme}.png`) });
    // It stays open after a reload.
    await page.reload();
    await page.waitForSelector('#matrix-side #matrix');
    assert.deepEqual(page.errors, []);
    await context.close();
  }
});

test('a big plan opens collapsed: summary nodes expand on a click (kept after a reload), a node moved there keeps its place within its region, filters by CEN and account, the matrix pages', { skip: !process.env.CEN_PLANNER_BIN && 'needs CEN_PLANNER_BIN' }, async () => {
  const plan = JSON.parse(fs.readFileSync(typical(), 'utf8')).plan;
  for (const colorScheme of ['light', 'dark']) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, colorScheme });
    const { page } = await openApp(browser, server, { context });
    await importPlan(page, typical());
    await page.waitForSelector('#diagram .summary');
    await checked(page);
    const summaries = await page.locator('#diagram .summary').count();
    const regions = new Set([...plan.vpcs, ...plan.vbrs].map((v) => v.region)).size;
    assert.ok(summaries >= regions, `${summaries} summaries for ${regions} regions`);
    // Only the CENs are drawn as nodes; each summary counts its nodes per kind.
    assert.equal(await page.locator('#diagram .node').count(), plan.cens.length);
    const texts = await page.$$eval('#diagram .summary', (els) => els.map((e) => e.textContent));
    assert.ok(texts.some((t) => /\d+ VPC/.test(t)), texts.join('\n'));
    // The app picks a zoom where the summaries are readable, and Fit shows them all.
    await page.click('#fit');
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(SHOTS, `canvas-typical-collapsed-1280-${colorScheme}.png`) });
    if (colorScheme === 'dark') { assert.deepEqual(page.errors, []); await context.close(); continue; }

    // A click on a summary expands its region: its nodes are drawn, the other regions stay collapsed.
    const first = page.locator('#diagram .summary').first();
    const key = await first.getAttribute('data-group');
    await first.click();
    await page.waitForFunction((n) => document.querySelectorAll('#diagram .summary').length === n - 1, summaries);
    const drawn = await page.locator('#diagram .node').count();
    assert.ok(drawn > plan.cens.length, `${drawn} nodes after expanding ${key}`);
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(SHOTS, 'canvas-typical-one-expanded-1280-light.png') });
    // Kept across a reload.
    await page.reload();
    await page.waitForSelector('#diagram .summary');
    await page.waitForFunction((n) => document.querySelectorAll('#diagram .summary').length === n - 1, summaries);
    assert.equal(await page.locator(`#diagram .summary[data-group="${key}"]`).count(), 0);
    // Moving a node while other regions are collapsed: it keeps its place within its region, there
    // and on the whole diagram (relative to another node of the region).
    const counts = new Map();
    for (const v of plan.vpcs) counts.set(v.region, (counts.get(v.region) ?? 0) + 1);
    const open = [...counts].find(([r, n]) => n >= 2 && r !== key)[0];
    await page.click(`#diagram .summary[data-group="${open}"]`);
    await page.waitForFunction((n) => document.querySelectorAll('#diagram .summary').length === n - 2, summaries);
    const inRegion = plan.vpcs.filter((v) => v.region === open).map((v) => v.id);
    const [moving, other] = inRegion.slice(-2);
    const apart = () => page.evaluate(([a, b]) => {
      const at = (id) => /translate\(([-\d.]+) ([-\d.]+)\)/.exec(document.querySelector(`#diagram .node[data-id="${id}"]`).getAttribute('transform')).slice(1).map(Number);
      const [p, q] = [at(a), at(b)];
      return [p[0] - q[0], p[1] - q[1]];
    }, [moving, other]);
    const before = await apart();
    await page.locator(node(moving)).focus();
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(([b, dx]) => {
      const at = (id) => Number(/translate\(([-\d.]+)/.exec(document.querySelector(`#diagram .node[data-id="${id}"]`).getAttribute('transform'))[1]);
      return at(b[0]) - at(b[1]) === dx;
    }, [[moving, other], before[0] + 10]);
    assert.equal(await page.locator('#diagram .summary').count(), summaries - 2, 'still collapsed');
    // A CEN is centred again over what the view leaves: moving it there is refused, and why.
    const cenNode = page.locator('#diagram .node[data-kind="cens"]').first();
    const cenAt = await cenNode.getAttribute('transform');
    await cenNode.focus();
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => /centred again/.test(document.querySelector('#canvas-hint')?.innerText ?? ''));
    assert.equal(await cenNode.getAttribute('transform'), cenAt);

    // Filter by CEN: only the networks attached to it (and what connects them).
    await page.click('#view-menu');
    await page.click('#expand-all');
    await page.waitForFunction(() => document.querySelectorAll('#diagram .summary').length === 0);
    // On the whole diagram the moved node is where it was put within its region.
    assert.deepEqual(await apart(), [before[0] + 10, before[1]]);
    const cen = plan.cens[1].id;
    await page.selectOption('#filter-cen', cen);
    await page.waitForFunction(() => document.querySelectorAll('#diagram .node').length > 0);
    await page.waitForTimeout(200);
    const vpcs = await page.$$eval('#diagram .node[data-kind="vpcs"]', (els) => els.map((e) => e.dataset.id));
    const onCen = new Set(plan.attachments.filter((a) => a.cen === cen).map((a) => a.network));
    assert.ok(vpcs.length > 0 && vpcs.every((v) => onCen.has(v)), `${vpcs.length} VPCs drawn`);
    assert.equal(vpcs.length, plan.vpcs.filter((v) => onCen.has(v.id)).length);
    const cens = await page.$$eval('#diagram .node[data-kind="cens"]', (els) => els.map((e) => e.dataset.id));
    assert.deepEqual(cens, [cen]);
    await page.selectOption('#filter-cen', '');
    // Filter by account: only its networks.
    const account = plan.accounts[1].id;
    await page.selectOption('#filter-account', account);
    await page.waitForTimeout(300);
    const mine = await page.$$eval('#diagram .node[data-kind="vpcs"]', (els) => els.map((e) => e.dataset.id));
    const owned = new Set(plan.vpcs.filter((v) => v.owner === account).map((v) => v.id));
    assert.ok(mine.length > 0 && mine.length === owned.size && mine.every((v) => owned.has(v)), `${mine.length} of ${owned.size}`);
    await page.selectOption('#filter-account', '');

    // The matrix beside the canvas pages past 40 endpoints.
    await page.click('#matrix-beside');
    await page.waitForSelector('#matrix-side #matrix');
    assert.match(await page.locator('#matrix-range').innerText(), /Endpoints 1–40 of \d+/);
    await page.click('#matrix-next');
    await page.waitForFunction(() => /Endpoints 41–80/.test(document.querySelector('#matrix-range')?.innerText ?? ''));
    await page.waitForSelector('#matrix-side #matrix tbody tr');
    assert.deepEqual(page.errors, []);
    await context.close();
  }
});

test('a pair chosen on the canvas whose endpoints are on two pages of the matrix: the matrix shows its row by its column, the cell highlighted, its answer beside it', { skip: !process.env.CEN_PLANNER_BIN && 'needs CEN_PLANNER_BIN' }, async () => {
  const plan = JSON.parse(fs.readFileSync(typical(), 'utf8')).plan;
  // The matrix lists the VPCs first, in plan order: two VPCs of one region, on pages 1 and 2.
  const index = new Map(plan.vpcs.map((v, i) => [v.id, i]));
  const region = [...new Set(plan.vpcs.map((v) => v.region))].find((r) => {
    const at = plan.vpcs.filter((v) => v.region === r).map((v) => index.get(v.id));
    return at.some((i) => i < 40) && at.some((i) => i >= 40 && i < 80);
  });
  assert.ok(region, 'a region with VPCs on both pages');
  // The farthest row and column of their pages, so the panel has to scroll to show the cell.
  const a = plan.vpcs.findLast((v) => v.region === region && index.get(v.id) < 40);
  const b = plan.vpcs.findLast((v) => v.region === region && index.get(v.id) >= 40 && index.get(v.id) < 80);
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const { page } = await openApp(browser, server, { context });
  await importPlan(page, typical());
  await page.waitForSelector('#diagram .summary');
  await checked(page);
  await page.click('#matrix-beside');
  await page.waitForSelector('#matrix-side #matrix');
  // Find the first (its region opens), then Fit; select it, Shift+click the second.
  await page.fill('#canvas-search', a.id);
  await page.press('#canvas-search', 'Enter');
  await page.waitForSelector(node(b.id));
  await page.click('#fit');
  await page.waitForTimeout(300);
  await page.click(node(a.id));
  await page.click(node(b.id), { modifiers: ['Shift'] });
  await page.waitForFunction(() => /Rows 1–40, columns 41–80 of \d+ endpoints/.test(document.querySelector('#matrix-range')?.innerText ?? ''));
  await page.waitForFunction(([x, y]) => {
    const label = document.querySelector('#matrix-side #matrix td.chosen button')?.getAttribute('aria-label') ?? '';
    return label.startsWith(`VPC ${x} to VPC ${y}:`);
  }, [a.name, b.name]);
  assert.equal(await page.locator('#matrix-side #matrix td.chosen').count(), 1);
  await page.waitForSelector('#pair-answer #pair-verdict');
  assert.equal(await page.locator('#pair-answer .pair-direction').count(), 2);
  // The cell's row and column are the pair's.
  const [row, col] = await page.evaluate(() => {
    const td = document.querySelector('#matrix-side #matrix td.chosen');
    const tr = td.closest('tr');
    const j = [...tr.children].indexOf(td);
    return [tr.querySelector('th').innerText, document.querySelectorAll('#matrix-side #matrix thead th')[j].innerText];
  });
  assert.ok(row.includes(a.name) && col.includes(b.name), `${row} / ${col}`);
  // The cell is in view in the panel, below the pair's answer (which stays at its top).
  await page.waitForTimeout(300);
  const [cellBox, sideBox, answerBox] = await Promise.all(['#matrix-side td.chosen', '#matrix-side', '#pair-answer'].map((s) => page.locator(s).boundingBox()));
  assert.ok(cellBox.x >= sideBox.x && cellBox.x + cellBox.width <= sideBox.x + sideBox.width, `cell ${JSON.stringify(cellBox)} in ${JSON.stringify(sideBox)}`);
  assert.ok(cellBox.y >= answerBox.y + answerBox.height - 1 && cellBox.y + cellBox.height <= sideBox.y + sideBox.height, `cell ${JSON.stringify(cellBox)} below ${JSON.stringify(answerBox)} in ${JSON.stringify(sideBox)}`);
  assert.ok(answerBox.y >= sideBox.y - 1, 'the answer at the top of the panel');
  await page.waitForTimeout(200);
  await page.screenshot({ path: path.join(SHOTS, 'canvas-typical-pair-apart-1280-light.png') });
  // The other way round: rows of page 2 by columns of page 1.
  await page.click(node(b.id));
  await page.click(node(a.id), { modifiers: ['Shift'] });
  await page.waitForFunction(() => /Rows 41–80, columns 1–40/.test(document.querySelector('#matrix-range')?.innerText ?? ''));
  await page.waitForFunction(([x, y]) => (document.querySelector('#matrix-side #matrix td.chosen button')?.getAttribute('aria-label') ?? '').startsWith(`VPC ${x} to VPC ${y}:`), [b.name, a.name]);
  // Paging goes back to square pages.
  await page.click('#matrix-next');
  await page.waitForFunction(() => /^Endpoints 81–120 of/.test(document.querySelector('#matrix-range')?.innerText ?? ''));
  await page.click('#matrix-previous');
  await page.waitForFunction(() => /^Endpoints 41–80 of/.test(document.querySelector('#matrix-range')?.innerText ?? ''));
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a node dragged in a filtered view keeps, on the whole diagram, the place within its region it was dropped at', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const { page } = await openApp(browser, server, { context });
  await openExample(page, 'seed-003-vpn-global-network');
  // Where VPC2 is relative to the VPN gateway of its region.
  const apart = () => page.evaluate(() => {
    const at = (id) => /translate\(([-\d.]+) ([-\d.]+)\)/.exec(document.querySelector(`#diagram .node[data-id="${id}"]`).getAttribute('transform')).slice(1).map(Number);
    const [p, q] = [at('vpc-2'), at('vpngw-2')];
    return [p[0] - q[0], p[1] - q[1]];
  });
  const whole = await apart();
  await page.click('#view-menu');
  await page.selectOption('#filter-cen', 'cen-1');
  await page.waitForTimeout(300);
  const before = await apart();
  const box = await page.locator(node('vpc-2')).boundingBox();
  await page.mouse.move(box.x + 20, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + 60, box.y + box.height / 2 + 40, { steps: 5 });
  await page.mouse.move(box.x + 100, box.y + box.height / 2 + 80, { steps: 5 });
  await page.mouse.up();
  await page.waitForFunction((b) => {
    const at = (id) => /translate\(([-\d.]+) ([-\d.]+)\)/.exec(document.querySelector(`#diagram .node[data-id="${id}"]`).getAttribute('transform')).slice(1).map(Number);
    return at('vpc-2')[1] - at('vpngw-2')[1] !== b;
  }, before[1]);
  await page.waitForTimeout(300);
  const after = await apart();
  const moved = [after[0] - before[0], after[1] - before[1]];
  assert.ok(Math.abs(moved[0]) > 10 && Math.abs(moved[1]) > 10, `moved by ${moved} in the view`);
  assert.equal(await page.locator('#canvas-hint.refused').count(), 0);
  // No filter: the whole diagram, where it moved by as much within its region.
  await page.selectOption('#filter-cen', '');
  await page.waitForTimeout(300);
  const now = await apart();
  assert.deepEqual([now[0] - whole[0], now[1] - whole[1]], moved);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a plan too big to draw on every change waits, and can be drawn collapsed', { skip: !process.env.CEN_PLANNER_BIN && 'needs CEN_PLANNER_BIN' }, async () => {
  const file = path.join(tmp, 'largest.json');
  execFileSync(process.env.CEN_PLANNER_BIN, ['generate', '--preset', 'largest', '-o', file]);
  const { page, context } = await openApp(browser, server, { context: await browser.newContext({ viewport: { width: 1280, height: 720 } }) });
  await importPlan(page, file);
  await page.waitForSelector('#canvas-too-big');
  await page.click('#draw-collapsed');
  await page.waitForSelector('#diagram .summary', { timeout: 60000 });
  const plan = JSON.parse(fs.readFileSync(file, 'utf8')).plan;
  assert.equal(await page.locator('#diagram .node').count(), plan.cens.length, 'only the CENs, every region a summary');
  assert.deepEqual(page.errors, []);
  await context.close();
});
