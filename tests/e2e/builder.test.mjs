// The layer builder (MNIST page): layers are added at the end or before any layer, moved up and
// down (buttons that work from the keyboard, focus staying on the layer that moved) and removed,
// so "add a flatten before it" can be done where it says.
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { SCREENSHOTS, useSite, watchedPage, translations } from "./harness.mjs";

const site = useSite();
const EN = translations("en");
const ZH = translations("zh");

async function openBuilder(lang, viewport) {
  const { page, problems } = await watchedPage(site.browser.context);
  if (viewport) await page.setViewportSize(viewport);
  await page.goto(`${site.server.base}?lang=${lang}#/mnist`);
  await page.waitForSelector(".layer-builder .builder-row");
  return { page, problems };
}

const codes = (page) => page.locator(".builder-row .builder-layer code").allTextContents();
const LESSON = [
  "nn.Conv2d(1, 10, kernel_size=5)",
  "nn.MaxPool2d(2)",
  "nn.ReLU()",
  "nn.Conv2d(10, 20, kernel_size=5)",
  "nn.MaxPool2d(2)",
  "nn.ReLU()",
  "x.view(batch, -1)",
  "nn.Linear(320, 10)",
];

test("a flatten goes in before the Linear that asks for one", async () => {
  const { page, problems } = await openBuilder("en");
  assert.deepEqual(await codes(page), LESSON);
  // Without its flatten the Net breaks at the Linear, which says what to add where.
  await page.click('.builder-row[data-index="6"] .builder-remove');
  assert.match(await page.textContent(".builder-row.error .builder-status"), /add a flatten before it/);
  const options = await page.locator(".builder-at option").allTextContents();
  assert.equal(options[0], EN.get("builder.at_end"));
  assert.equal(options[7], "before layer 7: nn.Linear(320, 10)");
  await page.selectOption(".builder-at", "6");
  await page.click(".builder-add-flatten");
  assert.deepEqual(await codes(page), LESSON);
  assert.equal(await page.locator(".builder-row.error").count(), 0);
  assert.match(await page.textContent(".builder-total"), /\(1, 10\) · 8,490 parameters · 8 layers fit/);
  // The place stays before the same layer: a ReLU now goes between the flatten and the Linear.
  assert.equal(await page.inputValue(".builder-at"), "7");
  await page.click(".builder-add-relu");
  assert.deepEqual((await codes(page)).slice(6), ["x.view(batch, -1)", "nn.ReLU()", "nn.Linear(320, 10)"]);
  // At the very top, a new conv takes the image's one channel.
  await page.selectOption(".builder-at", "0");
  await page.click(".builder-add-conv");
  assert.equal((await codes(page))[0], "nn.Conv2d(1, 16, kernel_size=3)");
  assert.match(await page.textContent('.builder-row[data-index="1"] .builder-status'), /expects 1 input channels but the previous layer gives 16/);
  // "At the end" appends as before.
  await page.selectOption(".builder-at", "end");
  await page.click(".builder-add-relu");
  assert.equal((await codes(page)).at(-1), "nn.ReLU()");
  assert.deepEqual(problems(), []);
  await page.close();
});

test("layers move up and down from the keyboard, and focus follows the layer", async () => {
  const { page, problems } = await openBuilder("en");
  assert.equal(await page.isDisabled('.builder-row[data-index="0"] .builder-up'), true);
  assert.equal(await page.isDisabled('.builder-row[data-index="7"] .builder-down'), true);
  assert.equal(await page.getAttribute('.builder-row[data-index="6"] .builder-up', "aria-label"), "Move up x.view(batch, -1)");
  // Focus moves on the next animation frame, once the list is rebuilt: wait (briefly) for it.
  const where = () => {
    const el = document.activeElement;
    return `${el.closest(".builder-row")?.dataset.index} ${el.className}`;
  };
  const focused = async (expected) => {
    await page
      .waitForFunction((want) => {
        const el = document.activeElement;
        return `${el.closest(".builder-row")?.dataset.index} ${el.className}` === want;
      }, expected, { timeout: 2000 })
      .catch(() => {});
    return page.evaluate(where);
  };
  await page.focus('.builder-row[data-index="6"] .builder-up');
  await page.keyboard.press("Enter");
  assert.equal(await focused("5 builder-up"), "5 builder-up");
  // A flatten before the ReLU still fits; one more and the pool gets a flat input.
  assert.equal(await page.locator(".builder-row.error").count(), 0);
  await page.keyboard.press("Space");
  assert.equal(await focused("4 builder-up"), "4 builder-up");
  assert.equal((await codes(page))[4], "x.view(batch, -1)");
  assert.match(await page.textContent(".builder-row.error .builder-status"), /nn\.MaxPool2d\(2\) needs a \(B, C, H, W\) input but gets \[1, 1280\]: put it before the flatten/);
  // Back down again with the other button (Tab reaches it from the up button).
  await page.keyboard.press("Tab");
  assert.equal(await focused("4 builder-down"), "4 builder-down");
  await page.keyboard.press("Enter");
  assert.equal(await focused("5 builder-down"), "5 builder-down");
  await page.keyboard.press("Enter");
  assert.equal(await focused("6 builder-down"), "6 builder-down");
  assert.deepEqual(await codes(page), LESSON);
  assert.equal(await page.locator(".builder-row.error").count(), 0);
  // The last layer can only go up: focus lands on the button that still works.
  await page.focus('.builder-row[data-index="6"] .builder-down');
  await page.keyboard.press("Enter");
  assert.equal(await focused("7 builder-up"), "7 builder-up");
  assert.equal((await codes(page))[7], "x.view(batch, -1)");
  assert.deepEqual(problems(), []);
  await page.close();
});

test("the builder's new controls in Chinese, and at 360 px", async () => {
  const { page, problems } = await openBuilder("zh", { width: 360, height: 740 });
  assert.equal(await page.textContent(".builder-where > span"), ZH.get("builder.insert_at"));
  const options = await page.locator(".builder-at option").allTextContents();
  assert.equal(options[0], ZH.get("builder.at_end"));
  assert.equal(options[8], "第 8 层之前：nn.Linear(320, 10)");
  assert.equal(await page.getAttribute('.builder-row[data-index="2"] .builder-down', "aria-label"), `${ZH.get("builder.move_down")} nn.ReLU()`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow} px`);
  const builder = page.locator(".layer-builder");
  await builder.scrollIntoViewIfNeeded();
  await builder.screenshot({ path: path.join(SCREENSHOTS, "builder-zh-360.png") });
  await page.setViewportSize({ width: 1280, height: 800 });
  await builder.screenshot({ path: path.join(SCREENSHOTS, "builder-zh-1280.png") });
  assert.deepEqual(problems(), []);
  await page.close();
});

test("the residual and Inception nets layer by layer, with where their fc input comes from", async () => {
  const { page, problems } = await openBuilder("en");
  assert.match(await page.textContent(".builder-flatten"), /gives 320 = 20 × 4 × 4 features/);
  // Receptive fields from the layers' parameters: conv1 5 × 5, conv2 (before pooling) 14 × 14.
  assert.match(await page.textContent('.builder-row[data-index="0"] .builder-status'), /receptive field 5 × 5$/);
  assert.match(await page.textContent('.builder-row[data-index="3"] .builder-status'), /receptive field 14 × 14$/);
  assert.match(await page.textContent('.builder-row[data-index="4"] .builder-status'), /receptive field 16 × 16$/);
  assert.doesNotMatch(await page.textContent('.builder-row[data-index="7"] .builder-status'), /receptive/);
  await page.click(".builder-resnet");
  const resnet = await codes(page);
  assert.deepEqual(resnet.slice(3, 4), ["ResidualBlock(16)"]);
  assert.equal(resnet.at(-1), "nn.Linear(512, 10)");
  assert.equal(await page.locator(".builder-row.error").count(), 0);
  assert.match(await page.textContent(".builder-total"), /\(1, 10\) · 41,514 parameters · 10 layers fit/);
  assert.match(await page.textContent(".builder-flatten"), /gives 512 = 32 × 4 × 4 features/);
  // rblock1: two 16 → 16 3 × 3 convolutions on 12 × 12: 2 · 12 · 12 · 16 · 16 · 9 = 663,552.
  assert.match(await page.textContent('.builder-row[data-index="3"] .builder-status'), /\(1, 16, 12, 12\) · 4,640 parameters · 663,552 multiplications · receptive field 14 × 14$/);
  await page.click(".builder-inception");
  assert.equal((await codes(page))[3], "InceptionA(in_channels=10)");
  assert.match(await page.textContent('.builder-row[data-index="3"] .builder-status'), /\(1, 88, 12, 12\)/);
  assert.match(await page.textContent(".builder-total"), /\(1, 10\) · 97,298 parameters · 10 layers fit/);
  assert.match(await page.textContent(".builder-flatten"), /gives 1408 = 88 × 4 × 4 features/);
  // A block added after the first pool takes its channels; a wrong one says what to change.
  await page.click(".builder-clear");
  await page.click(".builder-add-conv");
  await page.click(".builder-add-residual");
  assert.deepEqual(await codes(page), ["nn.Conv2d(1, 16, kernel_size=3)", "ResidualBlock(16)"]);
  await page.selectOption(".builder-at", "0");
  await page.click(".builder-add-inception");
  assert.equal((await codes(page))[0], "InceptionA(in_channels=1)");
  assert.match(await page.textContent('.builder-row[data-index="1"] .builder-status'), /expects 1 input channels but the previous layer gives 88/);
  assert.deepEqual(problems(), []);
  await page.close();
  const zh = await openBuilder("zh", { width: 360, height: 740 });
  await zh.page.click(".builder-inception");
  assert.equal(await zh.page.textContent(".builder-flatten"), ZH.get("builder.flatten_from").replace("{n}", "1408").replace("{dims}", "88 × 4 × 4"));
  const builder = zh.page.locator(".layer-builder");
  await builder.scrollIntoViewIfNeeded();
  await builder.screenshot({ path: path.join(SCREENSHOTS, "builder-inception-zh-360.png") });
  assert.deepEqual(zh.problems(), []);
  await zh.page.close();
});
