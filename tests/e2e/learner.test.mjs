// What a new learner hits (issue 18): each test names the item it covers. Labels must be
// exact, not only the numbers: preset kernels, predict-first, captions, the cost texts, cleared
// cells, restored links.
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { SCREENSHOTS, useSite, watchedPage, translations, sevenPng } from "./harness.mjs";

const site = useSite();
const en = translations("en");
const zh = translations("zh");

const open = async (slug, query = "", lang = "en", width = 1280, height = 800) => {
  const { page, problems } = await watchedPage(site.browser.context);
  await page.setViewportSize({ width, height });
  await page.goto(`${site.server.base}?lang=${lang}${query}#/${slug}`);
  await page.waitForSelector("article.page .widget, .embed-root .widget");
  return { page, problems };
};
const state = (key, value) => `&${key}=${encodeURIComponent(JSON.stringify(value))}`;
const kernelValues = (page) => page.locator(".conv-kernel input.cell").evaluateAll((els) => els.map((e) => Number(e.value)));
const codeKernel = async (page) => {
  const code = await page.textContent(".conv-code");
  const m = /conv\.weight\.data = torch\.tensor\(\[([^\]]*)\]/.exec(code);
  return m[1].split(",").map(Number);
};
const shot = (page, name) => page.screenshot({ path: path.join(SCREENSHOTS, `learner-${name}.png`), fullPage: true });

test("item 1: the Sobel and other presets are the textbook kernels, offered only where they mean something", async () => {
  const { page, problems } = await open("convolution");
  await page.selectOption(".conv-k", "3");
  await page.selectOption(".conv-kernel-preset", "sobel_x");
  const sobelX3 = [-1, 0, 1, -2, 0, 2, -1, 0, 1];
  assert.deepEqual(await kernelValues(page), sobelX3);
  assert.deepEqual(await codeKernel(page), sobelX3);
  await page.selectOption(".conv-kernel-preset", "sobel_y");
  assert.deepEqual(await kernelValues(page), [-1, -2, -1, 0, 0, 0, 1, 2, 1]);
  await page.selectOption(".conv-kernel-preset", "sharpen");
  assert.deepEqual(await kernelValues(page), [0, -1, 0, -1, 5, -1, 0, -1, 0]);
  await page.selectOption(".conv-kernel-preset", "edge");
  assert.deepEqual(await kernelValues(page), [-1, -1, -1, -1, 8, -1, -1, -1, -1]);
  // OpenCV's 5 × 5 Sobel: [1, 4, 6, 4, 1]ᵀ · [-1, -2, 0, 2, 1].
  await page.selectOption(".conv-k", "5");
  await page.selectOption(".conv-kernel-preset", "sobel_x");
  const smooth = [1, 4, 6, 4, 1];
  const deriv = [-1, -2, 0, 2, 1];
  assert.deepEqual(await kernelValues(page), smooth.flatMap((s) => deriv.map((d) => s * d)));
  assert.deepEqual(await codeKernel(page), smooth.flatMap((s) => deriv.map((d) => s * d)));
  // At 2 × 2 there is no centre: no Sobel, sharpen, Laplacian or identity; the kernel falls back to 1…4.
  await page.selectOption(".conv-k", "2");
  const offered = await page.locator(".conv-kernel-preset option:not([disabled])").evaluateAll((els) => els.map((e) => e.value));
  assert.deepEqual(offered, ["lesson", "box"]);
  assert.deepEqual(await kernelValues(page), [1, 2, 3, 4]);
  assert.equal(await page.inputValue(".conv-kernel-preset"), "lesson");
  assert.deepEqual(problems(), []);
  await page.close();
});

test("item 2: predict first hides the size until a complete guess; a wrong guess can be retried; the reveal is explicit", async () => {
  const { page, problems } = await open("convolution", state("conv", { padding: 1 }));
  await page.check(".conv-explorer .predict-toggle");
  const inputs = page.locator(".conv-explorer .predict-input");
  const verdict = () => page.textContent(".conv-explorer .predict-verdict");
  // One field only: nothing is revealed, the fields stay.
  await inputs.nth(0).fill("3");
  await inputs.nth(0).press("Enter");
  assert.equal(await verdict(), en.get("predict.incomplete"));
  assert.equal(await page.locator(".conv-output .cell").count(), 0);
  assert.equal(await inputs.count(), 2);
  // Stepping, Play and the narration give nothing away.
  assert.equal(await page.locator(".conv-explorer .conv-last").isVisible(), false);
  assert.equal(await page.locator(".conv-explorer .conv-play").isVisible(), false);
  await page.focus(".conv-grids");
  await page.keyboard.press("End");
  assert.equal(await page.textContent(".conv-narration"), "");
  assert.match(await page.textContent(".conv-explorer .conv-formula"), /= \?$/);
  // A wrong guess: said so, still hidden, try again.
  await inputs.nth(1).fill("3");
  await page.click(".conv-explorer .predict-check");
  assert.equal(await verdict(), `${en.get("predict.wrong")} 3 × 3 ${en.get("predict.try_again")}`);
  assert.equal(await page.locator(".conv-output .cell").count(), 0);
  assert.match(await page.textContent(".conv-explorer .conv-formula"), /= \?$/);
  await inputs.nth(0).fill("5");
  await inputs.nth(1).fill("5");
  await inputs.nth(1).press("Enter");
  assert.equal(await verdict(), `${en.get("predict.right")} 5 × 5`);
  assert.equal(await page.locator(".conv-output .cell").count(), 25);
  assert.equal(await page.locator(".conv-explorer .conv-play").isVisible(), true);
  // A new question; the answer shown on request.
  await page.selectOption(".conv-stride", "2");
  assert.equal(await page.locator(".conv-output .cell").count(), 0);
  await page.click(".conv-explorer .predict-reveal");
  assert.equal(await verdict(), `${en.get("predict.answer")} 3 × 3`);
  assert.equal(await page.locator(".conv-output .cell").count(), 9);
  assert.deepEqual(problems(), []);
  await page.close();
});

test("item 3: depthwise (groups = n): the window is ringed only on the output channel's own input channel", async () => {
  const { page, problems } = await open("channels", state("channels", { cin: 3, cout: 3, depthwise: true, at: [1, 0, 0] }));
  const ringed = (c) => page.locator(`.channels-explorer .cell.input.ch${c}.in-window`).count();
  assert.deepEqual([await ringed(0), await ringed(1), await ringed(2)], [0, 9, 0]);
  // Without groups every channel is read.
  await page.uncheck(".channels-depthwise");
  assert.deepEqual([await ringed(0), await ringed(1), await ringed(2)], [9, 9, 9]);
  assert.deepEqual(problems(), []);
  await page.close();
});

test("item 4: average pooling's caption does not speak of the maximum, in both languages and in embeds", async () => {
  for (const [lang, table] of [["en", en], ["zh", zh]]) {
    for (const where of ["pooling", "embed/pool"]) {
      const { page, problems } = await open(where, state("pool", { max: false }), lang);
      const caption = await page.textContent(".pool-channel figcaption >> nth=0");
      assert.ok(caption.startsWith(table.get("pool.input_caption_avg")), `${lang} ${where}: ${caption}`);
      assert.ok(!caption.includes(table.get("pool.input_caption")), caption);
      await page.selectOption(".pool-mode", "max");
      assert.ok((await page.textContent(".pool-channel figcaption >> nth=0")).startsWith(table.get("pool.input_caption")));
      assert.deepEqual(problems(), []);
      await page.close();
    }
  }
});

test("item 5: the bottleneck calculator says 'more' when the bottleneck costs more, and refuses 0", async () => {
  const { page, problems } = await open("deeper");
  await page.waitForSelector(".cost-calculator");
  assert.equal(await page.textContent(".cost-ratio"), en.get("cost.ratio_fewer").replace("{ratio}", "9.7×"));
  await page.fill(".cost-b", "500");
  await page.press(".cost-b", "Tab");
  // 28²·192·500 + 5²·28²·500·32 = 388,864,000 vs 120,422,400 directly: 3.2× more.
  assert.equal(await page.textContent(".cost-b-mults"), "388,864,000");
  assert.equal(await page.textContent(".cost-ratio"), en.get("cost.ratio_more").replace("{ratio}", "3.2×"));
  await page.fill(".cost-b", "0");
  await page.press(".cost-b", "Tab");
  assert.equal(await page.inputValue(".cost-b"), "500");
  assert.equal(await page.textContent(".cost-b-mults"), "388,864,000");
  assert.match(await page.textContent(".cost-refused"), /1 to 2,048/);
  await page.locator(".cost-calculator").screenshot({ path: path.join(SCREENSHOTS, "learner-cost-en-1280.png") });
  assert.deepEqual(problems(), []);
  await page.close();
});

test("item 6: the 1×1 convolution's count reads as arithmetic, in both languages", async () => {
  for (const [lang, table] of [["en", en], ["zh", zh]]) {
    const { page, problems } = await open("deeper", "", lang);
    const want = table.get("pointwise.count")
      .replace("{mults}", "96").replace("{pixels}", "16").replace("{per_pixel}", "6").replace("{cin}", "3").replace("{cout}", "2");
    assert.equal(await page.textContent(".pointwise-cost"), `${table.get("pointwise.shapes")} (1, 3, 4, 4) → (1, 2, 4, 4) · ${want}`);
    assert.deepEqual(problems(), []);
    await page.close();
  }
});

test("item 7: a cleared input or kernel cell is 0, shown and computed", async () => {
  const { page, problems } = await open("convolution", state("conv", { padding: 1 }));
  const first = page.locator(".conv-input input.cell").nth(0);
  await first.fill("");
  await first.press("Tab");
  assert.equal(await first.inputValue(), "0");
  // out[0, 0] = 91 with x[0, 0] = 3 under the centre weight 5: 91 − 15 = 76.
  assert.equal((await page.locator(".conv-output .cell").allTextContents())[0], "76");
  assert.equal(JSON.parse(new URL(page.url()).searchParams.get("conv")).input[0], 0);
  const w = page.locator(".conv-kernel input.cell").nth(4);
  await w.fill("");
  await w.press("Tab");
  assert.equal(await w.inputValue(), "0");
  assert.equal((await page.locator(".conv-output .cell").allTextContents())[0], "76");
  assert.equal(await page.inputValue(".conv-kernel-preset"), "");
  assert.deepEqual(problems(), []);
  await page.close();
});

test("item 10: shared and embed links restore the kernel's preset name (or say the values are custom)", async () => {
  const sharpen = [0, -1, 0, -1, 5, -1, 0, -1, 0];
  for (const where of ["convolution", "embed/conv"]) {
    const { page, problems } = await open(where, state("conv", { kernel: sharpen, padding: 0 }));
    assert.equal(await page.inputValue(".conv-kernel-preset"), "sharpen");
    assert.deepEqual(problems(), []);
    await page.close();
  }
  const { page, problems } = await open("convolution", state("conv", { kernel: [9, 9, 9, 9, 9, 9, 9, 9, 9], input: Array(25).fill(1) }));
  assert.equal(await page.inputValue(".conv-kernel-preset"), "");
  assert.equal(await page.locator(".conv-kernel-preset option:checked").textContent(), en.get("conv.preset.custom"));
  assert.equal(await page.inputValue(".conv-input-preset"), "");
  assert.deepEqual(problems(), []);
  await page.close();
});

/** Records the text plotters draws on each canvas: [canvas class, text]. */
const recordCanvasText = (page) =>
  page.addInitScript(() => {
    window.__canvasText = [];
    const fillText = CanvasRenderingContext2D.prototype.fillText;
    CanvasRenderingContext2D.prototype.fillText = function (text, ...rest) {
      window.__canvasText.push([this.canvas.className, String(text)]);
      return fillText.call(this, text, ...rest);
    };
  });
const canvasText = (page, cls) => page.evaluate((c) => window.__canvasText.filter(([k]) => k.split(" ").includes(c)).map(([, t]) => t), cls);

test("item 8: the probability chart labels the ten digits 0…9, no 10", async () => {
  const { page, problems } = await watchedPage(site.browser.context);
  await recordCanvasText(page);
  await page.goto(`${site.server.base}?lang=en#/mnist`);
  await page.waitForSelector(".prob-chart");
  await page.waitForFunction(() => window.__canvasText.some(([k]) => k.includes("prob-chart")));
  const labels = new Set((await canvasText(page, "prob-chart")).filter((t) => t !== "" && !t.includes("%")));
  assert.deepEqual([...labels].sort((a, b) => a - b), ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
  assert.deepEqual(problems(), []);
  await page.close();
});

test("item 11: the Train page's 'Compute on' select and figure name the same backend", async () => {
  const { page, problems } = await watchedPage(site.browser.context);
  await page.goto(`${site.server.base}?lang=en#/train`);
  await page.waitForFunction(() => document.querySelector(".backend")?.dataset.backend === "webgpu");
  await page.waitForSelector(".train-panel");
  assert.equal(await page.inputValue(".train-backend"), "webgpu");
  assert.equal(await page.getAttribute(".train-on", "data-backend"), "webgpu");
  await page.selectOption(".train-backend", "simd");
  await page.waitForFunction(() => document.querySelector(".train-on")?.dataset.backend === "simd");
  assert.equal(await page.inputValue(".train-backend"), "simd");
  assert.deepEqual(problems(), []);
  await page.close();
  // Without WebGPU both say WASM SIMD.
  const other = await watchedPage(site.browser.context);
  await other.page.addInitScript(() => Object.defineProperty(Navigator.prototype, "gpu", { get: () => undefined }));
  await other.page.goto(`${site.server.base}?lang=en#/train`);
  await other.page.waitForFunction(() => document.querySelector(".backend")?.dataset.backend === "simd");
  assert.equal(await other.page.inputValue(".train-backend"), "simd");
  assert.equal(await other.page.getAttribute(".train-on", "data-backend"), "simd");
  await other.page.close();
});

test("item 11: the depth rerun never shows NaN or an unmeasured 0.0 %", async () => {
  const { page, problems } = await open("deeper");
  await page.waitForFunction(() => document.querySelector(".depth-summary")?.textContent.includes("%"));
  await page.selectOption(".depth-layers", "2");
  await page.evaluate(() => {
    window.__summaries = [];
    const el = document.querySelector(".depth-summary");
    new MutationObserver(() => window.__summaries.push(el.textContent)).observe(el, { childList: true, characterData: true, subtree: true });
  });
  await page.click(".depth-run");
  await page.waitForSelector(".depth-grads", { timeout: 60_000 });
  await page.waitForTimeout(2000);
  const seen = await page.evaluate(() => window.__summaries);
  assert.ok(seen.length > 0);
  for (const s of seen) assert.doesNotMatch(s, /NaN|0\.0 % \/ 0\.0 %/, s);
  assert.deepEqual(problems(), []);
  await page.close();
});

test("item 18: the Convolution explorer opens as the text says: 5 × 5 with 3 × 3 and no padding gives 3 × 3", async () => {
  const { page, problems } = await open("convolution");
  assert.ok((await page.textContent("article.page")).includes("5×5 with 3×3 gives 3×3"));
  assert.equal(await page.inputValue(".conv-padding"), "0");
  assert.equal(await page.locator(".conv-output .cell").count(), 9);
  assert.match(await page.textContent(".conv-explorer .conv-formula"), /= 3$/);
  assert.deepEqual(problems(), []);
  await page.close();
});

test("item 19 and item 8: the GPU-loss hook only with ?debug; the accuracy chart counts epochs", async () => {
  const { page, problems } = await watchedPage(site.browser.context);
  await recordCanvasText(page);
  await page.goto(`${site.server.base}?lang=en#/train`);
  await page.waitForFunction(() => document.querySelector(".backend")?.dataset.backend === "webgpu");
  await page.selectOption(".train-backend", "webgpu");
  await page.click(".train-start");
  await page.waitForFunction(() => Number(document.querySelector(".train-steps")?.textContent) >= 2, null, { timeout: 120_000 });
  assert.equal(await page.locator(".train-lose-gpu").count(), 0);
  await page.click(".train-start");
  await page.waitForFunction((t) => document.querySelector(".train-status")?.textContent === t, en.get("train.paused"));
  await page.click(".train-reset");
  await page.click(".train-reset-confirm"); // Reset asks first (issue 18, item 20)
  await page.waitForFunction(() => document.querySelector(".train-saved")?.textContent === "–");
  // With ?debug the hook is there.
  await page.goto(`${site.server.base}?lang=en&debug#/train`);
  await page.waitForFunction(() => document.querySelector(".backend")?.dataset.backend === "webgpu");
  await page.selectOption(".train-backend", "webgpu");
  await page.click(".train-start");
  await page.waitForSelector(".train-lose-gpu", { timeout: 120_000 });
  await page.click(".train-start");
  await page.waitForFunction((t) => document.querySelector(".train-status")?.textContent === t, en.get("train.paused"));
  await page.click(".train-reset");
  await page.click(".train-reset-confirm"); // Reset asks first (issue 18, item 20)
  await page.waitForFunction(() => document.querySelector(".train-saved")?.textContent === "–");
  // One epoch on SIMD: the accuracy chart's x axis is in epochs (1), not steps (938).
  await page.selectOption(".train-backend", "simd");
  await page.fill(".train-epochs", "1");
  await page.press(".train-epochs", "Tab");
  await page.evaluate(() => (window.__canvasText = []));
  await page.click(".train-start");
  await page.waitForFunction((t) => document.querySelector(".train-status")?.textContent.startsWith(t), en.get("train.finished"), { timeout: 300_000 });
  const labels = (await canvasText(page, "accuracy-chart")).map(Number).filter((v) => !Number.isNaN(v));
  assert.ok(labels.includes(1), String(labels));
  assert.ok(labels.every((v) => v <= 100), String(labels));
  await shot(page, "train-epoch-en-1280");
  await page.click(".train-reset");
  await page.click(".train-reset-confirm"); // Reset asks first (issue 18, item 20)
  await page.waitForFunction(() => document.querySelector(".train-saved")?.textContent === "–");
  assert.deepEqual(problems(), []);
  await page.close();
});

test("item 9: a failed upload clears the previous picture and says why once, in the page's language", async () => {
  const { page, problems } = await open("mnist", "", "zh");
  await page.waitForSelector(".upload-input", { state: "attached" });
  await page.waitForFunction(() => document.querySelector(".model-source")?.textContent.includes("98.93"));
  const png = await sevenPng(page);
  await page.setInputFiles(".upload-input", { name: "seven.png", mimeType: "image/png", buffer: Buffer.from(png, "base64") });
  await page.waitForFunction(() => document.querySelector(".draw-guess")?.dataset.guess === "7");
  assert.equal(await page.locator(".upload-step").count(), 5);
  await page.setInputFiles(".upload-input", { name: "notimage.png", mimeType: "image/png", buffer: Buffer.from("no image here") });
  await page.waitForSelector(".upload-error");
  // All three at once, so that a failure shows each of them: the message (file name once, in
  // Chinese), no steps of the previous picture, no classification of it.
  const after = {
    message: await page.textContent(".upload-error"),
    steps: await page.locator(".upload-step").count(),
    guess: await page.getAttribute(".draw-guess", "data-guess"),
  };
  assert.deepEqual(after, { message: `notimage.png: ${zh.get("upload.unreadable")}`, steps: 0, guess: null });
  assert.deepEqual(problems(), []);
  await page.close();
});

test("item 13: the drawing pad comes first on the MNIST page, on a desktop and on a phone", async () => {
  for (const [width, height] of [[1280, 800], [390, 844]]) {
    const { page, problems } = await open("mnist", "", "en", width, height);
    const first = await page.locator("article.page .widget").first().getAttribute("class");
    assert.ok(first.includes("draw-digit"), first);
    const top = async (sel) => page.locator(sel).evaluate((el) => el.getBoundingClientRect().top + window.scrollY);
    assert.ok((await top(".draw-digit")) < (await top(".shape-checker")));
    const pad = await top(".draw-digit canvas.draw-pad");
    console.log(`# drawing pad at ${Math.round(pad)} px from the top at ${width} px wide`);
    assert.ok(pad < height, `${pad}`);
    await shot(page, `mnist-top-en-${width}`);
    assert.deepEqual(problems(), []);
    await page.close();
  }
});

// Whether the whole of `sel` is inside the viewport (false when there is none).
const inView = (page, sel) =>
  page.evaluate((sel) => {
    const el = document.querySelector(sel);
    if (!el) return false;
    const r = el.getBoundingClientRect();
    return r.height > 0 && r.top >= 0 && r.bottom <= innerHeight;
  }, sel);

test("item 14: a gallery pick shows its answer at the gallery, not 'above'", async () => {
  const { page, problems } = await open("mnist");
  await page.waitForFunction(() => document.querySelector(".model-source")?.textContent.includes("98.93"));
  await page.click(".gallery-load");
  await page.click('.gallery .tile[data-index="3"]');
  // The lab has classified the pick (the classifier at the top says 0) ...
  await page.waitForFunction(() => document.querySelector(".draw-guess")?.dataset.guess === "0");
  // ... and the learner, who is at the gallery, reads it there.
  assert.ok(await inView(page, ".gallery [data-guess='0']"), "no answer for the picked digit on screen at the gallery");
  assert.match(await page.textContent(".gallery-result"), /^Test digit #3 \(label 0\): model says 0 \(\d+\.\d %\)$/);
  // The hint no longer sends the learner up the page for the answer.
  assert.doesNotMatch(await page.textContent(".gallery .hint"), /classif\w* it above|classified above/);
  assert.deepEqual(problems(), []);
  await page.close();
});

test("item 14: an upload shows its answer under its steps, not 'above'", async () => {
  const { page, problems } = await open("mnist");
  await page.waitForFunction(() => document.querySelector(".model-source")?.textContent.includes("98.93"));
  const png = await sevenPng(page);
  await page.setInputFiles(".upload-input", { name: "seven.png", mimeType: "image/png", buffer: Buffer.from(png, "base64") });
  await page.waitForFunction(() => document.querySelector(".draw-guess")?.dataset.guess === "7");
  await page.locator(".upload-digit").scrollIntoViewIfNeeded();
  assert.ok(await inView(page, ".upload-digit [data-guess='7']"), "no answer for the upload in the upload widget");
  assert.doesNotMatch(await page.textContent(".upload-digit .hint"), /classif\w* (it )?above|classified above/);
  assert.deepEqual(problems(), []);
  await page.close();
});

test("item 14: on a phone, tapping a feature map shows its kernel on screen", async () => {
  const { page, problems } = await open("mnist", "", "en", 390, 844);
  await page.waitForFunction(() => document.querySelector(".model-source")?.textContent.includes("98.93"));
  await page.click(".gallery-load");
  await page.click('.gallery .tile[data-index="0"]');
  await page.waitForFunction(() => document.querySelector(".draw-guess")?.dataset.guess === "7");
  // The learner scrolls to the first maps and taps one.
  await page.locator('.map-row[data-layer="conv1"]').evaluate((el) => el.scrollIntoView({ block: "start" }));
  await page.click('.map-row[data-layer="conv1"] button.map >> nth=2');
  assert.match(await page.textContent(".map-kernel figcaption"), /conv1 map 2 ← conv1\.weight\[2\] \(1, 5, 5\)/);
  assert.ok(await inView(page, ".map-kernel"), "the kernel is below the fold");
  await page.screenshot({ path: path.join(SCREENSHOTS, "learner-maps-kernel-en-390.png") });
  assert.deepEqual(problems(), []);
  await page.close();
});
