// Embedding: a plain course page (www/embed-demo.html) with three widgets and their settings,
// resized by embed.js; every embed route alone; hide= hides; the share link and snippet
// reproduce a non-default state; bad embed addresses still render with a note; after one
// visit the app works offline (service worker).
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { readFileSync } from "node:fs";
import { ROOT, SCREENSHOTS, useSite, watchedPage, translations } from "./harness.mjs";

const site = useSite();
const SLUGS = [...readFileSync(path.join(ROOT, "src/embed.rs"), "utf8").matchAll(/WidgetId::\w+ => "([a-z]+)",/g)].map((m) => m[1]);

test("the demo course page embeds three widgets with their settings, and embed.js sizes them", async () => {
  const { page, problems } = await watchedPage(site.browser.context);
  await page.goto(`${site.server.base}embed-demo.html`);
  const padding = page.frameLocator("#demo-padding");
  await padding.locator(".conv-explorer").waitFor();
  assert.equal(await padding.locator(".conv-padding").isVisible(), false, "padding is hidden");
  assert.equal(await padding.locator(".conv-stride").inputValue(), "2");
  assert.equal(await padding.locator(".predict-toggle").isChecked(), true);
  assert.equal(await padding.locator(".conv-output .cell").count(), 0, "predict first hides the output");
  assert.equal(await padding.locator(".site-header").count(), 0);
  const pool = page.frameLocator("#demo-pool");
  await pool.locator(".pool-explorer").waitFor();
  assert.equal(await pool.locator("#pool-heading").textContent(), translations("zh").get("pool.heading"));
  assert.equal(await pool.locator("html").getAttribute("data-theme"), "dark");
  assert.deepEqual(await pool.locator(".pool-output .cell").allTextContents(), ["3.25", "6.25", "5.75", "6.25"]);
  assert.equal(await pool.locator(".pool-mode").isVisible(), false);
  const draw = page.frameLocator("#demo-draw");
  await draw.locator(".draw-pad").waitFor();
  // Each frame ends up as tall as its widget (within a few pixels), whatever height it was given.
  for (const id of ["demo-padding", "demo-pool", "demo-draw"]) {
    const fits = (id) => {
      const f = document.getElementById(id);
      const root = f.contentDocument?.querySelector(".embed-root");
      if (!root || !f.dataset.convscopeHeight) return false;
      const content = root.getBoundingClientRect().bottom + 8;
      return Math.abs(parseInt(f.style.height, 10) - content) <= 3;
    };
    await page.waitForFunction(fits, id, { timeout: 10_000 });
  }
  const heights = await page.evaluate(() => ["demo-padding", "demo-pool", "demo-draw"].map((id) => document.getElementById(id).style.height));
  assert.notDeepEqual(heights, ["900px", "720px", "560px"]);
  await page.screenshot({ path: path.join(SCREENSHOTS, "embed-demo-1280x800.png"), fullPage: true });
  assert.deepEqual(problems(), []);
  await page.close();
});

test("every embed route renders its widget alone", async () => {
  assert.ok(SLUGS.length >= 14, SLUGS.join(","));
  for (const slug of SLUGS) {
    const { page, problems } = await watchedPage(site.browser.context);
    await page.goto(`${site.server.base}?lang=en#/embed/${slug}`);
    await page.waitForSelector(`.embed-root[data-widget="${slug}"] .widget`);
    assert.equal(await page.locator(".site-header, nav, .site-footer").count(), 0, slug);
    assert.equal(await page.locator(".embed-note").count(), 0, slug);
    assert.deepEqual(problems(), [], slug);
    await page.close();
  }
});

test("hide= hides the named controls and nothing else", async () => {
  const { page, problems } = await watchedPage(site.browser.context);
  await page.goto(`${site.server.base}?lang=en&hide=padding,stride,heading,player#/embed/conv`);
  await page.waitForSelector(".conv-explorer");
  assert.equal(await page.locator(".conv-padding").isVisible(), false);
  assert.equal(await page.locator(".conv-stride").isVisible(), false);
  assert.equal(await page.locator("#conv-heading").isVisible(), false);
  assert.equal(await page.locator(".conv-play").isVisible(), false);
  assert.equal(await page.locator(".conv-dilation").isVisible(), true);
  assert.equal(await page.locator(".conv-k").isVisible(), true);
  assert.deepEqual(problems(), []);
  await page.close();
});

test("the share link and the iframe snippet reproduce a non-default state", async () => {
  const { page, problems } = await watchedPage(site.browser.context);
  await page.goto(`${site.server.base}?lang=en#/convolution`);
  await page.waitForSelector(".conv-explorer");
  await page.selectOption(".conv-padding", "0");
  await page.selectOption(".conv-stride", "2");
  await page.selectOption(".conv-kernel-preset", "sobel_x");
  const want = await page.locator(".conv-output .cell").count();
  await page.click('.share-bar[data-widget="conv"] summary');
  await page.waitForFunction(() => document.querySelector('.share-bar[data-widget="conv"] .share-link').value !== "");
  const link = await page.inputValue('.share-bar[data-widget="conv"] .share-link');
  const snippet = await page.inputValue('.share-bar[data-widget="conv"] .share-snippet');
  assert.match(snippet, /^<iframe src="[^"]+#\/embed\/conv" title="convscope: conv" width="100%" height="900"/);
  assert.match(snippet, /<script src="[^"]+embed\.js" defer><\/script>$/);
  const other = await site.browser.context.newPage();
  await other.goto(link);
  await other.waitForSelector(".conv-explorer");
  assert.equal(await other.locator(".conv-output .cell").count(), want);
  assert.equal(await other.inputValue(".conv-stride"), "2");
  const src = /src="([^"]+)"/.exec(snippet)[1].replaceAll("&quot;", '"');
  await other.goto(src);
  await other.waitForSelector(".embed-root .conv-explorer");
  assert.equal(await other.locator(".conv-output .cell").count(), want);
  assert.equal(await other.inputValue(".conv-padding"), "0");
  await other.close();
  assert.deepEqual(problems(), []);
  await page.close();
});

test("bad embed addresses render a widget with a note, never a blank frame", async () => {
  for (const query of ["?lang=en#/embed/bogus", "?lang=en&conv=%7Bgarbage&hide=zzz,padding#/embed/conv", "?lang=xx&pool=[1,2]&theme=neon#/embed/pool"]) {
    const { page, problems } = await watchedPage(site.browser.context);
    await page.goto(`${site.server.base}${query}`);
    await page.waitForSelector(".embed-root .widget");
    assert.ok((await page.locator(".embed-note, .link-note").count()) >= 1, query);
    assert.deepEqual(problems(), [], query);
    await page.close();
  }
});

test("after one visit the app works offline", async () => {
  const { page, problems } = await watchedPage(site.browser.context);
  await page.goto(`${site.server.base}?lang=en#/mnist`);
  await page.waitForSelector(".draw-pad");
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  // The app is stored at install; the data when first used (nothing is fetched ahead): the
  // model the page shows, and the test set once the gallery's button loads it.
  await page.waitForFunction(() => document.querySelector(".model-source")?.textContent.includes("98.93"));
  await page.click(".gallery-load");
  await page.waitForSelector('.gallery .tile[data-index="1"]');
  await page.waitForFunction(async () => {
    const cache = await caches.open("convscope-v1");
    const keys = (await cache.keys()).map((r) => r.url);
    return (
      keys.some((u) => u.endsWith("_bg.wasm")) &&
      keys.some((u) => u.endsWith("t10k-images-idx3-ubyte.gz")) &&
      keys.some((u) => u.endsWith("net.safetensors"))
    );
  });
  const ahead = await page.evaluate(async () => {
    const keys = (await (await caches.open("convscope-v1")).keys()).map((r) => r.url);
    return keys.filter((u) => /resnet|inception|train-/.test(u));
  });
  assert.deepEqual(ahead, [], "models and data the page did not use are not fetched ahead");
  await site.browser.context.setOffline(true);
  try {
    await page.reload();
    await page.waitForSelector(".draw-pad");
    await page.waitForFunction(() => document.querySelector(".model-source")?.textContent.includes("98.93"));
    await page.click(".gallery-load");
    await page.click('.gallery .tile[data-index="1"]');
    await page.waitForFunction(() => document.querySelector(".draw-guess")?.dataset.guess === "2");
    await page.goto(`${site.server.base}?lang=en#/embed/pool`);
    await page.waitForSelector(".embed-root .pool-explorer");
  } finally {
    await site.browser.context.setOffline(false);
  }
  assert.deepEqual(problems(), []);
  await page.close();
});
