// "Compare two runs" on the Train page in headless Chromium: run A (learning rate 0.01) and
// run B (0.1), set by a link, train side by side in their own workers; paused, reloaded (each
// restored from its own IndexedDB checkpoint at the step it paused), resumed and finished
// (1 epoch each), then one more epoch. Both curves are drawn, the table and the summary show the runs' figures, and
// run A's final loss and test accuracy equal exactly those of the Train page's own run with the
// same settings. No console errors; screenshots at 1280 and 360 px, en/zh, light/dark.
// A run whose worker script is blocked, or whose worker dies mid-run, goes on on the page's own
// thread from its last checkpoint (a message says so), with exactly the worker's figures.
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { readFileSync } from "node:fs";
import { ROOT, SCREENSHOTS, onChangedSite, useSite, watchedPage, translations } from "./harness.mjs";

const EN = translations("en");
const ZH = translations("zh");
const site = useSite();
const AXE = readFileSync(path.join(ROOT, "node_modules", "axe-core", "axe.min.js"), "utf8");
const LINK = encodeURIComponent(JSON.stringify({ a: { lr: 0.01, batch: 64, epochs: 1 }, b: { lr: 0.1, batch: 64, epochs: 1 } }));

const text = (page, sel) => page.textContent(sel).then((t) => t.trim());
const steps = (page, side) => text(page, `.compare-steps-${side}`).then(Number);
const value = (page, sel) => page.getAttribute(sel, "data-value");

async function bothAt(page, what, expected, timeout = 60_000) {
  await page.waitForFunction(
    ([what, expected]) => ["a", "b"].every((s) => document.querySelector(`.compare-${what}-${s}`)?.textContent.trim() === expected),
    [what, expected],
    { timeout },
  );
}

test("two runs compared: pause, reload, resume, finish; run A equals the Train page's own run", { timeout: 1_500_000 }, async () => {
  const { page, problems } = await watchedPage(site.browser.context);
  await page.goto(`${site.server.base}?lang=en&compare=${LINK}#/train`);
  await page.waitForSelector(".compare-panel");
  assert.equal(await page.inputValue(".compare-a-lr"), "0.01");
  assert.equal(await page.inputValue(".compare-b-lr"), "0.1");
  assert.equal(await text(page, ".compare-start"), EN.get("compare.start"));

  // Start both; pause once both have trained a while.
  const threads = await page.evaluate(() => navigator.hardwareConcurrency);
  await page.click(".compare-start");
  await page.waitForFunction(() => ["a", "b"].every((s) => Number(document.querySelector(`.compare-steps-${s}`)?.textContent) >= 20), null, { timeout: 120_000 });
  assert.ok(await page.isDisabled(".compare-a-lr"), "settings are locked while they train");
  await page.click(".compare-start");
  await bothAt(page, "status", EN.get("train.paused"));
  const at = { a: await steps(page, "a"), b: await steps(page, "b") };
  for (const s of ["a", "b"]) {
    await page.waitForFunction(([s, n]) => document.querySelector(`.compare-saved-${s}`)?.textContent.trim() === String(n), [s, at[s]]);
  }
  const lossAt = { a: await value(page, ".compare-loss-a"), b: await value(page, ".compare-loss-b") };
  assert.notEqual(lossAt.a, lossAt.b);

  // A reload restores both runs, each from its own checkpoint; the Train page's run is untouched.
  await page.reload();
  await page.waitForSelector(".compare-restored");
  assert.deepEqual({ a: await steps(page, "a"), b: await steps(page, "b") }, at);
  assert.deepEqual({ a: await value(page, ".compare-loss-a"), b: await value(page, ".compare-loss-b") }, lossAt);
  assert.equal(await text(page, ".compare-start"), EN.get("compare.resume"));
  assert.equal(await text(page, ".train-steps"), "0");
  assert.equal(await page.inputValue(".compare-b-lr"), "0.1");

  // Resume and finish the epoch.
  const started = Date.now();
  await page.click(".compare-start");
  await bothAt(page, "status", EN.get("compare.finished"), 1_200_000);
  const seconds = (Date.now() - started) / 1000;
  assert.equal(await steps(page, "a"), 938);
  assert.equal(await steps(page, "b"), 938);
  const acc = { a: Number(await value(page, ".compare-accuracy-a")), b: Number(await value(page, ".compare-accuracy-b")) };
  console.log(`# compared runs (each on half of ${threads} threads, at the same time): ${938 * 2 - at.a - at.b} steps in ${seconds.toFixed(1)} s; A ${acc.a} %, B ${acc.b} %`);
  for (const chart of [".compare-loss-chart", ".compare-accuracy-chart"]) {
    for (const s of ["a", "b"]) {
      const n = Number(await page.getAttribute(chart, `data-points-${s}`));
      assert.ok(chart.includes("loss") ? n > 2 : n === 1, `${chart} ${s}: ${n} points`);
    }
  }
  const [first, x, second, y] = acc.b >= acc.a ? ["B", acc.b, "A", acc.a] : ["A", acc.a, "B", acc.b];
  const summary = EN.get("compare.summary").replace("{n}", "1").replace("{first}", first).replace("{x}", x.toFixed(2)).replace("{second}", second).replace("{y}", y.toFixed(2));
  assert.equal(await text(page, ".compare-summary"), summary);
  assert.equal(await text(page, ".compare-accuracy-a"), `${acc.a.toFixed(2)} %`);
  assert.equal(await text(page, ".compare-start"), EN.get("compare.more"), "both finished");
  await page.screenshot({ path: path.join(SCREENSHOTS, "compare-en-light-1280x800.png"), fullPage: true });

  // The Train page's own run with run A's settings (the lesson's) gives the same numbers.
  await page.selectOption(".train-backend", "simd");
  const single = Date.now();
  await page.click(".train-start");
  await page.waitForFunction((t) => document.querySelector(".train-status")?.textContent.startsWith(t), EN.get("train.finished"), { timeout: 1_200_000 });
  console.log(`# the Train page's single run (${threads} threads): 938 steps in ${((Date.now() - single) / 1000).toFixed(1)} s`);
  assert.equal(await text(page, ".train-steps"), "938");
  assert.equal(await value(page, ".train-loss"), await value(page, ".compare-loss-a"));
  assert.equal(await value(page, ".train-accuracy"), await value(page, ".compare-accuracy-a"));

  // Keyboard: the panel's controls are reachable and named; axe finds nothing serious.
  await page.addScriptTag({ content: AXE });
  const violations = await page.evaluate(async () =>
    (await window.axe.run(".compare-panel")).violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(", ")}`),
  );
  assert.deepEqual(violations, []);

  // The same finished runs at 360 px, in Chinese, light and dark (restored from IndexedDB).
  for (const [lang, theme, width] of [["en", "dark", 1280], ["en", "light", 360], ["zh", "light", 360], ["zh", "dark", 360], ["zh", "dark", 1280]]) {
    await page.setViewportSize({ width, height: 800 });
    await page.goto(`${site.server.base}?lang=${lang}&theme=${theme}#/train`);
    await page.waitForFunction(() => document.querySelector(".compare-summary")?.textContent.trim() !== "");
    await bothAt(page, "status", (lang === "en" ? EN : ZH).get("compare.finished"));
    assert.equal(await page.locator(".compare-restored").count(), 0, "finished runs have nothing to resume");
    if (lang === "zh") assert.equal(await text(page, ".compare-reset"), ZH.get("compare.reset"));
    await page.screenshot({ path: path.join(SCREENSHOTS, `compare-${lang}-${theme}-${width}.png`), fullPage: true });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${lang} ${theme} ${width}: scrolls sideways by ${overflow} px`);
  }

  // Once both are finished, the button trains both one more epoch, from their checkpoints.
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.click(".compare-start");
  await bothAt(page, "steps", "1876", 600_000);
  await bothAt(page, "status", ZH.get("compare.finished"));
  assert.equal((await text(page, ".compare-accuracy-a")).split(", ")[0], `${acc.a.toFixed(2)} %`);
  assert.equal(await page.getAttribute(".compare-accuracy-chart", "data-points-b"), "2");
  assert.match(await text(page, ".compare-summary"), /^2 轮后/);

  // Reset both (and the Train page's run): their checkpoints are gone.
  await page.click(".compare-reset");
  await bothAt(page, "saved", "–");
  await page.click(".train-reset");
  await page.click(".train-reset-confirm");
  await page.waitForFunction(() => document.querySelector(".train-saved")?.textContent === "–");
  await page.reload();
  await page.waitForSelector(".compare-panel");
  await page.waitForTimeout(500);
  assert.equal(await page.locator(".compare-restored").count(), 0);
  assert.equal(await steps(page, "a"), 0);
  assert.deepEqual(problems(), []);
  await page.close();
});

// A compared run whose worker cannot start or dies goes on on the page's own thread from its
// last checkpoint, with the same figures (one epoch of 938 batches of 64 each side: a step of
// 64 takes a few ms, so the page's chunks stay short).
const SMALL = encodeURIComponent(JSON.stringify({ a: { lr: 0.01, batch: 64, epochs: 1 }, b: { lr: 0.05, batch: 64, epochs: 1 } }));
const figures = async (page) => {
  const out = {};
  for (const s of ["a", "b"]) {
    out[s] = { steps: await steps(page, s), loss: await value(page, `.compare-loss-${s}`), accuracy: await value(page, `.compare-accuracy-${s}`) };
  }
  return out;
};
let onPage = null;

test("compared runs whose worker script is blocked: a message, and both finish on the page's thread, resumable", { timeout: 1_200_000 }, async () => {
  await onChangedSite({ "convscope-worker.js": null }, async ({ base, page }) => {
    await page.goto(`${base}?lang=en&compare=${SMALL}#/train`);
    await page.waitForSelector(".compare-panel");
    await page.click(".compare-start");
    for (const s of ["a", "b"]) await page.waitForSelector(`.compare-worker-note-${s}`, { timeout: 60_000 });
    const note = await text(page, ".compare-worker-note-a");
    assert.ok(note.startsWith(`${EN.get("compare.run_a")}: `), note);
    assert.match(note, /page's own thread/);
    await page.waitForFunction(() => ["a", "b"].every((s) => Number(document.querySelector(`.compare-steps-${s}`)?.textContent) >= 10), null, { timeout: 300_000 });
    // Both train on the page in chunks that yield: no long task stands out.
    const long = await page.evaluate(
      () =>
        new Promise((resolve) => {
          const all = [];
          const observer = new PerformanceObserver((list) => list.getEntries().forEach((e) => all.push(e.duration)));
          observer.observe({ type: "longtask" });
          setTimeout(() => {
            observer.disconnect();
            resolve(all);
          }, 3000);
        }),
    );
    console.log(`# both compared runs on the page's thread: ${long.length} long tasks in 3 s, longest ${Math.max(0, ...long).toFixed(0)} ms`);
    assert.ok(Math.max(0, ...long) < 250, `a long task of ${Math.max(...long)} ms`);
    // Paused on the page: each keeps a checkpoint at the step shown; a reload restores both.
    await page.click(".compare-start");
    await bothAt(page, "status", EN.get("train.paused"));
    const at = { a: await steps(page, "a"), b: await steps(page, "b") };
    for (const s of ["a", "b"]) {
      await page.waitForFunction(([s, n]) => document.querySelector(`.compare-saved-${s}`)?.textContent.trim() === String(n), [s, at[s]]);
    }
    await page.reload();
    await page.waitForSelector(".compare-restored");
    assert.deepEqual({ a: await steps(page, "a"), b: await steps(page, "b") }, at);
    await page.click(".compare-start");
    await bothAt(page, "status", EN.get("compare.finished"), 1_000_000);
    onPage = await figures(page);
    console.log(`# on the page's thread: ${JSON.stringify(onPage)}`);
    assert.equal(onPage.a.steps, 938);
    await page.screenshot({ path: path.join(SCREENSHOTS, "compare-noworker-en-1280.png"), fullPage: true });
  });
});

// Reset while both runs train on the page's thread (issue 16): Reset is offered as soon as the
// runs are paused, while their loops may still be finishing a chunk, testing the epoch or storing
// a checkpoint; whatever they were doing, both return to their start and keep nothing.
const QUICK = encodeURIComponent(JSON.stringify({ a: { lr: 0.01, batch: 256, epochs: 1 }, b: { lr: 0.05, batch: 256, epochs: 1 } }));
const shown = async (page) => {
  const out = {};
  for (const s of ["a", "b"]) {
    out[s] = {};
    for (const what of ["status", "steps", "loss", "accuracy", "saved"]) out[s][what] = await text(page, `.compare-${what}-${s}`);
    for (const chart of ["loss", "accuracy"]) out[s][`${chart} points`] = await page.getAttribute(`.compare-${chart}-chart`, `data-points-${s}`);
  }
  out.summary = await text(page, ".compare-summary");
  return out;
};

test("Reset at once after Pause while both compared runs train on the page's thread (mid-run, mid-test): both back to their start, charts empty, nothing kept", { timeout: 900_000 }, async () => {
  await onChangedSite({ "convscope-worker.js": null }, async ({ base, page }) => {
    await page.goto(`${base}?lang=en&compare=${QUICK}#/train`);
    await page.waitForSelector(".compare-panel");
    const start = await shown(page);
    assert.deepEqual(start.a, { status: EN.get("train.idle"), steps: "0", loss: "–", accuracy: "–", saved: "–", "loss points": "0", "accuracy points": "0" });
    const pauseAndReset = async () => {
      await page.click(".compare-start");
      await page.click(".compare-reset");
    };
    const atStart = async (when) => {
      // (Reset shows "–" under "saved" once the checkpoint is really deleted.)
      await bothAt(page, "saved", "–", 10_000);
      assert.deepEqual(await shown(page), start, when);
      assert.equal(await text(page, ".compare-start"), EN.get("compare.start"), when);
    };
    // Mid-run: both have trained a few chunks on the page.
    await page.click(".compare-start");
    for (const s of ["a", "b"]) await page.waitForSelector(`.compare-worker-note-${s}`, { timeout: 60_000 });
    await page.waitForFunction(() => ["a", "b"].every((s) => Number(document.querySelector(`.compare-steps-${s}`)?.textContent) >= 5), null, { timeout: 300_000 });
    await pauseAndReset();
    await atStart("just after Reset (mid-run)");
    await page.waitForTimeout(3000);
    await atStart("3 s after Reset (mid-run)");
    // Mid-test: a run has done its epoch (235 steps) and tests it on the 10,000 digits.
    await page.click(".compare-start");
    await page.waitForFunction(
      (testing) => ["a", "b"].some((s) => document.querySelector(`.compare-status-${s}`)?.textContent.trim() === testing),
      EN.get("train.evaluating"),
      { timeout: 600_000, polling: 50 },
    );
    await pauseAndReset();
    await atStart("just after Reset (mid-test)");
    // Long enough for the test of the epoch and the checkpoint it was heading for.
    await page.waitForTimeout(8000);
    await atStart("8 s after Reset (mid-test)");
    await page.screenshot({ path: path.join(SCREENSHOTS, "compare-noworker-reset-en-1280.png"), fullPage: true });
    // Nothing was kept: a reload restores neither run.
    await page.reload();
    await page.waitForSelector(".compare-panel");
    await page.waitForTimeout(1000);
    assert.equal(await page.locator(".compare-restored").count(), 0);
    await atStart("after a reload");
  });
});

test("run A's worker dies mid-run: A goes on on the page from its checkpoint, B in its worker; the figures are the same", { timeout: 1_200_000 }, async () => {
  const { page, problems } = await watchedPage(site.browser.context);
  // Keeps the page's workers (the two leaders, A's first) so the test can end one.
  await page.addInitScript(() => {
    const Real = window.Worker;
    window.__leaders = [];
    window.Worker = class extends Real {
      constructor(...args) {
        super(...args);
        window.__leaders.push(this);
      }
    };
  });
  await page.goto(`${site.server.base}?lang=zh&compare=${SMALL}#/train`);
  await page.waitForSelector(".compare-panel");
  await page.click(".compare-start");
  await page.waitForFunction(() => document.querySelector(".compare-saved-a")?.textContent.trim() !== "–", null, { timeout: 300_000 });
  assert.equal(await page.evaluate(() => window.__leaders.length), 2);
  await page.evaluate(() => {
    const a = window.__leaders[0];
    a.terminate();
    a.dispatchEvent(new ErrorEvent("error", { message: "ended by the test" }));
  });
  await page.waitForSelector(".compare-worker-note-a");
  assert.equal(
    await text(page, ".compare-worker-note-a"),
    ZH.get("compare.worker_failed").replace("{run}", ZH.get("compare.run_a")).replace("{reason}", "ended by the test"),
  );
  assert.equal(await page.locator(".compare-worker-note-b").count(), 0);
  await bothAt(page, "status", ZH.get("compare.finished"), 1_000_000);
  const mixed = await figures(page);
  console.log(`# A's worker ended mid-run: ${JSON.stringify(mixed)}`);
  if (onPage) assert.deepEqual(mixed, onPage, "the same figures on the page, in the worker and half and half");
  await page.screenshot({ path: path.join(SCREENSHOTS, "compare-worker-lost-zh-1280.png"), fullPage: true });
  await page.click(".compare-reset");
  await bothAt(page, "saved", "–");
  assert.deepEqual(problems(), []);
  await page.close();
});
