// Helpers of the drawing tests: a counter of what a person does, and the canvas's selectors.

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
    const a = await page.locator(from).boundingBox();
    const b = await page.locator(to).boundingBox();
    await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
    await page.mouse.down();
    await page.mouse.move((a.x + b.x) / 2 + 20, (a.y + b.y) / 2 + 20, { steps: 4 });
    await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 4 });
    await page.mouse.up();
  };
  return c;
}

export const node = (id) => `#diagram .node[data-id="${id}"]`;
export const handle = (id) => `${node(id)} .handle`;
export const region = (id) => `#diagram .container[data-region="${id}"] > .container-label`;
export const regionHandle = (id) => `#diagram [data-region-handle="${id}"]`;

