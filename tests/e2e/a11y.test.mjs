// Accessibility: axe-core 4 (npm) on every route of the app and every embed route, in English and
// Chinese, light and dark. No violation of impact "serious" or "critical" is allowed, nor any of
// the "moderate"/"minor" rules the app once broke (content outside landmarks, empty table
// headers). One browser tab per combination: the app's routes are visited by changing the
// fragment (as a learner following the chapter links would), the embed routes by loading each.
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { readFileSync } from "node:fs";
import { ROOT, useSite, watchedPage, routes } from "./harness.mjs";

const AXE = readFileSync(path.join(ROOT, "node_modules", "axe-core", "axe.min.js"), "utf8");
const ROUTES = routes();
const EMBEDS = [...readFileSync(path.join(ROOT, "src/embed.rs"), "utf8").matchAll(/WidgetId::\w+ => "([a-z]+)",/g)].map((m) => m[1]);
const COMBOS = [
  { lang: "en", theme: "light" },
  { lang: "en", theme: "dark" },
  { lang: "zh", theme: "light" },
  { lang: "zh", theme: "dark" },
];
/** Rules checked at every impact, besides every serious or critical violation. */
const ALSO = new Set(["region", "empty-table-header"]);
const site = useSite();

/** Runs axe on the page as it is now; returns the violations that count, as readable lines. */
async function audit(page, where) {
  if (!(await page.evaluate(() => typeof window.axe === "object"))) await page.addScriptTag({ content: AXE });
  // Let pending renders (charts, async model loads) settle.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ["violations", "incomplete"] });
    // axe leaves an aria-label on a role-less element with text as "needs review": count it too.
    const unsure = result.incomplete.filter((v) => v.id === "aria-prohibited-attr");
    return [...result.violations, ...unsure].map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(" "), summary: n.failureSummary })),
    }));
  });
  const lines = [];
  for (const v of violations) {
    if (v.impact !== "serious" && v.impact !== "critical" && !ALSO.has(v.id)) continue;
    lines.push(`${where}: [${v.impact}] ${v.id}: ${v.help} (${v.nodes.length} node${v.nodes.length === 1 ? "" : "s"})`);
    for (const n of v.nodes.slice(0, 8)) {
      lines.push(`    ${n.target}\n      ${String(n.summary).replace(/\n/g, "\n      ")}`);
    }
    if (v.nodes.length > 8) lines.push(`    … and ${v.nodes.length - 8} more`);
  }
  return lines;
}

for (const { lang, theme } of COMBOS) {
  test(`axe finds no serious or critical violation on any route (${lang}, ${theme})`, async () => {
    const { page, problems } = await watchedPage(site.browser.context);
    const found = [];
    await page.goto(`${site.server.base}?lang=${lang}&theme=${theme}#/`);
    await page.waitForSelector("main h1");
    assert.equal(await page.getAttribute("html", "data-theme"), theme);
    for (const route of ROUTES) {
      const h1 = await page.textContent("main h1");
      await page.evaluate((slug) => (location.hash = `#/${slug}`), route.slug);
      if (route.slug) await page.waitForFunction((old) => document.querySelector("main h1")?.textContent !== old, h1);
      await page.waitForSelector("main h1");
      found.push(...(await audit(page, `#/${route.slug} (${lang}, ${theme})`)));
    }
    await page.close();
    assert.deepEqual(problems(), []);
    assert.equal(found.length, 0, `axe violations:\n${found.join("\n")}`);
  });
}

// The embed routes repeat the chapters' widgets without the app's shell: checked in two of the
// combinations (each loads the app afresh).
for (const { lang, theme } of [COMBOS[0], COMBOS[3]]) {
  test(`axe finds no serious or critical violation on any embed route (${lang}, ${theme})`, async () => {
    const { page, problems } = await watchedPage(site.browser.context);
    const found = [];
    for (const slug of EMBEDS) {
      // Only the fragment differs from the last address, and an embed loads once: start afresh.
      await page.goto("about:blank");
      await page.goto(`${site.server.base}?lang=${lang}&theme=${theme}#/embed/${slug}`);
      await page.waitForSelector(`.embed-root[data-widget="${slug}"] .widget`);
      found.push(...(await audit(page, `embed/${slug} (${lang}, ${theme})`)));
    }
    await page.close();
    assert.deepEqual(problems(), []);
    assert.equal(found.length, 0, `axe violations:\n${found.join("\n")}`);
  });
}

// A classroom quiz (the quiz panel under an embedded explorer, locked controls, answers checked
// right and wrong), in two of the combinations.
for (const { lang, theme } of [COMBOS[1], COMBOS[2]]) {
  test(`axe finds no serious or critical violation on a quiz (${lang}, ${theme})`, async () => {
    const { page, problems } = await watchedPage(site.browser.context);
    await page.goto(`${site.server.base}?lang=${lang}&theme=${theme}&quiz=size,value,params,rf&lock=padding,stride#/embed/conv`);
    await page.waitForSelector(".quiz-panel");
    await page.waitForFunction(() => document.querySelector(".conv-padding")?.disabled);
    await page.fill('.quiz-question[data-question="size"] .quiz-answer', "3 × 3");
    await page.click('.quiz-question[data-question="size"] .quiz-check');
    await page.fill('.quiz-question[data-question="params"] .quiz-answer', "8");
    await page.click('.quiz-question[data-question="params"] .quiz-check');
    await page.click('.quiz-question[data-question="rf"] .quiz-check');
    await page.waitForSelector('.quiz-question[data-question="rf"] .quiz-verdict');
    const found = await audit(page, `quiz (${lang}, ${theme})`);
    await page.close();
    assert.deepEqual(problems(), []);
    assert.equal(found.length, 0, `axe violations:\n${found.join("\n")}`);
  });
}
