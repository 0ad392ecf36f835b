// Shared set-up for the browser tests: serve the built site with `python3 -m http.server` under a
// sub-folder (as a course server would), and drive Debian's Chromium with playwright-core.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, symlinkSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { before, after } from "node:test";
import { chromium } from "playwright-core";

export const ROOT = path.resolve(import.meta.dirname, "../..");
export const DIST = path.resolve(process.env.CONVSCOPE_DIST ?? path.join(ROOT, "dist"));
export const SCREENSHOTS = path.join(ROOT, "target", "screenshots");
/** The sub-folder the site is served under: every asset URL must be relative for this to work. */
export const SUBFOLDER = "course/convscope/";

/** Starts `python3 -m http.server` on a free loopback port; resolves to { base, stop }. */
export function serveDist() {
  return serveDistFrom(DIST);
}

/** Serves the built site in `dist` (see `serveDist`). */
export async function serveDistFrom(dist) {
  const root = mkdtempSync(path.join(tmpdir(), "convscope-www-"));
  mkdirSync(path.join(root, "course"));
  symlinkSync(dist, path.join(root, SUBFOLDER.replace(/\/$/, "")));
  const server = spawn("python3", ["-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", root], {
    env: { ...process.env, PYTHONUNBUFFERED: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("http.server did not start in 10 s")), 10_000);
    server.stdout.on("data", (chunk) => {
      const m = /port (\d+)/.exec(String(chunk));
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    server.on("exit", (code) => reject(new Error(`http.server exited with ${code}`)));
  });
  server.stderr.resume(); // access log; not needed
  return {
    base: `http://127.0.0.1:${port}/${SUBFOLDER}`,
    stop() {
      server.kill();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/**
 * Serves a changed copy of the built site (see `serveDist`): every file of `dist` as built,
 * except those `changes` names: a name mapped to `null` is left out (as a filter or a broken
 * upload would leave the site), a name mapped to a function is served as what the function
 * makes of the built file's text. `stop()` also removes the copy.
 * E.g. `serveDistWith({ "convscope-worker.js": null })`: a site whose compute worker cannot start.
 */
export async function serveDistWith(changes) {
  const dir = mkdtempSync(path.join(tmpdir(), "convscope-changed-"));
  for (const name of readdirSync(DIST)) {
    const change = changes[name];
    if (change === undefined) symlinkSync(path.join(DIST, name), path.join(dir, name));
    else if (change !== null) writeFileSync(path.join(dir, name), change(readFileSync(path.join(DIST, name), "utf8")));
  }
  const server = await serveDistFrom(dir);
  return {
    base: server.base,
    stop() {
      server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Runs `body({ base, page })` on a changed copy of the site (`serveDistWith(changes)`) in a
 * fresh browser (service workers blocked, so that the changed files are what the page gets),
 * then checks that the page met no problem but the files left out (and the blocked service
 * worker); closes the browser and the server either way.
 */
export async function onChangedSite(changes, body) {
  const server = await serveDistWith(changes);
  const browser = await launchBrowser({ serviceWorkers: "block" });
  try {
    const { page, problems } = await watchedPage(browser.context);
    await body({ base: server.base, page });
    const gone = Object.keys(changes).filter((name) => changes[name] === null);
    const others = problems().filter((p) => !p.includes("blocked by Playwright") && !gone.some((name) => p.includes(name)));
    assert.deepEqual(others, [], "no console error or warning, no failed request");
    await page.close();
  } finally {
    await browser.close();
    server.stop();
  }
}

/**
 * Launches headless Chromium (WebGPU on, on its software adapter) with a fresh profile;
 * `options` go to playwright's persistent context (e.g. `{ serviceWorkers: "block" }`).
 */
export async function launchBrowser(options = {}) {
  const profile = mkdtempSync(path.join(tmpdir(), "convscope-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    viewport: { width: 1280, height: 800 },
    ...options,
    args: [
      "--no-sandbox",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--enable-unsafe-webgpu",
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Opens a new tab that records every console error or warning, uncaught exception, failed
 * request and HTTP error. `problems()` returns them as strings.
 */
export async function watchedPage(context) {
  const page = await context.newPage();
  const found = [];
  page.on("console", (msg) => {
    if (msg.type() === "error" || msg.type() === "warning") found.push(`console ${msg.type()}: ${msg.text()}`);
  });
  page.on("pageerror", (err) => found.push(`page error: ${err.message}`));
  page.on("requestfailed", (req) => found.push(`request failed: ${req.url()} ${req.failure()?.errorText}`));
  page.on("response", (res) => {
    if (res.status() >= 400) found.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  return { page, problems: () => found };
}

/** The translation table of a language, read from src/i18n/<lang>.rs: Map key → text. */
export function translations(lang) {
  const source = readFileSync(path.join(ROOT, "src", "i18n", `${lang}.rs`), "utf8");
  const table = new Map();
  // ("key", "text") with Rust's `\`-newline continuations folded away.
  const re = /\(\s*"([a-z0-9_.]+)",\s*"((?:[^"\\]|\\.)*)",?\s*\)/gs;
  for (const [, key, raw] of source.matchAll(re)) {
    table.set(key, raw.replace(/\\\n\s*/g, "").replace(/\\"/g, '"'));
  }
  return table;
}

/** The app's routes, from src/pages.rs: [{ slug, titleKey }] in navigation order. */
export function routes() {
  const source = readFileSync(path.join(ROOT, "src", "pages.rs"), "utf8");
  const slugs = [...source.matchAll(/Page::(\w+) => "([a-z-]*)",/g)].slice(0, Number(source.match(/ALL: \[Page; (\d+)\]/)[1]));
  const titles = new Map([...source.matchAll(/Page::(\w+) => "(page\.[a-z]+\.title)",/g)].map((m) => [m[1], m[2]]));
  return slugs.map(([, variant, slug]) => ({ variant, slug, titleKey: titles.get(variant) }));
}

/**
 * Registers the suite's set-up: the site served from a sub-folder and one browser, shared by the
 * file's tests and closed after them. Returns `{ server, browser }`, filled in before the tests.
 */
export function useSite() {
  const site = {};
  before(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    site.server = await serveDist();
    site.browser = await launchBrowser();
  });
  after(async () => {
    await site.browser?.close();
    site.server?.stop();
  });
  return site;
}

/** A photo-like picture of a digit, as base64 PNG: a dark 7 written with a thick pen on light
 * grey paper, drawn by the page's own canvas. */
export const sevenPng = (page) =>
  page.evaluate(() => {
    const c = document.createElement("canvas");
    c.width = 160;
    c.height = 200;
    const g = c.getContext("2d");
    g.fillStyle = "#d8d4cc";
    g.fillRect(0, 0, 160, 200);
    g.strokeStyle = "#222";
    g.lineWidth = 16;
    g.lineCap = "round";
    g.beginPath();
    g.moveTo(35, 40);
    g.lineTo(125, 40);
    g.lineTo(75, 170);
    g.stroke();
    return c.toDataURL("image/png").split(",")[1];
  });
