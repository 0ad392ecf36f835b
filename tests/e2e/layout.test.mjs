// Layout that uses the screen (issue 15, item 5) and channels as volumes (item 3):
// - at 1280 × 800 an explorer's controls sit beside its visual, and the controls, input, kernel,
//   output and step controls all fit the screen once the widget's top is scrolled into view;
//   at 360 px everything stacks and nothing scrolls sideways;
// - long pages have an outline ("On this page"): in the sidebar on wide screens, a collapsible
//   list under the introduction on phones; it works by keyboard and jumps to each section
//   (the MNIST page's sections are reached without scrolling past those above);
// - the many-channel and 1×1 views draw the input as n slices and the kernel as a block, with
//   weight.shape labelled, for two settings each.
// Screenshots of the convolution, channels and MNIST pages, 1280 and 360 px, en and zh, light and
// dark, go to target/screenshots/layout-*.png.
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { SCREENSHOTS, useSite, watchedPage, translations } from "./harness.mjs";

const site = useSite();
const en = translations("en");
const zh = translations("zh");

const open = async (slug, { lang = "en", width = 1280, height = 800, theme = "", query = "" } = {}) => {
  const { page, problems } = await watchedPage(site.browser.context);
  await page.setViewportSize({ width, height });
  await page.goto(`${site.server.base}?lang=${lang}${theme ? `&theme=${theme}` : ""}${query}#/${slug}`);
  await page.waitForSelector("article.page .widget");
  return { page, problems };
};

/** Scrolls `selector`'s widget to the top (below the sticky bar, by its scroll margin). */
const scrollToWidget = (page, selector) =>
  page.evaluate((s) => document.querySelector(s).scrollIntoView(), selector);

/** The boxes of `selectors` (first match each) and the top bar's bottom, in viewport pixels. */
const boxes = (page, selectors) =>
  page.evaluate((list) => {
    const out = { bar: document.querySelector(".topbar").getBoundingClientRect().bottom };
    for (const s of list) {
      const el = document.querySelector(s);
      out[s] = el ? el.getBoundingClientRect().toJSON() : null;
    }
    return out;
  }, selectors);

const state = (key, value) => `&${key}=${encodeURIComponent(JSON.stringify(value))}`;
const digits = (n) => Array.from({ length: n }, (_, i) => (i * 7) % 10);
const CONV_PARTS = [".conv-explorer .explorer-controls", ".conv-input", ".conv-kernel", ".conv-output", ".conv-explorer .stepper"];
const generic = (w) => [`${w} .explorer-controls`, `${w} .explorer-visual`];

// Every explorer, at its default settings and at the largest the controls allow (set through
// the address: the biggest input, kernel, padding, dilation, channel counts). Each case's screen
// goes to target/screenshots/layout-fit-<case>-1280x800.png and its widget at 360 px to
// layout-fit-<case>-360.png.
const EXPLORERS = [
  { slug: "convolution", widget: ".conv-explorer", parts: CONV_PARTS },
  {
    slug: "convolution",
    label: "convolution, 16 × 16 input, 7 × 7 kernel, padding 3",
    query: state("conv", { n: 16, input: digits(256), k: 7, kernel: digits(49), padding: 3, stride: 1, dilation: 1 }),
    widget: ".conv-explorer",
    parts: CONV_PARTS,
  },
  {
    slug: "convolution",
    label: "convolution, 16 × 16 input, 7 × 7 kernel, dilation 2",
    query: state("conv", { n: 16, input: digits(256), k: 7, kernel: digits(49), padding: 0, stride: 1, dilation: 2 }),
    widget: ".conv-explorer",
    parts: CONV_PARTS,
  },
  { slug: "padding-stride", widget: ".conv-explorer", parts: CONV_PARTS },
  {
    slug: "padding-stride",
    label: "padding & stride, 16 × 16 input, padding 3, stride 1",
    query: state("conv", { n: 16, input: digits(256), k: 3, kernel: digits(9), padding: 3, stride: 1, dilation: 1 }),
    widget: ".conv-explorer",
    parts: CONV_PARTS,
  },
  {
    slug: "pooling",
    widget: ".pool-explorer",
    parts: [".pool-explorer .explorer-controls", ".pool-grids", ".pool-explorer .stepper"],
  },
  {
    slug: "pooling",
    label: "pooling, 8 × 8 input, 3 channels, stride 1, backward",
    query: state("pool", { max: true, kernel: 2, stride: 1, input: "random8", channels: 3, backward: true }),
    widget: ".pool-explorer",
    parts: [".pool-explorer .explorer-controls", ".pool-grids", ".pool-explorer .stepper"],
  },
  {
    slug: "channels",
    widget: ".channels-explorer",
    parts: [
      ".channels-explorer .explorer-controls",
      ".channels-explorer .volume",
      ".channel-row:nth-child(1) .channel-grids",
      ".channel-row:nth-child(2) .channel-grids",
      ".channel-row:nth-child(3) .channel-grids",
    ],
  },
  {
    slug: "channels",
    label: "many channels, 4 in, 8 out, 5 × 5 kernel, padding 2",
    query: state("channels", { cin: 4, cout: 8, k: 5, padding: 2, depthwise: false, at: [0, 0, 0] }),
    widget: ".channels-explorer",
    parts: [
      ".channels-explorer .explorer-controls",
      ".channels-explorer .volume",
      ".channel-row:nth-child(1) .channel-grids",
      ".channel-row:nth-child(2) .channel-grids",
      ".channel-row:nth-child(3) .channel-grids",
    ],
  },
  { slug: "deeper", widget: ".pointwise", parts: generic(".pointwise") },
  {
    slug: "deeper",
    label: "1×1, 4 kernels",
    query: state("pointwise", { cout: 4, step: 0 }),
    widget: ".pointwise",
    parts: generic(".pointwise"),
  },
  { slug: "convolution", widget: ".conv-backward", parts: generic(".conv-backward") },
  {
    slug: "convolution",
    label: "backward, padding 2, stride 2",
    query: state("backward", { padding: 2, stride: 2, ones: false, step: 0 }),
    widget: ".conv-backward",
    parts: generic(".conv-backward"),
  },
  { slug: "convolution", widget: ".transpose-explorer", parts: generic(".transpose-explorer") },
  {
    slug: "convolution",
    label: "transposed, 4 × 4 input, 4 × 4 kernel, stride 3, dilation 2",
    query: state("transpose", { input: 4, k: 4, stride: 3, padding: 0, output_padding: 2, dilation: 2, ones: false, step: 0 }),
    widget: ".transpose-explorer",
    parts: generic(".transpose-explorer"),
  },
];

/** A file name for a case's screenshots. */
const shotName = (label) => label.replace(/[^a-z0-9]+/gi, "-").replace(/^-|-$/g, "").toLowerCase();

for (const { slug, widget, parts, query = "", label = `${slug} ${widget}` } of EXPLORERS) {
  test(`${label}: at 1280 × 800 the explorer's controls sit beside its visual and all of it fits one screen`, async () => {
    const { page, problems } = await open(slug, { query });
    await page.waitForSelector(parts[parts.length - 1]);
    await scrollToWidget(page, widget);
    const b = await boxes(page, [...parts, `${widget} .explorer-visual`]);
    const notes = await page.$$eval(".link-note", (els) => els.map((e) => e.textContent));
    assert.deepEqual(notes, [], "the settings are taken as they are");
    await page.screenshot({ path: path.join(SCREENSHOTS, `layout-fit-${shotName(label)}-1280x800.png`) });
    console.log(`# ${label} 1280×800: ${parts.map((p) => `${p} ${Math.round(b[p].top)}–${Math.round(b[p].bottom)}`).join("; ")}`);
    for (const p of parts) {
      assert.ok(b[p], `${p} is drawn`);
      assert.ok(b[p].top >= b.bar - 1 && b[p].bottom <= 800 + 0.5, `${p} fits the screen: ${JSON.stringify(b[p])}, bar ${b.bar}`);
      assert.ok(b[p].left >= 0 && b[p].right <= 1280, `${p} fits across: ${JSON.stringify(b[p])}`);
    }
    const controls = b[parts[0]];
    const visual = b[`${widget} .explorer-visual`];
    assert.ok(controls.right <= visual.left, `controls beside the visual: ${controls.right} ≤ ${visual.left}`);
    assert.ok(controls.width <= 300, `a compact column of controls: ${controls.width}`);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= 1280, `page width ${wide}`);
    assert.deepEqual(problems(), []);
    await page.close();
  });

  test(`${label}: at 360 px the explorer stacks (controls above the visual) and nothing scrolls sideways`, async () => {
    const { page, problems } = await open(slug, { width: 360, height: 740, query });
    await page.waitForSelector(parts[parts.length - 1]);
    const b = await boxes(page, [parts[0], `${widget} .explorer-visual`]);
    assert.ok(b[parts[0]].bottom <= b[`${widget} .explorer-visual`].top + 0.5, JSON.stringify(b));
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= 360, `page width ${wide}`);
    await page.locator(widget).screenshot({ path: path.join(SCREENSHOTS, `layout-fit-${shotName(label)}-360.png`) });
    assert.deepEqual(problems(), []);
    await page.close();
  });
}

// Large inputs stay legible: in the 22 × 22 padded input the cells give their numbers up for
// colour (each keeps its value in its title and label, and the status line under the grids says
// the value under the pointer), a focused cell pops up at full size with its number, and the
// 5 × 5 default keeps its numbers.
test("a 22 × 22 padded input: colour-only cells keep their values (title, focus, the status line), the 5 × 5 default shows numbers", async () => {
  const big = EXPLORERS[1];
  const { page, problems } = await open(big.slug, { query: big.query });
  await page.waitForSelector(".conv-input .cell");
  const look = (sel) =>
    page.$eval(sel, (el) => {
      const s = getComputedStyle(el);
      const r = el.getBoundingClientRect();
      return { font: parseFloat(s.fontSize), width: r.width, title: el.title, value: el.value ?? el.textContent };
    });
  const cell = '.conv-input [data-row="2"][data-col="3"]';
  let c = await look(cell);
  assert.equal(c.font, 0, "numbers give way to colour in small cells");
  assert.ok(c.width < 16, `a small cell: ${c.width}`);
  assert.equal(c.title, `x[2, 3] = ${c.value}`);
  await page.focus(cell);
  c = await look(cell);
  assert.ok(c.font > 10 && c.width >= 36, `the focused cell pops up with its number: ${JSON.stringify(c)}`);
  const out = await look('.conv-output [data-row="0"][data-col="0"]');
  assert.match(out.title, /^out\[0, 0\] = \d+$/);
  // The status line under the grids says the value under the pointer: an input cell's, a
  // padding cell's 0, a computed output's (one not yet computed: "?").
  const status = () => page.textContent(".conv-explorer .grid-status");
  await page.hover('.conv-input [data-row="5"][data-col="6"]');
  const x56 = await page.getAttribute('.conv-input [data-row="5"][data-col="6"]', "title");
  await page.waitForFunction((t) => document.querySelector(".conv-explorer .grid-status").textContent === t, x56);
  await page.hover('.conv-input [data-py="0"][data-px="0"]');
  assert.equal(await status(), en.get("fit.pad_cell"));
  await page.hover('.conv-output [data-row="0"][data-col="0"]');
  await page.waitForFunction(() => document.querySelector(".conv-explorer .grid-status").textContent.startsWith("out[0, 0] = "));
  assert.equal(await status(), out.title);
  await page.hover('.conv-output [data-row="3"][data-col="3"]');
  await page.waitForFunction(() => document.querySelector(".conv-explorer .grid-status").textContent === "out[3, 3] = ?");
  await page.close();
  const small = await open("convolution");
  await small.page.waitForSelector(".conv-input .cell");
  const d = await small.page.$eval('.conv-input [data-row="2"][data-col="3"]', (el) => parseFloat(getComputedStyle(el).fontSize));
  assert.ok(d > 10, `the default's numbers show: ${d}`);
  assert.deepEqual(problems(), []);
  assert.deepEqual(small.problems(), []);
  await small.page.close();
});

test("screenshots: every explorer at its largest settings, en and zh, light and dark, 1280 and 360 px", async () => {
  for (const { slug, widget, parts, query = "", label } of EXPLORERS.filter((e) => e.query)) {
    for (const [width, height, lang, theme] of [[1280, 800, "zh", "dark"], [1280, 800, "en", "dark"], [360, 740, "zh", "light"], [360, 740, "en", "dark"]]) {
      const { page, problems } = await open(slug, { lang, theme, width, height, query });
      await page.waitForSelector(parts[parts.length - 1]);
      const file = path.join(SCREENSHOTS, `layout-fit-${shotName(label)}-${lang}-${theme}-${width}.png`);
      if (width > 1000) {
        await scrollToWidget(page, widget);
        await page.screenshot({ path: file });
      } else {
        await page.locator(widget).screenshot({ path: file });
      }
      assert.deepEqual(problems(), [], `${label} ${lang} ${theme} ${width}`);
      await page.close();
    }
  }
});

// Every long page's outline entry finds its section, titled as the section's heading.
const LONG = { convolution: 4, mnist: 9, deeper: 4, train: 5 };
for (const [slug, count] of Object.entries(LONG)) {
  test(`#/${slug}: the outline lists the page's ${count} sections, each entry finds its heading`, async () => {
    const { page, problems } = await open(slug);
    await page.waitForSelector("footer.site-footer");
    const entries = await page.locator(".nav-outline a").evaluateAll((links) =>
      links.map((a) => {
        const h = document.getElementById(a.dataset.section);
        return { text: a.textContent, heading: h?.textContent ?? null, href: a.getAttribute("href") };
      }),
    );
    assert.equal(entries.length, count, JSON.stringify(entries));
    for (const e of entries) {
      assert.equal(e.text, e.heading, JSON.stringify(e));
      assert.match(e.href, new RegExp(`^#/${slug}/[a-z]+$`));
    }
    assert.deepEqual(problems(), []);
    await page.close();
  });
}

test("pages of one or two widgets have no outline", async () => {
  const { page, problems } = await open("channels");
  await page.waitForSelector("footer.site-footer");
  assert.equal(await page.locator(".nav-outline, .page-outline").count(), 0);
  assert.deepEqual(problems(), []);
  await page.close();
});

test("the outline works by keyboard: Tab from the page's link reaches it, Enter jumps to the section and focuses its heading", async () => {
  const { page, problems } = await open("convolution");
  await page.waitForSelector("footer.site-footer");
  await page.focus(".chapters a.current");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  const focused = await page.evaluate(() => document.activeElement.dataset.section);
  assert.equal(focused, "backward-heading");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.activeElement?.id === "backward-heading");
  const b = await boxes(page, [".conv-backward"]);
  assert.ok(Math.abs(b[".conv-backward"].top - b.bar) < 40, `the section starts below the bar: ${JSON.stringify(b)}`);
  // The entry of the section on screen is marked.
  await page.waitForFunction(() => document.querySelector(".nav-outline a.here")?.dataset.section === "backward-heading");
  assert.equal(await page.getAttribute(".nav-outline a.here", "aria-current"), "location");
  assert.match(page.url(), /#\/convolution\/backward$/, "the address names the section");
  assert.deepEqual(problems(), []);
  await page.close();
});

test("MNIST: each section is reached from the outline without scrolling (1280 px sidebar, 360 px 'On this page', zh)", async () => {
  {
    const { page, problems } = await open("mnist");
    await page.waitForSelector("footer.site-footer");
    for (const id of ["builder-heading", "gallery-heading", "eval-heading"]) {
      await page.click(`.nav-outline a[data-section="${id}"]`);
      const r = await page.evaluate((id) => {
        const w = document.getElementById(id).closest(".widget").getBoundingClientRect();
        return { top: w.top, bar: document.querySelector(".topbar").getBoundingClientRect().bottom, focus: document.activeElement.id };
      }, id);
      assert.ok(r.top >= r.bar - 1 && r.top < r.bar + 40, `${id} at the top of the screen: ${JSON.stringify(r)}`);
      assert.equal(r.focus, id);
    }
    assert.deepEqual(problems(), []);
    await page.close();
  }
  {
    const { page, problems } = await open("mnist", { lang: "zh", width: 360, height: 740 });
    await page.waitForSelector("footer.site-footer");
    assert.equal(await page.isVisible(".nav-outline"), false);
    const summary = page.locator(".page-outline summary");
    assert.equal(await summary.textContent(), zh.get("outline.label"));
    await summary.click();
    const entry = page.locator('.page-outline a[data-section="shapes-heading"]');
    assert.equal(await entry.textContent(), zh.get("shapes.heading"));
    await entry.click();
    const r = await page.evaluate(() => {
      const w = document.querySelector(".shape-checker, #shapes-heading").getBoundingClientRect();
      return { top: w.top, bottom: innerHeight };
    });
    assert.ok(r.top >= 0 && r.top < 120, `the shapes section at the top: ${JSON.stringify(r)}`);
    assert.deepEqual(problems(), []);
    await page.close();
  }
});

test("a section's address (#/mnist/builder) opens the page at that section", async () => {
  const { page, problems } = await open("mnist/builder");
  await page.waitForSelector("footer.site-footer");
  await page.waitForFunction(() => document.activeElement?.id === "builder-heading");
  // The widgets above it may still grow (the lab's maps arrive later); the page keeps the
  // section at the top meanwhile.
  await page
    .waitForFunction(() => {
      const top = document.querySelector(".layer-builder, #builder-heading").getBoundingClientRect().top;
      const bar = document.querySelector(".topbar").getBoundingClientRect().bottom;
      return top >= bar - 1 && top < bar + 40;
    }, null, { timeout: 5000 })
    .catch(() => {});
  const r = await page.evaluate(() => ({
    top: document.querySelector(".layer-builder, #builder-heading").getBoundingClientRect().top,
    bar: document.querySelector(".topbar").getBoundingClientRect().bottom,
    scrolled: scrollY,
  }));
  assert.ok(r.scrolled > 1000 && r.top >= r.bar - 1 && r.top < r.bar + 40, JSON.stringify(r));
  assert.equal(await page.textContent("h1"), en.get("page.mnist.title"));
  assert.deepEqual(problems(), []);
  await page.close();
});

/** The volume's slices per figure and its weight.shape label. */
const volume = (page, widget) =>
  page.evaluate((w) => {
    const root = document.querySelector(`${w} .volume`);
    const count = (s) => root.querySelectorAll(`${s} .volume-slice`).length;
    return {
      input: count(".volume-input"),
      kernel: count(".volume-kernel"),
      output: count(".volume-output"),
      label: root.querySelector(".volume-weight-shape").textContent,
      current: root.querySelectorAll(".volume-output .volume-cell.current").length,
    };
  }, widget);

test("channels: the input is n slices, the kernel an n × k × k block, weight.shape labelled (two settings, and depthwise)", async () => {
  const { page, problems } = await open("channels");
  await page.waitForSelector(".channels-explorer .volume");
  let v = await volume(page, ".channels-explorer");
  assert.deepEqual(v, { input: 3, kernel: 3, output: 2, label: "weight.shape = (2, 3, 3, 3)", current: 1 });
  assert.match(await page.textContent(".channels-shapes"), /weight\.shape \(2, 3, 3, 3\)/);
  await page.selectOption(".channels-cin", "2");
  await page.selectOption(".channels-cout", "6");
  await page.selectOption(".channels-k", "5");
  await page.waitForFunction(() => document.querySelector(".volume-weight-shape")?.textContent.includes("(6, 2, 5, 5)"));
  v = await volume(page, ".channels-explorer");
  assert.deepEqual(v, { input: 2, kernel: 2, output: 6, label: "weight.shape = (6, 2, 5, 5)", current: 1 });
  await page.click(".channels-depthwise");
  await page.waitForFunction(() => document.querySelector(".volume-weight-shape")?.textContent.includes("(6, 1, 5, 5)"));
  v = await volume(page, ".channels-explorer");
  assert.deepEqual(v, { input: 2, kernel: 1, output: 6, label: "weight.shape = (6, 1, 5, 5)", current: 1 });
  // The numbers stay: choosing an output value by keyboard still works and moves the volume's mark.
  await page.click('.channels-explorer [data-at="0-0-0"]');
  await page.keyboard.press("ArrowRight");
  await page.waitForFunction(() => document.activeElement?.dataset.at === "1-0-0");
  const chosen = await page.evaluate(() =>
    [...document.querySelectorAll(".volume-output .volume-slice")].findIndex((s) => s.querySelector(".volume-cell.current")),
  );
  assert.equal(chosen, 1);
  assert.deepEqual(problems(), []);
  await page.close();
});

test("1×1 view: three slices, a 3 × 1 × 1 block per kernel, weight.shape (m, 3, 1, 1) for m = 2 and 4", async () => {
  const { page, problems } = await open("deeper");
  await page.waitForSelector(".pointwise .volume");
  let v = await volume(page, ".pointwise");
  assert.deepEqual(v, { input: 3, kernel: 3, output: 2, label: "weight.shape = (2, 3, 1, 1)", current: 2 });
  await page.selectOption(".pointwise-cout", "4");
  await page.waitForFunction(() => document.querySelector(".pointwise .volume-weight-shape")?.textContent.includes("(4, 3, 1, 1)"));
  v = await volume(page, ".pointwise");
  assert.deepEqual(v, { input: 3, kernel: 3, output: 4, label: "weight.shape = (4, 3, 1, 1)", current: 4 });
  assert.deepEqual(problems(), []);
  await page.close();
});

test("screenshots: convolution, channels and MNIST at 1280 and 360 px, en and zh, light and dark", async () => {
  const views = [
    ["convolution", ".conv-explorer"],
    ["channels", ".channels-explorer"],
    ["mnist", null],
  ];
  for (const [slug, widget] of views) {
    for (const [width, height] of [[1280, 800], [360, 740]]) {
      for (const lang of ["en", "zh"]) {
        for (const theme of ["light", "dark"]) {
          const { page, problems } = await open(slug, { lang, width, height, theme });
          await page.waitForSelector("footer.site-footer");
          if (widget && width > 1000) await scrollToWidget(page, widget);
          if (!widget && width < 1000) await page.click(".page-outline summary");
          await page.screenshot({ path: path.join(SCREENSHOTS, `layout-${slug}-${lang}-${theme}-${width}x${height}.png`) });
          if (widget && width < 1000) {
            await page.locator(widget).screenshot({ path: path.join(SCREENSHOTS, `layout-${slug}-widget-${lang}-${theme}-${width}.png`) });
          }
          assert.deepEqual(problems(), [], `${slug} ${lang} ${theme} ${width}`);
          await page.close();
        }
      }
    }
  }
  assert.ok(en.get("outline.label") && zh.get("outline.label"));
});
