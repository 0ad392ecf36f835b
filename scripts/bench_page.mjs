// In-page training speed, as a learner gets it: the release build served as static files, headless
// Chromium, the Train page, the lesson's Net at batch 64 on a chosen backend. For each built site
// given (e.g. an older build and the current one), measured in turns (A, B, A, B, …) so that the
// machine's noise hits both alike, it prints images/s (from the page's own step counter and its
// "images per second" figure), the main thread's frames/s and its share of long tasks (> 50 ms)
// while training, and the gzipped size of the app's wasm + JS.
//
//   node scripts/bench_page.mjs [--backend simd|webgpu] [--seconds 60] [--rounds 2]
//                               [--threads 1,2] DIST [DIST…]
//
// It measures over the first epoch's steps (the run is set to 20 epochs so it is still training
// when read), or over --seconds if the epoch takes longer, and gives one epoch's time at that rate.
//
// What stops the scaling: 2 s of the window are traced (Chrome's trace, thread CPU time of each
// task), giving the workers' busy share (CPU time over wall time, per worker: below 100 % a
// worker waits, for the others or for a core) and the CPU time per step of the workers and of the
// page's main thread (rendering the progress, taken from the workers on a machine with no core
// to spare). Tracing costs a little speed; the images/s are from the whole window.
//
// --threads: the Train page's "CPU threads" settings to measure (builds without the control
// are measured once, as they are).
//
// Figures are measurements for the bench table, never test assertions.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const [, value] = args.splice(i, 2);
  return value;
};
const backend = opt("backend", "simd");
const seconds = Number(opt("seconds", "60"));
const rounds = Number(opt("rounds", "2"));
const json = opt("json", "");
// --rows FILE: one row per thread count of the first build, for `make bench`'s table.
const rowsFile = opt("rows", "");
const threadList = opt("threads", "")
  .split(",")
  .filter(Boolean)
  .map(Number);
const dists = args.length ? args : ["dist"];
/** Steps in one epoch of the 60,000 training images at batch 64. */
const STEPS_PER_EPOCH = 938;

process.env.CONVSCOPE_DIST = path.resolve(dists[0]);
const { serveDistFrom, launchBrowser } = await import("../tests/e2e/harness.mjs");

/** The app's first download (its wasm + JS glue; the compute worker loads later, on first use). */
function gzippedKb(dist) {
  const files = readdirSync(dist).filter((f) => /^convscope-[0-9a-f]+(_bg\.wasm|\.js)$/.test(f));
  const bytes = files.reduce((n, f) => n + gzipSync(readFileSync(path.join(dist, f)), { level: 9 }).length, 0);
  return bytes / 1024;
}

async function measure(browser, base, threads) {
  const page = await browser.context.newPage();
  await page.goto(`${base}?lang=en#/train`);
  await page.waitForSelector(".train-start");
  await page.selectOption(".train-backend", backend);
  if (threads) await page.selectOption(".train-threads", String(threads));
  // More epochs than the measurement needs, so the run is still training when it is read (a
  // run that finishes its epoch evaluates and stops, which is not training speed).
  await page.fill(".train-epochs", "20");
  await page.click(".train-start");
  const steps = () => page.textContent(".train-steps").then((t) => Number(t.replace(/[^0-9]/g, "")));
  await page.waitForFunction(() => Number(document.querySelector(".train-steps")?.textContent.replace(/[^0-9]/g, "")) >= 1, null, {
    timeout: 120_000,
  });
  // Frames and long tasks on the main thread while training.
  await page.evaluate(() => {
    window.__bench = { frames: 0, longMs: 0, start: performance.now() };
    const tick = () => {
      window.__bench.frames += 1;
      window.__bench.raf = requestAnimationFrame(tick);
    };
    window.__bench.raf = requestAnimationFrame(tick);
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__bench.longMs += e.duration;
    }).observe({ type: "longtask" });
  });
  // The rate over the first epoch's steps (from the first step shown to the epoch's last, 938
  // at batch 64), or over `seconds` if the epoch takes longer. The page stamps each change of its
  // step counter itself (a MutationObserver), so this script only looks in twice a second: on a
  // 2-core machine, polling the page every few milliseconds would take CPU time from the
  // workers it measures. The page's own figure is read near the end.
  await page.evaluate((epochSteps) => {
    const el = document.querySelector(".train-steps");
    const read = () => Number(el.textContent.replace(/[^0-9]/g, ""));
    const rate = () => Number(document.querySelector(".train-rate")?.textContent.replace(/[^0-9.]/g, ""));
    const b = window.__bench;
    b.marks = [[performance.now(), read()]];
    b.pageRate = NaN;
    new MutationObserver(() => {
      const steps = read();
      b.marks.push([performance.now(), steps]);
      if (steps < epochSteps - 30) b.pageRate = rate();
    }).observe(el, { childList: true, characterData: true, subtree: true });
  }, STEPS_PER_EPOCH);
  const t0 = Date.now();
  let s1 = await steps();
  let cpu = null;
  let trace = null;
  while (s1 < STEPS_PER_EPOCH && Date.now() - t0 < seconds * 1000) {
    await page.waitForTimeout(trace ? Math.max(0, 2000 - (Date.now() - trace.t0)) : 500);
    s1 = await steps();
    if (!trace && !cpu && Date.now() - t0 > 1000) trace = await startTrace(page, s1);
    else if (trace && Date.now() - trace.t0 >= 2000) {
      cpu = await endTrace(trace, s1);
      trace = null;
    }
  }
  if (trace) cpu = await endTrace(trace, await steps());
  const { imagesPerS, pageRate } = await page.evaluate((epochSteps) => {
    const m = window.__bench.marks;
    const [t0, s0] = m[0];
    // The last mark within the epoch (a later one may include the epoch's evaluation).
    const [t1, s1] = m.filter(([, s]) => s <= epochSteps).at(-1);
    return { imagesPerS: ((s1 - s0) * 64 * 1000) / (t1 - t0), pageRate: window.__bench.pageRate };
  }, STEPS_PER_EPOCH);
  const main = await page.evaluate(() => {
    const b = window.__bench;
    const ms = performance.now() - b.start;
    cancelAnimationFrame(b.raf);
    return { fps: (b.frames * 1000) / ms, longShare: b.longMs / ms };
  });
  await page.click(".train-start").catch(() => {}); // pause
  await page.click(".train-reset").catch(() => {});
  await page.click(".train-reset-confirm", { timeout: 2000 }).catch(() => {}); // Reset asks first
  await page.close();
  return { imagesPerS, pageRate, epochS: (STEPS_PER_EPOCH * 64) / imagesPerS, ...main, ...(cpu ?? {}) };
}

/** Starts tracing the page's renderer (thread CPU time of each task) at step `step`. */
async function startTrace(page, step) {
  const cdp = await page.context().newCDPSession(page);
  const events = [];
  cdp.on("Tracing.dataCollected", (e) => events.push(...e.value));
  const done = new Promise((resolve) => cdp.on("Tracing.tracingComplete", resolve));
  await cdp.send("Tracing.start", {
    traceConfig: { includedCategories: ["toplevel", "disabled-by-default-devtools.timeline"] },
    transferMode: "ReportEvents",
  });
  return { cdp, events, done, step, t0: Date.now() };
}

/** Ends a trace at step `step`: each worker's busy share, and CPU ms per step (workers, main thread). */
async function endTrace(trace, step) {
  await trace.cdp.send("Tracing.end");
  await trace.done;
  await trace.cdp.detach().catch(() => {});
  const names = {};
  let first = Infinity;
  let last = 0;
  const cpu = {};
  for (const e of trace.events) {
    const thread = `${e.pid}:${e.tid}`;
    if (e.ph === "M" && e.name === "thread_name") names[thread] = e.args.name;
    if (e.ph !== "X" || e.name !== "ThreadControllerImpl::RunTask") continue;
    first = Math.min(first, e.ts);
    last = Math.max(last, e.ts + (e.dur ?? 0));
    cpu[thread] = (cpu[thread] ?? 0) + (e.tdur ?? 0) / 1000;
  }
  const wallMs = (last - first) / 1000;
  const steps = step - trace.step;
  if (!(wallMs > 0) || steps <= 0) return null;
  const of = (prefix) => Object.entries(cpu).filter(([t]) => (names[t] ?? "").startsWith(prefix)).map(([, ms]) => ms);
  const workers = of("DedicatedWorker").filter((ms) => ms / wallMs > 0.05); // the training ones
  const main = of("CrRendererMain").reduce((a, b) => a + b, 0);
  return {
    workerBusy: workers.map((ms) => ms / wallMs).sort((a, b) => b - a),
    workerMsPerStep: workers.reduce((a, b) => a + b, 0) / steps,
    mainMsPerStep: main / steps,
  };
}

const hasThreads = (d) => readFileSync(path.join(d, readdirSync(d).find((f) => /^convscope-[0-9a-f]+_bg\.wasm$/.test(f)))).includes("train-threads");
const results = dists.flatMap((d) =>
  (threadList.length && hasThreads(d) ? threadList : [0]).map((threads) => ({
    dist: d,
    label: threads ? `${d} (${threads} thread${threads > 1 ? "s" : ""})` : d,
    threads,
    kb: gzippedKb(d),
    runs: [],
  })),
);
const bases = await Promise.all(results.map((r) => serveDistFrom(path.resolve(r.dist))));
const browser = await launchBrowser();
try {
  for (let r = 0; r < rounds; r++) {
    for (const [i, res] of results.entries()) {
      res.runs.push(await measure(browser, bases[i].base, res.threads));
    }
  }
} finally {
  await browser.close();
  bases.forEach((b) => b.stop());
}

/** The median (of an even count, the mean of the middle two: with 2 rounds, their mean). */
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
console.log(`\nIn-page training, Train page, the lesson's Net, batch 64, ${backend}, the first epoch (at most ${seconds} s) × ${rounds} rounds`);
console.log(
  "| build | images/s (steps) | images/s (page) | one epoch, s | frames/s | long tasks | workers busy | CPU ms/step: workers, main thread | app wasm+js gzip |",
);
console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
const pct = (x) => `${(100 * x).toFixed(0)} %`;
/** The traced runs' medians: each worker's busy share, CPU ms per step (workers, main thread). */
const tracedMedians = (runs) => {
  const t = runs.filter((r) => r.workerBusy);
  if (!t.length) return null;
  return {
    busy: t[0].workerBusy.map((_, i) => median(t.map((r) => r.workerBusy[i] ?? 0))),
    workers: median(t.map((r) => r.workerMsPerStep)),
    main: median(t.map((r) => r.mainMsPerStep)),
  };
};
const traced = (runs) => {
  const m = tracedMedians(runs);
  return m ? [m.busy.map(pct).join(", "), `${m.workers.toFixed(2)}, ${m.main.toFixed(2)}`] : ["–", "–"];
};
const first = median(results[0].runs.map((r) => r.imagesPerS));
for (const res of results) {
  const ips = median(res.runs.map((r) => r.imagesPerS));
  const ratio = res === results[0] ? "" : ` (${(ips / first).toFixed(2)}×)`;
  console.log(
    `| ${res.label} | ${ips.toFixed(0)}${ratio} | ${median(res.runs.map((r) => r.pageRate)).toFixed(0)} | ` +
      `${((STEPS_PER_EPOCH * 64) / ips).toFixed(1)} | ${median(res.runs.map((r) => r.fps)).toFixed(1)} | ${(100 * median(res.runs.map((r) => r.longShare))).toFixed(0)} % | ` +
      `${traced(res.runs).join(" | ")} | ` +
      `${res.kb.toFixed(0)} KB |`,
  );
}
if (json || rowsFile) {
  const { writeFileSync } = await import("node:fs");
  if (json) writeFileSync(json, JSON.stringify({ backend, seconds, results }, null, 2));
  if (rowsFile) {
    const rows = results
      .filter((r) => r.dist === results[0].dist)
      .map((r) => ({
        workload: "page train Net, batch 64",
        backend: `page ${backend}`,
        threads: r.threads || 1,
        value: median(r.runs.map((x) => x.imagesPerS)),
        unit: "images/s",
        epoch_s: (STEPS_PER_EPOCH * 64) / median(r.runs.map((x) => x.imagesPerS)),
        fps: median(r.runs.map((x) => x.fps)),
        long_share: median(r.runs.map((x) => x.longShare)),
        worker_busy: tracedMedians(r.runs)?.busy ?? null,
        worker_ms_per_step: tracedMedians(r.runs)?.workers ?? null,
        main_ms_per_step: tracedMedians(r.runs)?.main ?? null,
      }));
    writeFileSync(rowsFile, JSON.stringify(rows, null, 2));
  }
}
