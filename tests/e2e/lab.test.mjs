// The MNIST lab: the layer builder's shapes and errors; real test digits classified with their
// feature maps and kernels; the whole test set evaluated in the page, digit for digit equal to
// `convscope eval`; weights exported and imported (a corrupt file keeps the model); a picture
// uploaded and preprocessed step by step.
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { ROOT, SCREENSHOTS, useSite, watchedPage, translations, sevenPng } from "./harness.mjs";

const site = useSite();
const en = translations("en");

/** The tensors of a safetensors file: name → { dtype, shape, bytes } (metadata left out). */
function safetensors(buffer) {
  const headerLength = Number(buffer.readBigUInt64LE(0));
  const header = JSON.parse(buffer.subarray(8, 8 + headerLength).toString("utf8"));
  const data = buffer.subarray(8 + headerLength);
  const tensors = new Map();
  for (const [name, t] of Object.entries(header)) {
    if (name === "__metadata__") continue;
    tensors.set(name, { dtype: t.dtype, shape: t.shape, bytes: data.subarray(t.data_offsets[0], t.data_offsets[1]) });
  }
  return tensors;
}

/** Every tensor of `got` equals the one of the same name in `want`, and no name is missing or extra. */
function assertSameTensors(got, want) {
  assert.deepEqual([...got.keys()].sort(), [...want.keys()].sort(), "tensor names");
  for (const [name, w] of want) {
    const g = got.get(name);
    assert.equal(g.dtype, w.dtype, `${name}: dtype`);
    assert.deepEqual(g.shape, w.shape, `${name}: shape`);
    assert.ok(g.bytes.equals(w.bytes), `${name}: values differ from the shipped file`);
  }
}

const openLab = async () => {
  const { page, problems } = await watchedPage(site.browser.context);
  await page.goto(`${site.server.base}?lang=en#/mnist`);
  await page.waitForSelector(".layer-builder");
  return { page, problems };
};

test("the layer builder: the lesson's Net fits 28 × 28; 32 × 32 breaks Linear(320, 10) with the fix", async () => {
  const { page, problems } = await openLab();
  assert.match(await page.textContent(".builder-total"), /\(1, 10\) · 8,490 parameters · 8 layers fit/);
  await page.fill(".builder-side", "32");
  await page.press(".builder-side", "Enter");
  await page.locator(".builder-side").blur();
  const error = await page.textContent(".builder-row.error .builder-status");
  assert.match(error, /expects 320 features but gets 500: use nn\.Linear\(500, 10\)/);
  // Fix it as the message says.
  await page.fill('.builder-row.error .builder-in', "500");
  await page.locator('.builder-row.error .builder-in').blur();
  assert.equal(await page.locator(".builder-row.error").count(), 0);
  // Layer by layer from nothing: a conv, then a Linear without a flatten.
  await page.click(".builder-clear");
  await page.fill(".builder-side", "28");
  await page.locator(".builder-side").blur();
  await page.click(".builder-add-conv");
  assert.match(await page.textContent('.builder-row[data-index="0"] .builder-status'), /→ \(1, 16, 26, 26\) · 160 parameters/);
  await page.click(".builder-add-linear");
  await page.fill('.builder-row[data-index="1"] .builder-in', "100");
  await page.locator('.builder-row[data-index="1"] .builder-in').blur();
  assert.match(await page.textContent(".builder-row.error .builder-status"), /add a flatten before it/);
  assert.deepEqual(problems(), []);
  await page.close();
});

test("test digits: load with progress, classify one, see its maps and a kernel on hover", async () => {
  const { page, problems } = await openLab();
  await page.click(".gallery-load");
  await page.waitForSelector(".gallery .tile");
  assert.equal(await page.locator(".gallery .tile").count(), 40);
  await page.click('.gallery .tile[data-index="0"]');
  await page.waitForFunction(() => document.querySelector(".draw-guess")?.dataset.guess === "7");
  assert.match(await page.textContent(".draw-origin"), /Test digit #0 \(label 7\)/);
  assert.equal(await page.locator(".feature-maps button.map").count(), 60);
  await page.hover('.map-row[data-layer="conv2"] button.map >> nth=3');
  assert.match(await page.textContent(".map-kernel figcaption"), /conv2 map 3 ← conv2\.weight\[3\] \(10, 5, 5\)/);
  assert.equal(await page.locator(".map-kernel canvas").count(), 10);
  await page.focus('.map-row[data-layer="conv1"] button.map >> nth=2');
  assert.match(await page.textContent(".map-kernel figcaption"), /conv1\.weight\[2\] \(1, 5, 5\)/);
  await page.click(".gallery-next");
  assert.equal(await page.getAttribute(".gallery .tile >> nth=0", "data-index"), "40");
  await page.locator(".feature-maps").screenshot({ path: path.join(SCREENSHOTS, "lab-maps-en-1280x800.png") });
  assert.deepEqual(problems(), []);
  await page.close();
});

test("the page's classification of the test set equals `convscope eval` digit for digit", async () => {
  const { page, problems } = await openLab();
  await page.waitForFunction(() => document.querySelector(".model-source")?.textContent.includes("98.93"));
  await page.click(".eval-run");
  await page.waitForSelector(".eval-result[data-predictions]", { timeout: 120_000 });
  const predictions = await page.getAttribute(".eval-result", "data-predictions");
  const cli = readFileSync(path.join(ROOT, "tests/fixtures/net_predictions.txt"), "utf8").trim();
  assert.equal(predictions.length, 10_000);
  const firstDiff = [...predictions].findIndex((d, i) => d !== cli[i]);
  assert.equal(firstDiff, -1, `first difference at test digit ${firstDiff}`);
  assert.match(await page.textContent(".eval-summary"), /Accuracy 98\.93 % \(9893 \/ 10000\)/);
  assert.equal(await page.locator(".confusion tbody tr").count(), 10);
  assert.equal(await page.locator(".eval-wrong .tile").count(), 36);
  await page.locator(".eval-panel").screenshot({ path: path.join(SCREENSHOTS, "lab-eval-en-1280x800.png") });
  assert.deepEqual(problems(), []);
  await page.close();
});

test("weights export and import round-trip; a corrupt file is refused and the model kept", async () => {
  const { page, problems } = await openLab();
  await page.waitForFunction(() => document.querySelector(".model-source")?.textContent.includes("98.93"));
  const [download] = await Promise.all([page.waitForEvent("download"), page.click(".model-export")]);
  const dir = mkdtempSync(path.join(tmpdir(), "convscope-weights-"));
  const file = path.join(dir, "convscope-net.safetensors");
  await download.saveAs(file);
  // The shipped file's tensors, every one: same names, dtypes, shapes and value bytes
  // (metadata aside).
  const exported = readFileSync(file);
  assertSameTensors(safetensors(exported), safetensors(readFileSync(path.join(ROOT, "www/models/net.safetensors"))));
  await page.setInputFiles(".model-import", file);
  await page.waitForSelector(".model-message.ok");
  assert.ok((await page.textContent(".model-source")).endsWith(`${en.get("lab.model_imported")} convscope-net.safetensors`));
  const bad = path.join(dir, "broken.safetensors");
  writeFileSync(bad, Buffer.from("this is not a safetensors file"));
  await page.setInputFiles(".model-import", bad);
  await page.waitForSelector(".model-message.conv-error");
  assert.match(await page.textContent(".model-message"), /^broken\.safetensors: .* — the current model is kept\.$/);
  assert.ok((await page.textContent(".model-source")).endsWith(`${en.get("lab.model_imported")} convscope-net.safetensors`));
  // The imported model still reads test digit 0 as a 7.
  await page.click(".gallery-load");
  await page.click('.gallery .tile[data-index="0"]');
  await page.waitForFunction(() => document.querySelector(".draw-guess")?.dataset.guess === "7");
  // A state_dict with a wrong shape names the tensor.
  const header = JSON.stringify({ "conv1.weight": { dtype: "F32", shape: [10, 1, 3, 3], data_offsets: [0, 360] } });
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(header.length));
  const wrong = path.join(dir, "wrong.safetensors");
  writeFileSync(wrong, Buffer.concat([len, Buffer.from(header), Buffer.alloc(360)]));
  await page.setInputFiles(".model-import", wrong);
  await page.waitForFunction(() => document.querySelector(".model-message")?.textContent.startsWith("wrong.safetensors"));
  assert.match(await page.textContent(".model-message"), /conv1\.weight/);
  assert.deepEqual(problems(), []);
  await page.close();
});

test("an uploaded picture is preprocessed step by step and classified; a broken one is refused", async () => {
  const { page, problems } = await openLab();
  await page.waitForFunction(() => document.querySelector(".model-source")?.textContent.includes("98.93"));
  // A photo-like picture: a dark 7 written with a thick pen on light grey paper.
  const png = await sevenPng(page);
  await page.setInputFiles(".upload-input", { name: "seven.png", mimeType: "image/png", buffer: Buffer.from(png, "base64") });
  await page.waitForSelector(".upload-step");
  assert.equal(await page.locator(".upload-step").count(), 5);
  assert.match(await page.textContent(".upload-step >> nth=4"), /28 × 28/);
  await page.waitForFunction(() => document.querySelector(".draw-guess")?.dataset.guess === "7");
  assert.match(await page.textContent(".draw-origin"), /seven\.png/);
  await page.setInputFiles(".upload-input", { name: "broken.png", mimeType: "image/png", buffer: Buffer.from("no image here") });
  await page.waitForSelector(".upload-error");
  assert.equal(await page.textContent(".upload-error"), `broken.png: ${en.get("upload.unreadable")}`);
  // The failed upload clears the previous picture's steps and classification.
  assert.equal(await page.locator(".upload-step").count(), 0);
  assert.equal(await page.getAttribute(".draw-guess", "data-guess"), null);
  await page.locator(".upload-digit").screenshot({ path: path.join(SCREENSHOTS, "lab-upload-en-1280x800.png") });
  assert.deepEqual(problems(), []);
  await page.close();
});

for (const [lang, width] of [["en", 1280], ["zh", 360]]) {
  test(`the MNIST lab in ${lang} at ${width} px`, async () => {
    const { page, problems } = await watchedPage(site.browser.context);
    await page.setViewportSize({ width, height: 800 });
    await page.goto(`${site.server.base}?lang=${lang}#/mnist`);
    await page.waitForSelector(".layer-builder");
    await page.click(".gallery-load");
    await page.click('.gallery .tile[data-index="3"]');
    await page.waitForFunction(() => document.querySelector(".draw-guess")?.dataset.guess === "0");
    assert.equal(await page.textContent("#maps-heading"), translations(lang).get("maps.heading"));
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `scrolls sideways by ${overflow} px`);
    await page.screenshot({ path: path.join(SCREENSHOTS, `lab-${lang}-${width}.png`), fullPage: true });
    assert.deepEqual(problems(), []);
    await page.close();
  });
}
