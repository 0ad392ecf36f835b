// Why this answer? (src/ui/widgets/why_answer.rs): for test digit 0 and each of the three
// shipped models, the saliency map of a class and the occlusion drops equal PyTorch's
// (tests/fixtures/why_golden.safetensors, from make_why_golden.py: torch.autograd.grad of the
// logit with respect to the input; p(class) drops with squares of 4 and 8 pixels moved by 2);
// the class follows the arrow keys; the times are printed; screenshots at 1280 and 360 px, in
// English and Chinese, light and dark.
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { readFileSync } from "node:fs";
import { ROOT, SCREENSHOTS, useSite, watchedPage } from "./harness.mjs";

const site = useSite();

/** The f32 tensors of a safetensors file: name → Float32Array. */
function safetensors(file) {
  const buffer = readFileSync(file);
  const n = Number(buffer.readBigUInt64LE(0));
  const header = JSON.parse(buffer.subarray(8, 8 + n).toString("utf8"));
  const data = buffer.subarray(8 + n);
  const out = new Map();
  for (const [name, t] of Object.entries(header)) {
    if (name === "__metadata__") continue;
    const bytes = data.subarray(t.data_offsets[0], t.data_offsets[1]);
    out.set(name, new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)));
  }
  return out;
}

const golden = safetensors(path.join(ROOT, "tests/fixtures/why_golden.safetensors"));
const saliencyOf = (model, c) => [...golden.get(`${model}.saliency`).subarray(c * 784, (c + 1) * 784)];
const dropsOf = (model, patch, c) => {
  const all = golden.get(`${model}.occ${patch}`);
  const n = all.length / 10;
  return [...all.subarray(c * n, (c + 1) * n)];
};

/** The worst error of `got` against `want`, relative to want's largest |value| (at least
 * `floor`: a probability near 1 keeps only about 1e-7 of absolute precision in float32, so
 * drops are compared to at least 0.01, i.e. to 1e-6 absolute). */
function worst(got, want, floor = 0) {
  if (!got || got.length !== want.length) return Infinity;
  const scale = Math.max(floor, ...want.map(Math.abs));
  return Math.max(...got.map((g, i) => Math.abs(g - want[i]))) / scale;
}

/** Reads a figure's exact values (`data-values` or `data-drops`) until they match `want` to
 * `rel` of its range (the model or the class may still be changing), then asserts. */
async function expectValues(page, selector, attr, want, rel, what) {
  const floor = attr === "data-drops" ? 0.01 : 0;
  let err = Infinity;
  for (let i = 0; i < 100 && !(err <= rel); i++) {
    const text = await page.getAttribute(selector, attr);
    err = worst(text ? text.split(",").map(Number) : null, want, floor);
    if (!(err <= rel)) await page.waitForTimeout(200);
  }
  assert.ok(err <= rel, `${what}: worst error ${err} of the range (allowed ${rel})`);
  return err;
}

const openWithDigit0 = async (query = "lang=en", viewport = { width: 1280, height: 900 }) => {
  const { page, problems } = await watchedPage(site.browser.context);
  await page.setViewportSize(viewport);
  await page.goto(`${site.server.base}?${query}#/mnist`);
  await page.waitForSelector(".why-answer");
  await page.click(".gallery-load");
  await page.click('.gallery .tile[data-index="0"]');
  await page.waitForFunction(() => document.querySelector(".draw-guess")?.dataset.guess === "7");
  return { page, problems };
};

test("saliency and occlusion of test digit 0 equal PyTorch's for the three models; arrow keys switch the class", async () => {
  const { page, problems } = await openWithDigit0();
  for (const model of ["net", "resnet", "inception"]) {
    await page.selectOption(".lab-model", model);
    // The predicted class first.
    await page.waitForSelector('.why-class[data-class="7"][aria-checked="true"]');
    const e7 = await expectValues(page, ".why-saliency", "data-values", saliencyOf(model, 7), 1e-4, `${model} saliency of 7`);
    const o7 = await expectValues(page, ".why-occlusion", "data-drops", dropsOf(model, 4, 7), 1e-4, `${model} occlusion 4 of 7`);
    // The arrow keys move the class (and the focus) through the ten; wrapping round.
    await page.focus('.why-class[data-class="7"]');
    await page.keyboard.press("ArrowRight");
    await page.waitForSelector('.why-class[data-class="8"][aria-checked="true"]');
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.class), "8");
    assert.equal(await page.getAttribute(".why-saliency", "data-class"), "8");
    const e8 = await expectValues(page, ".why-saliency", "data-values", saliencyOf(model, 8), 1e-4, `${model} saliency of 8`);
    // Switching the class reuses the occlusion pass: the drops of 8 at once.
    await expectValues(page, ".why-occlusion", "data-drops", dropsOf(model, 4, 8), 1e-4, `${model} occlusion 4 of 8`);
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    await page.waitForSelector('.why-class[data-class="0"][aria-checked="true"]');
    await expectValues(page, ".why-saliency", "data-values", saliencyOf(model, 0), 1e-4, `${model} saliency of 0`);
    await page.keyboard.press("ArrowLeft");
    await page.waitForSelector('.why-class[data-class="9"][aria-checked="true"]');
    // A larger square.
    await page.selectOption(".why-patch select", "8");
    const o8 = await expectValues(page, ".why-occlusion", "data-drops", dropsOf(model, 8, 9), 1e-4, `${model} occlusion 8 of 9`);
    const occ8 = await page.getAttribute(".why-occlusion", "data-ms");
    await page.selectOption(".why-patch select", "4");
    await page.waitForFunction(() => document.querySelector(".why-occlusion").dataset.ms);
    const [sal, occ, longest] = await page.evaluate(() => [
      document.querySelector(".why-saliency").dataset.ms,
      document.querySelector(".why-occlusion").dataset.ms,
      document.querySelector(".why-occlusion").dataset.longest,
    ]);
    console.log(`# ${model}: saliency ${sal} ms; occlusion 4 × 4 (169 images) ${occ} ms, longest part ${longest} ms, 8 × 8 (121 images) ${occ8} ms; worst errors ${e7.toExponential(1)}, ${e8.toExponential(1)}, ${o7.toExponential(1)}, ${o8.toExponential(1)}`);
  }
  assert.deepEqual(problems(), []);
  await page.close();
});

test("screenshots at 1280 and 360 px, English and Chinese, light and dark; nothing overflows", async () => {
  for (const [lang, theme, width] of [
    ["en", "light", 1280],
    ["zh", "dark", 1280],
    ["en", "dark", 360],
    ["zh", "light", 360],
  ]) {
    const { page, problems } = await openWithDigit0(`lang=${lang}&theme=${theme}`, { width, height: 800 });
    await page.waitForFunction(() => document.querySelector(".why-occlusion")?.dataset.drops);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${lang} ${theme} ${width}: ${overflow} px too wide`);
    // The whole widget, from a page scrolled to the top (the sticky header stays at the top).
    const box = await page.evaluate(() => {
      window.scrollTo(0, 0);
      document.activeElement?.blur();
      const r = document.querySelector(".why-answer").getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    });
    await page.screenshot({ path: path.join(SCREENSHOTS, `why-${width}-${lang}-${theme}.png`), fullPage: true, clip: box });
    assert.deepEqual(problems(), [], `${lang} ${theme} ${width}`);
    await page.close();
  }
});

test("the class and the square size are in the address: a link with class 3 opens on class 3", async () => {
  const { page, problems } = await watchedPage(site.browser.context);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${site.server.base}?lang=en&why=${encodeURIComponent('{"class":3,"patch":8}')}#/mnist`);
  await page.waitForSelector('.why-class[data-class="3"][aria-checked="true"]', { state: "attached" });
  assert.equal(await page.inputValue(".why-patch select"), "8");
  // Still class 3 once a digit is there (test digit 0, predicted 7): the maps explain 3.
  await page.click(".gallery-load");
  await page.click('.gallery .tile[data-index="0"]');
  await page.waitForFunction(() => document.querySelector(".draw-guess")?.dataset.guess === "7");
  await expectValues(page, ".why-saliency", "data-values", saliencyOf("net", 3), 1e-4, "net saliency of 3 from the link");
  assert.equal(await page.getAttribute('.why-class[data-class="3"]', "aria-checked"), "true");
  // Choosing writes the address.
  await page.click('.why-class[data-class="5"]');
  await page.waitForFunction(() => decodeURIComponent(location.search).includes('"class":5'));
  assert.match(decodeURIComponent(page.url()), /why=\{"class":5,"patch":8\}/);
  // A damaged link is clamped with a note.
  await page.goto(`${site.server.base}?lang=en&why=${encodeURIComponent('{"class":12,"patch":5}')}#/mnist`);
  await page.waitForSelector('.why-class[data-class="9"][aria-checked="true"]', { state: "attached" });
  assert.equal(await page.inputValue(".why-patch select"), "4");
  assert.deepEqual(problems(), []);
  await page.close();
});
