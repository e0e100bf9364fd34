// The canvas's tool row at 1280×720 with everything open (the entity list, the findings and the
// inspector): each select of the palette and of the view tools shows its chosen value whole, and
// nothing of the row is cut off. Screenshots at 1280×720, light and dark.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, launch, openApp, openExample } from './harness.mjs';
import { node } from './drawing.mjs';

let server;
let browser;
const SHOTS = process.env.CANVAS_SHOTS || '/tmp';
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); server?.close(); });

/** For each visible select of the canvas tools: its id, the width its chosen text needs and the width it has. */
function selectWidths(page) {
  return page.$$eval('.diagram-tools select', (selects) => selects.filter((s) => s.offsetParent !== null).map((s) => {
    const style = getComputedStyle(s);
    const ctx = document.createElement('canvas').getContext('2d');
    ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const text = s.selectedOptions[0]?.text ?? '';
    // The text, the select's padding and its arrow (about 16 px in Chromium).
    const needs = Math.ceil(ctx.measureText(text).width) + parseFloat(style.paddingLeft) + parseFloat(style.paddingRight) + 16;
    return { id: s.id, text, needs, has: s.clientWidth };
  }));
}

test('at 1280×720 with both side panels and the inspector open, the canvas tools show their selects whole, on the canvas\'s top rows', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, colorScheme });
    const { page } = await openApp(browser, server, { context });
    await openExample(page, 'seed-003-vpn-global-network');
    if (await page.getAttribute('#toggle-list', 'aria-pressed') !== 'true') await page.click('#toggle-list');
    if (await page.getAttribute('#toggle-findings', 'aria-pressed') !== 'true') await page.click('#toggle-findings');
    await page.click(node('vpc-1'));
    await page.waitForSelector('#inspector');
    // The region with the longest name chosen for the palette.
    const region = await page.$eval('#palette-region', (s) => [...s.options].filter((o) => o.value).sort((a, b) => b.text.length - a.text.length)[0].value);
    await page.selectOption('#palette-region', region);
    await page.waitForTimeout(200);
    const widths = await selectWidths(page);
    assert.ok(widths.some((w) => w.id === 'palette-region') && widths.some((w) => w.id === 'palette-more'), JSON.stringify(widths));
    for (const w of widths) assert.ok(w.needs <= w.has, `${w.id} shows “${w.text}” in ${w.has}px, needs ${w.needs}px`);
    // Nothing of the row is cut off, and it stays compact (at most two lines).
    const row = await page.$eval('.diagram-tools', (t) => ({ scroll: t.scrollWidth, client: t.clientWidth, height: t.getBoundingClientRect().height }));
    assert.ok(row.scroll <= row.client + 1, JSON.stringify(row));
    assert.ok(row.height <= 80, JSON.stringify(row));
    const canvas = await page.locator('#diagram').boundingBox();
    assert.ok(canvas.height > 400, `the canvas keeps ${canvas.height}px of height`);
    for (const id of ['zoom-in', 'fit', 'export-png', 'canvas-search', 'view-menu', 'matrix-beside']) {
      const box = await page.locator(`#${id}`).boundingBox();
      const tools = await page.locator('.diagram-tools').boundingBox();
      assert.ok(box && box.x >= tools.x && box.x + box.width <= tools.x + tools.width + 1, `${id} inside the row`);
    }
    await page.screenshot({ path: path.join(SHOTS, `canvas-tools-1280-${colorScheme}.png`) });
    assert.deepEqual(page.errors, []);
    await context.close();
  }
});
