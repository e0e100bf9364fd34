// Helpers of the drawing tests: a counter of what a person does, the canvas's selectors, and the
// check that a drawn plan behaves as its example.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { EXAMPLES } from './harness.mjs';

/** Counts what a person does: clicks, drags, non-text keys and fields filled, and the characters typed. */
export function counter(page) {
  const c = { actions: 0, typed: 0, log: [] };
  const note = (what) => { c.actions++; c.log.push(what); };
  c.click = async (sel) => { note(`click ${sel}`); await page.click(sel); };
  c.select = async (sel, value) => { note(`select ${sel}=${value}`); await page.selectOption(sel, value); };
  c.check = async (sel) => { note(`check ${sel}`); await page.check(sel); };
  c.fill = async (sel, text) => {
    note(`fill ${sel}`);
    c.typed += text.length;
    await page.fill(sel, text);
    // Leaving the field applies it (a Tab, not counted: typing the value is the action).
    await page.locator(sel).blur();
  };
  c.drag = async (from, to) => {
    note(`drag ${from} → ${to}`);
    const a = await box(page, from);
    const b = await box(page, to);
    await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
    await page.mouse.down();
    await page.mouse.move((a.x + b.x) / 2 + 20, (a.y + b.y) / 2 + 20, { steps: 4 });
    await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 4 });
    await page.mouse.up();
  };
  return c;
}

/** The element's box; the canvas redraws one task after an edit, so a node may be between two drawings. */
async function box(page, sel) {
  for (let i = 0; i < 40; i++) {
    const b = await page.locator(sel).boundingBox().catch(() => null);
    if (b) return b;
    await page.waitForTimeout(25);
  }
  throw new Error(`${sel} is not on the canvas`);
}

export const node = (id) => `#diagram .node[data-id="${id}"]`;
export const handle = (id) => `${node(id)} .handle`;
export const region = (id) => `#diagram .container[data-region="${id}"] > .container-label`;
export const regionHandle = (id) => `#diagram [data-region-handle="${id}"]`;


/**
 * Asserts that a drawn plan (its stored text) behaves as the example `exampleFile` of `examples/`:
 * the drawn ids are renamed by `ids` (ids are free text), names and notes are copied from the example
 * by id, and `cen-planner diff` (when `CEN_PLANNER_BIN` is set) finds nothing added, removed or
 * answered differently; the fields that differ are only those in `free` (what a person writes).
 */
export function behavesAs(storedText, exampleFile, { ids = {}, free = ['zone', 'created_on', 'attached_on', 'uid'] } = {}) {
  const example = JSON.parse(fs.readFileSync(path.join(EXAMPLES, exampleFile), 'utf8'));
  let text = storedText;
  for (const [from, to] of Object.entries(ids)) text = text.replaceAll(`"${from}"`, `"${to}"`);
  const drawn = JSON.parse(text);
  const names = new Map();
  for (const list of Object.values(example.plan)) if (Array.isArray(list)) for (const e of list) if (e.id) names.set(e.id, e.name);
  const drawnIds = [];
  for (const list of Object.values(drawn.plan)) if (Array.isArray(list)) for (const e of list) if (e.id) { drawnIds.push(e.id); if (names.has(e.id) && e.name !== undefined) e.name = names.get(e.id); }
  assert.deepEqual(drawnIds.sort(), [...names.keys()].sort(), 'the same entities, with the same ids');
  drawn.plan.name = example.plan.name;
  drawn.plan.notes = example.plan.notes;
  delete drawn.plan.layout;
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cen-planner-drawn-')), 'drawn.json');
  fs.writeFileSync(file, JSON.stringify(drawn, null, 2));
  if (!process.env.CEN_PLANNER_BIN) return;
  let out;
  try {
    out = execFileSync(process.env.CEN_PLANNER_BIN, ['diff', path.join(EXAMPLES, exampleFile), file, '--format', 'json'], { encoding: 'utf8' });
  } catch (e) { out = e.stdout; }
  const d = JSON.parse(out);
  assert.deepEqual(d.added, []);
  assert.deepEqual(d.removed, []);
  assert.deepEqual(d.findings_appeared, [], JSON.stringify(d.findings_appeared));
  assert.deepEqual(d.findings_gone, [], JSON.stringify(d.findings_gone));
  assert.deepEqual(d.routes_gained, []);
  assert.deepEqual(d.routes_lost, []);
  assert.deepEqual(d.reachability, []);
  // What differs is only what a person writes and does not change an answer.
  for (const e of d.changed) assert.ok(e.fields.every((f) => free.includes(f)), JSON.stringify(e));
}
