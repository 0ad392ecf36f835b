// What a new learner hits (issue 18, items 20 to 25): smaller slips in the wording and the
// keyboard, and what looks wrong (squashed checkboxes, clipped selects, tiny chart labels, white
// feature maps on the dark page, the share bar over the card's border, a table that scrolls
// without saying so, the raster and vector views zoomed on different places). Each test names its
// item.
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { SCREENSHOTS, useSite, watchedPage, translations, routes, sevenPng } from "./harness.mjs";

const site = useSite();
const en = translations("en");
const zh = translations("zh");

const open = async (slug, { query = "", lang = "en", width = 1280, height = 800, theme = "" } = {}) => {
  const { page, problems } = await watchedPage(site.browser.context);
  await page.setViewportSize({ width, height });
  await page.goto(`${site.server.base}?lang=${lang}${theme ? `&theme=${theme}` : ""}${query}#/${slug}`);
  await page.waitForSelector("article.page .widget, .embed-root .widget");
  return { page, problems };
};
const shot = (locator, name) => locator.screenshot({ path: path.join(SCREENSHOTS, `look-${name}.png`) });

/** Draws a 7 on the MNIST page's drawing pad. */
async function drawSeven(page) {
  const pad = page.locator("canvas.draw-pad");
  await pad.scrollIntoViewIfNeeded();
  const b = await pad.boundingBox();
  await page.mouse.move(b.x + b.width * 0.25, b.y + b.height * 0.2);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width * 0.75, b.y + b.height * 0.2, { steps: 6 });
  await page.mouse.move(b.x + b.width * 0.45, b.y + b.height * 0.85, { steps: 6 });
  await page.mouse.up();
}


test("item 20: the drawing's preprocessing steps are numbered from 1; an upload's sizes sit on their own line", async () => {
  const { page, problems } = await open("mnist");
  await page.waitForFunction(() => document.querySelector(".model-source")?.textContent.includes("98.93"));
  await drawSeven(page);
  await page.waitForSelector(".draw-step");
  const drawn = await page.locator(".draw-step figcaption").allTextContents();
  assert.deepEqual(drawn, [
    `1. ${en.get("upload.step_crop")}`,
    `2. ${en.get("upload.step_scale")}`,
    `3. ${en.get("upload.step_centre")}`,
  ]);
  const png = await sevenPng(page);
  await page.setInputFiles(".upload-input", { name: "seven.png", mimeType: "image/png", buffer: Buffer.from(png, "base64") });
  await page.waitForFunction(() => document.querySelectorAll(".upload-step").length === 5);
  const steps = await page.locator(".upload-step").evaluateAll((figs) =>
    figs.map((f) => {
      const name = f.querySelector(".upload-step-name");
      const size = f.querySelector(".upload-size");
      return {
        name: name?.textContent,
        size: size?.textContent,
        nameBottom: name?.getBoundingClientRect().bottom,
        sizeTop: size?.getBoundingClientRect().top,
        box: f.getBoundingClientRect().toJSON(),
      };
    }),
  );
  const keys = ["step_original", "step_ink", "step_crop", "step_scale", "step_centre"];
  steps.forEach((s, i) => {
    assert.equal(s.name, `${i + 1}. ${en.get(`upload.${keys[i]}`)}`);
    assert.match(s.size ?? "", /^\d+ × \d+ pixels$/, JSON.stringify(s));
    assert.ok(s.sizeTop >= s.nameBottom - 0.5, `the size is on its own line: ${JSON.stringify(s)}`);
  });
  // The captions do not run into one another.
  for (let i = 1; i < steps.length; i++) {
    const [a, b] = [steps[i - 1].box, steps[i].box];
    const apart = a.right <= b.left + 0.5 || b.top >= a.bottom - 0.5;
    assert.ok(apart, `${JSON.stringify(a)} / ${JSON.stringify(b)}`);
  }
  await shot(page.locator(".upload-digit"), "upload-en-1280");
  assert.deepEqual(problems(), []);
  await page.close();
});

test("item 20: the list of mistakes says how many it shows of how many", async () => {
  const { page, problems } = await open("mnist");
  await page.waitForFunction(() => document.querySelector(".model-source")?.textContent.includes("98.93"));
  await page.click(".eval-run");
  await page.waitForSelector(".eval-result[data-predictions]", { timeout: 120_000 });
  await page.waitForSelector(".eval-wrong-count", { timeout: 10_000 });
  const summary = await page.textContent(".eval-summary");
  const [, correct, total] = /\((\d+) \/ (\d+)\)/.exec(summary).map(Number);
  const tiles = await page.locator(".eval-wrong .tile").count();
  assert.equal(tiles, 36);
  assert.equal(
    await page.textContent(".eval-wrong-count"),
    en.get("eval.wrong_shown").replace("{shown}", "36").replace("{total}", String(total - correct)),
  );
  assert.deepEqual(problems(), []);
  await page.close();
});

test("item 20: the shipped depth run is described for a learner, not as a command and a README", async () => {
  for (const lang of ["en", "zh"]) {
    const { page, problems } = await open("deeper", { lang });
    await page.waitForSelector(".depth-source");
    const text = await page.textContent(".depth-source");
    assert.doesNotMatch(text, /README|convscope depth/, text);
    assert.equal(text, (lang === "en" ? en : zh).get("depth.source_shipped"));
    assert.deepEqual(problems(), []);
    await page.close();
  }
});

test("item 20: no page says only 'click' (touch screens tap)", async () => {
  for (const lang of ["en", "zh"]) {
    const { page, problems } = await open("images", { lang });
    for (const { slug } of routes()) {
      await page.evaluate((s) => (location.hash = `#/${s}`), slug);
      await page.waitForFunction((s) => document.querySelector("article.page")?.dataset.page === s || s === "", slug);
      await page.waitForTimeout(200);
      const text = await page.locator("main").innerText();
      for (const line of text.split(/\n|(?<=[.。])\s*/)) {
        if (lang === "en" && /\bclick/i.test(line)) assert.match(line, /\btap\b/i, `${slug}: ${line}`);
        if (lang === "zh" && line.includes("点击")) assert.match(line, /轻点/, `${slug}: ${line}`);
      }
    }
    assert.deepEqual(problems(), []);
    await page.close();
  }
});

test("item 20: Space plays and pauses the convolution from its grids, a kernel cell included", async () => {
  const { page, problems } = await open("convolution");
  const play = () => page.textContent(".conv-explorer .conv-play");
  await page.focus(".conv-kernel input.cell >> nth=0");
  await page.keyboard.press("Space");
  assert.equal(await play(), en.get("conv.pause"));
  await page.waitForFunction(() => !document.querySelector(".conv-narration").textContent.startsWith("out[0, 0]"), null, { timeout: 5000 });
  await page.keyboard.press("Space");
  assert.equal(await play(), en.get("conv.play"));
  // The kernel keeps its value (Space typed nothing).
  assert.equal(await page.inputValue(".conv-kernel input.cell >> nth=0"), "1");
  await page.focus(".conv-grids");
  await page.keyboard.press("Space");
  assert.equal(await play(), en.get("conv.pause"));
  await page.keyboard.press("Space");
  assert.equal(await play(), en.get("conv.play"));
  assert.deepEqual(problems(), []);
  await page.close();
});

test("item 20: the arrow keys move the chosen output value on the channels page, and the focus follows", async () => {
  const { page, problems } = await open("channels");
  // The focus follows the chosen value once its cells are drawn again (a task later): wait for it.
  const focused = async (re) => {
    await page
      .waitForFunction((src) => new RegExp(src).test(document.activeElement?.getAttribute("aria-label") ?? ""), re.source, { timeout: 5000 })
      .catch(() => {});
    return page.evaluate(() => document.activeElement?.getAttribute("aria-label") ?? "");
  };
  await page.focus('.channels-explorer button.cell.output[aria-label^="out[0, 0, 0, 0]"]');
  await page.keyboard.press("ArrowRight");
  assert.match(await focused(/^out\[0, 0, 0, 1\]/), /^out\[0, 0, 0, 1\]/);
  assert.match(await page.textContent(".channels-sums"), /^out\[0, 0, 0, 1\]/);
  await page.keyboard.press("ArrowDown");
  assert.match(await focused(/^out\[0, 0, 1, 1\]/), /^out\[0, 0, 1, 1\]/);
  assert.equal(await page.evaluate(() => document.activeElement.classList.contains("current")), true);
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  // Past the row's end: on into the next output channel.
  assert.match(await focused(/^out\[0, 1, 1, 0\]/), /^out\[0, 1, 1, 0\]/);
  await page.keyboard.press("ArrowUp");
  await page.keyboard.press("ArrowLeft");
  assert.match(await focused(/^out\[0, 0, 0, 2\]/), /^out\[0, 0, 0, 2\]/);
  assert.deepEqual(JSON.parse(new URL(page.url()).searchParams.get("channels")).at, [0, 0, 2]);
  assert.deepEqual(problems(), []);
  await page.close();
});

test("item 20: 'Images per second' is blank while paused; Reset asks before it discards a run", async () => {
  const { page, problems } = await open("train");
  await page.waitForFunction(() => document.querySelector(".backend")?.dataset.backend);
  await page.selectOption(".train-backend", "simd");
  await page.click(".train-start");
  await page.waitForFunction(() => Number(document.querySelector(".train-steps")?.textContent) >= 3, null, { timeout: 120_000 });
  await page.waitForFunction(() => /^\d+$/.test(document.querySelector(".train-rate")?.textContent), null, { timeout: 30_000 });
  await page.click(".train-start");
  await page.waitForFunction((t) => document.querySelector(".train-status")?.textContent === t, en.get("train.paused"));
  assert.equal(await page.textContent(".train-rate"), "–");
  const steps = await page.textContent(".train-steps");
  // The first Reset only asks; "Keep it" keeps the run.
  await page.click(".train-reset");
  await page.waitForSelector(".train-reset-ask");
  assert.equal(await page.textContent("#train-reset-question"), en.get("train.reset_ask").replace("{step}", steps));
  assert.equal(await page.textContent(".train-steps"), steps);
  await shot(page.locator(".train-panel .button-row >> nth=0").locator(".."), "train-reset-ask-en-1280");
  // The question has the keyboard focus, on "Keep it".
  assert.equal(await page.evaluate(() => document.activeElement?.className), "train-reset-cancel");
  await page.click(".train-reset-cancel");
  assert.equal(await page.locator(".train-reset-ask").count(), 0);
  assert.equal(await page.textContent(".train-steps"), steps);
  // Confirmed, it resets.
  await page.click(".train-reset");
  await page.click(".train-reset-confirm");
  await page.waitForFunction(() => document.querySelector(".train-saved")?.textContent === "–");
  assert.equal(await page.textContent(".train-steps"), "0");
  assert.deepEqual(problems(), []);
  await page.close();
});

/** Layout problems of checkboxes and selects on the page: [] when none. */
const controlProblems = (page) =>
  page.evaluate(() => {
    const found = [];
    const visible = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
    for (const box of document.querySelectorAll("main input[type=checkbox]")) {
      if (!visible(box)) continue;
      const r = box.getBoundingClientRect();
      if (r.width < 16 || r.height < 16) found.push(`checkbox ${box.className} is ${r.width}×${r.height}`);
      const label = box.closest("label")?.querySelector("span");
      // Measured against its column: an explorer's controls column on wide screens, else the card.
      const card = box.closest(".explorer-controls") ?? box.closest(".widget");
      if (label && card) {
        const line = parseFloat(getComputedStyle(label).lineHeight) || 20;
        const lr = label.getBoundingClientRect();
        const cs = getComputedStyle(card);
        const inner = card.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
        if (lr.height > line * 1.5 && lr.width < inner * 0.7) {
          found.push(`label of ${box.className} wrapped into ${Math.round(lr.width)} of ${Math.round(inner)} px`);
        }
      }
    }
    const ctx = document.createElement("canvas").getContext("2d");
    for (const select of document.querySelectorAll("main select")) {
      if (!visible(select) || select.selectedIndex < 0) continue;
      const cs = getComputedStyle(select);
      ctx.font = `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
      const text = select.options[select.selectedIndex].textContent;
      const need = ctx.measureText(text).width + parseFloat(cs.paddingLeft) + parseFloat(cs.paddingRight) + 20;
      if (need > select.clientWidth + 0.5) {
        found.push(`select ${select.className} clips "${text}": needs ${Math.round(need)}, has ${select.clientWidth}`);
      }
    }
    return found;
  });

test("item 21: checkboxes keep their size, their labels are not squeezed into a column, selects show their whole text", async () => {
  const found = [];
  for (const lang of ["en", "zh"]) {
    for (const [width, height] of [[1280, 800], [360, 740]]) {
      const { page, problems } = await open("images", { lang, width, height });
      for (const slug of ["images", "convolution", "channels", "padding-stride", "pooling", "mnist", "deeper", "train"]) {
        await page.evaluate((s) => (location.hash = `#/${s}`), slug);
        await page.waitForFunction((s) => document.querySelector("article.page")?.dataset.page === s, slug);
        await page.waitForTimeout(300);
        for (const p of await controlProblems(page)) found.push(`${lang} ${width} ${slug}: ${p}`);
        if (slug === "train") {
          // The Model select is as tall as the fields beside it.
          const [model, backend] = await Promise.all([".train-model", ".train-backend"].map((s) => page.locator(s).boundingBox()));
          if (Math.abs(model.height - backend.height) > 1) found.push(`${lang} ${width}: Model ${model.height} px, Compute on ${backend.height} px`);
        }
        if (lang === "en" && (slug === "pooling" || slug === "channels" || slug === "train")) {
          await shot(page.locator("article.page .widget >> nth=0"), `controls-${slug}-${lang}-${width}`);
        }
      }
      assert.deepEqual(problems(), []);
      await page.close();
    }
  }
  assert.deepEqual(found, []);
});

/** Records, for every text a canvas draws: [canvas class, text, font size in CSS px]. */
const recordCanvas = (page) =>
  page.addInitScript(() => {
    window.__text = [];
    window.__strokes = {};
    window.__rects = [];
    const proto = CanvasRenderingContext2D.prototype;
    const { fillText, stroke, fillRect } = proto;
    const cssPx = (ctx) => {
      const r = ctx.canvas.getBoundingClientRect();
      return r.width > 0 ? ctx.canvas.width / r.width : 1;
    };
    proto.fillText = function (text, ...rest) {
      const px = parseFloat(/(\d+(?:\.\d+)?)px/.exec(this.font)?.[1] ?? "10");
      window.__text.push([this.canvas.className, String(text), px / cssPx(this)]);
      return fillText.call(this, text, ...rest);
    };
    proto.stroke = function (...args) {
      const k = this.canvas.className;
      window.__strokes[k] = (window.__strokes[k] ?? 0) + 1;
      return stroke.apply(this, args);
    };
    proto.fillRect = function (x, y, w, h) {
      if (this.canvas.classList.contains("cost-chart")) window.__rects.push([String(this.fillStyle), x, w, this.canvas.width]);
      return fillRect.call(this, x, y, w, h);
    };
  });

test("item 22: chart labels are at least 12 CSS px at 360 and 1280 px, on a light grid, in both themes", async () => {
  for (const [width, height] of [[1280, 800], [360, 740]]) {
    for (const theme of ["light", "dark"]) {
      const { page, problems } = await watchedPage(site.browser.context);
      await recordCanvas(page);
      await page.setViewportSize({ width, height });
      for (const [slug, classes] of [["train", ["loss-chart", "accuracy-chart"]], ["mnist", ["prob-chart"]], ["deeper", ["cost-chart", "depth-chart"]]]) {
        await page.goto(`${site.server.base}?lang=en&theme=${theme}#/${slug}`);
        for (const cls of classes) {
          await page.waitForFunction((c) => window.__text.some(([k]) => k.split(" ").includes(c)), cls, { timeout: 30_000 });
          const sizes = await page.evaluate((c) => window.__text.filter(([k, t]) => k.split(" ").includes(c) && t !== "").map(([, t, px]) => [t, px]), cls);
          const small = sizes.filter(([, px]) => px < 12);
          assert.deepEqual(small, [], `${slug} ${cls} at ${width} px: ${JSON.stringify(small.slice(0, 3))}`);
          await page.locator(`canvas.${cls}`).scrollIntoViewIfNeeded();
          await shot(page.locator(`canvas.${cls}`), `chart-${cls}-${theme}-${width}`);
        }
      }
      // Only the labelled grid lines: an empty loss chart strokes a few lines, not a mesh.
      await page.goto(`${site.server.base}?lang=en&theme=${theme}#/train`);
      await page.waitForFunction(() => window.__strokes["loss-chart"] > 0);
      await page.waitForTimeout(300);
      const strokes = await page.evaluate(() => window.__strokes["loss-chart"]);
      assert.ok(strokes <= 24, `${strokes} lines on the empty loss chart`);
      assert.deepEqual(problems(), []);
      await page.close();
    }
  }
});

test("item 22: the bottleneck chart's bars fill its width (no empty third slot)", async () => {
  const { page, problems } = await watchedPage(site.browser.context);
  await recordCanvas(page);
  await page.goto(`${site.server.base}?lang=en#/deeper`);
  await page.waitForSelector(".cost-chart");
  await page.waitForFunction(() => window.__rects.length > 0);
  const bars = await page.evaluate(() => window.__rects.filter(([style]) => /230,\s*73,\s*128|47,\s*158,\s*68|#e64980|#2f9e44/i.test(style)));
  assert.equal(bars.length, 2, JSON.stringify(bars));
  const right = Math.max(...bars.map(([, x, w]) => x + w));
  const width = bars[0][3];
  assert.ok(right >= width * 0.85, `bars end at ${right} of ${width}`);
  assert.deepEqual(problems(), []);
  await page.close();
});

test("item 22: feature maps are drawn on the dark page's colours in the dark theme", async () => {
  const { page, problems } = await open("mnist", { theme: "dark" });
  await page.waitForFunction(() => document.querySelector(".model-source")?.textContent);
  await drawSeven(page);
  await page.waitForSelector(".feature-maps button.map canvas");
  await page.waitForTimeout(500);
  const light = await page.evaluate(() => {
    let sum = 0;
    let n = 0;
    for (const c of document.querySelectorAll(".feature-maps button.map canvas, .feature-maps canvas.kernel-map")) {
      const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
      for (let i = 0; i < d.length; i += 4) {
        sum += (0.2126 * d[i] + 0.7152 * d[i + 1] + 0.0722 * d[i + 2]) / 255;
        n += 1;
      }
    }
    return sum / n;
  });
  assert.ok(light < 0.4, `mean lightness ${light.toFixed(2)} on the dark page`);
  await page.locator(".feature-maps").scrollIntoViewIfNeeded();
  await shot(page.locator(".feature-maps"), "maps-dark-1280");
  assert.deepEqual(problems(), []);
  await page.close();
});

test("item 23: 'Embed / share' is the foot of its card: no overlap with the border, its fields open inside", async () => {
  for (const [width, height] of [[1280, 800], [360, 740]]) {
    for (const theme of ["light", "dark"]) {
      const { page, problems } = await open("convolution", { width, height, theme });
      const bars = page.locator(".share-bar");
      for (let i = 0; i < (await bars.count()); i++) {
        const bar = bars.nth(i);
        // The bar's own summary (a quiz maker inside it has one too).
        await bar.locator(":scope > summary").click();
        await page.waitForFunction((n) => document.querySelectorAll(".share-bar")[n].querySelector(".share-link").value !== "", i);
        const m = await bar.evaluate((el) => {
          const card = el.previousElementSibling;
          const r = (e) => e.getBoundingClientRect().toJSON();
          const cs = getComputedStyle(el);
          return {
            card: r(card),
            bar: r(el),
            // What shows (a closed quiz maker inside the bar keeps its fields hidden).
            fields: [...el.querySelectorAll("input, textarea, button, p")].filter((e) => e.checkVisibility()).map(r),
            cardBg: getComputedStyle(card).backgroundColor,
            barBg: cs.backgroundColor,
            sides: [cs.borderLeftWidth, cs.borderRightWidth, cs.borderBottomWidth].map(parseFloat),
          };
        });
        assert.ok(m.bar.top >= m.card.bottom - 0.5, `bar ${m.bar.top} over the card's bottom ${m.card.bottom}`);
        assert.ok(Math.abs(m.bar.left - m.card.left) <= 1 && Math.abs(m.bar.right - m.card.right) <= 1, JSON.stringify([m.bar, m.card]));
        assert.equal(m.barBg, m.cardBg);
        assert.ok(m.sides.every((w) => w >= 1), `borders ${m.sides}`);
        for (const f of m.fields) {
          assert.ok(f.left >= m.bar.left && f.right <= m.bar.right + 0.5 && f.bottom <= m.bar.bottom + 0.5, JSON.stringify([f, m.bar]));
        }
      }
      await page.locator(".share-bar >> nth=1").scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(SCREENSHOTS, `look-share-${theme}-${width}.png`) });
      assert.deepEqual(problems(), []);
      await page.close();
    }
  }
});

test("item 24: on a 360 px phone the shapes table says that it scrolls sideways, and shows it", async () => {
  for (const lang of ["en", "zh"]) {
    const { page, problems } = await open("mnist", { lang, width: 360, height: 740 });
    await page.locator(".shape-checker").scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
    const m = await page.evaluate(() => {
      const box = document.querySelector(".shape-checker .shapes-scroll");
      if (!box) return null;
      return {
        overflows: box.scrollWidth > box.clientWidth,
        background: getComputedStyle(box).backgroundImage,
        tabindex: box.getAttribute("tabindex"),
        hint: document.querySelector(".shapes-scroll-hint")?.textContent ?? null,
      };
    });
    assert.ok(m, "a scroll box around the table");
    if (m.overflows) {
      assert.equal(m.hint, (lang === "en" ? en : zh).get("shapes.scroll_hint"));
      assert.match(m.background, /gradient/);
      assert.equal(m.tabindex, "0");
    }
    await shot(page.locator(".shape-checker"), `shapes-${lang}-360`);
    // Scrolled to its end, the table shows its last column.
    await page.evaluate(() => {
      const box = document.querySelector(".shape-checker .shapes-scroll");
      box.scrollLeft = box.scrollWidth;
    });
    await shot(page.locator(".shape-checker"), `shapes-${lang}-360-scrolled`);
    assert.deepEqual(problems(), []);
    await page.close();
  }
  // Wide enough, no hint.
  const { page } = await open("mnist");
  await page.locator(".shape-checker").scrollIntoViewIfNeeded();
  await page.waitForTimeout(300);
  assert.equal(await page.locator(".shapes-scroll-hint").count(), 0);
  await page.close();
});

test("item 25: raster and vector zoom on the same window of the digit", async () => {
  for (const width of [1280, 360]) {
    const { page, problems } = await open("images", { width, height: 800 });
    for (const zoom of ["16", "4", "1"]) {
      await page.locator(".zoom-slider").fill(zoom);
      await page.waitForTimeout(100);
      const w = await page.evaluate(() => {
        const vp = document.querySelector(".raster").parentElement.getBoundingClientRect();
        const c = document.querySelector(".raster").getBoundingClientRect();
        const raster = [((vp.left - c.left) / c.width) * 28, ((vp.top - c.top) / c.height) * 28, (vp.width / c.width) * 28];
        const svg = document.querySelector(".vector");
        const vb = svg.viewBox.baseVal;
        const sr = svg.getBoundingClientRect();
        return { raster, vector: [vb.x, vb.y, vb.width], square: Math.abs(sr.width - sr.height) < 1 };
      });
      assert.ok(w.square);
      for (let i = 0; i < 3; i++) {
        assert.ok(Math.abs(w.raster[i] - w.vector[i]) < 0.05, `${zoom}×: raster ${w.raster} vs vector ${w.vector}`);
      }
      // Never past the image's border.
      assert.ok(w.vector[0] >= 0 && w.vector[1] >= 0 && w.vector[0] + w.vector[2] <= 28.001, String(w.vector));
      if (zoom === "16") await shot(page.locator(".raster-vector"), `raster-16x-${width}`);
    }
    assert.deepEqual(problems(), []);
    await page.close();
  }
});
