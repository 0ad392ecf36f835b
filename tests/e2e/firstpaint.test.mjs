// The first screen: index.html paints the page's title, introduction and a picture, in the
// visitor's language (?lang=, else the saved choice, else the browser's languages), before the
// wasm arrives; the app replaces it when it mounts. The wasm is blocked here to see that screen.
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { readFileSync } from "node:fs";
import { ROOT, SCREENSHOTS, useSite, watchedPage, translations } from "./harness.mjs";
import { bootText, currentBootText } from "../../scripts/boot_text.mjs";

const site = useSite();
const TABLES = { en: translations("en"), zh: translations("zh") };
const INTRO = {
  "": ["page.home.title", "page.home.p1", "page.home.p2"],
  convolution: ["page.convolution.title", "page.convolution.p1", "page.convolution.p2"],
  mnist: ["page.mnist.title", "page.mnist.p1", "page.mnist.p2"],
  network: ["page.network.title", "page.network.p1", "page.network.p2"],
};

/** A tab whose wasm never arrives. */
async function withoutWasm(setup) {
  const page = await site.browser.context.newPage();
  await page.route("**/*.wasm", (route) => route.abort());
  if (setup) await setup(page);
  return page;
}

async function firstScreen(page) {
  await page.waitForSelector("#boot h1");
  return page.evaluate(() => ({
    lang: document.documentElement.lang,
    h1: document.querySelector("#boot h1").textContent,
    intro: [...document.querySelectorAll("#boot .intro p")].map((p) => p.textContent),
    caption: document.querySelector("#boot figcaption")?.textContent,
    picture: !!document.querySelector("#boot figure svg rect"),
    status: document.querySelector("#boot [role=status]")?.textContent,
    current: document.querySelector("#boot .chapters a[aria-current=page]")?.getAttribute("href"),
    title: document.title,
  }));
}

test("index.html's first-screen text is src/i18n's (run `node scripts/boot_text.mjs` after a change)", () => {
  const html = readFileSync(path.join(ROOT, "index.html"), "utf8");
  assert.equal(currentBootText(html), bootText());
});

for (const lang of ["en", "zh"]) {
  test(`before the wasm arrives, the first screen reads in ${lang} (?lang=${lang}), light and dark`, async () => {
    const t = TABLES[lang];
    const page = await withoutWasm();
    for (const [slug, [title, p1, p2]] of Object.entries(INTRO)) {
      for (const theme of ["light", "dark"]) {
        await page.goto(`${site.server.base}?lang=${lang}&theme=${theme}#/${slug}`);
        const screen = await firstScreen(page);
        assert.equal(screen.lang, lang === "zh" ? "zh-CN" : "en");
        assert.equal(screen.h1, t.get(title));
        assert.deepEqual(screen.intro, [t.get(p1), t.get(p2)]);
        assert.equal(screen.caption, t.get("boot.picture"));
        assert.ok(screen.picture, "a picture");
        assert.equal(screen.status, t.get("boot.loading"));
        assert.equal(screen.current, `#/${slug}`);
        assert.equal(screen.title, `${slug ? t.get(title) : t.get("app.tagline")} · convscope`);
        assert.equal(await page.locator("main").count(), 0, "no app yet");
        const name = `firstpaint-${slug || "home"}-${lang}-${theme}`;
        await page.setViewportSize({ width: 1280, height: 800 });
        await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-1280x800.png`) });
        await page.setViewportSize({ width: 360, height: 740 });
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `${name} scrolls sideways by ${overflow} px`);
        await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-360x740.png`) });
        await page.setViewportSize({ width: 1280, height: 800 });
      }
    }
    await page.close();
  });
}

test("without ?lang the first screen follows the saved choice, then the browser's languages", async () => {
  // The browser prefers Chinese; nothing saved.
  const page = await withoutWasm((p) =>
    p.addInitScript(() => Object.defineProperty(navigator, "languages", { get: () => ["zh-CN", "en"] })),
  );
  await page.goto(`${site.server.base}#/mnist`);
  await page.evaluate(() => localStorage.removeItem("convscope.lang"));
  await page.reload();
  assert.equal((await firstScreen(page)).h1, TABLES.zh.get("page.mnist.title"));
  // A saved English choice wins over the browser.
  await page.evaluate(() => localStorage.setItem("convscope.lang", "en"));
  await page.reload();
  assert.equal((await firstScreen(page)).h1, TABLES.en.get("page.mnist.title"));
  await page.evaluate(() => localStorage.removeItem("convscope.lang"));
  await page.close();
});

test("an embed address gets a loading line, not the app's first screen", async () => {
  const page = await withoutWasm();
  await page.goto(`${site.server.base}?lang=zh#/embed/pool`);
  await page.waitForSelector("#boot [role=status]");
  assert.equal(await page.textContent("#boot [role=status]"), TABLES.zh.get("boot.loading"));
  assert.equal(await page.locator("#boot h1, #boot nav").count(), 0);
  await page.close();
});

test("with the wasm, the first screen is still the page's largest paint (what Lighthouse's LCP measures)", async () => {
  const { page, problems } = await watchedPage(site.browser.context);
  await page.setViewportSize({ width: 412, height: 823 });
  await page.addInitScript(() => {
    window.lcp = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.lcp.push(e.element ? (e.element.closest("#boot") ? "boot" : "app") : "removed");
    }).observe({ type: "largest-contentful-paint", buffered: true });
  });
  for (const slug of Object.keys(INTRO)) {
    await page.goto("about:blank"); // a fresh load, not a change of fragment
    await page.goto(`${site.server.base}?lang=en#/${slug}`);
    await page.waitForSelector("main h1");
    await page.waitForTimeout(300);
    const entries = await page.evaluate(() => window.lcp);
    assert.ok(entries.length > 0 && entries.every((e) => e === "boot"), `#/${slug}: ${entries.join(", ")}`);
    // The wasm download starts only once the first screen has been painted.
    const [fcp, wasm] = await page.evaluate(() => [
      performance.getEntriesByName("first-contentful-paint")[0]?.startTime,
      performance.getEntriesByType("resource").find((r) => r.name.endsWith(".wasm"))?.startTime,
    ]);
    assert.ok(fcp !== undefined && wasm !== undefined && wasm >= fcp, `#/${slug}: wasm requested at ${wasm} ms, first paint at ${fcp} ms`);
  }
  assert.deepEqual(problems(), []);
  await page.close();
});

test("the app replaces the first screen when it mounts, cleanly", async () => {
  const { page, problems } = await watchedPage(site.browser.context);
  await page.goto(`${site.server.base}?lang=zh#/convolution`);
  await page.waitForSelector("main h1");
  assert.equal(await page.locator("#boot").count(), 0);
  assert.equal(await page.locator("h1").count(), 1);
  assert.equal(await page.textContent("main h1"), TABLES.zh.get("page.convolution.title"));
  assert.deepEqual(problems(), []);
  await page.close();
});
