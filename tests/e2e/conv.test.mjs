// The convolution explorer: the lesson's example equals PyTorch's numbers, the controls change
// the output size by PyTorch's formula, the keyboard steps, an impossible combination explains
// itself, and the PyTorch code prints the shapes on screen.
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { SCREENSHOTS, useSite, watchedPage, translations } from "./harness.mjs";

const site = useSite();

const outputs = (page) => page.locator(".conv-output .cell").allTextContents();

test("the lesson's 5×5 with the 1…9 kernel and padding 1 gives PyTorch's numbers", async () => {
  const { page, problems } = await watchedPage(site.browser.context);
  // The explorer opens without padding (as the chapter's text); the lesson's code uses padding 1.
  await page.goto(`${site.server.base}?lang=en&conv=${encodeURIComponent('{"padding":1}')}#/convolution`);
  await page.waitForSelector(".conv-explorer");
  assert.equal((await outputs(page)).length, 25);
  // F.conv2d(input, weight 1..9, padding=1)[0, 0, 0] = [91, 168, 224, 215, 127] (PyTorch).
  await page.focus(".conv-grids");
  await page.keyboard.press("End");
  assert.deepEqual((await outputs(page)).slice(0, 5), ["91", "168", "224", "215", "127"]);
  await page.keyboard.press("Home");
  await page.keyboard.press("ArrowRight");
  assert.match(await page.textContent(".conv-narration"), /^out\[0, 1\] = 0·1 \+ 0·2 \+ 0·3 \+ 3·4 .* = 168$/);
  await page.screenshot({ path: path.join(SCREENSHOTS, "conv-en-1280x800.png"), fullPage: true });
  assert.deepEqual(problems(), []);
  await page.close();
});

test("padding, stride and dilation change the output size by PyTorch's formula", async () => {
  const { page, problems } = await watchedPage(site.browser.context);
  await page.goto(`${site.server.base}?lang=en#/convolution`);
  await page.waitForSelector(".conv-explorer");
  await page.selectOption(".conv-padding", "0");
  await page.selectOption(".conv-stride", "2");
  assert.equal((await outputs(page)).length, 4);
  assert.match(await page.textContent(".conv-formula"), /= 2$/);
  const code = await page.textContent(".conv-code");
  assert.ok(code.includes("Conv2d(1, 1, kernel_size=3, stride=2, padding=0, dilation=1, bias=False)"), code);
  assert.ok(code.includes("# torch.Size([1, 1, 2, 2])"), code);
  await page.selectOption(".conv-stride", "1");
  await page.selectOption(".conv-dilation", "2");
  assert.equal((await outputs(page)).length, 1);
  // A 7×7 kernel does not fit a 5×5 input without padding: say why instead of drawing.
  await page.selectOption(".conv-dilation", "1");
  await page.selectOption(".conv-k", "7");
  assert.match(await page.textContent(".conv-error"), /larger than the padded input/);
  await page.selectOption(".conv-padding", "1");
  assert.equal(await page.locator(".conv-error").count(), 0);
  assert.equal((await outputs(page)).length, 1);
  assert.deepEqual(problems(), []);
  await page.close();
});

test("the explorer in Chinese on a phone", async () => {
  const { page, problems } = await watchedPage(site.browser.context);
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto(`${site.server.base}?lang=zh#/convolution`);
  await page.waitForSelector(".conv-explorer");
  assert.equal(await page.textContent("#conv-heading"), translations("zh").get("conv.heading"));
  await page.selectOption(".conv-n", "8");
  await page.click(".conv-play");
  await page.waitForTimeout(800);
  await page.click(".conv-play");
  await page.screenshot({ path: path.join(SCREENSHOTS, "conv-zh-360x740.png"), fullPage: true });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `scrolls sideways by ${overflow} px`);
  assert.deepEqual(problems(), []);
  await page.close();
});

test("pooling: the lesson's 4×4 gives [[4,8],[9,8]] with the argmax ringed; average and stride", async () => {
  const { page, problems } = await watchedPage(site.browser.context);
  await page.goto(`${site.server.base}?lang=en#/pooling`);
  await page.waitForSelector(".pool-explorer");
  assert.deepEqual(await page.locator(".pool-output .cell").allTextContents(), ["4", "8", "9", "8"]);
  assert.equal(await page.textContent(".pool-narration"), "out[0, 0] = max(3, 4, 2, 4) = 4");
  assert.equal(await page.getAttribute(".pool-explorer .cell.argmax", "data-col"), "1");
  await page.focus(".pool-explorer .conv-grids");
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  assert.equal(await page.textContent(".pool-narration"), "out[1, 0] = max(1, 6, 9, 7) = 9");
  assert.deepEqual(
    [await page.getAttribute(".pool-explorer .cell.argmax", "data-row"), await page.getAttribute(".pool-explorer .cell.argmax", "data-col")],
    ["3", "0"],
  );
  assert.ok((await page.textContent(".pool-code")).includes("MaxPool2d(kernel_size=2)"));
  await page.selectOption(".pool-mode", "avg");
  assert.deepEqual(await page.locator(".pool-output .cell").allTextContents(), ["3.25", "6.25", "5.75", "6.25"]);
  await page.selectOption(".pool-stride", "1");
  assert.equal(await page.locator(".pool-output .cell").count(), 9);
  await page.screenshot({ path: path.join(SCREENSHOTS, "pool-en-1280x800.png"), fullPage: true });
  assert.deepEqual(problems(), []);
  await page.close();
});

test("going deeper: the 1×1 cost figures and the Inception module's 88 channels", async () => {
  const { page, problems } = await watchedPage(site.browser.context);
  await page.goto(`${site.server.base}?lang=en#/deeper`);
  await page.waitForSelector(".cost-calculator");
  assert.equal(await page.textContent(".cost-direct-mults"), "120,422,400");
  assert.equal(await page.textContent(".cost-b-mults"), "12,443,648");
  assert.equal(await page.textContent(".cost-direct-params"), "153,600");
  assert.equal(await page.textContent(".cost-ratio strong"), translations("en").get("cost.ratio_fewer").replace("{ratio}", "9.7×"));
  await page.fill(".cost-b", "32");
  await page.press(".cost-b", "Enter");
  await page.locator(".cost-b").dispatchEvent("change");
  assert.equal(await page.textContent(".cost-b-mults"), String((28 * 28 * 192 * 32 + 25 * 28 * 28 * 32 * 32).toLocaleString("en-US")));
  assert.equal(await page.textContent(".inception-output"), "(1, 88, 12, 12)");
  assert.equal(await page.locator(".branch").count(), 4);
  await page.fill(".inception-cin", "20");
  await page.locator(".inception-cin").dispatchEvent("change");
  assert.equal(await page.textContent(".inception-output"), "(1, 88, 12, 12)");
  await page.screenshot({ path: path.join(SCREENSHOTS, "deeper-en-1280x800.png"), fullPage: true });
  await page.setViewportSize({ width: 360, height: 740 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `scrolls sideways by ${overflow} px`);
  await page.screenshot({ path: path.join(SCREENSHOTS, "deeper-en-360x740.png"), fullPage: true });
  assert.deepEqual(problems(), []);
  await page.close();
});

test("images: raster vs vector zoom, and flattening puts vertical neighbours 28 apart", async () => {
  const { page, problems } = await watchedPage(site.browser.context);
  await page.goto(`${site.server.base}?lang=en#/images`);
  await page.waitForSelector(".raster-vector");
  await page.locator(".zoom-slider").fill("8");
  assert.equal(await page.textContent(".zoom-value"), "8×");
  assert.match(await page.getAttribute(".raster", "style"), /scale\(8\)/);
  // The window both views show at 8× (explain::zoom_window: 28 / 8 = 3.5 wide, on the stroke's edge).
  assert.equal(await page.getAttribute(".vector", "viewBox"), "17.25 12.25 3.5 3.5");
  await page.screenshot({ path: path.join(SCREENSHOTS, "images-en-1280x800.png"), fullPage: true });
  await page.goto(`${site.server.base}?lang=en#/convolution`);
  await page.waitForSelector(".flattening");
  await page.focus(".pixel-grid");
  await page.keyboard.press("ArrowLeft");
  // (10, 13) → 10 · 28 + 13 = 293; neighbours 292/294 and 265/321.
  assert.equal(await page.textContent(".flatten-explanation"), "(10, 13) → 10 · 28 + 13 = 293.  Left / right neighbours: 292 / 294.  Up / down neighbours, 28 apart: 265 / 321.");
  assert.equal(await page.locator(".flat-cell.vertical").count(), 2);
  assert.deepEqual(await page.locator(".flat-cell.vertical").evaluateAll((cells) => cells.map((c) => c.dataset.index)), ["265", "321"]);
  assert.deepEqual(problems(), []);
  await page.close();
});

test("channels: 3 input channels and 2 kernels; partial sums per channel add up to PyTorch's value", async () => {
  const { page, problems } = await watchedPage(site.browser.context);
  await page.goto(`${site.server.base}?lang=en#/channels`);
  await page.waitForSelector(".channels-explorer");
  assert.equal(await page.textContent(".channels-shapes"), "input (1, 3, 5, 5) → output (1, 2, 3, 3) · weight.shape (2, 3, 3, 3)");
  // PyTorch: F.conv2d(x, w, b) with the widget's x (the RGB picture), w, b gives
  // out[0, 0, 0, 0] = -16, out[0, 1, 2, 1] = 12.
  const parse = async () => {
    const text = await page.textContent(".channels-sums");
    const value = Number(text.split(" = ").pop());
    const parts = [...text.matchAll(/(-?\d+(?:\.\d+)?) \(channel \d\)/g)].map((m) => Number(m[1]));
    return { text, value, parts };
  };
  let s = await parse();
  assert.equal(s.value, -16);
  assert.equal(s.parts.length, 3);
  await page.click('button[aria-label="out[0, 1, 2, 1] = 12"]');
  s = await parse();
  assert.equal(s.value, 12);
  assert.equal(s.parts.reduce((a, b) => a + b, 0) + 1, 12, s.text);
  await page.selectOption(".channels-cout", "6");
  await page.check(".channels-depthwise");
  assert.equal(await page.textContent(".channels-shapes"), "input (1, 3, 5, 5) → output (1, 6, 3, 3) · weight.shape (6, 1, 3, 3)");
  assert.ok((await page.textContent(".channels-code")).includes("Conv2d(3, 6, kernel_size=3, padding=0, groups=3)"));
  assert.equal((await parse()).parts.length, 1);
  await page.selectOption(".channels-cout", "4");
  assert.match(await page.textContent(".channels-explorer .conv-error"), /divisible by groups/);
  await page.screenshot({ path: path.join(SCREENSHOTS, "channels-en-1280x800.png"), fullPage: true });
  assert.deepEqual(problems(), []);
  await page.close();
});

test("the Net layer by layer: 8,490 parameters at 28×28; other sizes stop at fc with the fix", async () => {
  const { page, problems } = await watchedPage(site.browser.context);
  await page.goto(`${site.server.base}?lang=en#/mnist`);
  await page.waitForSelector(".shape-checker");
  assert.equal(await page.textContent(".shapes-total-params"), "8,490");
  const outputs = await page.locator(".shapes-table tbody td.num code").allTextContents();
  assert.deepEqual(outputs, ["(1, 1, 28, 28)", "(1, 10, 24, 24)", "(1, 10, 12, 12)", "(1, 10, 12, 12)", "(1, 20, 8, 8)", "(1, 20, 4, 4)", "(1, 20, 4, 4)", "(1, 320)", "(1, 10)"]);
  assert.equal(await page.locator(".shape-error").count(), 0);
  await page.locator(".shapes-side").fill("32");
  assert.match(await page.textContent(".shape-error"), /fc: .*\(N, 320\).*\[1, 500\].* Linear\(500, 10\)\./);
  await page.goto(`${site.server.base}?lang=en#/padding-stride`);
  await page.waitForSelector(".conv-explorer");
  // The lesson: 5×5 in, 3×3 kernel, stride 2 → 2×2 out.
  assert.equal(await page.locator(".conv-output .cell").count(), 4);
  assert.deepEqual(problems(), []);
  await page.close();
});

test("backward: dL/dW and dL/dX accumulate position by position to PyTorch's gradients", async () => {
  const { page, problems } = await watchedPage(site.browser.context);
  await page.goto(`${site.server.base}?lang=en#/convolution`);
  await page.waitForSelector(".conv-backward");
  const cells = (grid) => page.locator(`.conv-backward [data-grid="${grid}"] .cell`).allTextContents();
  // After the first position (dY = 1): dW is the first window, dX the kernel on it.
  assert.deepEqual(await cells("dw"), ["3", "4", "6", "2", "4", "6", "1", "6", "7"]);
  await page.click(".backward-last");
  // PyTorch: conv2d(x, 1..9).backward(ones) → weight.grad, input.grad.
  assert.deepEqual(await cells("dw"), ["39", "54", "53", "46", "56", "47", "49", "54", "41"]);
  assert.deepEqual(await cells("dx"), ["1", "3", "6", "5", "3", "5", "12", "21", "16", "9", "12", "27", "45", "33", "18", "11", "24", "39", "28", "15", "7", "15", "24", "17", "9"]);
  assert.match(await page.textContent(".backward-final"), /39, 54, 53, 46, 56, 47, 49, 54, 41$/);
  await page.screenshot({ path: path.join(SCREENSHOTS, "backward-en-1280x800.png"), fullPage: true });
  assert.deepEqual(problems(), []);
  await page.close();
});

test("the explorer's state round-trips through the URL; out-of-range link values are adjusted", async () => {
  const { page, problems } = await watchedPage(site.browser.context);
  const lesson = [3, 4, 6, 5, 7, 2, 4, 6, 8, 2, 1, 6, 7, 8, 4, 9, 7, 4, 6, 2, 3, 7, 5, 4, 1];
  const state = { n: 5, input: lesson, k: 3, kernel: [1, 2, 3, 4, 5, 6, 7, 8, 9], padding: 0, stride: 2, dilation: 1, step: 3 };
  const link = (s) => `${site.server.base}?lang=en&conv=${encodeURIComponent(JSON.stringify(s))}#/convolution`;
  await page.goto(link(state));
  await page.waitForSelector(".conv-explorer");
  assert.equal(await page.locator(".conv-output .cell").count(), 4);
  assert.match(await page.textContent(".conv-narration"), /^out\[1, 1\] = /);
  await page.selectOption(".conv-stride", "1");
  const written = JSON.parse(new URL(page.url()).searchParams.get("conv"));
  assert.equal(written.stride, 1);
  assert.equal(new URL(page.url()).hash, "#/convolution");
  await page.reload();
  await page.waitForSelector(".conv-explorer");
  assert.equal(await page.locator(".conv-output .cell").count(), 9);
  assert.equal(await page.locator(".link-note").count(), 0);
  // Leaving the page drops the parameter: the next page's explorer starts from its own defaults.
  await page.click('#chapters a[href="#/padding-stride"]');
  await page.waitForFunction(() => !new URL(location.href).searchParams.has("conv") || document.querySelector("[data-page='padding-stride'] .conv-explorer"));
  await page.waitForSelector("[data-page='padding-stride'] .conv-explorer");
  assert.equal(await page.locator(".conv-output .cell").count(), 4);
  await page.goto(link({ ...state, padding: 9, kernel: [1, 2] }));
  await page.waitForSelector(".link-note");
  const note = await page.textContent(".link-note");
  assert.ok(note.includes("padding 9 → 3") && note.includes("kernel: 2 values → 9"), note);
  assert.deepEqual(problems(), []);
  await page.close();
});
