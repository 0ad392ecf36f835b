// The network view (#/network): the shipped Net on the built-in 7, drawn as columns of maps;
// hovering a cell lights the window it reads; clicking cells in conv1 and conv2 opens their
// computation, whose sum is the value in the map; clicking a probability opens its fc row.
// The numbers are the core's: the same golden values are asserted by the core's unit test
// (src/core/explain/network/tests.rs, `shipped_net_golden_numbers`).
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { SCREENSHOTS, useSite, watchedPage, translations } from "./harness.mjs";

const site = useSite();
const TABLES = { en: translations("en"), zh: translations("zh") };

async function open(query = "lang=en", viewport) {
  const { page, problems } = await watchedPage(site.browser.context);
  if (viewport) await page.setViewportSize(viewport);
  await page.goto(`${site.server.base}?${query}#/network`);
  // The shipped weights arrive, then the columns are drawn.
  await page.waitForSelector('.nv-column[data-layer="relu(pool(conv2))"] .nv-map');
  return { page, problems };
}

/** Clicks cell (y, x) of map `channel` in the column named `layer`. */
async function clickCell(page, layer, channel, y, x, [h, w]) {
  const map = page.locator(`.nv-column[data-layer="${layer}"] .nv-map[data-channel="${channel}"]`);
  const box = await map.boundingBox();
  await map.click({ position: { x: ((x + 0.5) * box.width) / w, y: ((y + 0.5) * box.height) / h } });
}

async function equals(page) {
  return page.evaluate(() => {
    const p = document.querySelector(".nv-panel .nv-equals");
    return {
      sum: p.dataset.sum,
      value: p.dataset.value,
      equal: p.dataset.equal,
      shownSum: p.querySelector(".nv-sum").textContent,
      shownValue: p.querySelector(".nv-value").textContent,
      title: document.querySelector(".nv-panel h3").textContent,
    };
  });
}

test("the Net's columns, PyTorch's names and shapes, in order", async () => {
  const { page, problems } = await open();
  const columns = await page.$$eval(".nv-strip .nv-column", (cs) =>
    cs.map((c) => [c.dataset.layer, c.querySelector("h3 small").textContent, c.querySelectorAll(".nv-map").length]),
  );
  assert.deepEqual(columns, [
    ["input", "(1, 1, 28, 28)", 1],
    ["conv1", "(1, 10, 24, 24)", 10],
    ["relu(pool(conv1))", "(1, 10, 12, 12)", 10],
    ["conv2", "(1, 20, 8, 8)", 20],
    ["relu(pool(conv2))", "(1, 20, 4, 4)", 20],
    ["flatten", "(1, 320)", 0],
    ["fc", "(1, 10)", 0],
  ]);
  assert.equal(await page.locator(".nv-prob").count(), 10);
  // It shows the learner's own digit, which no address carries: a snippet, no link.
  await page.click('.share-bar[data-widget="network"] summary');
  assert.equal(await page.locator('.share-bar[data-widget="network"] .share-link').count(), 0);
  assert.equal(await page.locator('.share-bar[data-widget="network"] .share-no-link').count(), 1);
  assert.match(await page.inputValue('.share-bar[data-widget="network"] .share-snippet'), /#\/embed\/network/);
  // Embedded alone, with its pickers hidden.
  await page.goto("about:blank");
  await page.goto(`${site.server.base}?lang=en&hide=digit,model#/embed/network`);
  await page.waitForSelector('.embed-root[data-widget="network"] .nv-column[data-layer="conv2"] .nv-map');
  assert.equal(await page.locator(".nv-model").isVisible(), false);
  assert.equal(await page.locator(".nv-sample").isVisible(), false);
  assert.deepEqual(problems(), []);
  await page.close();
});

test("conv1 and conv2 cells open their computation; the sum is the map's value, exactly", async () => {
  const { page, problems } = await open();
  // conv1[0, 3, 10, 12]: one 5 × 5 window of the input.
  await clickCell(page, "conv1", 3, 10, 12, [24, 24]);
  await page.waitForSelector(".nv-panel .nv-equals");
  let e = await equals(page);
  assert.equal(e.title, "conv1[0, 3, 10, 12]");
  assert.deepEqual([e.sum, e.value, e.equal, e.shownSum, e.shownValue], ["0.129998", "0.129998", "true", "0.129998", "0.129998"]);
  assert.equal(await page.locator(".nv-panel .nv-share").count(), 1);
  assert.equal(await page.locator(".nv-panel .nv-input .nv-num").count(), 25);
  assert.equal(await page.locator(".nv-panel .nv-kernel .nv-num").count(), 25);
  assert.equal(await page.locator(".nv-panel .nv-products .nv-num").count(), 25);
  // Hovering it lit the window it reads in the input (and an edge to it).
  assert.equal(await page.locator('.nv-column[data-layer="input"] .nv-window').count(), 1);
  const win = await page.$eval('.nv-column[data-layer="input"] .nv-window', (w) => w.getAttribute("style"));
  assert.match(win, /top:35\.714%;left:42\.857%;height:17\.857%;width:17\.857%/);
  assert.ok((await page.locator(".nv-edges line").count()) >= 1);
  await page.screenshot({ path: path.join(SCREENSHOTS, "network-conv1-1280-en-light.png"), fullPage: true });

  // conv2[0, 5, 3, 4]: ten input channels of relu(pool(conv1)).
  await clickCell(page, "conv2", 5, 3, 4, [8, 8]);
  await page.waitForFunction(() => document.querySelector(".nv-panel h3")?.textContent === "conv2[0, 5, 3, 4]");
  e = await equals(page);
  assert.deepEqual([e.sum, e.value, e.equal, e.shownSum], ["-0.82932675", "-0.82932675", "true", "-0.82932675"]);
  assert.equal(await page.locator(".nv-panel .nv-share").count(), 10);
  // The window lights in all ten maps of the previous column.
  assert.equal(await page.locator('.nv-column[data-layer="relu(pool(conv1))"] .nv-window').count(), 10);
  // Another channel's window, weights and products.
  await page.click('.nv-panel .nv-share[data-channel="6"]');
  await page.waitForSelector('.nv-panel .nv-share[data-channel="6"][aria-pressed="true"]');
  assert.match(await page.textContent(".nv-windows figure:nth-child(2) figcaption"), /^conv2\.weight\[5, 6\]/);

  // A pooled cell: its 2 × 2 window and the maximum.
  await clickCell(page, "relu(pool(conv1))", 3, 5, 6, [12, 12]);
  await page.waitForFunction(() => document.querySelector(".nv-panel h3")?.textContent === "relu(pool(conv1))[0, 3, 5, 6]");
  e = await equals(page);
  assert.equal(e.equal, "true");
  assert.equal(await page.locator(".nv-panel .nv-num").count(), 4);
  assert.equal(await page.locator(".nv-panel .nv-num.argmax").count(), 1);

  // The probability of a 7 and the fc row that made its logit.
  await page.click('.nv-prob[data-class="7"]');
  await page.waitForSelector(".nv-panel .nv-table");
  e = await equals(page);
  assert.deepEqual([e.sum, e.value, e.equal], ["19.371073", "19.371073", "true"]);
  assert.equal(await page.locator(".nv-panel .nv-table tbody tr").count(), 320);
  assert.equal(await page.$eval(".nv-softmax", (p) => p.dataset.prob), "0.999998");
  assert.deepEqual(problems(), []);
  await page.close();
});

test("keyboard: a column is one stop, arrows move the cell, Enter opens it", async () => {
  const { page, problems } = await open();
  await page.focus('.nv-column[data-layer="conv2"]');
  for (const key of ["ArrowDown", "ArrowDown", "ArrowDown", "ArrowRight", "ArrowRight", "ArrowRight", "ArrowRight"]) {
    await page.keyboard.press(key);
  }
  for (let i = 0; i < 5; i++) await page.keyboard.press("PageDown");
  // The status gives the unit's receptive field (issue 16 item 4), and the input column lights
  // it: conv2 (3, 4) sees rows 6..20 and columns 8..22 of the digit (14 × 14, jump 2).
  assert.equal(await page.textContent(".network-view .nv-status"), "conv2[5, 3, 4] = -0.82932675 · receptive field 14 × 14");
  const field = await page.$eval('.nv-column[data-layer="input"] .nv-field', (e) => e.getAttribute("style"));
  assert.equal(field, "top:21.429%;left:28.571%;height:50.000%;width:50.000%");
  await page.keyboard.press("Enter");
  await page.waitForSelector(".nv-panel .nv-equals");
  assert.equal((await equals(page)).sum, "-0.82932675");
  assert.deepEqual(problems(), []);
  await page.close();
});

test("the other models and a test digit; screenshots at 1280 and 360, light and dark, English and Chinese", async () => {
  for (const [lang, theme, width] of [
    ["en", "light", 1280],
    ["zh", "dark", 1280],
    ["en", "dark", 360],
    ["zh", "light", 360],
  ]) {
    const { page, problems } = await open(`lang=${lang}&theme=${theme}`, { width, height: 800 });
    assert.equal(await page.textContent("#net-heading"), TABLES[lang].get("net.heading"));
    await clickCell(page, "conv2", 5, 3, 4, [8, 8]);
    await page.waitForSelector(".nv-panel .nv-equals");
    // The page itself does not scroll sideways on a phone: the strip does.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page overflows by ${overflow}px at ${width}`);
    await page.screenshot({ path: path.join(SCREENSHOTS, `network-${width}-${lang}-${theme}.png`), fullPage: width === 360 });
    assert.deepEqual(problems(), [], `${lang} ${theme} ${width}`);
    await page.close();
  }
  // The Inception net: its blocks' cells name the convolution that made them; conv2 sums 88 channels.
  const { page, problems } = await open();
  let t0 = Date.now();
  await page.selectOption(".nv-model", "inception");
  await page.waitForSelector('.nv-column[data-layer="incep2"] .nv-map');
  console.log(`# Inception: weights fetched, traced and drawn in ${Date.now() - t0} ms`);
  t0 = Date.now();
  await clickCell(page, "conv2", 0, 2, 2, [8, 8]);
  await page.waitForSelector(".nv-panel .nv-equals");
  console.log(`# Inception conv2 cell (88 channels × 5 × 5) opened in ${Date.now() - t0} ms`);
  assert.equal(await page.locator(".nv-panel .nv-share").count(), 88);
  assert.equal((await equals(page)).equal, "true");
  await clickCell(page, "incep1", 40, 1, 1, [12, 12]);
  await page.waitForFunction(() => /incep1\.branch3x3_3\.weight\[0\]/.test(document.querySelector(".nv-panel").textContent));
  await page.screenshot({ path: path.join(SCREENSHOTS, "network-inception-1280-en-light.png") });
  // A test digit from the test set.
  await page.selectOption(".nv-model", "resnet");
  await page.waitForSelector('.nv-column[data-layer="rblock2"] .nv-map');
  await page.fill(".nv-test-index", "3");
  t0 = Date.now();
  await page.press(".nv-test-index", "Enter");
  await page.click(".nv-show-test");
  await page.waitForFunction(() => /#3 /.test(document.querySelector(".nv-origin").textContent), null, { timeout: 60_000 });
  console.log(`# test set fetched and test digit 3 traced by the residual net in ${Date.now() - t0} ms`);
  await clickCell(page, "conv1", 0, 12, 12, [24, 24]);
  await page.waitForSelector(".nv-panel .nv-equals");
  assert.equal((await equals(page)).equal, "true");
  assert.deepEqual(problems(), []);
  await page.close();
});
