// Shared browser-test harness: serves the release build (dist/) on 127.0.0.1 from inside the test
// process and drives Debian's Chromium through playwright-core. Nothing is downloaded; the page
// may only request its own files (any other request fails the test that made it).
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
export const DIST = process.env.DIST || path.join(ROOT, 'dist');
export const EXAMPLES = path.join(ROOT, 'examples');
export const ARTIFACTS = path.join(ROOT, 'tests/browser/artifacts');

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json', '.txt': 'text/plain' };

/** Serves the build in `root` (the release build `DIST` unless told) on 127.0.0.1, on a free port. */
export function startServer(root = DIST) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    let file = path.normalize(path.join(root, decodeURIComponent(url.pathname)));
    if (!file.startsWith(root)) { res.writeHead(403).end(); return; }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    if (!fs.existsSync(file)) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/** Opens the app in a fresh context and waits until it has mounted; collects page errors. */
export async function openApp(browser, server, options = {}) {
  const context = options.context || await browser.newContext({ acceptDownloads: true, colorScheme: options.colorScheme || 'light', viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const base = `http://127.0.0.1:${server.address().port}`;
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') page.errors.push(m.text()); });
  page.on('request', (r) => { if (!r.url().startsWith(base) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) page.errors.push(`foreign request ${r.url()}`); });
  await page.goto(base + '/');
  await page.waitForSelector('#plan-name', { timeout: 15000 }).catch((e) => {
    throw new Error(`app did not mount: ${e.message}; page errors: ${page.errors.join(' | ')}`);
  });
  return { page, context, base };
}

/** Opens an example plan from the menu (fetched from the app's own files) and waits until it is open. */
export async function openExample(page, key) {
  await page.selectOption('#examples', key);
  await page.waitForFunction(() => /Opened the example|could not be opened/.test(document.querySelector('#notice')?.innerText ?? ''));
  await checked(page);
}

/** Adds an entity through the sidebar form: `fields` maps field keys to text or option values. */
export async function addEntity(page, kindKey, fields) {
  // The entity list is a side panel, closed on narrow windows: open it first.
  // (Its list is a part of the page loaded after the first paint: ask the toggle, not the button.)
  if (await page.getAttribute('#toggle-list', 'aria-pressed') !== 'true') await page.click('#toggle-list');
  await page.click(`#add-${kindKey}`);
  await page.waitForSelector(`#entity-form[data-kind="${kindKey}"]`);
  for (const [key, value] of Object.entries(fields)) {
    const el = page.locator(`#field-${key}`);
    const tag = await el.evaluate((n) => n.tagName.toLowerCase() + (n.type === 'checkbox' ? ':checkbox' : ''));
    if (tag === 'select') await el.selectOption(value);
    else if (tag === 'input:checkbox') await el.setChecked(value === true || value === 'true');
    else { await el.fill(String(value)); await el.blur(); }
  }
  await page.click('#save-entity');
  await checked(page);
}

/**
 * Decodes a stored copy written by `core::stored` (`cen-planner:z1:JSON_BYTES:ZLIB_BYTES:` then zlib
 * data packed 15 bits per UTF-16 unit, from U+3000) to its plan file text; any other text (a plain
 * plan file of an older version, or null) is returned as it is. Written from the format's description,
 * independently of the Rust code, with Node's zlib: the tests check the format, not only the round trip.
 */
export function decodeStored(text) {
  if (typeof text !== 'string' || !text.startsWith('cen-planner:')) return text;
  const m = /^cen-planner:z1:(\d+):(\d+):/.exec(text);
  if (!m) throw new Error(`not a z1 stored copy: ${text.slice(0, 40)}`);
  const [jsonBytes, zlibBytes] = [Number(m[1]), Number(m[2])];
  const bytes = Buffer.alloc(zlibBytes);
  let acc = 0, bits = 0, k = 0;
  for (let i = m[0].length; i < text.length; i++) {
    const v = text.charCodeAt(i) - 0x3000;
    if (v < 0 || v > 0x7fff) throw new Error(`unit ${i} out of range`);
    acc = (acc << 15) | v;
    bits += 15;
    while (bits >= 8 && k < zlibBytes) { bits -= 8; bytes[k++] = (acc >> bits) & 0xff; }
    acc &= (1 << bits) - 1;
  }
  if (k !== zlibBytes) throw new Error(`payload holds ${k} of ${zlibBytes} bytes`);
  const json = zlib.inflateSync(bytes).toString('utf8');
  if (Buffer.byteLength(json) !== jsonBytes) throw new Error('length differs from the header');
  return json;
}

/** Waits until the findings shown are those of the plan as it is now (a big plan is checked in the
 * analysis worker; meanwhile the panel says "checking…" and shows the previous findings). */
export async function checked(page, timeout = 60000) {
  // (`!== 'true'`: a build without the worker has no such attribute, and its findings are always current.)
  await page.waitForFunction(() => document.querySelector('#findings') && document.querySelector('#findings').dataset.checking !== 'true', null, { timeout });
}

/** The raw text of a localStorage key, once pending saves are done. */
export async function storedRaw(page, key = 'cen-planner.plan') {
  await page.waitForFunction(() => document.querySelector('#save-status')?.dataset.state !== 'saving');
  return page.evaluate((k) => localStorage.getItem(k), key);
}

/** The plan file text the app keeps in localStorage (decoded), once pending saves are done. */
export async function storedPlan(page) {
  return decodeStored(await storedRaw(page));
}

/**
 * Records every localStorage call of the page (`window.__storageLog`: op, key, start and end in
 * `performance.now()` ms). A save is one burst of calls (`persist::Saver::flush`: it reads the revision
 * stamp first and reads it back last), so the time of a save is the span of its burst (`saveSpans`).
 */
export async function recordStorage(context) {
  await context.addInitScript(() => {
    window.__storageLog = [];
    for (const op of ['getItem', 'setItem', 'removeItem']) {
      const original = Storage.prototype[op];
      Storage.prototype[op] = function (...args) {
        const start = performance.now();
        try { return original.apply(this, args); } finally { window.__storageLog.push({ op, key: args[0], start, end: performance.now() }); }
      };
    }
  });
}

/** The durations (ms) of the saves recorded since entry `from` of the storage log: from the last reading
 * of the revision stamp before the save writes (a big plan's save reads it when it asks the worker for
 * the stored copy, and again when the copy comes back) to the last call of the burst (the save ends by
 * writing the stamp and reading it back). */
export async function saveSpans(page, from = 0) {
  const log = (await page.evaluate(() => window.__storageLog)).slice(from);
  const spans = [];
  let open = null;
  for (const e of log) {
    if (e.op === 'getItem' && e.key === 'cen-planner.plan.rev' && (open === null || !log.some((x) => x.op === 'setItem' && x.start > open && x.start < e.start))) open = e.start;
    if (open !== null && e.op === 'setItem' && e.key === 'cen-planner.plan.rev') {
      const back = log.find((x) => x.start >= e.end && x.op === 'getItem' && x.key === 'cen-planner.plan.rev');
      spans.push((back ? back.end : e.end) - open);
      open = null;
    }
  }
  return spans;
}

/** Clicks an item of a toolbar menu (File, Report): opens its menu first, as a person would. */
export async function menuClick(page, selector) {
  await page.evaluate((sel) => { const d = document.querySelector(sel)?.closest('details'); if (d) d.open = true; }, selector);
  return page.click(selector);
}

/** One round of navigations to the app in `page` (its server at `base`), each timed by `performance.now()` in the new
 * page (from the navigation's start) when the toolbar's plan name is in it: `arrive`, the app opened from another
 * page (`about:blank`, as Lighthouse measures a navigation); `reload`, the app reloaded once it has loaded (its parts
 * fetched: no request for 500 ms); `backToBack`, reloaded again at once, while that page is still starting (its
 * first frame, its parts), which adds the teardown of a page mid-start to the new page's time. */
export async function navigationTimes(page, base) {
  const toolbar = () => page.evaluate(async () => {
    while (!document.querySelector('#plan-name')) await new Promise((r) => setTimeout(r, 1));
    return performance.now();
  });
  await page.goto('about:blank');
  await page.goto(base + '/');
  const arrive = await toolbar();
  await page.waitForLoadState('networkidle');
  await page.reload();
  const reload = await toolbar();
  await page.reload();
  const backToBack = await toolbar();
  return { arrive, reload, backToBack };
}
