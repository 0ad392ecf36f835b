// The faster backend by default (issue 14, item 4): where the browser offers WebGPU, a fresh
// run's first start times its own first steps on WASM SIMD and then on WebGPU, goes on on the
// faster one and says which and why, with both rates; the choice is kept, so the next run
// starts on it at once; the learner's own pick under "Compute on" overrides it.
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { SCREENSHOTS, useSite, watchedPage, translations } from "./harness.mjs";

const EN = translations("en");
const site = useSite();

const steps = (page) => page.textContent(".train-steps").then(Number);

async function pause(page) {
  await page.click(".train-start");
  await page.waitForFunction((text) => document.querySelector(".train-status")?.textContent === text, EN.get("train.paused"), {
    timeout: 60_000,
  });
}

async function reset(page) {
  await page.click(".train-reset");
  await page.click(".train-reset-confirm");
  await page.waitForFunction(() => document.querySelector(".train-saved")?.textContent === "–");
}

test("a fresh run times both backends on its first steps, goes on on the faster one, and keeps the choice", async () => {
  const { page, problems } = await watchedPage(site.browser.context);
  await page.goto(`${site.server.base}?lang=en#/train`);
  await page.waitForFunction(() => document.querySelector(".backend")?.dataset.backend === "webgpu");
  await page.waitForSelector(".train-panel");
  assert.equal(await page.locator(".train-choice").count(), 0, "nothing to say before a start");

  // Record every step count the page shows: the timing must never lose a step.
  await page.evaluate(() => {
    window.__steps = [];
    const el = document.querySelector(".train-steps");
    new MutationObserver(() => window.__steps.push(Number(el.textContent))).observe(el, {
      childList: true,
      characterData: true,
      subtree: true,
    });
  });
  await page.click(".train-start");
  await page.waitForSelector('.train-choice[data-state="timing"]');
  const timingText = await page.textContent(".train-choice");
  assert.ok(timingText.includes(EN.get("train.backend_cpu")), timingText);
  // The GPU's turn, then the verdict.
  await page.waitForFunction(() => document.querySelector(".train-choice")?.dataset.state === "timing" && document.querySelector(".train-on")?.dataset.backend === "webgpu", null, {
    timeout: 120_000,
  });
  await page.waitForFunction(() => ["simd", "webgpu"].includes(document.querySelector(".train-choice")?.dataset.state), null, {
    timeout: 120_000,
  });
  const choice = await page.$eval(".train-choice", (el) => ({
    state: el.dataset.state,
    simd: Number(el.dataset.simd),
    gpu: Number(el.dataset.gpu),
    text: el.textContent,
  }));
  console.log(`# timed on this machine: WASM SIMD ${choice.simd} images/s, WebGPU ${choice.gpu} images/s → ${choice.state}`);
  assert.ok(choice.simd > 0 && choice.gpu > 0, JSON.stringify(choice));
  const faster = choice.gpu > choice.simd ? "webgpu" : "simd";
  assert.equal(choice.state, faster);
  // The sentence names the winner and both rates, as the page shows rates (grouped digits).
  const grouped = (x) => Math.round(x).toLocaleString("en-US");
  assert.ok(choice.text.includes(grouped(Math.max(choice.simd, choice.gpu))), choice.text);
  assert.ok(choice.text.includes(grouped(Math.min(choice.simd, choice.gpu))), choice.text);
  // The run goes on on the faster backend, from where the timing left it.
  await page.waitForFunction((b) => document.querySelector(".train-on")?.dataset.backend === b, faster, { timeout: 60_000 });
  const at = await steps(page);
  await page.waitForFunction((n) => Number(document.querySelector(".train-steps")?.textContent) >= n + 10, at, { timeout: 120_000 });
  const seen = await page.evaluate(() => window.__steps);
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i] >= seen[i - 1], `steps went back: ${seen[i - 1]} → ${seen[i]}`);
  await page.screenshot({ path: path.join(SCREENSHOTS, "backend-choice-en-1280x800.png"), fullPage: true });
  await pause(page);
  await reset(page);

  // The next fresh run starts on the kept choice at once: nothing is timed again.
  await page.click(".train-start");
  await page.waitForFunction(() => Number(document.querySelector(".train-steps")?.textContent) >= 5, null, { timeout: 120_000 });
  assert.equal(await page.getAttribute(".train-choice", "data-state"), faster);
  assert.equal(await page.getAttribute(".train-on", "data-backend"), faster);
  await pause(page);
  await reset(page);
  assert.deepEqual(problems(), []);
  await page.close();
});

test("the learner's pick under 'Compute on' overrides the timing, in Chinese on a phone too", async () => {
  const { page, problems } = await watchedPage(site.browser.context);
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto(`${site.server.base}?lang=zh#/train`);
  await page.waitForFunction(() => document.querySelector(".backend")?.dataset.backend === "webgpu");
  await page.waitForSelector(".train-panel");
  await page.selectOption(".train-backend", "webgpu");
  await page.click(".train-start");
  await page.waitForFunction(() => Number(document.querySelector(".train-steps")?.textContent) >= 5, null, { timeout: 120_000 });
  assert.equal(await page.getAttribute(".train-on", "data-backend"), "webgpu");
  assert.equal(await page.locator(".train-choice").count(), 0, "the learner chose: no timing, no verdict");
  await page.screenshot({ path: path.join(SCREENSHOTS, "backend-choice-zh-360x740.png"), fullPage: true });
  await page.click(".train-start");
  await page.waitForFunction(() => document.querySelector(".train-start") && !document.querySelector(".train-backend")?.disabled, null, { timeout: 60_000 });
  await page.click(".train-reset");
  await page.click(".train-reset-confirm");
  assert.deepEqual(problems(), []);
  await page.close();
});
