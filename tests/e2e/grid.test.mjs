// The explorers' grids, image-first (issue 15 items 2 and 6): values as colour with a legend,
// the window gliding (not under prefers-reduced-motion), a band from the window to its output,
// and the hover mapping: an output cell lights exactly the input cells it reads (with dilation
// only the taps), an input cell lights exactly the outputs it feeds — by mouse, keyboard and tap.
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { SCREENSHOTS, useSite, watchedPage, launchBrowser, translations } from "./harness.mjs";

const site = useSite();

// The case the issue names: 7 × 7 input, 3 × 3 kernel, stride 2, padding 1, dilation 2.
const [N, K, S, P, D] = [7, 3, 2, 1, 2];
const OUT = Math.floor((N + 2 * P - D * (K - 1) - 1) / S) + 1; // PyTorch's formula: 3

/** Padded cells (row 0 = the first padding row) output (oy, ox) reads: PyTorch's taps. */
function windowOf(oy, ox) {
  const cells = [];
  for (let ky = 0; ky < K; ky++) for (let kx = 0; kx < K; kx++) cells.push(`${oy * S + ky * D},${ox * S + kx * D}`);
  return cells.sort();
}

/** Outputs that read input x[i, j] (padded (i + P, j + P)), by trying every output's window. */
function fedBy(i, j) {
  const out = [];
  for (let oy = 0; oy < OUT; oy++)
    for (let ox = 0; ox < OUT; ox++) if (windowOf(oy, ox).includes(`${i + P},${j + P}`)) out.push(`${oy},${ox}`);
  return out.sort();
}

const litInputs = (page) =>
  page.$$eval(".conv-input .cell.lit", (els) => els.map((e) => `${e.dataset.py},${e.dataset.px}`).sort());
const litOutputs = (page) =>
  page.$$eval(".conv-output .cell.lit", (els) => els.map((e) => `${e.dataset.row},${e.dataset.col}`).sort());
const outCell = (oy, ox) => `.conv-output [data-row="${oy}"][data-col="${ox}"]`;
const inCell = (i, j) => `.conv-input input[data-row="${i}"][data-col="${j}"]`;

/** The lowest WCAG contrast between a shaded cell's number and its background, in `scope`. */
const minContrast = (page, scope) =>
  page.$$eval(`${scope} .cell.shaded`, (els) => {
    const rgb = (c) => {
      const m = c.match(/color\(srgb ([\d.e-]+) ([\d.e-]+) ([\d.e-]+)/);
      if (m) return m.slice(1, 4).map(Number);
      return c.match(/[\d.]+/g).slice(0, 3).map((v) => Number(v) / 255);
    };
    const lum = (c) => {
      const [r, g, b] = rgb(c).map((v) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    return Math.min(
      ...els.map((e) => {
        const s = getComputedStyle(e);
        const [a, b] = [lum(s.color), lum(s.backgroundColor)].sort((x, y) => y - x);
        return (a + 0.05) / (b + 0.05);
      }),
    );
  });

async function open(context, { lang = "en", theme = "light", viewport = { width: 1280, height: 800 }, motion = "no-preference" } = {}) {
  const { page, problems } = await watchedPage(context);
  await page.setViewportSize(viewport);
  await page.emulateMedia({ reducedMotion: motion });
  await page.goto(`${site.server.base}?lang=${lang}&theme=${theme}#/convolution`);
  await page.waitForSelector(".conv-explorer");
  await page.selectOption(".conv-n", String(N));
  await page.selectOption(".conv-padding", String(P));
  await page.selectOption(".conv-stride", String(S));
  await page.selectOption(".conv-dilation", String(D));
  await page.waitForFunction((n) => document.querySelectorAll(".conv-output .cell").length === n, OUT * OUT);
  return { page, problems };
}

test("hovering an output lights exactly its taps; hovering an input lights exactly the outputs it feeds", async () => {
  const { page, problems } = await open(site.browser.context);
  // By hand: output (0, 1) reads padded rows 0, 2, 4 × columns 2, 4, 6 (row 0 is padding).
  const expected01 = ["0,2", "0,4", "0,6", "2,2", "2,4", "2,6", "4,2", "4,4", "4,6"];
  assert.deepEqual(windowOf(0, 1), expected01);
  await page.hover(outCell(0, 1));
  assert.deepEqual(await litInputs(page), expected01);
  assert.ok((await page.getAttribute(outCell(0, 1), "class")).split(" ").includes("hovered"));
  // The gliding outline spans the dilated window: 5 × 5 cells from padded (0, 2).
  const box = await page.getAttribute(".conv-input .win-box", "style");
  assert.match(box, /--top: 0; --left: 2; --h: 5; --w: 5/);
  assert.notEqual(await page.getAttribute(".win-link path", "style"), "d: none");
  // x[3, 3] feeds all nine outputs (taps 2, 1, 0); x[1, 1] four; x[2, 2] none (odd rows and
  // columns are never a tap with stride 2 and dilation 2).
  assert.equal(fedBy(3, 3).length, 9);
  assert.deepEqual(fedBy(1, 1), ["0,0", "0,1", "1,0", "1,1"]);
  assert.deepEqual(fedBy(2, 2), []);
  for (const [i, j] of [[3, 3], [1, 1], [2, 2], [0, 6]]) {
    await page.hover(inCell(i, j));
    assert.deepEqual(await litOutputs(page), fedBy(i, j), `x[${i}, ${j}]`);
    assert.equal(await page.locator(".conv-input .cell.lit").count(), 0);
  }
  await page.mouse.move(0, 0);
  assert.equal(await page.locator(".cell.lit").count(), 0);
  assert.deepEqual(problems(), []);
  await page.close();
});

test("keyboard focus does what hover does; the focus follows the arrow keys across outputs", async () => {
  const { page, problems } = await open(site.browser.context);
  await page.mouse.move(0, 0);
  // The output grid has one tab stop (the current cell), just before the stepper.
  await page.focus(".conv-first");
  await page.keyboard.press("Shift+Tab");
  assert.equal(await page.evaluate(() => document.activeElement.dataset.i), "0");
  assert.deepEqual(await litInputs(page), windowOf(0, 0));
  await page.keyboard.press("ArrowRight");
  assert.equal(await page.evaluate(() => `${document.activeElement.dataset.row},${document.activeElement.dataset.col}`), "0,1");
  assert.deepEqual(await litInputs(page), windowOf(0, 1));
  assert.match(await page.textContent(".conv-narration"), /^out\[0, 1\] = /);
  // Tab from x[3, 2] to x[3, 3]: its nine outputs light.
  await page.focus(inCell(3, 2));
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute("aria-label")), "x[3, 3]");
  assert.deepEqual(await litOutputs(page), fedBy(3, 3));
  await page.keyboard.press("Shift+Tab");
  assert.deepEqual(await litOutputs(page), fedBy(3, 2));
  assert.deepEqual(problems(), []);
  await page.close();
});

test("tapping an output steps there and lights its window; tapping an input lights its outputs", async () => {
  const phone = await launchBrowser({ hasTouch: true, isMobile: true, viewport: { width: 360, height: 740 } });
  try {
    const { page, problems } = await open(phone.context, { viewport: { width: 360, height: 740 } });
    await page.tap(outCell(1, 1));
    assert.match(await page.textContent(".conv-narration"), /^out\[1, 1\] = /);
    assert.deepEqual(await litInputs(page), windowOf(1, 1));
    await page.tap(inCell(1, 1));
    assert.deepEqual(await litOutputs(page), fedBy(1, 1));
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `scrolls sideways by ${overflow} px`);
    assert.deepEqual(problems(), []);
  } finally {
    await phone.close();
  }
});

test("the window glides, except under prefers-reduced-motion", async () => {
  for (const [motion, glides] of [["no-preference", true], ["reduce", false]]) {
    const { page, problems } = await open(site.browser.context, { motion });
    const durations = await page.$eval(".conv-input .win-box", (e) => getComputedStyle(e).transitionDuration);
    assert.equal(durations.split(",").some((d) => parseFloat(d) > 0), glides, `${motion}: ${durations}`);
    const band = await page.$eval(".win-link path", (e) => getComputedStyle(e).transitionDuration);
    assert.equal(parseFloat(band) > 0, glides, `${motion}: band ${band}`);
    assert.deepEqual(problems(), []);
    await page.close();
  }
});

test("each legend's ends are its grid's smallest and largest values; cells are coloured by value", async () => {
  const { page, problems } = await open(site.browser.context);
  await page.selectOption(".conv-kernel-preset", "sobel_x");
  await page.focus(".conv-grids");
  await page.keyboard.press("End");
  for (const [figure, read] of [
    [".conv-input", (p) => p.$$eval(".conv-input input.cell", (els) => els.map((e) => Number(e.value)))],
    [".conv-kernel", (p) => p.$$eval(".conv-kernel input.cell", (els) => els.map((e) => Number(e.value)))],
    [".conv-output", (p) => p.$$eval(".conv-output .cell", (els) => els.map((e) => Number(e.textContent)))],
  ]) {
    const values = await read(page);
    const lo = Number(await page.textContent(`${figure} .legend-lo`));
    const hi = Number(await page.textContent(`${figure} .legend-hi`));
    assert.deepEqual([lo, hi], [Math.min(...values), Math.max(...values)], figure);
  }
  // Sobel's weights are signed: blue for −, red for +; the input (0…9) is grey.
  assert.ok(await page.locator(".conv-kernel .cell.shade-neg").count() > 0);
  assert.ok(await page.locator(".conv-kernel .cell.shade-pos").count() > 0);
  assert.equal(await page.locator(".conv-input input.cell.shade-grey").count(), N * N);
  const [paper, ink] = await page.$$eval(".conv-input input.cell", (els) => {
    const bg = (v) => getComputedStyle(els.find((e) => Number(e.value) === v)).backgroundColor;
    const values = els.map((e) => Number(e.value));
    return [bg(Math.min(...values)), bg(Math.max(...values))];
  });
  assert.notEqual(paper, ink);
  assert.deepEqual(problems(), []);
  await page.close();
});

for (const [lang, theme, width] of [
  ["en", "light", 1280],
  ["zh", "dark", 1280],
  ["en", "dark", 360],
  ["zh", "light", 360],
]) {
  test(`screenshots: the mapping and a 16 × 16 digit (${lang}, ${theme}, ${width} px)`, async () => {
    // Tall enough that the grids fit under the sticky top bar (the width is what matters).
    const viewport = { width, height: 1400 };
    const { page, problems } = await open(site.browser.context, { lang, theme, viewport });
    await page.selectOption(".conv-kernel-preset", "sobel_x");
    const contrast = await minContrast(page, ".conv-grids");
    assert.ok(contrast >= 4.5, `a cell's number has contrast ${contrast.toFixed(2)}`);
    if (lang === "zh") assert.equal(await page.textContent("#conv-heading"), translations("zh").get("conv.heading"));
    // Scroll first (scrolling moves the page under the mouse), then hover, let the window glide
    // there, and shoot the grids where they are on the page.
    const shoot = async (name) => {
      await page.waitForTimeout(400);
      const box = await page.locator(".conv-explorer .conv-grids").boundingBox();
      await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-${lang}-${theme}-${width}.png`), clip: box });
    };
    await page.$eval(".conv-explorer .conv-grids", (e) => e.scrollIntoView({ block: "center" }));
    await page.hover(outCell(0, 1));
    assert.deepEqual(await litInputs(page), windowOf(0, 1));
    await shoot("grid-hover-out");
    await page.hover(inCell(1, 1));
    assert.deepEqual(await litOutputs(page), fedBy(1, 1));
    await shoot("grid-hover-in");
    // The largest input the explorer takes, a real digit: colour only where cells get small.
    await page.selectOption(".conv-n", "16");
    await page.selectOption(".conv-input-preset", "mnist");
    await page.mouse.move(0, 0);
    const side = await page.$eval(".conv-input input.cell", (e) => e.getBoundingClientRect().width);
    assert.ok(side >= 8, `input cells are ${side} px`);
    await page.$eval(".conv-explorer .conv-grids", (e) => e.scrollIntoView({ block: "center" }));
    await shoot("grid-mnist");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `scrolls sideways by ${overflow} px`);
    assert.deepEqual(problems(), []);
    await page.close();
  });
}

test("pooling: an output lights its window, an input cell the outputs it feeds (stride 1 overlaps)", async () => {
  const { page, problems } = await watchedPage(site.browser.context);
  await page.goto(`${site.server.base}?lang=en#/pooling`);
  await page.waitForSelector(".pool-explorer");
  const lit = (sel) =>
    page.$$eval(`.pool-channel[data-channel="0"] ${sel} .cell.lit`, (els) => els.map((e) => `${e.dataset.row},${e.dataset.col}`).sort());
  // MaxPool2d(2) on 4 × 4: output (0, 1) reads rows 0–1, columns 2–3.
  await page.hover('.pool-channel[data-channel="0"] .pool-output [data-row="0"][data-col="1"]');
  assert.deepEqual(await lit("figure:first-child"), ["0,2", "0,3", "1,2", "1,3"]);
  // The hovered window is the one ringed, and the hovered output is marked.
  assert.equal(await page.locator('.pool-channel[data-channel="0"] .cell.in-window').count(), 0);
  assert.equal(await page.locator('.pool-channel[data-channel="0"] .pool-output .cell.hovered').count(), 1);
  await page.selectOption(".pool-stride", "1");
  await page.hover('.pool-channel[data-channel="0"] figure:first-child [data-row="1"][data-col="1"]');
  assert.deepEqual(await lit(".pool-output"), ["0,0", "0,1", "1,0", "1,1"]);
  // Keyboard: the current output is the grid's tab stop; the arrow keys move it with the focus.
  await page.mouse.move(0, 0);
  await page.focus('.pool-output .cell[tabindex="0"]');
  await page.keyboard.press("ArrowRight");
  await page.waitForFunction(() => document.activeElement?.dataset.i === "1");
  assert.deepEqual(await lit("figure:first-child"), ["0,1", "0,2", "1,1", "1,2"]);
  const legend = [await page.textContent(".pool-channel .legend-lo"), await page.textContent(".pool-channel .legend-hi")];
  const values = (await page.locator('.pool-channel[data-channel="0"] figure:first-child .cell').allTextContents()).map(Number);
  assert.deepEqual(legend.map(Number), [Math.min(...values), Math.max(...values)]);
  await page.selectOption(".pool-channels", "2");
  await page.check(".pool-backward");
  await page.setViewportSize({ width: 1280, height: 1600 });
  await page.$eval(".pool-grids", (e) => e.scrollIntoView({ block: "center" }));
  await page.hover('.pool-channel[data-channel="1"] .pool-output [data-row="1"][data-col="1"]');
  await page.waitForTimeout(400);
  await page.screenshot({ path: path.join(SCREENSHOTS, "grid-pool-en-light-1280.png"), clip: await page.locator(".pool-grids").boundingBox() });
  assert.deepEqual(problems(), []);
  await page.close();
});
