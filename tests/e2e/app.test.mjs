// End-to-end tests of the built app (`trunk build --release` → dist/) in headless Chromium:
// every route in both languages, language and theme switches, keyboard and phone navigation,
// deep links served from a sub-folder, and the download-size budget.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import path from "node:path";
import { DIST, SCREENSHOTS, useSite, watchedPage, translations, routes } from "./harness.mjs";

const EN = translations("en");
const ZH = translations("zh");
const ROUTES = routes();
const site = useSite();

/** Opens `hash` fresh (a new tab, as a deep link would) and waits for its heading. */
async function open(hash, { lang, viewport } = {}) {
  const watched = await watchedPage(site.browser.context);
  if (viewport) await watched.page.setViewportSize(viewport);
  const query = lang ? `?lang=${lang}` : "";
  await watched.page.goto(`${site.server.base}${query}#/${hash}`);
  await watched.page.waitForSelector("main h1");
  return watched;
}

test("routes, headings and translation tables were found", () => {
  assert.equal(ROUTES.length, 11);
  assert.ok(EN.size > 40 && EN.size === ZH.size, `en ${EN.size} keys, zh ${ZH.size} keys`);
  for (const r of ROUTES) assert.ok(EN.has(r.titleKey) && ZH.has(r.titleKey), r.titleKey);
});

for (const lang of ["en", "zh"]) {
  const table = lang === "en" ? EN : ZH;
  test(`every route renders its heading in ${lang}, cleanly, at desktop and phone sizes`, async () => {
    for (const route of ROUTES) {
      const { page, problems } = await open(route.slug, { lang });
      await page.waitForFunction(
        (text) => document.querySelector("main h1")?.textContent === text,
        table.get(route.titleKey),
      );
      assert.equal(await page.getAttribute("html", "lang"), lang === "zh" ? "zh-CN" : "en");
      assert.equal(await page.locator(".chapters a.current").count(), 1, `${route.slug}: one current link`);
      const name = route.slug || "home";
      await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-${lang}-1280x800.png`) });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-${lang}-390x844.png`), fullPage: true });
      await page.setViewportSize({ width: 360, height: 740 });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${route.slug} (${lang}) scrolls sideways at 360 px by ${overflow} px`);
      assert.deepEqual(problems(), [], `${route.slug} (${lang})`);
      await page.close();
    }
  });
}

test("home lists every chapter once, in the lesson's order", async () => {
  const { page, problems } = await open("", { lang: "en" });
  const links = await page.locator(".toc a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  assert.deepEqual(links, ROUTES.filter((r) => r.slug).map((r) => `#/${r.slug}`));
  assert.deepEqual(problems(), []);
  await page.close();
});

test("an unknown page says so and offers the chapters", async () => {
  const { page, problems } = await open("no-such-page", { lang: "en" });
  assert.equal(await page.textContent("main h1"), EN.get("notfound.title"));
  assert.equal(await page.locator("main .toc a").count(), ROUTES.length - 1);
  assert.deepEqual(problems(), []);
  await page.close();
});

test("the language switch works and the choice persists", async () => {
  const { page, problems } = await open("pooling", { lang: "zh" });
  assert.equal(await page.textContent("main h1"), ZH.get("page.pooling.title"));
  // Without ?lang the saved choice (zh, from the query) still holds.
  await page.goto(`${site.server.base}#/pooling`);
  await page.waitForSelector("main h1");
  assert.equal(await page.textContent("main h1"), ZH.get("page.pooling.title"));
  await page.click(".lang-button");
  assert.equal(await page.textContent("main h1"), EN.get("page.pooling.title"));
  assert.equal(await page.getAttribute("html", "lang"), "en");
  assert.match(await page.title(), /Pooling · convscope/);
  await page.reload();
  await page.waitForSelector("main h1");
  assert.equal(await page.textContent("main h1"), EN.get("page.pooling.title"));
  assert.deepEqual(problems(), []);
  await page.close();
});

test("the theme follows the OS until toggled, and the toggle persists", async () => {
  const { page, problems } = await open("", { lang: "en" });
  await page.evaluate(() => localStorage.removeItem("convscope.theme"));
  await page.emulateMedia({ colorScheme: "dark" });
  await page.reload();
  await page.waitForSelector("main h1");
  assert.equal(await page.getAttribute("html", "data-theme"), "dark");
  await page.emulateMedia({ colorScheme: "light" });
  await page.waitForFunction(() => document.documentElement.dataset.theme === "light");
  await page.click(".theme-button");
  assert.equal(await page.getAttribute("html", "data-theme"), "dark");
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(background, "rgb(18, 21, 27)");
  await page.screenshot({ path: path.join(SCREENSHOTS, "home-en-dark-1280x800.png") });
  await page.reload();
  await page.waitForSelector("main h1");
  assert.equal(await page.getAttribute("html", "data-theme"), "dark");
  await page.click(".theme-button");
  assert.equal(await page.getAttribute("html", "data-theme"), "light");
  assert.deepEqual(problems(), []);
  await page.close();
});

test("keyboard: skip link, then Tab to a chapter and Enter", async () => {
  const { page, problems } = await open("", { lang: "en" });
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.className), "skip-link");
  await page.keyboard.press("Enter");
  assert.equal(await page.evaluate(() => document.activeElement.tagName), "H1");
  // Tab on from the top until the Pooling link has focus, then follow it.
  await page.evaluate(() => document.activeElement.blur());
  let reached = false;
  for (let i = 0; i < 30 && !reached; i++) {
    await page.keyboard.press("Tab");
    reached = await page.evaluate(() => document.activeElement?.getAttribute("href") === "#/pooling");
  }
  assert.ok(reached, "Tab never reached the Pooling link");
  await page.keyboard.press("Enter");
  await page.waitForFunction((t) => document.activeElement?.textContent === t, EN.get("page.pooling.title"));
  assert.equal(await page.evaluate(() => location.hash), "#/pooling");
  assert.equal(await page.getAttribute(".chapters a.current", "aria-current"), "page");
  assert.deepEqual(problems(), []);
  await page.close();
});

test("phone: the menu opens, navigates, and closes (also with Escape)", async () => {
  const { page, problems } = await open("", { lang: "zh", viewport: { width: 390, height: 844 } });
  assert.equal(await page.isVisible("#chapters"), false);
  await page.click(".menu-button");
  assert.equal(await page.getAttribute(".menu-button", "aria-expanded"), "true");
  assert.equal(await page.isVisible("#chapters"), true);
  await page.screenshot({ path: path.join(SCREENSHOTS, "menu-zh-390x844.png") });
  await page.click('#chapters a[href="#/channels"]');
  await page.waitForFunction((t) => document.querySelector("main h1")?.textContent === t, ZH.get("page.channels.title"));
  assert.equal(await page.isVisible("#chapters"), false);
  await page.click(".menu-button");
  await page.keyboard.press("Escape");
  assert.equal(await page.getAttribute(".menu-button", "aria-expanded"), "false");
  assert.deepEqual(problems(), []);
  await page.close();
});

test("the footer names the backend in use: WebGPU on SwiftShader, marked software", async () => {
  const { page, problems } = await open("about", { lang: "en" });
  await page.waitForFunction(() => document.querySelector(".backend")?.dataset.backend !== "detecting");
  assert.equal(await page.getAttribute(".backend", "data-backend"), "webgpu");
  const label = await page.textContent(".backend");
  assert.match(label, /^WebGPU · .+ \(software, slow\)$/);
  console.log(`# footer in headless Chromium: ${label}`);
  assert.equal(await page.locator(".backend-notice").count(), 0);
  await page.click(".lang-button");
  assert.match(await page.textContent(".backend"), /软件实现，较慢/);
  assert.deepEqual(problems(), []);
  await page.close();
});

test("without WebGPU the footer says WASM SIMD and why", async () => {
  const { page, problems } = await watchedPage(site.browser.context);
  // Hide the API before the app starts, as in a browser without WebGPU.
  await page.addInitScript(() => Object.defineProperty(Navigator.prototype, "gpu", { get: () => undefined }));
  await page.goto(`${site.server.base}?lang=en#/train`);
  await page.waitForSelector(".backend-notice");
  assert.equal(await page.getAttribute(".backend", "data-backend"), "simd");
  assert.equal(await page.textContent(".backend"), EN.get("backend.simd"));
  const notice = await page.textContent(".backend-notice");
  assert.ok(notice.includes(EN.get("backend.reason.missing")) && notice.includes(EN.get("backend.fallback_note")), notice);
  await page.screenshot({ path: path.join(SCREENSHOTS, "train-en-no-webgpu-1280x800.png"), fullPage: true });
  assert.deepEqual(problems(), []);
  await page.close();
});

test("size budget: the app's wasm + JS are at most 1 MB gzipped", () => {
  // The page's first download; the compute worker (worker-loader.js, convscope-worker*) loads
  // later, on first use, and is reported on its own.
  const isWorker = (f) => f === "worker-loader.js" || f.startsWith("convscope-worker");
  const worker = readdirSync(DIST)
    .filter(isWorker)
    .reduce((n, f) => n + gzipSync(readFileSync(path.join(DIST, f)), { level: 9 }).length, 0);
  console.log(`# the compute worker, loaded on first use: ${(worker / 1024).toFixed(0)} KB gzipped`);
  const files = readdirSync(DIST).filter(
    (f) => (f.endsWith(".wasm") || f.endsWith(".js")) && !isWorker(f),
  );
  assert.ok(files.some((f) => f.endsWith(".wasm")), "no .wasm in dist/");
  let raw = 0;
  let gzipped = 0;
  for (const f of files) {
    const bytes = readFileSync(path.join(DIST, f));
    raw += bytes.length;
    gzipped += gzipSync(bytes, { level: 9 }).length;
  }
  console.log(`# app wasm + JS: ${raw} bytes raw, ${gzipped} bytes gzipped (${files.join(", ")})`);
  assert.ok(gzipped <= 1_000_000, `${gzipped} bytes gzipped is over the 1 MB budget`);
});
