// Shared browser-test harness: serves the release build (dist/) on 127.0.0.1 from inside the test
// process and drives Debian's Chromium through playwright-core. Nothing is downloaded; the page
// may only request its own files (any other request fails the test that made it).
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
export const DIST = process.env.DIST || path.join(ROOT, 'dist');
export const EXAMPLES = path.join(ROOT, 'examples');
export const ARTIFACTS = path.join(ROOT, 'tests/browser/artifacts');

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json', '.txt': 'text/plain' };

export function startServer() {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    let file = path.normalize(path.join(DIST, decodeURIComponent(url.pathname)));
    if (!file.startsWith(DIST)) { res.writeHead(403).end(); return; }
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

/** Adds an entity through the sidebar form: `fields` maps field keys to text or option values. */
export async function addEntity(page, kindKey, fields) {
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
}

/** The plan file text the app keeps in localStorage, once pending saves are done. */
export async function storedPlan(page) {
  await page.waitForFunction(() => document.querySelector('#save-status')?.dataset.state !== 'saving');
  return page.evaluate(() => localStorage.getItem('cen-planner.plan'));
}
