// The lab's inference worker (issue 14, items 1 and 5; src/ui/state/infer.rs): the drawing pad,
// the feature maps, the gallery and the 10,000-image evaluation are computed in a Web Worker.
// Where its script is blocked, the same numbers come from the page's own thread and a message
// says so; a worker terminated mid-evaluation leaves the evaluation to the page, which completes
// it with the same figures.
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { SCREENSHOTS, onChangedSite, useSite, watchedPage, translations } from "./harness.mjs";

const site = useSite();
const EN = translations("en");
const ZH = translations("zh");
/** The note's text before its `{reason}`. */
const noteStart = (table) => table.get("infer.main_thread").split("{reason}")[0];

/** What the lab shows: test digit 0's exact probabilities, the gallery's first page (right or
 * wrong per tile), the evaluation's summary and its 10,000 predictions. */
async function labFigures(page) {
  await page.click(".gallery-load");
  await page.waitForSelector(".gallery .tile");
  await page.waitForFunction(() => [...document.querySelectorAll(".gallery .tile")].every((t) => t.classList.length > 1));
  const tiles = await page.$$eval(".gallery .tile", (ts) => ts.map((t) => `${t.dataset.index}:${t.className}`).join(" "));
  await page.click('.gallery .tile[data-index="0"]');
  await page.waitForFunction(() => document.querySelector(".draw-guess")?.dataset.guess === "7");
  const probs = await page.getAttribute(".draw-guess", "data-probs");
  const result = await page.textContent(".gallery-result");
  // The feature maps of digit 0 are there (their kernel shows on hover).
  await page.hover('.map-row[data-layer="conv2"] button.map >> nth=3');
  assert.match(await page.textContent(".map-kernel figcaption"), /conv2 map 3/);
  await page.click(".eval-run");
  await page.waitForSelector(".eval-result[data-predictions]", { timeout: 120_000 });
  return {
    probs,
    tiles,
    result,
    summary: await page.textContent(".eval-summary"),
    predictions: await page.getAttribute(".eval-result", "data-predictions"),
  };
}

/** The worker's answers, for the other tests to compare with. */
let inWorker;

/** Dispatches pointer events of `type` (the mouse's, button down but for `pointerup`) on the
 * drawing pad at `points` (client [x, y]), `pauseMs` apart (0: all in one task). */
function padPointer(page, type, points, pauseMs = 0) {
  return page.evaluate(
    async ({ type, points, pauseMs }) => {
      const pad = document.querySelector(".draw-pad");
      for (const [x, y] of points) {
        pad.dispatchEvent(
          new PointerEvent(type, {
            bubbles: true,
            cancelable: true,
            pointerId: 1,
            pointerType: "mouse",
            isPrimary: true,
            buttons: type === "pointerup" ? 0 : 1,
            clientX: x,
            clientY: y,
          }),
        );
        if (pauseMs) await new Promise((r) => setTimeout(r, pauseMs));
      }
    },
    { type, points, pauseMs },
  );
}

test("the lab computes in its inference worker: digit, maps, gallery and evaluation", async () => {
  const { page, problems } = await watchedPage(site.browser.context);
  await page.goto(`${site.server.base}?lang=en#/mnist`);
  inWorker = await labFigures(page);
  assert.ok(page.workers().some((w) => w.url().endsWith("worker-loader.js")), "the inference worker runs");
  assert.equal(await page.locator(".infer-note").count(), 0);
  assert.match(inWorker.summary, /Accuracy 98\.93 % \(9893 \/ 10000\)/);
  assert.equal(inWorker.probs.split(",").length, 10);
  assert.match(inWorker.result, /model says 7/);
  assert.deepEqual(problems(), []);
  await page.close();
});

test("the worker's script blocked: the same answers from the page's own thread, and a message", async () => {
  assert.ok(inWorker, "the worker run comes first");
  // The site without the worker's glue; every other file is the real build.
  await onChangedSite({ "convscope-worker.js": null }, async ({ base, page }) => {
    await page.goto(`${base}?lang=en#/mnist`);
    const onMain = await labFigures(page);
    assert.deepEqual(onMain, inWorker);
    assert.ok((await page.textContent(".draw-digit .infer-note")).startsWith(noteStart(EN)));
    assert.ok(await page.locator(".eval-panel .infer-note").isVisible());
    assert.ok(await page.locator(".gallery .infer-note").isVisible());
    await page.locator(".draw-digit").screenshot({ path: path.join(SCREENSHOTS, "infer-note-en-1280x800.png") });
    // In Chinese on a phone.
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(`${base}?lang=zh#/mnist`);
    await page.click(".gallery-load");
    await page.waitForSelector(".draw-digit .infer-note");
    assert.ok((await page.textContent(".draw-digit .infer-note")).startsWith(noteStart(ZH)));
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page overflows by ${overflow} px`);
    await page.locator(".draw-digit").screenshot({ path: path.join(SCREENSHOTS, "infer-note-zh-360.png") });
  });
});

test("the inference worker terminated mid-evaluation: the evaluation completes, with the same figures", async () => {
  assert.ok(inWorker, "the worker run comes first");
  const { page, problems } = await watchedPage(site.browser.context);
  await page.goto(`${site.server.base}?lang=en&debug#/mnist`);
  await page.click(".gallery-load");
  await page.waitForSelector(".gallery .tile");
  // Stop the worker from inside the page the moment the evaluation's progress shows.
  const killedAt = page.evaluate(
    () =>
      new Promise((resolve) => {
        const observer = new MutationObserver(() => {
          const bar = document.querySelector(".eval-progress");
          const value = Number(bar?.getAttribute("value"));
          if (bar && value > 0 && value < 1) {
            observer.disconnect();
            document.querySelector(".lab-kill-worker").click();
            resolve(value);
          }
        });
        observer.observe(document.body, { subtree: true, childList: true, attributes: true });
      }),
  );
  await page.click(".eval-run");
  const fraction = await killedAt;
  console.log(`# the inference worker was terminated at ${(fraction * 100).toFixed(1)} % of the evaluation`);
  await page.waitForSelector(".eval-panel .infer-note");
  await page.waitForSelector(".eval-result[data-predictions]", { timeout: 120_000 });
  assert.equal(await page.textContent(".eval-summary"), inWorker.summary);
  assert.equal(await page.getAttribute(".eval-result", "data-predictions"), inWorker.predictions);
  // The drawing pad answers too (on the page's thread now), with the worker's numbers.
  await page.click('.gallery .tile[data-index="0"]');
  await page.waitForFunction(() => document.querySelector(".draw-guess")?.dataset.guess === "7");
  assert.equal(await page.getAttribute(".draw-guess", "data-probs"), inWorker.probs);
  assert.deepEqual(problems(), []);
  await page.close();
});

test("a stroke drawn fast asks for at most one classification at a time, and the release asks for none", async () => {
  const { page, problems } = await watchedPage(site.browser.context);
  // Counts the classifications the page asks its workers for, and the answers.
  await page.addInitScript(() => {
    window.__asks = { sent: 0, answered: 0, most: 0 };
    const W = window.Worker;
    window.Worker = class extends W {
      constructor(...args) {
        super(...args);
        this.addEventListener("message", (e) => {
          if (String(e.data?.msg ?? "").includes('"type":"probs"') && e.data.data?.length === 10) window.__asks.answered += 1;
        });
      }
      postMessage(m, t) {
        // One image (`"n":1`): the pad's question (the gallery and occlusion ask for batches).
        if (/"type":"classify".*"n":1\}/.test(String(m?.msg ?? ""))) {
          const a = window.__asks;
          a.sent += 1;
          a.most = Math.max(a.most, a.sent - a.answered);
        }
        return super.postMessage(m, t);
      }
    };
  });
  // The Inception net's 10,000-image evaluation keeps the worker busy (in parts of 250
  // images, about a quarter of a second each) while the stroke is drawn: the stroke starts once
  // its parts run (after the first evaluation's timing of the backends, whose GPU runs leave
  // the worker free to answer).
  await page.goto(`${site.server.base}?lang=en&model=inception#/mnist`);
  await page.waitForFunction(() => document.querySelector(".draw-model")?.textContent.includes("("));
  await page.click(".gallery-load");
  await page.waitForSelector(".gallery .tile");
  await page.click(".eval-run");
  await page.locator(".draw-pad").scrollIntoViewIfNeeded();
  const box = await page.locator(".draw-pad").boundingBox();
  const s = box.width / 280;
  await page.waitForFunction(() => Number(document.querySelector(".eval-progress")?.getAttribute("value")) > 0, null, {
    timeout: 60_000,
  });
  await page.evaluate(() => (window.__asks = { sent: 0, answered: 0, most: 0 }));
  // A stroke of 60 moves, one every millisecond or so, while the worker is busy.
  const at = (i) => [box.x + (80 + 2 * i) * s, box.y + (60 + 3 * i) * s];
  const pointer = (type, i) => padPointer(page, type, i.map(at), 1);
  await pointer("pointerdown", [0]);
  await pointer("pointermove", Array.from({ length: 60 }, (_, i) => i + 1));
  await page.waitForFunction(() => document.querySelector(".draw-guess")?.dataset.probs !== undefined);
  const before = await page.evaluate(() => ({ ...window.__asks }));
  await pointer("pointerup", [60]);
  await page.waitForTimeout(300);
  const after = await page.evaluate(() => ({ ...window.__asks }));
  assert.ok(before.sent >= 1, JSON.stringify(before));
  assert.equal(before.most, 1, `classifications in flight at once: ${JSON.stringify(before)}`);
  // While the worker is busy with a part of the evaluation, the moves' inputs wait and only
  // the newest is asked for: a handful of questions, not one per move.
  assert.ok(before.sent <= 20, `the stale inputs were skipped: ${JSON.stringify(before)}`);
  assert.equal(after.sent, before.sent, "the release adds no ink, so no new question");
  // An answer is shown for the finished drawing.
  assert.match(await page.textContent(".draw-guess"), /\d \(\d+\.\d %\)/);
  console.log(`# 61 pointer events → ${before.sent} classifications`);
  // A stroke cleared while its answer is on its way (the evaluation still runs): the pad stays
  // empty; the erased drawing's answer does not come back when it arrives.
  await pointer("pointerdown", [10]);
  await pointer("pointermove", [20, 30, 40]);
  await pointer("pointerup", [40]);
  await page.click(".draw-clear");
  await page.waitForTimeout(1500);
  assert.equal(await page.textContent(".draw-guess"), EN.get("draw.empty"));
  assert.equal(await page.getAttribute(".draw-guess", "data-guess"), null);
  assert.deepEqual(problems(), []);
  await page.close();
});

test("a drawing replaced while its answer is on its way is never explained: saliency, occlusion and maps ask only about the final one", async () => {
  const { page, problems } = await watchedPage(site.browser.context);
  // Logs what the page asks the inference worker (the kind and, for one image, its pixels), and
  // holds the worker's answers while `__hold` is set, so that a drawing's answer is on its way
  // for as long as the test wants.
  await page.addInitScript(() => {
    Object.assign(window, { __asked: [], __held: [], __hold: false });
    window.__release = () => {
      window.__hold = false;
      for (const deliver of window.__held.splice(0)) deliver();
    };
    const W = window.Worker;
    window.Worker = class extends W {
      constructor(...args) {
        super(...args);
        this.inference = args[1]?.name === "convscope inference";
      }
      set onmessage(handler) {
        super.onmessage = (e) => (window.__hold && this.inference ? window.__held.push(() => handler(e)) : handler(e));
      }
      get onmessage() {
        return super.onmessage;
      }
      postMessage(m, transfer) {
        if (this.inference) {
          const { type, n } = JSON.parse(m?.msg ?? "{}");
          // (Read before the data's buffer moves to the worker.)
          const pixels = m?.data?.length === 784 ? Array.from(m.data).join(",") : null;
          window.__asked.push({ type, n, pixels });
        }
        return super.postMessage(m, transfer);
      }
    };
  });
  await page.goto(`${site.server.base}?lang=en#/mnist`);
  await page.waitForFunction(() => document.querySelector(".draw-model")?.textContent.includes("("));
  await page.locator(".draw-pad").scrollIntoViewIfNeeded();
  const box = await page.locator(".draw-pad").boundingBox();
  const s = box.width / 280;
  const pointer = (type, points) => padPointer(page, type, points.map(([x, y]) => [box.x + x * s, box.y + y * s]));
  const explained = () =>
    page.evaluate(() => {
      const sal = document.querySelector(".why-saliency")?.dataset.values;
      const occ = document.querySelector(".why-occlusion")?.dataset.drops;
      return sal && occ && document.querySelector('.map-row[data-layer="conv1"]') ? `${sal}|${occ}` : null;
    });
  // A first drawing, answered and explained.
  await pointer("pointerdown", [[80, 60]]);
  await pointer("pointermove", [[200, 60]]);
  await pointer("pointerup", [[200, 60]]);
  await page.waitForFunction(() => document.querySelector(".draw-guess")?.dataset.probs !== undefined);
  await page.waitForFunction(() => document.querySelector(".why-occlusion")?.dataset.drops !== undefined);
  const first = await explained();
  // The stroke goes on while the worker's answers are held: its first input is asked about,
  // the second waits (one question at a time); then the answers come.
  await page.evaluate(() => {
    window.__asked.length = 0;
    window.__hold = true;
  });
  await pointer("pointerdown", [[170, 130]]);
  await page.waitForFunction(() => window.__asked.some((a) => a.type === "classify" && a.n === 1));
  await pointer("pointermove", [[140, 200]]);
  await pointer("pointerup", [[140, 200]]);
  await page.waitForTimeout(300);
  await page.evaluate(() => window.__release());
  await page.waitForFunction((first) => {
    const sal = document.querySelector(".why-saliency")?.dataset.values;
    const occ = document.querySelector(".why-occlusion")?.dataset.drops;
    return sal && occ && `${sal}|${occ}` !== first;
  }, first);
  await page.waitForTimeout(500);
  const asked = await page.evaluate(() => window.__asked);
  // The pad's questions: one image each (the occlusion's parts have two or more).
  const drawings = asked.filter((a) => a.type === "classify" && a.n === 1).map((a) => a.pixels);
  const replaced = drawings[0];
  const about = (type) => asked.filter((a) => a.type === type);
  // Saliency and maps: asked about the final drawing only, once it is answered.
  const last = about("maps")[0]?.pixels;
  for (const type of ["saliency", "maps"]) {
    const which = about(type).map((a) => (a.pixels === replaced ? "the replaced drawing" : a.pixels === last ? "the final one" : "another"));
    assert.ok(which.length >= 1, `${type} asked for the final drawing`);
    assert.ok(which.every((w) => w === "the final one"), `${type} asked about ${which.join(", ")}`);
  }
  assert.notEqual(last, replaced);
  assert.deepEqual(drawings, [replaced, last], "the pad asked about the replaced drawing, then the final one");
  // Occlusion: its parts (batches) come only after the final drawing's answer, the pad's last question.
  const lastAsk = asked.findLastIndex((a) => a.type === "classify" && a.n === 1);
  const parts = asked.map((a, i) => [a, i]).filter(([a]) => a.type === "classify" && a.n > 1);
  assert.ok(parts.length > 0 && parts.every(([, i]) => i > lastAsk), "occlusion parts only for the final drawing");
  assert.deepEqual(problems(), []);
  await page.close();
});
