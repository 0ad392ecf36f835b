// Home's first screen (issue 15 item 1): a live convolution over a real MNIST digit, above the
// fold at 1280 × 800 and on a phone, at least 300 px wide, linked to the Convolution chapter;
// still under prefers-reduced-motion, with a Pause button; each chapter card has a picture.
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { SCREENSHOTS, useSite, watchedPage, translations } from "./harness.mjs";

const site = useSite();
const ZH = translations("zh");

async function open(lang, viewport, theme = "light", reducedMotion = "no-preference") {
  const { page, problems } = await watchedPage(site.browser.context);
  await page.setViewportSize(viewport);
  await page.emulateMedia({ reducedMotion });
  await page.goto(`${site.server.base}?lang=${lang}&theme=${theme}#/`);
  await page.waitForSelector(".home-hero .hero-canvas");
  return { page, problems };
}

for (const [lang, viewport, theme] of [
  ["en", { width: 1280, height: 800 }, "light"],
  ["zh", { width: 360, height: 740 }, "dark"],
  ["en", { width: 360, height: 740 }, "light"],
  ["zh", { width: 1280, height: 800 }, "dark"],
]) {
  test(`the live convolution is above the fold and moves (${lang}, ${viewport.width} px, ${theme})`, async () => {
    const { page, problems } = await open(lang, viewport, theme);
    const box = await page.locator(".hero-panels").boundingBox();
    assert.ok(box.width >= 300, `the picture is ${box.width} px wide`);
    assert.ok(box.y + box.height <= viewport.height, `the picture ends at ${box.y + box.height} px, below the fold`);
    const first = await page.textContent(".hero-value");
    assert.match(first, /^out\[\d+, \d+\] = -?\d+(\.\d+)?$/);
    await page.waitForFunction((f) => document.querySelector(".hero-value").textContent !== f, first);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow} px`);
    assert.equal(await page.locator(".toc li .toc-icon").count(), await page.locator(".toc li").count());
    if (lang === "zh") assert.equal(await page.textContent(".hero-cta"), ZH.get("hero.open"));
    await page.screenshot({ path: path.join(SCREENSHOTS, `home-hero-${lang}-${theme}-${viewport.width}.png`) });
    assert.deepEqual(problems(), []);
    await page.close();
  });
}

test("reduced motion starts still on the finished map; Pause and Play from the keyboard; the picture opens the chapter", async () => {
  const { page, problems } = await open("en", { width: 1280, height: 800 }, "light", "reduce");
  assert.equal(await page.textContent(".hero-value"), "out[25, 25] = 0");
  await page.waitForTimeout(300);
  assert.equal(await page.textContent(".hero-value"), "out[25, 25] = 0");
  assert.equal(await page.getAttribute(".hero-play", "aria-pressed"), "false");
  await page.focus(".hero-play");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.querySelector(".hero-value").textContent !== "out[25, 25] = 0");
  await page.keyboard.press("Enter");
  const paused = await page.textContent(".hero-value");
  await page.waitForTimeout(300);
  assert.equal(await page.textContent(".hero-value"), paused);
  await page.focus(".hero-link");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => location.hash === "#/convolution");
  assert.deepEqual(problems(), []);
  await page.close();
});
