// Every share link reproduces its widget (issue 17, item 6): the shapes table, the layer
// builder, the gallery (page and digit), the depth experiment, the training settings and the
// chosen model are in the address; opening a widget's link in a fresh tab shows the same state.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useSite, watchedPage } from "./harness.mjs";

const site = useSite();

/** Opens the share bar of `widget` and returns its link. */
async function shareLink(page, widget) {
  await page.click(`.share-bar[data-widget="${widget}"] summary`);
  await page.waitForFunction(
    (w) => document.querySelector(`.share-bar[data-widget="${w}"] .share-link`)?.value !== "",
    widget,
  );
  return page.inputValue(`.share-bar[data-widget="${widget}"] .share-link`);
}

async function open(url, selector) {
  const watched = await watchedPage(site.browser.context);
  await watched.page.goto(url);
  await watched.page.waitForSelector(selector);
  return watched;
}

test("the shapes table, the gallery's page and digit, and the model come back from their links", async () => {
  const { page, problems } = await open(`${site.server.base}?lang=en#/mnist`, ".shape-checker");
  await page.locator(".shapes-side").fill("32");
  await page.locator(".shapes-side").dispatchEvent("input");
  await page.selectOption(".lab-model", "resnet");
  await page.click(".gallery-load");
  await page.click(".gallery-next");
  await page.click(".gallery-next");
  await page.click('.gallery .tile[data-index="85"]');
  await page.waitForFunction(() => document.querySelector('.gallery .tile[data-index="85"]')?.getAttribute("aria-pressed") === "true");
  const shapes = await shareLink(page, "shapes");
  const gallery = await shareLink(page, "gallery");
  assert.match(gallery, /model=resnet/);
  await page.close();

  const a = await open(shapes, ".shape-checker");
  assert.equal(await a.page.inputValue(".shapes-side"), "32");
  assert.match(await a.page.textContent(".shapes-side-value"), /32 × 32/);
  assert.deepEqual(a.problems(), []);
  await a.page.close();

  const b = await open(gallery, ".gallery");
  await b.page.waitForSelector('.gallery .tile[data-index="85"]');
  assert.match(await b.page.textContent(".gallery-page"), /3 \//);
  await b.page.waitForFunction(() => document.querySelector('.gallery .tile[data-index="85"]')?.getAttribute("aria-pressed") === "true");
  assert.equal(await b.page.inputValue(".lab-model"), "resnet");
  assert.deepEqual(b.problems(), []);
  assert.deepEqual(problems(), []);
  await b.page.close();
});

test("the depth experiment and the training settings come back from their links", async () => {
  const { page, problems } = await open(`${site.server.base}?lang=en#/deeper`, ".depth-view");
  await page.uncheck(".depth-skip");
  await page.selectOption(".depth-layers", "4");
  const depth = await shareLink(page, "depth");
  await page.goto(`${site.server.base}?lang=en#/train`);
  await page.waitForSelector(".train-panel");
  await page.selectOption(".train-optimizer", "adam");
  await page.fill(".train-lr", "0.002");
  await page.locator(".train-lr").dispatchEvent("change");
  await page.fill(".train-batch", "128");
  await page.locator(".train-batch").dispatchEvent("change");
  await page.selectOption(".train-model", "inception");
  const train = await shareLink(page, "train");
  await page.close();

  const a = await open(depth, ".depth-view");
  assert.equal(await a.page.isChecked(".depth-skip"), false);
  assert.equal(await a.page.inputValue(".depth-layers"), "4");
  assert.deepEqual(a.problems(), []);
  await a.page.close();

  const b = await open(train, ".train-panel");
  assert.equal(await b.page.inputValue(".train-optimizer"), "adam");
  assert.equal(await b.page.inputValue(".train-lr"), "0.002");
  assert.equal(await b.page.inputValue(".train-batch"), "128");
  assert.equal(await b.page.inputValue(".train-model"), "inception");
  assert.deepEqual(b.problems(), []);
  assert.deepEqual(problems(), []);
  await b.page.close();
});

test("the builder's layers and image size come back from its link", async () => {
  const { page, problems } = await open(`${site.server.base}?lang=en#/mnist`, ".layer-builder");
  await page.fill(".builder-side", "32");
  await page.locator(".builder-side").dispatchEvent("change");
  await page.click(".builder-add-relu");
  const rows = await page.locator(".builder-row").count();
  const total = await page.textContent(".builder-total");
  const link = await shareLink(page, "builder");
  await page.close();
  const a = await open(link, ".layer-builder");
  assert.equal(await a.page.inputValue(".builder-side"), "32");
  assert.equal(await a.page.locator(".builder-row").count(), rows);
  assert.equal(await a.page.textContent(".builder-total"), total);
  assert.deepEqual(a.problems(), []);
  assert.deepEqual(problems(), []);
  await a.page.close();
});

test("widgets that show the learner's own drawing or picture offer the snippet and no link", async () => {
  const { page, problems } = await open(`${site.server.base}?lang=en#/mnist`, ".draw-digit");
  for (const widget of ["draw", "why", "maps", "upload"]) {
    await page.click(`.share-bar[data-widget="${widget}"] summary`);
    assert.equal(await page.locator(`.share-bar[data-widget="${widget}"] .share-link`).count(), 0, widget);
    assert.equal(await page.locator(`.share-bar[data-widget="${widget}"] .share-no-link`).count(), 1, widget);
    // The snippet is written on the details' toggle event, a task after the click.
    await page.waitForFunction((w) => document.querySelector(`.share-bar[data-widget="${w}"] .share-snippet`)?.value !== "", widget);
    assert.match(await page.inputValue(`.share-bar[data-widget="${widget}"] .share-snippet`), /#\/embed\//);
  }
  // The others keep their link.
  assert.match(await shareLink(page, "eval"), /#\/mnist$/);
  assert.deepEqual(problems(), []);
  await page.close();
});
