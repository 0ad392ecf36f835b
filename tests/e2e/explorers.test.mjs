// The explorers beyond the first convolution test: predict-first, painting and the MNIST preset
// in the convolution explorer; pooling per channel with the gradient routed back; the RGB
// multi-channel explorer; the 1×1 convolution pixel by pixel; URL state (round trip and
// clamping) for each; every widget in en and zh, desktop and phone, with screenshots.
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { SCREENSHOTS, useSite, watchedPage, translations } from "./harness.mjs";

const site = useSite();
const en = translations("en");
const zh = translations("zh");

const open = async (slug, query = "", lang = "en") => {
  const { page, problems } = await watchedPage(site.browser.context);
  await page.goto(`${site.server.base}?lang=${lang}${query}#/${slug}`);
  await page.waitForSelector("article.page .widget");
  return { page, problems };
};
const texts = (page, sel) => page.locator(sel).allTextContents();
const param = (page, key) => JSON.parse(new URL(page.url()).searchParams.get(key));

test("predict first: the output stays hidden until the size is guessed; right and wrong answers", async () => {
  const { page, problems } = await open("convolution", `&conv=${encodeURIComponent('{"padding":1}')}`);
  await page.check(".conv-explorer .predict-toggle");
  assert.equal(await page.locator(".conv-output .cell").count(), 0);
  assert.match(await page.textContent(".conv-explorer .conv-formula"), /= \?$/);
  const inputs = page.locator(".conv-explorer .predict-input");
  await inputs.nth(0).fill("3");
  await inputs.nth(1).fill("3");
  await page.click(".conv-explorer .predict-check");
  // A wrong guess keeps the question open (learner.test.mjs covers retrying and revealing).
  assert.equal(await page.textContent(".conv-explorer .predict-verdict"), `${en.get("predict.wrong")} 3 × 3 ${en.get("predict.try_again")}`);
  assert.equal(await page.locator(".conv-output .cell").count(), 0);
  await page.click(".conv-explorer .predict-reveal");
  assert.equal(await page.locator(".conv-output .cell").count(), 25);
  // A new setting is a new question.
  await page.selectOption(".conv-stride", "2");
  assert.equal(await page.locator(".conv-output .cell").count(), 0);
  await inputs.nth(0).fill("3");
  await inputs.nth(1).fill("3");
  await inputs.nth(1).press("Enter");
  assert.equal(await page.textContent(".conv-explorer .predict-verdict"), `${en.get("predict.right")} 3 × 3`);
  assert.equal(param(page, "conv").predict, true);
  assert.deepEqual(problems(), []);
  await page.close();
});

test("painting input values with the mouse (click and drag) changes the output as the core computes", async () => {
  const { page, problems } = await open("convolution", `&conv=${encodeURIComponent('{"padding":1}')}`);
  await page.check(".conv-paint");
  await page.selectOption(".conv-brush", "9");
  // x[0,0] 3 → 9: out[0,0] = 91 + 6·5 = 121 (the kernel's centre weight is 5).
  await page.click('.conv-input [data-idx="0"]');
  await page.focus(".conv-grids");
  await page.keyboard.press("End");
  assert.equal((await texts(page, ".conv-output .cell"))[0], "121");
  // Drag along the first row with brush 0.
  await page.selectOption(".conv-brush", "0");
  const box = async (i) => (await page.locator(`.conv-input [data-idx="${i}"]`).boundingBox());
  const a = await box(0);
  const b = await box(4);
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 12 });
  await page.mouse.up();
  const row = await Promise.all([0, 1, 2, 3, 4].map((i) => page.textContent(`.conv-input [data-idx="${i}"]`)));
  assert.deepEqual(row, ["0", "0", "0", "0", "0"]);
  assert.deepEqual(param(page, "conv").input.slice(0, 6), [0, 0, 0, 0, 0, 2]);
  assert.deepEqual(problems(), []);
  await page.close();
});

test("a bias is added to every output, in the narration and the PyTorch code", async () => {
  const { page, problems } = await open("convolution", `&conv=${encodeURIComponent('{"padding":1}')}`);
  await page.fill(".conv-bias", "-10");
  await page.locator(".conv-bias").blur();
  await page.focus(".conv-grids");
  await page.keyboard.press("Home");
  // The lesson's out[0, 0] = 91 (padding 1), minus 10.
  assert.match(await page.textContent(".conv-narration"), /^out\[0, 0\] = .* \+ -10 = 81$/);
  const code = await page.textContent(".conv-code");
  assert.ok(code.includes("bias=True)") && code.includes("conv.bias.data = torch.tensor([-10]"), code);
  assert.equal(param(page, "conv").bias, -10);
  assert.deepEqual(problems(), []);
  await page.close();
});

test("the downsampled MNIST digit preset fills the grid with ink levels", async () => {
  const { page, problems } = await open("convolution");
  await page.selectOption(".conv-n", "7");
  await page.selectOption(".conv-input-preset", "mnist");
  const values = (await page.locator(".conv-input input.cell").evaluateAll((els) => els.map((e) => Number(e.value))));
  assert.equal(values.length, 49);
  assert.ok(values.every((v) => v >= 0 && v <= 9 && Number.isInteger(v)), String(values));
  assert.ok(values.filter((v) => v > 0).length >= 8, String(values));
  await page.screenshot({ path: path.join(SCREENSHOTS, "conv-mnist-en-1280x800.png"), fullPage: true });
  assert.deepEqual(problems(), []);
  await page.close();
});

test("pooling: per channel, with the gradient routed to the argmax or spread evenly; state in the URL", async () => {
  const state = { channels: 2, backward: true };
  const { page, problems } = await open("pooling", `&pool=${encodeURIComponent(JSON.stringify(state))}`);
  assert.equal(await page.locator(".pool-channel").count(), 2);
  assert.deepEqual(await texts(page, '.pool-channel[data-channel="0"] .pool-output .cell'), ["4", "8", "9", "8"]);
  assert.match(await page.textContent(".conv-formula"), /\(1, 2, 4, 4\) → \(1, 2, 2, 2\)/);
  // PyTorch: max_pool2d(x, 2) backward with [[1, 2], [3, 4]].
  assert.deepEqual(await texts(page, '.pool-channel[data-channel="0"] .pool-dx .cell'),
    ["0", "1", "0", "0", "0", "0", "0", "2", "0", "0", "0", "4", "3", "0", "0", "0"]);
  assert.match(await page.textContent(".pool-narration"), /∂L\/∂out = 1 → ∂L\/∂x\[0, 1\]$/);
  await page.selectOption(".pool-mode", "avg");
  assert.deepEqual((await texts(page, '.pool-channel[data-channel="0"] .pool-dx .cell')).slice(0, 4), ["0.25", "0.25", "0.5", "0.5"]);
  assert.match(await page.textContent(".pool-code"), /output.backward\(torch.arange\(1., 5\).view\(1, 1, 2, 2\).expand\(1, 2, 2, 2\)\)/);
  assert.equal(param(page, "pool").max, false);
  await page.reload();
  await page.waitForSelector(".pool-explorer");
  assert.equal(await page.locator(".pool-channel").count(), 2);
  assert.equal(await page.inputValue(".pool-mode"), "avg");
  await page.screenshot({ path: path.join(SCREENSHOTS, "pool-backward-en-1280x800.png"), fullPage: true });
  assert.deepEqual(problems(), []);
  await page.close();
});

test("many channels: the RGB picture by default, predict the output shape, state round-trips", async () => {
  const { page, problems } = await open("channels");
  assert.equal(await page.locator(".channels-explorer .cell.swatch").count(), 25);
  await page.check(".channels-explorer .predict-toggle");
  assert.match(await page.textContent(".channels-shapes"), /output \(1, \?, \?, \?\)/);
  const inputs = page.locator(".channels-explorer .predict-input");
  for (const [i, v] of ["2", "3", "3"].entries()) await inputs.nth(i).fill(v);
  await page.click(".channels-explorer .predict-check");
  assert.equal(await page.textContent(".channels-explorer .predict-verdict"), `${en.get("predict.right")} 2 × 3 × 3`);
  await page.selectOption(".channels-cout", "4");
  assert.equal(param(page, "channels").cout, 4);
  await page.reload();
  await page.waitForSelector(".channels-explorer");
  assert.equal(await page.inputValue(".channels-cout"), "4");
  assert.deepEqual(problems(), []);
  await page.close();
});

test("the 1×1 convolution weights one pixel across the channels; the arrow keys move pixel by pixel", async () => {
  const { page, problems } = await open("deeper");
  // 0.3·1 + 0.6·2 + 0.1·8 = 2.3 and 1·1 − 1·2 + 0·8 = −1 (red, green, blue of pixel (0, 0)).
  assert.equal(await page.textContent(".pointwise-narration"),
    "out[0, 0, 0] = 0.3·1 + 0.6·2 + 0.1·8 = 2.3; out[1, 0, 0] = 1·1 + -1·2 + 0·8 = -1");
  assert.match(await page.textContent(".pointwise-cost"), /\(1, 3, 4, 4\) → \(1, 2, 4, 4\) · 96 /);
  await page.focus(".pointwise .conv-grids");
  await page.keyboard.press("ArrowRight");
  assert.match(await page.textContent(".pointwise-narration"), /^out\[0, 0, 1\] = /);
  await page.selectOption(".pointwise-cout", "4");
  assert.match(await page.textContent(".pointwise-cost"), /192 /);
  const code = await page.textContent(".pointwise-code");
  assert.ok(code.includes("torch.nn.Conv2d(3, 4, kernel_size=1, bias=False)") && code.includes("# torch.Size([1, 4, 4, 4])"), code);
  assert.equal(param(page, "pointwise").cout, 4);
  assert.deepEqual(problems(), []);
  await page.close();
});

test("links with values out of range are clamped with a visible note; garbage gives the defaults", async () => {
  const { page, problems } = await open("deeper", `&cost=${encodeURIComponent('{"cin":5000}')}&pointwise=nonsense`);
  const notes = await texts(page, ".link-note");
  assert.equal(notes.length, 2, String(notes));
  assert.ok(notes.some((n) => n.includes("cin 5000 → 2048")), String(notes));
  assert.ok(notes.some((n) => n.includes("pointwise:")), String(notes));
  assert.equal(await page.inputValue(".cost-cin"), "2048");
  await page.click(".link-note-close >> nth=0");
  assert.equal(await page.locator(".link-note").count(), 1);
  assert.deepEqual(problems(), []);
  await page.close();
});

for (const lang of ["en", "zh"]) {
  for (const [width, height] of [[1280, 800], [360, 740]]) {
    test(`every explorer page in ${lang} at ${width} px: no console errors, no sideways scroll`, async () => {
      const table = lang === "en" ? en : zh;
      for (const slug of ["images", "convolution", "channels", "padding-stride", "pooling", "deeper"]) {
        const { page, problems } = await watchedPage(site.browser.context);
        await page.setViewportSize({ width, height });
        await page.goto(`${site.server.base}?lang=${lang}#/${slug}`);
        await page.waitForSelector("article.page .widget");
        if (slug === "deeper") assert.equal(await page.textContent("#pointwise-heading"), table.get("pointwise.heading"));
        if (slug === "pooling") await page.check(".pool-backward");
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `${slug} scrolls sideways by ${overflow} px`);
        await page.screenshot({ path: path.join(SCREENSHOTS, `widgets-${slug}-${lang}-${width}.png`), fullPage: true });
        assert.deepEqual(problems(), [], slug);
        await page.close();
      }
    });
  }
}

test("depth: the shipped run shows at once; the skip toggle; rerunning 2 layers here gives the same story", async () => {
  const { page, problems } = await open("deeper");
  await page.waitForFunction(() => document.querySelector(".depth-summary")?.textContent.includes("%"));
  // The shipped run (convscope depth --layers 2,4,8,16 --steps 300): 16 plain layers stay at chance.
  assert.match(await page.textContent(".depth-summary"), /test accuracy 12\.6 % \/ 92\.6 %/);
  await page.uncheck(".depth-skip");
  assert.equal(await page.textContent(".depth-formula"), "y = relu(conv2(relu(conv1(x))))");
  await page.check(".depth-skip");
  await page.selectOption(".depth-layers", "2");
  assert.match(await page.textContent(".depth-summary"), /test accuracy 89\.1 % \/ 87\.1 %/);
  await page.click(".depth-run");
  await page.waitForFunction(() => !document.querySelector(".depth-progress") && document.querySelector(".depth-source")?.textContent.includes("this page"), null, { timeout: 180_000 });
  const [plain, residual] = (/test accuracy ([\d.]+) % \/ ([\d.]+) %/.exec(await page.textContent(".depth-summary"))).slice(1).map(Number);
  console.log(`# depth experiment rerun in the page (2 layers, 300 steps): plain ${plain} %, residual ${residual} % (shipped run: 89.1 / 87.1)`);
  assert.ok(Math.abs(plain - 89.1) <= 1 && Math.abs(residual - 87.1) <= 1, `${plain} / ${residual}`);
  assert.equal(await page.locator(".depth-plain li").count(), 1);
  await page.locator(".depth-view").screenshot({ path: path.join(SCREENSHOTS, "depth-en-1280x800.png") });
  assert.deepEqual(problems(), []);
  await page.close();
});
