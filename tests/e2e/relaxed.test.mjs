// The compute worker's two builds (issue 14, item 6): where the browser validates WASM relaxed
// SIMD, worker-loader.js starts the relaxed build (`convscope-worker-relaxed`, the CPU kernels
// on the fused `f32x4.relaxed_madd`); where it does not (a served copy whose loader is told
// so), the simd128 build. Training works on both: the run goes on past 60 steps on 2 worker
// threads with the loss falling, and only the chosen build's wasm is downloaded.
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { DIST, SCREENSHOTS, launchBrowser, serveDistFrom, watchedPage, translations } from "./harness.mjs";

const EN = translations("en");

const trainUntil = (page, n) =>
  page.waitForFunction((n) => Number(document.querySelector(".train-steps")?.textContent) >= n, n, {
    timeout: 120_000,
  });

/** Trains the Net on WASM SIMD on 2 worker threads from `dir`; returns what the run used. */
async function trainFrom(dir, shot) {
  const server = await serveDistFrom(dir);
  const browser = await launchBrowser({ serviceWorkers: "block" });
  try {
    const { page, problems } = await watchedPage(browser.context);
    const wasm = [];
    browser.context.on("request", (r) => {
      const m = /\/(convscope-worker[a-z-]*_bg\.wasm)$/.exec(new URL(r.url()).pathname);
      if (m) wasm.push(m[1]);
    });
    await page.goto(`${server.base}?lang=en#/train`);
    await page.selectOption(".train-backend", "simd");
    await page.selectOption(".train-threads", "2");
    await page.click(".train-start");
    await trainUntil(page, 3);
    const early = Number(await page.textContent(".train-loss"));
    await trainUntil(page, 60);
    const late = Number(await page.textContent(".train-loss"));
    assert.equal(await page.getAttribute(".train-where", "data-where"), "workers");
    const builds = await Promise.all(page.workers().map((w) => w.evaluate(() => self.convscopeWorkerBuild)));
    await page.click(".train-start");
    await page.waitForFunction((text) => document.querySelector(".train-status")?.textContent === text, EN.get("train.paused"));
    await page.screenshot({ path: path.join(SCREENSHOTS, shot), fullPage: true });
    assert.deepEqual(problems().filter((p) => !p.includes("blocked by Playwright")), []);
    await page.close();
    return { early, late, builds, wasm: [...new Set(wasm)] };
  } finally {
    await browser.close();
    server.stop();
  }
}

test("relaxed SIMD where the browser has it: the relaxed worker build trains", async () => {
  const run = await trainFrom(DIST, "train-relaxed-en-1280x800.png");
  console.log(`# relaxed: workers ${run.builds.join(", ")}; wasm ${run.wasm.join(", ")}; loss ${run.early} → ${run.late}`);
  assert.ok(run.builds.length >= 1 && run.builds.every((b) => b === "relaxed"), run.builds.join(", "));
  assert.deepEqual(run.wasm, ["convscope-worker-relaxed_bg.wasm"]);
  assert.ok(run.late < run.early, `loss ${run.early} → ${run.late}`);
});

test("no relaxed SIMD: the loader falls back to the simd128 worker build, which trains", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "convscope-norelaxed-"));
  for (const name of readdirSync(DIST)) {
    if (name !== "worker-loader.js") symlinkSync(path.join(DIST, name), path.join(dir, name));
  }
  // A browser without relaxed SIMD: its validator refuses the loader's probe module.
  const loader = readFileSync(path.join(DIST, "worker-loader.js"), "utf8");
  writeFileSync(path.join(dir, "worker-loader.js"), `WebAssembly.validate = () => false;\n${loader}`);
  const run = await trainFrom(dir, "train-simd128-en-1280x800.png");
  console.log(`# simd128: workers ${run.builds.join(", ")}; wasm ${run.wasm.join(", ")}; loss ${run.early} → ${run.late}`);
  assert.ok(run.builds.length >= 1 && run.builds.every((b) => b === "simd128"), run.builds.join(", "));
  assert.deepEqual(run.wasm, ["convscope-worker_bg.wasm"]);
  assert.ok(run.late < run.early, `loss ${run.early} → ${run.late}`);
});
