// The transposed-convolution explorer (Convolution page, issue 16 item 2): each input value
// scatters its scaled kernel into the output; PyTorch's output size; the same numbers as the
// matching convolution's input gradient. Values checked against what PyTorch gives:
//   F.conv_transpose2d(torch.tensor([[[[1., 2.], [3., 4.]]]]), torch.tensor([[[[1., 2.], [3., 4.]]]]), stride=2)
//   = [[1,2,2,4],[3,4,6,8],[3,6,4,8],[9,12,12,16]]
//   with a kernel of ones: every value copied into its own 2 × 2 block.
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { SCREENSHOTS, useSite, watchedPage, translations } from "./harness.mjs";

const site = useSite();
const ZH = translations("zh");

async function open(query, lang = "en", viewport) {
  const { page, problems } = await watchedPage(site.browser.context);
  if (viewport) await page.setViewportSize(viewport);
  await page.goto(`${site.server.base}?lang=${lang}${query}#/convolution`);
  await page.waitForSelector(".transpose-explorer .grid[data-grid=out] .cell");
  return { page, problems };
}

const cells = (page, grid) => page.locator(`.transpose-explorer .grid[data-grid=${grid}] .cell`).allTextContents();
const ringed = (page, grid) =>
  page.locator(`.transpose-explorer .grid[data-grid=${grid}] .cell`).evaluateAll((els) => els.map((e, i) => (e.classList.contains("in-window") ? i : -1)).filter((i) => i >= 0));

test("stride 2 upsamples 2 × 2 to 4 × 4, value by value, as PyTorch does", async () => {
  const { page, problems } = await open("");
  assert.equal(await page.textContent(".transpose-formula code"), "(2 − 1)·2 − 2·0 + 1·(2 − 1) + 0 + 1 = 4");
  // Step 0: x[0, 0] = 1 puts 1·W in the top-left block.
  assert.deepEqual(await cells(page, "out"), ["1", "2", "0", "0", "3", "4", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0"]);
  assert.deepEqual(await ringed(page, "out"), [0, 1, 4, 5]);
  assert.deepEqual(await ringed(page, "x"), [0]);
  assert.match(await page.textContent(".transpose-narration"), /^x\[0, 0\] = 1:/);
  // Keyboard: → steps to x[0, 1] = 2, which adds 2·W to the top-right block.
  await page.focus(".transpose-explorer .conv-grids");
  await page.keyboard.press("ArrowRight");
  assert.deepEqual((await cells(page, "out")).slice(0, 4), ["1", "2", "2", "4"]);
  assert.deepEqual(await ringed(page, "out"), [2, 3, 6, 7]);
  await page.click(".transpose-last");
  const full = ["1", "2", "2", "4", "3", "4", "6", "8", "3", "6", "4", "8", "9", "12", "12", "16"];
  assert.deepEqual(await cells(page, "out"), full);
  // The input gradient of Conv2d(1, 1, 2, stride=2) for dY = x: the same numbers.
  assert.deepEqual(await cells(page, "grad"), full);
  assert.match(await page.textContent(".transpose-same"), /The same numbers/);
  assert.match(await page.textContent(".transpose-code"), /ConvTranspose2d\(1, 1, kernel_size=2, stride=2, padding=0, output_padding=0, dilation=1, bias=False\)\nprint\(up\(x\)\.shape\)  # torch\.Size\(\[1, 1, 4, 4\]\)/);
  // A kernel of ones: blocks.
  await page.selectOption(".transpose-ones", "ones");
  await page.click(".transpose-last");
  assert.deepEqual(await cells(page, "out"), ["1", "1", "2", "2", "1", "1", "2", "2", "3", "3", "4", "4", "3", "3", "4", "4"]);
  assert.deepEqual(problems(), []);
  await page.close();
});

test("padding crops, output_padding adds a row and column, bad settings explain themselves; state in the link", async () => {
  const { page, problems } = await open("");
  await page.selectOption(".transpose-size", "3");
  await page.selectOption(".transpose-k", "3");
  await page.selectOption(".transpose-padding", "1");
  await page.selectOption(".transpose-output-padding", "1");
  // (3 − 1)·2 − 2·1 + 1·(3 − 1) + 1 + 1 = 6
  assert.equal(await page.textContent(".transpose-formula code"), "(3 − 1)·2 − 2·1 + 1·(3 − 1) + 1 + 1 = 6");
  await page.click(".transpose-last");
  assert.equal((await cells(page, "out")).length, 36);
  assert.deepEqual(await cells(page, "out"), await cells(page, "grad"));
  assert.match(page.url(), /transpose=/);
  // The link restores the same settings.
  const again = await watchedPage(site.browser.context);
  await again.page.goto(page.url());
  await again.page.waitForSelector(".transpose-explorer .grid[data-grid=out] .cell");
  assert.equal(await again.page.textContent(".transpose-formula code"), "(3 − 1)·2 − 2·1 + 1·(3 − 1) + 1 + 1 = 6");
  assert.deepEqual(again.problems(), []);
  await again.page.close();
  // output_padding must stay below stride or dilation: the core says so.
  await page.selectOption(".transpose-stride", "1");
  assert.match(await page.textContent(".transpose-explorer .conv-error"), /output_padding must be smaller than stride or dilation/);
  assert.deepEqual(problems(), []);
  await page.close();
});

test("in Chinese at 360 px, dark: no sideways scroll, every control reachable", async () => {
  const { page, problems } = await open("&theme=dark", "zh", { width: 360, height: 740 });
  assert.equal(await page.textContent("#transpose-heading"), ZH.get("transpose.heading"));
  assert.match(await page.textContent(".transpose-same"), /数字完全相同/);
  const w0 = page.locator(".transpose-explorer");
  await w0.scrollIntoViewIfNeeded();
  await w0.screenshot({ path: path.join(SCREENSHOTS, "transpose-zh-dark-360.png") });
  const wide = await page.evaluate(() => [...document.querySelectorAll("body *")].filter((e) => !e.closest("pre") && e.getBoundingClientRect().right > window.innerWidth + 1).map((e) => e.className + " " + Math.round(e.getBoundingClientRect().right)).slice(0, 5));
  assert.deepEqual(wide, []);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow} px`);
  const w = page.locator(".transpose-explorer");
  await w.scrollIntoViewIfNeeded();
  await w.screenshot({ path: path.join(SCREENSHOTS, "transpose-zh-dark-360.png") });
  await page.setViewportSize({ width: 1280, height: 800 });
  await w.screenshot({ path: path.join(SCREENSHOTS, "transpose-zh-dark-1280.png") });
  assert.deepEqual(problems(), []);
  await page.close();
});
