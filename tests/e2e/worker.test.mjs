// The compute worker in headless Chromium: training on WASM SIMD runs in Web Workers (a leader
// and its followers, as many threads as chosen), the page says so and its main thread stays
// free; if a worker thread is terminated mid-run, training carries on with the others.
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { SCREENSHOTS, onChangedSite, useSite, watchedPage, translations } from "./harness.mjs";

const EN = translations("en");
const site = useSite();

const steps = (page) => page.textContent(".train-steps").then(Number);
const trainUntil = (page, n) =>
  page.waitForFunction((n) => Number(document.querySelector(".train-steps")?.textContent) >= n, n, {
    timeout: 120_000,
  });

async function pause(page) {
  await page.click(".train-start");
  await page.waitForFunction((text) => document.querySelector(".train-status")?.textContent === text, EN.get("train.paused"), {
    timeout: 30_000,
  });
}

async function reset(page) {
  await page.click(".train-reset");
  await page.click(".train-reset-confirm"); // Reset asks first (issue 18, item 20)
  await page.waitForFunction(() => document.querySelector(".train-saved")?.textContent === "–");
}

test("WASM SIMD trains in Web Workers on the chosen threads; the main thread stays free", async () => {
  const { page, problems } = await watchedPage(site.browser.context);
  await page.goto(`${site.server.base}?lang=en#/train`);
  await page.selectOption(".train-backend", "simd");
  await page.selectOption(".train-threads", "2");
  // The footer names where the work runs: the lab on the page; training once it has started.
  assert.equal(await page.textContent(".footer-where"), EN.get("footer.where_lab"));
  await page.click(".train-start");
  await trainUntil(page, 40);
  assert.equal(await page.getAttribute(".train-where", "data-where"), "workers");
  assert.equal(
    await page.textContent(".footer-where"),
    `${EN.get("footer.where_lab")} ${EN.get("footer.where_training")} ${EN.get("train.where.workers").replace("{n}", "2")}`,
  );
  assert.equal(
    await page.textContent(".train-where"),
    EN.get("train.where.workers").replace("{n}", "2"),
  );
  assert.ok(page.workers().length >= 1, "a Web Worker runs");
  // While it trains, the main thread has no long task (the work is in the workers).
  const longMs = await page.evaluate(
    () =>
      new Promise((resolve) => {
        let total = 0;
        const observer = new PerformanceObserver((list) => list.getEntries().forEach((e) => (total += e.duration)));
        observer.observe({ type: "longtask" });
        setTimeout(() => {
          observer.disconnect();
          resolve(total);
        }, 3000);
      }),
  );
  console.log(`# main thread while training in 2 worker threads: ${longMs.toFixed(0)} ms of long tasks in 3 s`);
  // (That the loss falls is checked by train.test.mjs, whose SIMD runs are in the worker too.)
  await trainUntil(page, 150);
  await pause(page);
  // Paused with its checkpoint saved (IndexedDB writes after the pause) at the step shown.
  await page.waitForFunction(
    () => document.querySelector(".train-saved")?.textContent === document.querySelector(".train-steps")?.textContent,
  );
  await page.screenshot({ path: path.join(SCREENSHOTS, "train-workers-en-1280x800.png"), fullPage: true });
  // Resume on one thread: the same run goes on.
  const pausedAt = await steps(page);
  await page.selectOption(".train-threads", "1");
  await page.click(".train-start");
  await trainUntil(page, pausedAt + 20);
  // One thread: singular ("1 Web Worker thread", not "threads").
  assert.equal(await page.textContent(".train-where"), EN.get("train.where.worker_one"));
  assert.equal(await page.textContent(".train-where"), "WASM SIMD in 1 Web Worker thread: the page stays smooth while it trains.");
  await pause(page);
  await reset(page);
  assert.deepEqual(problems(), []);
  await page.close();
});

test("a worker thread terminated mid-run: the others carry on with its share", async () => {
  const { page, problems } = await watchedPage(site.browser.context);
  await page.goto(`${site.server.base}?lang=en&debug#/train`);
  await page.selectOption(".train-backend", "simd");
  await page.selectOption(".train-threads", "2");
  await page.click(".train-start");
  await trainUntil(page, 20);
  await page.click(".train-kill-thread");
  await page.waitForSelector(".train-worker-note");
  const at = await steps(page);
  await trainUntil(page, at + 30);
  assert.equal(await page.getAttribute(".train-where", "data-where"), "workers");
  assert.equal(await page.textContent(".train-where"), EN.get("train.where.worker_one"));
  const note = await page.textContent(".train-worker-note");
  assert.ok(note.startsWith(EN.get("train.thread_lost_one").split("{reason}")[0]), note);
  assert.ok(note.endsWith("the other takes its share (1 thread left), with the same numbers."), note);
  await pause(page);
  await reset(page);
  assert.deepEqual(problems(), []);
  await page.close();
});

test("a worker whose script is blocked: a visible message, and training goes on on the page's thread", async () => {
  // The site without the worker's glue (as a filter or a broken upload would leave it): every
  // other file is the real build.
  await onChangedSite({ "convscope-worker.js": null }, async ({ base, page }) => {
    await page.goto(`${base}?lang=en#/train`);
    await page.selectOption(".train-backend", "simd");
    await page.click(".train-start");
    await page.waitForSelector(".train-worker-note", { timeout: 60_000 });
    assert.match(await page.textContent(".train-worker-note"), /page's own thread/);
    const at = await steps(page);
    await trainUntil(page, at + 20);
    assert.equal(await page.getAttribute(".train-where", "data-where"), "main");
    await pause(page);
  });
});
