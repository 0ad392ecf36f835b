// Drawing digits on the MNIST page with the mouse, as a person would, and reading the Net's
// guess; undo and clear; the page in Chinese on a phone; the model picker: the residual and
// Inception nets read a drawn digit too, with their own feature maps, and export as themselves.
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { SCREENSHOTS, useSite, watchedPage, translations } from "./harness.mjs";

const site = useSite();

/** Points along an arc of a circle (degrees, clockwise on screen from +x). */
function arc(cx, cy, rx, ry, from, to, n = 24) {
  return Array.from({ length: n + 1 }, (_, i) => {
    const a = ((from + ((to - from) * i) / n) * Math.PI) / 180;
    return [cx + rx * Math.cos(a), cy + ry * Math.sin(a)];
  });
}

/** Strokes in the pad's own 280 × 280 coordinates. */
const DIGITS = {
  0: [arc(140, 140, 55, 90, -90, 275, 40)],
  1: [[[150, 45], [146, 100], [142, 160], [138, 235]]],
  7: [[[75, 55], [140, 52], [205, 55], [175, 120], [145, 180], [125, 240]]],
  3: [[...arc(135, 95, 55, 45, -160, 90, 20), ...arc(135, 185, 60, 50, -90, 160, 20)]],
};

async function draw(page, strokes) {
  const box = await page.locator(".draw-pad").boundingBox();
  const scale = box.width / 280;
  for (const stroke of strokes) {
    const [x0, y0] = stroke[0];
    await page.mouse.move(box.x + x0 * scale, box.y + y0 * scale);
    await page.mouse.down();
    for (const [x, y] of stroke.slice(1)) {
      await page.mouse.move(box.x + x * scale, box.y + y * scale, { steps: 3 });
    }
    await page.mouse.up();
  }
}

test("digits drawn with the mouse are read right", async () => {
  const { page, problems } = await watchedPage(site.browser.context);
  await page.goto(`${site.server.base}?lang=en#/mnist`);
  await page.waitForFunction((t) => document.querySelector(".draw-guess")?.textContent === t, translations("en").get("draw.empty"));
  for (const [digit, strokes] of Object.entries(DIGITS)) {
    await page.click(".draw-clear");
    await draw(page, strokes);
    await page.waitForSelector(".draw-guess[data-guess]");
    const guess = await page.getAttribute(".draw-guess", "data-guess");
    // The preprocessing steps are shown: cropped, 20 × 20, centred in 28 × 28.
    assert.equal(await page.locator(".draw-step").count(), 3);
    await page.screenshot({ path: path.join(SCREENSHOTS, `draw-${digit}-en-1280x800.png`) });
    assert.equal(guess, digit, `drew ${digit}, the Net read ${guess} (${await page.textContent(".draw-guess")})`);
  }
  // Undo removes the last stroke (here: the only one), leaving an empty pad.
  await page.click(".draw-undo");
  await page.waitForFunction(() => !document.querySelector(".draw-guess")?.dataset.guess);
  assert.deepEqual(problems(), []);
  await page.close();
});

test("the drawing pad in Chinese on a phone, by touch-sized strokes", async () => {
  const { page, problems } = await watchedPage(site.browser.context);
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto(`${site.server.base}?lang=zh#/mnist`);
  await page.waitForSelector(".draw-pad");
  await page.waitForFunction(() => document.querySelector(".draw-guess")?.textContent.length > 0);
  await page.locator(".draw-pad").scrollIntoViewIfNeeded();
  await draw(page, DIGITS[7]);
  await page.waitForSelector(".draw-guess[data-guess]");
  assert.equal(await page.getAttribute(".draw-guess", "data-guess"), "7");
  await page.screenshot({ path: path.join(SCREENSHOTS, "draw-7-zh-360x740.png"), fullPage: true });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `scrolls sideways by ${overflow} px`);
  assert.deepEqual(problems(), []);
  await page.close();
});

test("the model picker: each of the three nets reads a drawn 7, with its own feature maps", async () => {
  const en = translations("en");
  const { page, problems } = await watchedPage(site.browser.context);
  await page.goto(`${site.server.base}?lang=en#/mnist`);
  await page.waitForSelector(".draw-pad");
  const want = {
    net: { name: en.get("model.kind.net"), rows: 4, maps: 60, accuracy: "98.93" },
    resnet: { name: en.get("model.kind.resnet"), rows: 6, maps: 16 + 16 + 16 + 32 + 32 + 32, accuracy: "99.29" },
    inception: { name: en.get("model.kind.inception"), rows: 6, maps: 10 + 10 + 88 + 20 + 20 + 88 },
  };
  await page.waitForFunction((t) => document.querySelector(".draw-guess")?.textContent === t, en.get("draw.empty"));
  await page.locator(".draw-pad").scrollIntoViewIfNeeded();
  await draw(page, DIGITS[7]);
  for (const [kind, w] of Object.entries(want)) {
    await page.selectOption(".lab-model", kind);
    await page.waitForFunction(
      (name) => document.querySelector(".draw-model")?.textContent.startsWith(name) &&
        document.querySelector(".draw-model").textContent.includes("%"),
      w.name,
    );
    const label = await page.textContent(".draw-model");
    if (w.accuracy) assert.ok(label.includes(`(${w.accuracy} %)`), label);
    await page.waitForSelector(".draw-guess[data-guess]");
    assert.equal(await page.getAttribute(".draw-guess", "data-guess"), "7", `${kind}: ${await page.textContent(".draw-guess")}`);
    // The maps follow the pad's answer (once it has settled: lab_ask.rs `SETTLE_MS`).
    await page.waitForFunction(
      ([rows, maps]) =>
        document.querySelectorAll(".feature-maps .map-row").length === rows &&
        document.querySelectorAll(".feature-maps button.map").length === maps,
      [w.rows, w.maps],
    );
    assert.equal(await page.locator(".feature-maps .map-row").count(), w.rows, kind);
    assert.equal(await page.locator(".feature-maps button.map").count(), w.maps, kind);
    // The model card exports the chosen model under its own name.
    const [download] = await Promise.all([page.waitForEvent("download"), page.click(".model-export")]);
    assert.equal(download.suggestedFilename(), `convscope-${kind}.safetensors`);
  }
  // Inception's maps: channel 40 of incep1 is the first of the 3×3 branch, made by branch3x3_3.
  await page.hover('.map-row[data-layer="incep1"] button.map >> nth=40');
  assert.match(await page.textContent(".map-kernel figcaption"), /incep1 map 40 ← incep1\.branch3x3_3\.weight\[0\] \(24, 3, 3\)/);
  await page.locator(".draw-digit").screenshot({ path: path.join(SCREENSHOTS, "draw-7-inception-en-1280x800.png") });
  // Back to the Net with incep1's map 40 selected: the Net has no such map, and nothing breaks.
  await page.selectOption(".lab-model", "net");
  await page.waitForFunction((name) => document.querySelector(".draw-model")?.textContent.startsWith(name), want.net.name);
  await page.waitForFunction(() => document.querySelectorAll(".feature-maps button.map").length === 60);
  assert.equal(await page.getAttribute(".draw-guess", "data-guess"), "7");
  await page.hover('.map-row[data-layer="conv2"] button.map >> nth=19');
  assert.match(await page.textContent(".map-kernel figcaption"), /conv2 map 19 ← conv2\.weight\[19\] \(10, 5, 5\)/);
  assert.deepEqual(problems(), []);
  await page.close();
});

test("the Inception widget links to the trainable net: the lab and the Train page pick it", async () => {
  const { page, problems } = await watchedPage(site.browser.context);
  await page.goto(`${site.server.base}?lang=en#/deeper`);
  await page.waitForSelector(".inception-view");
  await page.click(".inception-incep2");
  assert.equal(await page.textContent(".inception-output"), "(1, 88, 4, 4)");
  assert.match(await page.textContent(".inception-total-mults"), /^[\d,]+$/);
  await page.click(".model-link-train");
  await page.waitForSelector(".train-model");
  assert.equal(await page.inputValue(".train-model"), "inception");
  await page.goto(`${site.server.base}?lang=en&model=resnet#/mnist`);
  await page.waitForSelector(".lab-model");
  assert.equal(await page.inputValue(".lab-model"), "resnet");
  assert.deepEqual(problems(), []);
  await page.close();
});
