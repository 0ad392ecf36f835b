// Value colour in the many-channel, 1×1 and network views (issue 15, item 2): every cell carries
// the core's value (data-value) and is filled with the palette's colour for it on its row's
// legend scale (data-lo, data-hi, data-palette), in both themes; the volumes' cells are coloured
// the same; the network view's columns have legends in their canvases' colours. The many-channel
// explorer's hover mapping lights the hovered output's window in every channel slice it reads
// (padding and groups included); the window glides, also when the kernel changes shape, and the
// band from the window to its output glides with it, except under prefers-reduced-motion.
// Screenshots: target/screenshots/values-*.png.
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { SCREENSHOTS, useSite, watchedPage } from "./harness.mjs";

const site = useSite();
const state = (key, value) => `&${key}=${encodeURIComponent(JSON.stringify(value))}`;

const open = async (slug, query = "", { lang = "en", width = 1280, height = 800, theme = "", motion = "no-preference" } = {}) => {
  const { page, problems } = await watchedPage(site.browser.context);
  await page.setViewportSize({ width, height });
  await page.emulateMedia({ reducedMotion: motion });
  await page.goto(`${site.server.base}?lang=${lang}${theme ? `&theme=${theme}` : ""}${query}#/${slug}`);
  await page.waitForSelector("article.page .widget");
  return { page, problems };
};

/**
 * Every `[data-value]` cell under `scope` against its row's legend: the expected fill is the
 * palette's end colour mixed |level| into the paper (grey: (v − lo)/(hi − lo); diverging:
 * v / max(|lo|, |hi|); the level rounded to whole percent, as drawn). Returns the mismatches
 * and how many cells were checked. `row` names the element that holds a grid row and its legend.
 */
const colourMismatches = (page, scope, row) =>
  page.evaluate(
    ([scope, row]) => {
      const rgb = (c) => {
        const m = /color\(srgb ([\d.e-]+) ([\d.e-]+) ([\d.e-]+)/.exec(c);
        if (m) return [m[1], m[2], m[3]].map((v) => Number(v) * 255);
        return (c.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
      };
      const probe = (el, css) => {
        const p = document.createElement("span");
        p.style.background = css;
        el.appendChild(p);
        const c = rgb(getComputedStyle(p).backgroundColor);
        p.remove();
        return c;
      };
      const bad = [];
      let checked = 0;
      for (const cell of document.querySelectorAll(`${scope} [data-value]`)) {
        const holder = cell.closest(row);
        const legend = holder?.querySelector(".legend");
        if (!legend) {
          bad.push(`no legend for ${cell.title}`);
          continue;
        }
        const [lo, hi, v] = [Number(legend.dataset.lo), Number(legend.dataset.hi), Number(cell.dataset.value)];
        const grey = legend.dataset.palette === "grey";
        const level = grey ? (hi > lo ? (v - lo) / (hi - lo) : 0) : Math.max(Math.abs(lo), Math.abs(hi)) > 0 ? v / Math.max(Math.abs(lo), Math.abs(hi)) : 0;
        const pct = Math.round(Math.abs(level) * 100) / 100;
        const end = probe(holder, grey ? "var(--p-ink)" : level < 0 ? "var(--p-neg)" : "var(--p-pos)");
        const paper = probe(holder, "var(--p-paper)");
        const want = end.map((e, i) => e * pct + paper[i] * (1 - pct));
        const style = getComputedStyle(cell);
        const got = rgb(cell instanceof SVGElement ? style.fill : style.backgroundColor);
        checked += 1;
        if (v < lo - 1e-6 || v > hi + 1e-6 || want.some((w, i) => Math.abs(w - got[i]) > 1.5)) {
          bad.push(`${cell.title} = ${v} on ${lo}…${hi}: want ${want.map(Math.round)} got ${got.map(Math.round)}`);
        }
      }
      return { bad, checked };
    },
    [scope, row],
  );

for (const theme of ["light", "dark"]) {
  test(`many-channel (${theme}): inputs, kernels and outputs carry the core's values, coloured on their legend's scale`, async () => {
    const { page, problems } = await open("channels", state("channels", { cin: 3, cout: 2, k: 3, padding: 1, depthwise: false, at: [1, 2, 3] }), { theme });
    await page.waitForSelector(".channels-explorer [data-grid=output] [data-value]");
    const { bad, checked } = await colourMismatches(page, ".channels-explorer .channel-rows", ".channel-row");
    assert.deepEqual(bad, []);
    // 3 inputs of 5 × 5, 3 kernel slices of 3 × 3, 2 outputs of 5 × 5.
    assert.equal(checked, 75 + 27 + 50);
    // The chosen value, recomputed from the cells' own values: Σ taps · weights + bias, equals its
    // cell's data-value and the core's sum printed under the grids.
    const r = await page.evaluate(() => {
      const v = (el) => Number(el.dataset.value);
      const inputs = [...document.querySelectorAll(".channels-explorer [data-grid=input]")];
      const kernels = [...document.querySelectorAll(".channels-explorer [data-grid=kernel]")];
      let sum = 0;
      inputs.forEach((grid, c) => {
        const w = [...kernels[c].querySelectorAll("[data-value]")].map(v);
        for (let ky = 0; ky < 3; ky++)
          for (let kx = 0; kx < 3; kx++) {
            const cell = grid.querySelector(`[data-py="${2 + ky}"][data-px="${3 + kx}"]`);
            sum += (cell.dataset.value ? v(cell) : 0) * w[ky * 3 + kx];
          }
      });
      const text = document.querySelector(".channels-sums").textContent;
      const bias = Number(/\+ (-?[\d.]+) \S+ = (-?[\d.]+)$/.exec(text)[1]);
      const printed = Number(/= (-?[\d.]+)$/.exec(text)[1]);
      const cell = v(document.querySelector('.channels-explorer [data-at="1-2-3"]'));
      return { sum: sum + bias, printed, cell };
    });
    assert.ok(Math.abs(r.sum - r.cell) < 1e-4, JSON.stringify(r));
    assert.ok(Math.abs(r.printed - r.cell) < 0.006, JSON.stringify(r));
    // The volumes are coloured by value too: each input slice's cells as the grid's below.
    const volume = await page.evaluate(() => {
      const out = [];
      document.querySelectorAll(".channels-explorer [data-grid=input]").forEach((grid, c) => {
        const polys = document.querySelectorAll(`.volume-input .volume-slice[data-slice="${c}"] .volume-cell`);
        [...grid.querySelectorAll("[data-value]")].forEach((cell, i) => {
          const a = getComputedStyle(cell).backgroundColor;
          const b = getComputedStyle(polys[i]).fill;
          if (a !== b) out.push(`${c}/${i}: ${a} vs ${b}`);
        });
      });
      return out;
    });
    assert.deepEqual(volume, []);
    assert.ok((await page.locator(".volume-output .volume-cell.shaded").count()) >= 50);
    assert.deepEqual(problems(), []);
    await page.close();
  });
}

/** The padded cells lit in each input channel slice. */
const litPerChannel = (page) =>
  page.$$eval(".channels-explorer figure[data-channel]:has([data-grid=input])", (figs) =>
    figs.map((f) => [...f.querySelectorAll(".cell.lit")].map((e) => `${e.dataset.py},${e.dataset.px}`).sort()),
  );
const padded = (oy, ox, k) => {
  const out = [];
  for (let ky = 0; ky < k; ky++) for (let kx = 0; kx < k; kx++) out.push(`${oy + ky},${ox + kx}`);
  return out.sort();
};

test("many-channel: hovering or focusing an output lights its window in every channel slice it reads (padding, groups)", async () => {
  const { page, problems } = await open("channels", state("channels", { cin: 3, cout: 3, k: 3, padding: 1, depthwise: false, at: [0, 0, 0] }));
  await page.waitForSelector('.channels-explorer [data-at="1-0-4"]');
  await page.hover('.channels-explorer [data-at="1-0-4"]');
  // Output (0, 4) reads padded rows 0–2, columns 4–6 (row 0 and column 6 are padding), in all 3.
  const want = padded(0, 4, 3);
  assert.deepEqual(await litPerChannel(page), [want, want, want]);
  assert.equal(await page.getAttribute('.channels-explorer [data-at="1-0-4"]', "class").then((c) => c.includes("hovered")), true);
  // The outline of the window sits on it in each slice.
  const boxes = await page.$$eval(".channels-explorer [data-grid=input] .win-box", (els) => els.map((e) => e.getAttribute("style")));
  assert.equal(boxes.length, 3);
  for (const s of boxes) assert.match(s, /--top: 0; --left: 4; --h: 3; --w: 3/);
  // Leaving: nothing lit; the chosen value's window is ringed again.
  await page.mouse.move(2, 2);
  assert.deepEqual(await litPerChannel(page), [[], [], []]);
  // Groups = 3: output channel 2 reads only input channel 2; by keyboard focus as by hover.
  await page.check(".channels-depthwise");
  await page.focus('.channels-explorer [data-at="2-2-2"]');
  assert.deepEqual(await litPerChannel(page), [[], [], padded(2, 2, 3)]);
  const shown = await page.$$eval(".channels-explorer [data-grid=input] .win-box", (els) => els.map((e) => e.getAttribute("style")));
  assert.deepEqual(shown.map((s) => s.includes("display: none")), [true, true, false]);
  assert.deepEqual(problems(), []);
  await page.close();
});

/** Chooses `value` in the select `sel` and reads `read(sel)` a frame later, in the page (so that
 * a slow machine still reads while the 0.25 s transitions run), and once they are over. */
async function during(page, [select, value], read) {
  const mid = await page.evaluate(
    async ([select, value, read]) => {
      const el = document.querySelector(select);
      el.value = value;
      el.dispatchEvent(new Event("change", { bubbles: true }));
      await new Promise((r) => requestAnimationFrame(() => r()));
      return new Function(`return (${read})`)()();
    },
    [select, value, read],
  );
  await page.waitForTimeout(600);
  // Wait for the band (measured a frame after the change) to start, then end every transition.
  await page.waitForTimeout(100);
  const band = await page.evaluate(() => [...document.querySelectorAll(".win-link path")].some((p) => p.getAnimations().some((a) => a.transitionProperty === "d")));
  await page.evaluate(() => document.getAnimations().forEach((a) => a.finish()));
  return { mid, band, end: await page.evaluate((read) => new Function(`return (${read})`)()(), read) };
}

/** Transitions long enough to be seen running on a busy machine (the page's own are 0.25 s). */
const SLOW = ".win-box, .win-link path { transition-duration: 3s !important; }";

/** The CSS transitions running on the element `sel` (their properties), its width and mark. */
const moving = (sel) => {
  const e = document.querySelector(sel);
  return {
    box: e.getBoundingClientRect().width,
    same: e.dataset.mark === "1",
    running: e.getAnimations().map((a) => a.transitionProperty).sort(),
  };
};

for (const motion of ["no-preference", "reduce"]) {
  test(`the window and its band glide when the kernel changes shape (conv: size, dilation; many-channel: size) — ${motion}`, async () => {
    const { page, problems } = await open("convolution", "", { motion });
    await page.waitForSelector(".conv-input .win-box");
    if (motion !== "reduce") await page.addStyleTag({ content: SLOW });
    await page.$eval(".conv-explorer .conv-grids", (e) => e.scrollIntoView());
    const readIn = `() => {
      const m = (${moving.toString()})(".conv-input .win-box");
      const path = document.querySelector(".conv-explorer .win-link path");
      return { ...m, band: getComputedStyle(path).d, bandRunning: path.getAnimations().map((a) => a.transitionProperty) };
    }`;
    const read = () => page.evaluate((r) => new Function(`return (${r})`)()(), readIn);
    await page.$eval(".conv-input .win-box", (e) => (e.dataset.mark = "1"));
    await page.waitForTimeout(400);
    for (const [select, value] of [[".conv-k", "2"], [".conv-dilation", "2"], [".conv-k", "3"], [".conv-dilation", "1"], [".conv-k", "1"], [".conv-k", "3"]]) {
      const start = await read();
      const { mid, band, end } = await during(page, [select, value], readIn);
      assert.ok(mid.same && end.same, `${select} ${value}: the same outline moves`);
      assert.notEqual(start.box, end.box, `${select} ${value}: a new shape`);
      assert.notEqual(start.band, end.band);
      assert.deepEqual(end.running, [], "the transitions end");
      if (motion === "reduce") {
        assert.deepEqual([mid.running, mid.bandRunning, band], [[], [], false], `${select} ${value}: no motion`);
        assert.equal(mid.box, end.box);
      } else {
        assert.ok(mid.running.includes("width") && mid.running.includes("height"), `${select} ${value}: the outline glides: ${mid.running}`);
        assert.ok(band || mid.bandRunning.includes("d"), `${select} ${value}: the band glides`);
      }
    }
    await page.close();
    // The many-channel explorer: a new kernel size keeps the slices, the outline glides to it.
    const c = await open("channels", "", { motion });
    const sel = ".channels-explorer [data-grid=input] .win-box";
    await c.page.waitForSelector(sel);
    if (motion !== "reduce") await c.page.addStyleTag({ content: SLOW });
    await c.page.$eval(sel, (e) => (e.dataset.mark = "1"));
    const readC = `() => (${moving.toString()})(${JSON.stringify(sel)})`;
    const start = await c.page.evaluate((r) => new Function(`return (${r})`)()(), readC);
    const { mid, end } = await during(c.page, [".channels-k", "5"], readC);
    assert.ok(mid.same && end.same, "the same outline moves");
    assert.ok(start.box < end.box, `${start.box} < ${end.box}`);
    if (motion === "reduce") assert.deepEqual(mid.running, []);
    else assert.ok(mid.running.includes("width"), String(mid.running));
    assert.deepEqual([...problems(), ...c.problems()], []);
    await c.page.close();
  });
}

for (const theme of ["light", "dark"]) {
  test(`1×1 view (${theme}): inputs, weights and outputs so far coloured by value on their legends; the volume too`, async () => {
    const { page, problems } = await open("deeper", state("pointwise", { cout: 3, step: 9 }), { theme });
    await page.waitForSelector(".pointwise [data-grid=output] [data-value]");
    const { bad, checked } = await colourMismatches(page, ".pointwise .channel-rows, .pointwise .conv-grids", ".channel-row");
    assert.deepEqual(bad, []);
    // 3 inputs of 16 cells, 3 × 3 weights, 3 outputs of 10 cells so far.
    assert.equal(checked, 48 + 9 + 30);
    assert.equal(await page.locator(".pointwise .volume-output .volume-cell.shaded").count(), 30);
    assert.deepEqual(problems(), []);
    await page.close();
  });
}

test("network view: each column has a legend; a map's pixel is the legend's colour for the hovered value", async () => {
  const { page, problems } = await open("network");
  await page.waitForSelector('.nv-column[data-layer="conv1"] .nv-map canvas');
  const legends = await page.$$eval(".nv-column", (cols) => cols.map((c) => ({ layer: c.dataset.layer, lo: c.querySelector(".heat-legend")?.dataset.lo, hi: c.querySelector(".heat-legend")?.dataset.hi })));
  for (const l of legends.filter((l) => l.layer !== "fc")) assert.ok(l.lo !== undefined && l.hi !== undefined, JSON.stringify(l));
  assert.deepEqual([legends[0].lo, legends[0].hi].map(Number), [0, 1]);
  const conv1 = legends.find((l) => l.layer === "conv1");
  assert.ok(Number(conv1.hi) > 0 && Number(conv1.lo) === -Number(conv1.hi), JSON.stringify(conv1));
  // Hover conv1's first map at cell (12, 14): the status line gives the core's value.
  const map = page.locator('.nv-column[data-layer="conv1"] .nv-map').first();
  const box = await map.boundingBox();
  const [h, w] = await map.locator("canvas").evaluate((c) => [c.height, c.width]);
  await page.mouse.move(box.x + ((14 + 0.5) * box.width) / w, box.y + ((12 + 0.5) * box.height) / h);
  await page.waitForFunction(() => /\[0, 12, 14\] = /.test(document.querySelector(".nv-status").textContent));
  const r = await page.evaluate(() => {
    const v = Number(/= (-?[\d.e-]+)/.exec(document.querySelector(".nv-status").textContent)[1]);
    const col = document.querySelector('.nv-column[data-layer="conv1"]');
    const canvas = col.querySelector("canvas");
    const px = [...canvas.getContext("2d").getImageData(14, 12, 1, 1).data].slice(0, 3);
    const stops = (col.querySelector(".heat-legend .legend-bar").getAttribute("style").match(/rgb\([^)]*\)/g) ?? []).map((s) => s.match(/\d+/g).map(Number));
    return { v, px, stops, hi: Number(col.querySelector(".heat-legend").dataset.hi) };
  });
  const [neg, zero, pos] = r.stops;
  const t = Math.max(-1, Math.min(1, r.v / r.hi));
  const end = t < 0 ? neg : pos;
  const want = zero.map((z, i) => Math.round(z + (end[i] - z) * Math.abs(t)));
  for (let i = 0; i < 3; i++) assert.ok(Math.abs(want[i] - r.px[i]) <= 1, `${JSON.stringify(r)} want ${want}`);
  assert.deepEqual(problems(), []);
  await page.close();
});

// Screenshots of the views changed, 1280 × 800 and 360 px, en and zh, light and dark.
const SHOTS = [
  ["channels", state("channels", { cin: 3, cout: 2, k: 3, padding: 1, depthwise: false, at: [1, 2, 3] }), ".channels-explorer", '.channels-explorer [data-at="0-1-1"]'],
  ["deeper", state("pointwise", { cout: 3, step: 9 }), ".pointwise", null],
  ["network", "", ".network-view", null],
];
for (const lang of ["en", "zh"]) {
  for (const theme of ["light", "dark"]) {
    for (const width of [1280, 360]) {
      test(`screenshots: many-channel, 1×1 and network views (${lang}, ${theme}, ${width} px)`, async () => {
        for (const [slug, query, widget, hover] of SHOTS) {
          const { page, problems } = await open(slug, query, { lang, theme, width, height: width === 360 ? 740 : 800 });
          await page.waitForSelector(`${widget} canvas, ${widget} [data-value]`);
          await page.$eval(widget, (e) => e.scrollIntoView());
          if (hover && width > 360) {
            await page.hover(hover);
            await page.waitForTimeout(400);
          }
          await page.waitForTimeout(300);
          const name = slug === "deeper" ? "pointwise" : slug;
          // 1280: the screen as a learner sees it; 360: the whole widget, as it stacks.
          const file = path.join(SCREENSHOTS, `values-${name}-${lang}-${theme}-${width}.png`);
          if (width === 360) await page.locator(widget).screenshot({ path: file });
          else await page.screenshot({ path: file });
          const wide = await page.evaluate(() => document.documentElement.scrollWidth);
          assert.ok(wide <= width, `${slug}: page width ${wide}`);
          // On a phone each row of channel slices takes the visual's width (none squeezed into a
          // column; at 1280 px the 1×1 view's weights sit beside its inputs).
          const rows = await page.$$eval(`${widget} .channel-row`, (els) =>
            els.map((e) => e.getBoundingClientRect().width / e.closest(".explorer-visual").getBoundingClientRect().width),
          );
          for (const r of rows) assert.ok(width > 360 || r > 0.9, `${slug}: a row ${Math.round(r * 100)} % of the visual's width`);
          assert.deepEqual(problems(), []);
          await page.close();
        }
      });
    }
  }
}
