// The lab's inference worker, measured (issue 14 item 4): the release build served as static
// files, headless Chromium, the MNIST page. Two ways, each in its own browser: `worker` (the
// build as it is) and `main` (the same build without the worker's script, so the lab computes on
// the page's own thread, as before the worker existed).
//
// - The drawing pad's answer latency: a stroke is drawn with the mouse, then (the page quiet)
//   its last segment, with the button released right after; the time from that last
//   `pointermove` (the stroke's end: the release adds no ink) to the finished drawing's answer
//   in the DOM (`.draw-guess[data-probs]` set again; message passing included) and to the next frame after
//   it (the answer on screen). Median and 90th percentile of --strokes strokes, for the Net and
//   the Inception net.
// - The 10,000-image evaluation: its wall time, the main thread's frames/s and the share of its
//   time spent in long tasks (> 50 ms) while it runs.
//
//   node scripts/infer_bench.mjs [--strokes 20] [--modes worker,main] [DIST]
//
// Figures are measurements, never test assertions.
import { mkdtempSync, readdirSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const [, value] = args.splice(i, 2);
  return value;
};
const strokes = Number(opt("strokes", "20"));
// --modes worker,main: which ways to measure.
const modes = opt("modes", "worker,main").split(",");
const dist = path.resolve(args[0] ?? "dist");
process.env.CONVSCOPE_DIST = dist;
const { serveDistFrom, launchBrowser } = await import("../tests/e2e/harness.mjs");

/** The build without the worker's glue: the lab falls back to the main thread. */
function withoutWorker() {
  const dir = mkdtempSync(path.join(tmpdir(), "convscope-bench-noworker-"));
  for (const name of readdirSync(dist)) {
    if (name !== "convscope-worker.js") symlinkSync(path.join(dist, name), path.join(dir, name));
  }
  return dir;
}

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

async function latency(page, base, model) {
  await page.goto(`${base}?lang=en&model=${model}#/mnist`);
  await page.waitForFunction(() => document.querySelector(".draw-model")?.textContent.includes("("));
  const dom = [];
  const frame = [];
  for (let i = 0; i < strokes; i++) {
    await page.click(".draw-clear");
    // (The clear button may scroll the page: the pad is found again each time.)
    await page.locator(".draw-pad").scrollIntoViewIfNeeded();
    const box = await page.locator(".draw-pad").boundingBox();
    const s = box.width / 280;
    const dx = (i % 5) * 6;
    const points = [[80 + dx, 60], [200 - dx, 60], [170, 130], [140 + dx, 200], [125, 240]];
    await page.mouse.move(box.x + points[0][0] * s, box.y + points[0][1] * s);
    await page.mouse.down();
    for (const [x, y] of points.slice(1, -1)) await page.mouse.move(box.x + x * s, box.y + y * s, { steps: 3 });
    await page.waitForTimeout(150);
    // The listeners are in place before the stroke's last segment: the time runs from the last
    // pointer event that adds ink (the final move; the release right after it adds none) to
    // the answer for the finished drawing in the DOM (`data-probs` is set only once the answer
    // is the current input's).
    await page.evaluate(() => {
      window.__measured = new Promise((resolve) => {
        const guess = document.querySelector(".draw-guess");
        let t0 = 0;
        const moved = () => (t0 = performance.now());
        window.addEventListener("pointermove", moved, { capture: true });
        const observer = new MutationObserver(() => {
          if (t0 && guess.dataset.probs !== undefined && guess.dataset.answer !== window.__before) {
            observer.disconnect();
            window.removeEventListener("pointermove", moved, { capture: true });
            const t1 = performance.now();
            requestAnimationFrame(() => resolve([t1 - t0, performance.now() - t0]));
          }
        });
        window.__before = guess.dataset.answer;
        observer.observe(guess, { attributes: true });
      });
    });
    const [lx, ly] = points[points.length - 1];
    await page.mouse.move(box.x + lx * s, box.y + ly * s);
    await page.mouse.up();
    const [d, f] = await page.evaluate(() => window.__measured);
    dom.push(d);
    frame.push(f);
  }
  return { dom, frame };
}

async function evaluation(page, base) {
  await page.goto(`${base}?lang=en#/mnist`);
  await page.waitForFunction(() => document.querySelector(".draw-model")?.textContent.includes("("));
  await page.click(".gallery-load");
  await page.waitForSelector(".gallery .tile");
  await page.evaluate(() => {
    window.__bench = { long: 0, frames: 0, start: performance.now(), on: true };
    new PerformanceObserver((list) => list.getEntries().forEach((e) => (window.__bench.long += e.duration))).observe({
      type: "longtask",
    });
    const tick = () => {
      if (!window.__bench.on) return;
      window.__bench.frames++;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await page.click(".eval-run");
  await page.waitForSelector(".eval-result[data-predictions]", { timeout: 300_000 });
  return page.evaluate(() => {
    const b = window.__bench;
    b.on = false;
    const ms = performance.now() - b.start;
    return { ms, fps: (b.frames * 1000) / ms, longShare: b.long / ms };
  });
}

const f1 = (x) => x.toFixed(1);
for (const mode of modes) {
  const dir = mode === "main" ? withoutWorker() : dist;
  const server = await serveDistFrom(dir);
  const browser = await launchBrowser({ serviceWorkers: "block" });
  try {
    const page = await browser.context.newPage();
    for (const model of ["net", "inception"]) {
      const { dom, frame } = await latency(page, server.base, model);
      console.log(
        `${mode}\t${model}\tstroke end→answer in DOM: median ${f1(quantile(dom, 0.5))} ms, p90 ${f1(quantile(dom, 0.9))} ms;` +
          ` →next frame: median ${f1(quantile(frame, 0.5))} ms, p90 ${f1(quantile(frame, 0.9))} ms (${strokes} strokes)`,
      );
    }
    const e = await evaluation(page, server.base);
    console.log(
      `${mode}\tnet\t10k evaluation: ${f1(e.ms)} ms wall, ${f1(e.fps)} frames/s, long tasks ${f1(e.longShare * 100)} % of the main thread`,
    );
  } finally {
    await browser.close();
    server.stop();
  }
}
