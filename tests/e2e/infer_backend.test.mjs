// The lab's answers on the faster backend (issue 14, item 4, for the drawing pad and the
// evaluation; src/worker/runtime/infer.rs, src/ui/widgets/infer_choice.rs): the lab's worker
// opens WebGPU (here Chromium's software adapter), times the pad's single digit on WASM SIMD and
// on WebGPU, and, at the first evaluation, a chunk of 250 digits; each workload goes to its
// faster backend, and the lab says which, with both timings. The learner's pick overrides it,
// and the GPU's answers are the CPU's to float precision. Without WebGPU in the worker, the
// note says why and the lab answers on WASM SIMD; a GPU lost while in use ends its use, the
// request is answered on WASM SIMD all the same, and the note says why.
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { SCREENSHOTS, launchBrowser, onChangedSite, serveDistWith, useSite, watchedPage, translations } from "./harness.mjs";

const site = useSite();
const EN = translations("en");
const ZH = translations("zh");
/** The note's opening, before the timings, for `backend` (a translation key). */
const opening = (key, backend) => EN.get(key).split("{detail}")[0].replace("{backend}", EN.get(backend));

/** The note of `workload` ("pad" or "eval") once the backends are timed: its data and text.
 * The pad's is a one-line summary until opened (by tap, click or keyboard): open it. */
async function note(page, workload) {
  const sel = `.infer-choice[data-workload="${workload}"][data-simd]`;
  await page.waitForSelector(sel, { state: "attached", timeout: 60_000 });
  if (workload === "pad" && !(await page.$eval(sel, (d) => d.open))) {
    await page.focus(`${sel} > summary`);
    await page.keyboard.press("Enter");
    await page.waitForFunction((sel) => document.querySelector(sel).open, sel);
  }
  return page.$eval(sel, (n) => ({ ...n.dataset, text: n.querySelector("p").textContent }));
}

/** Shows test digit `index` (its label `label`) on the pad and waits for a new answer;
 * resolves to its exact probabilities. */
async function showDigit(page, index, label) {
  const before = await page.getAttribute(".draw-guess", "data-answer");
  await page.click(`.gallery .tile[data-index="${index}"]`);
  await page.waitForFunction(
    ({ before, label }) => {
      const g = document.querySelector(".draw-guess");
      return g?.dataset.answer !== before && g?.dataset.guess === label;
    },
    { before, label },
  );
  return (await page.getAttribute(".draw-guess", "data-probs")).split(",").map(Number);
}

/** Test digit 0 (a 7), shown after digit 1 (a 2) so that its answer is computed anew. */
async function digitZero(page) {
  await showDigit(page, 1, "2");
  return showDigit(page, 0, "7");
}

test("the lab times WASM SIMD and WebGPU in its worker and answers each workload on the faster one", async () => {
  const { page, problems } = await watchedPage(site.browser.context);
  await page.goto(`${site.server.base}?lang=en#/mnist`);
  await page.click(".gallery-load");
  await page.waitForSelector(".gallery .tile");
  const onFaster = await digitZero(page);

  const pad = await note(page, "pad");
  const [simd, gpu] = [Number(pad.simd), Number(pad.gpu)];
  assert.ok(simd > 0 && gpu > 0, `both timed: ${JSON.stringify(pad)}`);
  assert.equal(pad.backend, gpu < simd ? "webgpu" : "simd", "the faster one answers");
  const fast = gpu < simd ? "train.backend_gpu" : "train.backend_cpu";
  assert.ok(pad.text.startsWith(opening("infer.answers", fast)), pad.text);
  assert.ok(pad.text.includes(EN.get("infer.one_digit")), pad.text);
  assert.match(pad.text, /ms on WASM SIMD and .* ms on WebGPU/);
  assert.equal(
    await page.textContent('.infer-choice[data-workload="pad"] > summary'),
    EN.get("infer.summary").replace("{backend}", EN.get(fast)),
  );
  assert.equal(await page.locator('.infer-choice[data-workload="eval"]').count(), 0, "the evaluation is timed when asked for");

  // The evaluation times its chunk first, then runs on the faster backend.
  await page.click(".eval-run");
  await page.waitForSelector(".eval-result[data-predictions]", { timeout: 120_000 });
  const evaluation = await note(page, "eval");
  assert.ok(Number(evaluation.simd) > 0 && Number(evaluation.gpu) > 0, JSON.stringify(evaluation));
  assert.equal(evaluation.backend, Number(evaluation.gpu) < Number(evaluation.simd) ? "webgpu" : "simd");
  assert.ok(evaluation.text.includes(EN.get("infer.digits").replace("{n}", "250")), evaluation.text);
  assert.match(await page.textContent(".eval-summary"), /Accuracy 98\.9\d %/);
  await page.locator(".draw-digit").screenshot({ path: path.join(SCREENSHOTS, "infer-choice-en-1280x800.png") });

  // The learner sends the lab to WebGPU: the same digit's answer, computed there, is the CPU's
  // to float precision, and the note says it was their choice.
  await page.selectOption(".infer-prefer", "webgpu");
  await page.waitForFunction(() => document.querySelector('.infer-choice[data-workload="pad"]')?.dataset.backend === "webgpu");
  const onGpu = await digitZero(page);
  const worst = Math.max(...onGpu.map((p, i) => Math.abs(p - onFaster[i])));
  assert.ok(worst < 1e-4, `probabilities differ by ${worst}`);
  assert.ok((await note(page, "pad")).text.startsWith(opening("infer.answers_chosen", "train.backend_gpu")));
  // And back to WASM SIMD by keyboard.
  await page.focus(".infer-prefer");
  await page.selectOption(".infer-prefer", "simd");
  await page.waitForFunction(() => document.querySelector('.infer-choice[data-workload="pad"]')?.dataset.backend === "simd");
  assert.deepEqual(await digitZero(page), onFaster, "WASM SIMD's answer, exactly");

  // In Chinese on a phone.
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto(`${site.server.base}?lang=zh#/mnist`);
  await page.click(".gallery-load");
  await page.waitForSelector(".gallery .tile");
  await digitZero(page);
  const zh = await note(page, "pad");
  assert.ok(zh.text.includes(ZH.get("infer.one_digit")), zh.text);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page overflows by ${overflow} px`);
  await page.locator(".draw-digit").screenshot({ path: path.join(SCREENSHOTS, "infer-choice-zh-360.png") });
  assert.deepEqual(problems(), []);
  await page.close();
});

test("no WebGPU in the lab's worker: the note says why, and WASM SIMD answers", async () => {
  // The worker's loader hides `navigator.gpu` from the worker (as a browser without WebGPU in
  // workers would); the page keeps its own.
  const hide = (text) => `delete WorkerNavigator.prototype.gpu;\n${text}`;
  await onChangedSite({ "worker-loader.js": hide }, async ({ base, page }) => {
    await page.goto(`${base}?lang=en#/mnist`);
    await page.click(".gallery-load");
    await page.waitForSelector(".gallery .tile");
    await digitZero(page);
    const pad = await note(page, "pad");
    assert.equal(pad.backend, "simd");
    assert.equal(pad.gpu, undefined, "no GPU timing");
    assert.ok(pad.text.includes("navigator.gpu is missing in this worker"), pad.text);
    assert.ok(pad.text.startsWith(opening("infer.answers", "train.backend_cpu")), pad.text);
    assert.equal(await page.locator(".infer-prefer").count(), 0, "nothing to pick from");
  });
});

test("the worker's GPU lost while in use: the answer comes from WASM SIMD and the note says why", async () => {
  // The worker's loader keeps the GPU device it opens and destroys it as soon as the learner
  // sends the lab to WebGPU (the message is handled first, then the device goes).
  const sabotage = (text) => `
const requestDevice = GPUAdapter.prototype.requestDevice;
GPUAdapter.prototype.requestDevice = async function (...args) {
  self.__device = await requestDevice.apply(this, args);
  return self.__device;
};
${text}
self.addEventListener("message", (event) => {
  if (JSON.stringify(event.data ?? "").includes("web_gpu")) self.__device?.destroy();
});
`;
  const server = await serveDistWith({ "worker-loader.js": sabotage });
  const browser = await launchBrowser({ serviceWorkers: "block" });
  try {
    const { page, problems } = await watchedPage(browser.context);
    await page.goto(`${server.base}?lang=en#/mnist`);
    await page.click(".gallery-load");
    await page.waitForSelector(".gallery .tile");
    const before = await digitZero(page);
    assert.equal((await note(page, "pad")).backend, "simd");
    await page.selectOption(".infer-prefer", "webgpu");
    const after = await digitZero(page);
    assert.deepEqual(after, before, "answered on WASM SIMD, exactly");
    await page.waitForFunction(() => document.querySelector('.infer-choice[data-workload="pad"] p')?.textContent.includes("WebGPU failed"));
    const pad = await note(page, "pad");
    assert.equal(pad.backend, "simd");
    assert.ok(pad.text.startsWith(opening("infer.answers", "train.backend_cpu")), pad.text);
    assert.equal(await page.locator(".infer-prefer").count(), 0, "no GPU left to pick");
    // The evaluation runs on WASM SIMD too.
    await page.click(".eval-run");
    await page.waitForSelector(".eval-result[data-predictions]", { timeout: 120_000 });
    assert.match(await page.textContent(".eval-summary"), /Accuracy 98\.93 %/);
    // Only the expected words about the lost GPU, nothing else.
    const unexpected = problems().filter((p) => !/GPU failed|destroyed|lost|blocked by Playwright/i.test(p));
    assert.deepEqual(unexpected, []);
    await page.close();
  } finally {
    await browser.close();
    server.stop();
  }
});
