// The Train page in headless Chromium: 100 steps on WASM SIMD lower the loss; while paused the
// model moves to WebGPU (SwiftShader) and training continues from the same step; a simulated
// GPU loss carries on on the CPU without losing a step; the footer follows the backend in use;
// 100 steps on WebGPU from scratch lower the loss; a reload resumes from the IndexedDB
// checkpoint; one epoch reaches its test accuracy and the lab's classifier uses the new model.
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { SCREENSHOTS, onChangedSite, useSite, watchedPage, translations } from "./harness.mjs";

const EN = translations("en");
const site = useSite();

const steps = (page) => page.textContent(".train-steps").then(Number);
const loss = (page) => page.textContent(".train-loss").then(Number);

async function trainUntil(page, minSteps) {
  await page.waitForFunction((n) => Number(document.querySelector(".train-steps")?.textContent) >= n, minSteps, {
    timeout: 120_000,
  });
}

/** Reset, waiting until the checkpoint is deleted. */
async function reset(page) {
  await page.click(".train-reset");
  await page.click(".train-reset-confirm"); // Reset asks first (issue 18, item 20)
  await page.waitForFunction(() => document.querySelector(".train-saved")?.textContent === "–");
}

async function pause(page) {
  await page.click(".train-start");
  await page.waitForFunction((text) => document.querySelector(".train-status")?.textContent === text, EN.get("train.paused"));
}

test("train on SIMD, move to WebGPU while paused, lose the GPU, carry on", async () => {
  const { page, problems } = await watchedPage(site.browser.context);
  // `?debug` shows the "simulate losing the GPU" test hook.
  await page.goto(`${site.server.base}?lang=en&debug#/train`);
  await page.waitForFunction(() => document.querySelector(".backend")?.dataset.backend === "webgpu");

  // WASM SIMD first.
  await page.selectOption(".train-backend", "simd");
  await page.click(".train-start");
  await trainUntil(page, 3);
  const early = await loss(page);
  await trainUntil(page, 100);
  // The speed is shown while it trains ("–" once paused).
  const simdRate = await page.textContent(".train-rate");
  await pause(page);
  const late = await loss(page);
  assert.ok(late < early, `loss ${early} → ${late}`);
  assert.equal(await page.getAttribute(".train-on", "data-backend"), "simd");
  const pausedAt = await steps(page);
  await page.screenshot({ path: path.join(SCREENSHOTS, "train-simd-en-1280x800.png"), fullPage: true });

  // Move the model to WebGPU and resume from the same step.
  await page.selectOption(".train-backend", "webgpu");
  await page.click(".train-start");
  await page.waitForFunction(() => document.querySelector(".train-on")?.dataset.backend === "webgpu");
  await trainUntil(page, pausedAt + 8);
  const gpuRate = await page.textContent(".train-rate");
  console.log(`# in-page training (headless Chromium): SIMD ${simdRate} images/s, WebGPU (SwiftShader) ${gpuRate} images/s`);

  // Lose the GPU mid-training: the session continues on the CPU, and the footer says so.
  const beforeLoss = await steps(page);
  await page.click(".train-lose-gpu");
  await page.waitForSelector(".train-lost");
  assert.ok((await page.textContent(".train-lost")).includes("simulated"), "the notice says why");
  await page.waitForFunction(() => document.querySelector(".train-on")?.dataset.backend === "simd");
  assert.equal(await page.getAttribute(".backend", "data-backend"), "simd");
  assert.ok((await page.textContent(".site-footer .backend-notice")).includes(EN.get("backend.reason.lost")));
  await trainUntil(page, beforeLoss + 5);
  await pause(page);
  assert.ok((await loss(page)) < early);
  await page.screenshot({ path: path.join(SCREENSHOTS, "train-after-gpu-loss-en-1280x800.png"), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: path.join(SCREENSHOTS, "train-after-gpu-loss-en-390x844.png"), fullPage: true });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `scrolls sideways by ${overflow} px`);
  await reset(page);
  assert.deepEqual(problems(), []);
  await page.close();
});

test("100 steps on WebGPU (SwiftShader) from scratch lower the loss", async () => {
  const { page, problems } = await watchedPage(site.browser.context);
  await page.goto(`${site.server.base}?lang=en#/train`);
  await page.waitForFunction(() => document.querySelector(".backend")?.dataset.backend === "webgpu");
  await page.selectOption(".train-backend", "webgpu");
  await page.fill(".train-batch", "32");
  await page.locator(".train-batch").blur();
  await page.click(".train-start");
  await page.waitForFunction(() => document.querySelector(".train-on")?.dataset.backend === "webgpu");
  await trainUntil(page, 4);
  const early = await loss(page);
  await trainUntil(page, 100);
  await pause(page);
  const late = await loss(page);
  assert.ok(late < early, `WebGPU loss ${early} → ${late}`);
  assert.equal(await page.getAttribute(".train-on", "data-backend"), "webgpu");
  // The GPU is driven from the compute worker: the page only renders.
  assert.equal(await page.getAttribute(".train-where", "data-where"), "gpu-worker");
  assert.equal(await page.locator(".train-lost").count(), 0, "no fall back from the GPU");
  await reset(page);
  assert.deepEqual(problems(), []);
  await page.close();
});

test("a reload resumes from the checkpoint kept in IndexedDB; Reset forgets it", async () => {
  const { page, problems } = await watchedPage(site.browser.context);
  await page.goto(`${site.server.base}?lang=en#/train`);
  await page.waitForSelector(".train-panel");
  await page.selectOption(".train-backend", "simd");
  await page.click(".train-start");
  await trainUntil(page, 30);
  await pause(page);
  const at = await steps(page);
  await page.waitForFunction((n) => document.querySelector(".train-saved")?.textContent === String(n), at);
  const lossAt = await page.textContent(".train-loss");
  await page.reload();
  await page.waitForSelector(".train-restored");
  assert.equal(await steps(page), at);
  assert.equal(await page.textContent(".train-loss"), lossAt);
  assert.equal(await page.textContent(".train-start"), EN.get("train.resume"));
  assert.match(await page.textContent(".train-restored"), new RegExp(` ${at}$`));
  await page.selectOption(".train-backend", "simd");
  await page.click(".train-start");
  await trainUntil(page, at + 10);
  await pause(page);
  await reset(page);
  assert.equal(await steps(page), 0);
  await page.reload();
  await page.waitForSelector(".train-panel");
  await page.waitForTimeout(500);
  assert.equal(await page.locator(".train-restored").count(), 0);
  assert.equal(await steps(page), 0);
  assert.deepEqual(problems(), []);
  await page.close();
});

test("one epoch on SIMD: the test accuracy, and the lab's classifier uses the trained model", async () => {
  const { page, problems } = await watchedPage(site.browser.context);
  await page.goto(`${site.server.base}?lang=en#/train`);
  await page.waitForSelector(".train-panel");
  await page.selectOption(".train-backend", "simd");
  const started = Date.now();
  await page.click(".train-start");
  await page.waitForFunction((t) => document.querySelector(".train-status")?.textContent.startsWith(t), EN.get("train.finished"), { timeout: 240_000 });
  const seconds = (Date.now() - started) / 1000;
  const accuracy = Number((await page.textContent(".train-accuracy")).replace(" %", ""));
  console.log(`# one epoch in the page (SIMD, batch 64): test accuracy ${accuracy} %, ${seconds.toFixed(1)} s including data load and test`);
  assert.ok(accuracy > 95, `accuracy ${accuracy}`);
  assert.equal(await steps(page), 938);
  await page.screenshot({ path: path.join(SCREENSHOTS, "train-epoch-en-1280x800.png"), fullPage: true });
  await page.click('#chapters a[href="#/mnist"]');
  await page.waitForSelector(".draw-model");
  assert.match(await page.textContent(".draw-model"), new RegExp(`${EN.get("lab.model_trained")} \\(938 `));
  await page.click('#chapters a[href="#/train"]');
  await page.waitForSelector(".train-reset");
  await reset(page);
  assert.deepEqual(problems(), []);
  await page.close();
});

test("the Train page in Chinese on a phone", async () => {
  const { page, problems } = await watchedPage(site.browser.context);
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto(`${site.server.base}?lang=zh#/train`);
  await page.waitForSelector(".train-panel");
  assert.equal(await page.textContent(".train-start"), translations("zh").get("train.start"));
  await page.screenshot({ path: path.join(SCREENSHOTS, "train-zh-360x740.png"), fullPage: true });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `scrolls sideways by ${overflow} px`);
  assert.deepEqual(problems(), []);
  await page.close();
});

test("the residual and Inception nets train in the page, on WASM SIMD and on WebGPU", async () => {
  const { page, problems } = await watchedPage(site.browser.context);
  await page.goto(`${site.server.base}?lang=en#/train`);
  await page.waitForFunction(() => document.querySelector(".backend")?.dataset.backend === "webgpu");
  const rates = [];
  for (const kind of ["resnet", "inception"]) {
    await page.selectOption(".train-model", kind);
    await page.selectOption(".train-optimizer", "adam");
    await page.fill(".train-lr", "0.001");
    await page.locator(".train-lr").blur();
    await page.fill(".train-batch", "16");
    await page.locator(".train-batch").blur();
    await page.selectOption(".train-backend", "simd");
    await page.click(".train-start");
    await trainUntil(page, 2);
    assert.ok(await page.isDisabled(".train-model"), "the model is locked while it trains");
    const early = await loss(page);
    await trainUntil(page, 40);
    // The speed is shown while it trains ("–" once paused).
    const simdRate = await page.textContent(".train-rate");
    await pause(page);
    const late = await loss(page);
    assert.ok(late < early, `${kind} SIMD loss ${early} → ${late}`);
    // The same run continues on WebGPU from where it paused.
    const at = await steps(page);
    await page.selectOption(".train-backend", "webgpu");
    await page.click(".train-start");
    await page.waitForFunction(() => document.querySelector(".train-on")?.dataset.backend === "webgpu");
    await trainUntil(page, at + 6);
    const gpuRate = await page.textContent(".train-rate");
    await pause(page);
    assert.ok((await loss(page)) < early, `${kind} after WebGPU steps`);
    // Still on WebGPU after its steps: no silent fall back to SIMD.
    assert.equal(await page.getAttribute(".train-on", "data-backend"), "webgpu", `${kind} still on WebGPU`);
    assert.equal(await page.getAttribute(".train-where", "data-where"), "gpu-worker", `${kind} trained on the GPU, from the worker`);
    assert.equal(await page.getAttribute(".backend", "data-backend"), "webgpu", `${kind}: the footer still says WebGPU`);
    assert.equal(await page.locator(".train-lost").count(), 0, `${kind}: no fall back from the GPU`);
    rates.push(`${kind}: SIMD ${simdRate}, WebGPU (SwiftShader) ${gpuRate} images/s`);
    // The lab now uses the model being trained.
    await page.evaluate(() => { location.hash = "#/mnist"; });
    await page.waitForSelector(".lab-model");
    assert.equal(await page.inputValue(".lab-model"), kind);
    assert.ok((await page.textContent(".draw-model")).includes(EN.get("lab.model_trained")));
    await page.evaluate(() => { location.hash = "#/train"; });
    await page.waitForSelector(".train-reset");
    // Back on the page, the backend select can stay disabled for a while (seen on this branch
    // under load, not understood yet): wait for it rather than for playwright's 30 s.
    await page.waitForFunction(() => !document.querySelector(".train-backend").disabled, null, { timeout: 120_000 });
    await page.selectOption(".train-backend", "simd");
    await reset(page);
  }
  console.log(`# in-page training, batch 16 (headless Chromium): ${rates.join("; ")}`);
  assert.deepEqual(problems(), []);
  await page.close();
});

test("a browser without WebGPU in workers: WebGPU trains from the page's own thread, and the page says so", async () => {
  // The real build, but the worker's loader first hides WebGPU from the worker (as a browser
  // that offers it to pages only would).
  await onChangedSite({
    "worker-loader.js": (loader) => `Object.defineProperty(WorkerNavigator.prototype, "gpu", { get: () => undefined });\n${loader}`,
  }, async ({ base, page }) => {
    await page.goto(`${base}?lang=en#/train`);
    await page.waitForFunction(() => document.querySelector(".backend")?.dataset.backend === "webgpu");
    await page.selectOption(".train-backend", "webgpu");
    await page.click(".train-start");
    await page.waitForSelector(".train-worker-note", { timeout: 60_000 });
    assert.match(await page.textContent(".train-worker-note"), /does not offer WebGPU to Web Workers/);
    await trainUntil(page, 8);
    assert.equal(await page.getAttribute(".train-on", "data-backend"), "webgpu");
    assert.equal(await page.getAttribute(".train-where", "data-where"), "gpu");
    await pause(page);
  });
});
