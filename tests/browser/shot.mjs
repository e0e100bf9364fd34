// Takes screenshots of the app for people to look at: node shot.mjs [example-key] [light|dark]
import { startServer, launch, openApp, ARTIFACTS, openExample } from './harness.mjs';
import fs from 'node:fs';
const [key = 'seed-003-vpn-global-network', scheme = 'light'] = process.argv.slice(2);
const server = await startServer();
const browser = await launch();
const { page } = await openApp(browser, server, { colorScheme: scheme });
await openExample(page, key);
await page.waitForTimeout(300);
if (process.argv[4]) await page.click(`.entity[data-id="${process.argv[4]}"]`);
fs.mkdirSync(ARTIFACTS, { recursive: true });
const file = `${ARTIFACTS}/${key}-${scheme}.png`;
await page.screenshot({ path: file });
console.log(file, page.errors);
await browser.close(); server.close();
