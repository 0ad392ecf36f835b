// Classroom quizzes: a teacher builds one in the convolution explorer's share bar (ticks, cell,
// locks) and copies its link; the learner's page has the locked controls disabled, checks
// answers with the core's exact numbers (the lesson's 5 × 5 input, kernel 1…9, padding 1:
// output 5 × 5, the value at (1, 2) is 295, 9 parameters, a 3 × 3 field) and keeps the score;
// answers typed on the Chinese page (５×５) count the same; the embed demo page receives exactly
// the documented events and shows a running score.
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { SCREENSHOTS, useSite, watchedPage, translations } from "./harness.mjs";

const site = useSite();
const en = translations("en");
const zh = translations("zh");
const bar = '.share-bar[data-widget="conv"]';

/** Types `text` into question `q`'s field and checks it with the Enter key or the button. */
async function answer(frame, q, text, { enter = false } = {}) {
  const item = frame.locator(`.quiz-question[data-question="${q}"]`);
  await item.locator(".quiz-answer").fill(text);
  if (enter) await item.locator(".quiz-answer").press("Enter");
  else await item.locator(".quiz-check").click();
  await item.locator(".quiz-verdict").waitFor();
  return {
    result: await item.locator(".quiz-verdict").getAttribute("data-result"),
    verdict: await item.locator(".quiz-verdict").textContent(),
    working: (await item.locator(".quiz-working code").count()) ? await item.locator(".quiz-working code").textContent() : null,
  };
}

/** Builds the lesson's padding-1 quiz as a teacher; returns its link and snippet. */
async function teacherQuiz(page) {
  await page.goto(`${site.server.base}?lang=en#/convolution`);
  await page.waitForSelector(".conv-explorer");
  await page.selectOption(".conv-padding", "1");
  await page.click(`${bar} > summary`);
  await page.click(`${bar} .quiz-maker > summary`);
  for (const q of ["value", "params", "rf"]) await page.check(`${bar} .quiz-ask[data-question="${q}"]`);
  assert.equal(await page.isChecked(`${bar} .quiz-ask[data-question="size"]`), true, "output size is ticked from the start");
  await page.fill(`${bar} .quiz-cell-row`, "1");
  await page.press(`${bar} .quiz-cell-row`, "Tab");
  await page.fill(`${bar} .quiz-cell-col`, "2");
  await page.press(`${bar} .quiz-cell-col`, "Tab");
  await page.check(`${bar} .quiz-lock[data-control-name="padding"]`);
  await page.check(`${bar} .quiz-lock[data-control-name="stride"]`);
  const link = await page.inputValue(`${bar} .quiz-link`);
  const snippet = await page.inputValue(`${bar} .quiz-snippet`);
  return { link, snippet };
}

test("a teacher builds a quiz; the learner answers with exact numbers and sees the score", async () => {
  const { page, problems } = await watchedPage(site.browser.context);
  await page.setViewportSize({ width: 1280, height: 900 });
  const { link, snippet } = await teacherQuiz(page);
  assert.match(link, /\?conv=%7B[^&]*%22padding%22%3A1[^&]*&lang=en&/, "the explorer's own state only");
  assert.match(link, /&lang=en&quiz=size,value,params,rf&cell=1,2&lock=padding,stride#\/embed\/conv$/);
  assert.match(snippet, /^<iframe src="[^"]+&quiz=size,value,params,rf&cell=1,2&lock=padding,stride#\/embed\/conv" title="convscope quiz: conv" width="100%" height="1320"/);
  assert.match(snippet, /<script src="[^"]+embed\.js" defer><\/script>$/);
  await page.locator(`${bar} .quiz-maker`).screenshot({ path: path.join(SCREENSHOTS, "quiz-maker-1280.png") });
  // Unticking every question leaves nothing to copy.
  await page.uncheck(`${bar} .quiz-ask[data-question="size"]`);
  for (const q of ["value", "params", "rf"]) await page.uncheck(`${bar} .quiz-ask[data-question="${q}"]`);
  assert.equal(await page.locator(`${bar} .quiz-none`).textContent(), en.get("quiz.none"));
  assert.equal(await page.isDisabled(`${bar} .quiz-copy-link`), true);
  await page.close();

  const learner = await watchedPage(site.browser.context);
  const p = learner.page;
  await p.addInitScript(() => {
    window.__quizEvents = [];
    window.addEventListener("message", (e) => e.data?.type === "convscope:event" && window.__quizEvents.push(e.data));
  });
  await p.goto(link);
  await p.waitForSelector(".embed-root .quiz-panel");
  // Locked: disabled, marked, listed; the code line too (it could set the padding); the rest not.
  await p.waitForFunction(() => document.querySelector(".conv-padding")?.disabled);
  assert.equal(await p.isDisabled(".conv-padding"), true);
  assert.equal(await p.isDisabled(".conv-stride"), true);
  assert.equal(await p.isDisabled(".conv-code-edit"), true);
  assert.equal(await p.isDisabled(".conv-dilation"), false);
  assert.equal(await p.isDisabled(".conv-k"), false);
  assert.equal(await p.inputValue(".conv-padding"), "1");
  assert.equal(await p.getAttribute('[data-control="padding"] > span', "data-locked-mark"), en.get("quiz.locked_mark"));
  assert.equal(await p.locator('[data-control="dilation"] [data-locked-mark]').count(), 0);
  assert.equal(await p.textContent(".quiz-locked-note"), `${en.get("quiz.locked")} ${en.get("conv.padding")}, ${en.get("conv.stride")}`);
  assert.deepEqual(await p.locator(".quiz-question").evaluateAll((els) => els.map((e) => e.dataset.question)), ["size", "value", "params", "rf"]);
  assert.equal(
    await p.textContent('.quiz-question[data-question="value"] label'),
    en.get("quiz.q.value").replace("{row}", "1").replace("{col}", "2"),
  );
  assert.equal(await p.textContent(".quiz-score-value"), "0 / 4");
  // The asked-about output (1, 2) and the output size stay "?" until answered, also when
  // stepped to; the explorer still steps.
  const out12 = () => p.locator('.conv-explorer [data-grid="output"] .cell').nth(1 * 5 + 2).textContent();
  await p.click(".conv-last");
  assert.equal(await out12(), "?");
  assert.match(await p.locator('.conv-explorer [data-grid="output"] .cell').nth(1 * 5 + 3).textContent(), /^\d+$/);
  assert.match(await p.textContent(".conv-formula"), /= \?$/);
  // Not a number: said so, not scored.
  assert.deepEqual(await answer(p, "size", "five"), { result: "unreadable", verdict: en.get("quiz.unreadable"), working: null });
  assert.equal(await p.textContent(".quiz-score-value"), "0 / 4");
  assert.deepEqual(await answer(p, "size", "5 × 5"), { result: "right", verdict: "Right.", working: "⌊(5 + 2·1 − 1·(3 − 1) − 1) / 1⌋ + 1 = 5" });
  assert.deepEqual(await answer(p, "value", "290"), {
    result: "wrong",
    verdict: "Not quite: the answer is 295.",
    working: "4·1 + 6·2 + 5·3 + 4·4 + 6·5 + 8·6 + 6·7 + 7·8 + 8·9 = 295",
  });
  assert.equal(await out12(), "295");
  assert.match(await p.textContent(".conv-formula"), /= 5$/);
  assert.equal(await p.textContent(".quiz-score-value"), "1 / 4");
  assert.deepEqual(await answer(p, "params", "10", { enter: true }), { result: "wrong", verdict: "Not quite: the answer is 9.", working: "1·1·3·3 = 9" });
  assert.deepEqual(await answer(p, "params", "9", { enter: true }), { result: "right", verdict: "Right.", working: "1·1·3·3 = 9" });
  assert.deepEqual(await answer(p, "rf", "3x3"), { result: "right", verdict: "Right.", working: "1 + 1·(3 − 1) = 3" });
  assert.equal(await p.textContent(".quiz-score-value"), "3 / 4");
  assert.equal(await p.textContent(".quiz-done"), en.get("quiz.done"));
  // An unlocked control still works, and the answers follow it: kernel 1 × 1 gives a 7 × 7 output.
  await p.selectOption(".conv-k", "1");
  assert.deepEqual(await answer(p, "size", "5 × 5"), { result: "wrong", verdict: "Not quite: the answer is 7 × 7.", working: "⌊(5 + 2·1 − 1·(1 − 1) − 1) / 1⌋ + 1 = 7" });
  assert.equal(await p.textContent(".quiz-score-value"), "2 / 4");
  // A page that is not in a frame sends nothing.
  assert.deepEqual(await p.evaluate(() => window.__quizEvents), []);
  await p.screenshot({ path: path.join(SCREENSHOTS, "quiz-learner-1280.png"), fullPage: true });
  assert.deepEqual([...problems(), ...learner.problems()], []);
  await p.close();
});

test("the quiz in Chinese and dark, at 1280 and 360 px: the same numbers count", async () => {
  const { page } = await watchedPage(site.browser.context);
  const { link } = await teacherQuiz(page);
  await page.close();
  for (const [lang, theme, width] of [
    ["en", "light", 360],
    ["en", "dark", 1280],
    ["zh", "light", 1280],
    ["zh", "dark", 360],
  ]) {
    const { page: p, problems } = await watchedPage(site.browser.context);
    await p.setViewportSize({ width, height: 800 });
    await p.goto(link.replace("&lang=en&", `&lang=${lang}&theme=${theme}&`));
    await p.waitForSelector(".embed-root .quiz-panel");
    const t = lang === "zh" ? zh : en;
    assert.equal(await p.textContent("#quiz-heading"), t.get("quiz.heading"));
    assert.deepEqual(await answer(p, "size", lang === "zh" ? "５×５" : "5x5"), {
      result: "right",
      verdict: t.get("quiz.right"),
      working: "⌊(5 + 2·1 − 1·(3 − 1) − 1) / 1⌋ + 1 = 5",
    });
    const wrong = await answer(p, "value", lang === "zh" ? "２９０" : "290");
    assert.equal(wrong.verdict, t.get("quiz.wrong").replace("{answer}", "295"));
    assert.equal(await p.textContent(".quiz-score-value"), "1 / 4");
    if (lang === "zh") assert.equal(await p.textContent(".quiz-locked-note"), `${zh.get("quiz.locked")} ${zh.get("conv.padding")}、${zh.get("conv.stride")}`);
    // Nothing sticks out at 360 px.
    const overflow = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${lang} ${theme} ${width}: ${overflow}px wider than the window`);
    await p.locator(".quiz-panel").scrollIntoViewIfNeeded();
    await p.screenshot({ path: path.join(SCREENSHOTS, `quiz-${lang}-${theme}-${width}.png`), fullPage: true });
    assert.deepEqual(problems(), [], `${lang} ${theme} ${width}`);
    await p.close();
  }
});

test("the embed demo's quiz posts exactly the documented events and the page keeps the score", async () => {
  const { page, problems } = await watchedPage(site.browser.context);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.addInitScript(() => {
    window.__quizEvents = [];
    window.addEventListener("message", (e) => e.data?.type === "convscope:event" && window.__quizEvents.push(e.data));
  });
  await page.goto(`${site.server.base}embed-demo.html`);
  await page.locator("#demo-quiz").scrollIntoViewIfNeeded();
  const quiz = page.frameLocator("#demo-quiz");
  await quiz.locator(".quiz-panel").waitFor();
  await page.waitForFunction(() => document.getElementById("demo-quiz").contentDocument?.querySelector(".conv-padding")?.disabled);
  assert.equal(await quiz.locator(".conv-stride").isDisabled(), true);
  assert.equal(await page.textContent("#quiz-score-value"), "0 / 0");
  assert.equal((await answer(quiz, "size", "5 × 5")).result, "right");
  assert.equal(await page.textContent("#quiz-score-value"), "1 / 1");
  // The cell is (0, 0): its window's first row and column are padding, 3·5 + 4·6 + 2·8 + 4·9 = 91.
  assert.deepEqual(await answer(quiz, "value", "90"), {
    result: "wrong",
    verdict: "Not quite: the answer is 91.",
    working: "0·1 + 0·2 + 0·3 + 0·4 + 3·5 + 4·6 + 0·7 + 2·8 + 4·9 = 91",
  });
  assert.equal((await answer(quiz, "params", "9")).result, "right");
  assert.equal((await answer(quiz, "rf", "3")).result, "right");
  await page.waitForFunction(() => window.__quizEvents.length === 5);
  assert.deepEqual(await page.evaluate(() => window.__quizEvents), [
    { type: "convscope:event", event: "answered", correct: true, question: "size" },
    { type: "convscope:event", event: "answered", correct: false, question: "value" },
    { type: "convscope:event", event: "answered", correct: true, question: "params" },
    { type: "convscope:event", event: "answered", correct: true, question: "rf" },
    { type: "convscope:event", event: "completed", correct: 3, question: 4 },
  ]);
  assert.equal(await page.textContent("#quiz-score-value"), "3 / 4");
  assert.equal(await page.textContent("#quiz-finished"), "(finished: 3 of 4 right at the first full try)");
  // Answering again sends "answered" only.
  assert.equal((await answer(quiz, "value", "91")).result, "right");
  await page.waitForFunction(() => window.__quizEvents.length === 6);
  assert.deepEqual(await page.evaluate(() => window.__quizEvents[5]), { type: "convscope:event", event: "answered", correct: true, question: "value" });
  assert.equal(await page.textContent("#quiz-score-value"), "4 / 4");
  await page.locator("#quiz-score").scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(SCREENSHOTS, "quiz-embed-demo-1280.png") });
  assert.deepEqual(problems(), []);
  await page.close();
});

test("pooling and many-channel quizzes: the teacher's panel in Chinese at 360 px, and exact answers", async () => {
  const { page, problems } = await watchedPage(site.browser.context);
  await page.setViewportSize({ width: 360, height: 800 });
  await page.goto(`${site.server.base}?lang=zh&theme=dark#/pooling`);
  await page.waitForSelector(".pool-explorer");
  const pool = '.share-bar[data-widget="pool"]';
  await page.click(`${pool} > summary`);
  await page.click(`${pool} .quiz-maker > summary`);
  assert.deepEqual(await page.locator(`${pool} .quiz-ask`).evaluateAll((els) => els.map((e) => e.dataset.question)), ["size", "value", "params", "rf"]);
  assert.deepEqual(
    await page.locator(`${pool} .quiz-lock + span`).allTextContents(),
    ["pool.mode", "pool.kernel", "pool.stride", "pool.input", "pool.channels"].map((k) => zh.get(k)),
  );
  await page.check(`${pool} .quiz-ask[data-question="value"]`);
  await page.check(`${pool} .quiz-lock[data-control-name="window"]`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `${overflow}px wider than the window`);
  await page.locator(`${pool} .quiz-maker`).screenshot({ path: path.join(SCREENSHOTS, "quiz-maker-zh-dark-360.png") });
  const link = await page.inputValue(`${pool} .quiz-link`);
  assert.match(link, /\?pool=%7B[^&]*&theme=dark&lang=zh&quiz=size,value&cell=0,0&lock=window#\/embed\/pool$/);
  await page.close();

  // The lesson's 4 × 4 with MaxPool2d(2): [[4, 8], [9, 8]].
  const { page: p, problems: more } = await watchedPage(site.browser.context);
  await p.goto(`${site.server.base}?lang=en&quiz=size,value,params,rf&cell=1,0&lock=window,mode#/embed/pool`);
  await p.waitForSelector(".quiz-panel");
  await p.waitForFunction(() => document.querySelector(".pool-kernel")?.disabled && document.querySelector(".pool-mode")?.disabled);
  assert.equal(await p.isDisabled(".pool-stride"), false);
  // The asked-about output (1, 0) and the size stay "?" until answered.
  const pout = () => p.locator('.pool-explorer [data-grid="output"] .cell').nth(2).textContent();
  assert.equal(await pout(), "?");
  assert.match(await p.locator('.pool-explorer [data-grid="output"] .cell').nth(0).textContent(), /^\d+$/);
  assert.equal((await answer(p, "size", "2 x 2")).working, "⌊(4 + 2·0 − 1·(2 − 1) − 1) / 2⌋ + 1 = 2");
  const value = await answer(p, "value", "9");
  assert.equal(value.result, "right");
  assert.equal(await pout(), "9");
  assert.match(value.working, /^max\(\d, \d, \d, \d\) = 9$/);
  assert.deepEqual(await answer(p, "params", "4"), { result: "wrong", verdict: "Not quite: the answer is 0.", working: "0" });
  assert.equal((await answer(p, "rf", "2")).result, "right");
  assert.equal(await p.textContent(".quiz-score-value"), "3 / 4");
  // The many-channel explorer's default: Conv2d(3, 2, 3) on 5 × 5 → 3 × 3, 2·3·3·3 + 2 = 56.
  await p.goto("about:blank");
  await p.goto(`${site.server.base}?lang=en&quiz=size,params,rf&lock=cin,k#/embed/channels`);
  await p.waitForSelector(".quiz-panel");
  await p.waitForFunction(() => document.querySelector(".channels-cin")?.disabled);
  assert.equal(await p.isDisabled(".channels-cout"), false);
  assert.equal((await answer(p, "size", "3×3")).result, "right");
  assert.deepEqual(await answer(p, "params", "54"), { result: "wrong", verdict: "Not quite: the answer is 56.", working: "2·3·3·3 + 2 = 56" });
  await p.selectOption(".channels-cout", "4");
  assert.deepEqual(await answer(p, "params", "112"), { result: "right", verdict: "Right.", working: "4·3·3·3 + 4 = 112" });
  assert.equal(await p.textContent(".quiz-score-value"), "2 / 3");
  // Its value question (first output channel, the explorer's RGB picture and weights; PyTorch's
  // F.conv2d gives −1 at (1, 0): channel sums 1, 3, −5 and bias 0).
  await p.goto("about:blank");
  await p.goto(`${site.server.base}?lang=en&quiz=value&cell=1,0#/embed/channels`);
  await p.waitForSelector(".quiz-panel");
  assert.deepEqual(await answer(p, "value", "-1"), { result: "right", verdict: "Right.", working: "1 + 3 + -5 + 0 = -1" });
  assert.deepEqual([...problems(), ...more()], []);
  await p.close();
});

test("a transposed-convolution quiz: PyTorch's output size, one output value and the weights, exact", async () => {
  // Golden from PyTorch: x = arange(1, 10).reshape(1, 1, 3, 3), ConvTranspose2d(1, 1, 3, stride=2,
  // padding=1, output_padding=1, bias=False) with weight arange(1, 10): shape [1, 1, 6, 6],
  // out[1, 1] = 40, out[5, 3] = 135; 9 parameters.
  const { page, problems } = await watchedPage(site.browser.context);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${site.server.base}?lang=en#/convolution`);
  await page.waitForSelector(".transpose-explorer");
  await page.selectOption(".transpose-size", "3");
  await page.selectOption(".transpose-k", "3");
  await page.selectOption(".transpose-padding", "1");
  await page.selectOption(".transpose-output-padding", "1");
  const tb = '.share-bar[data-widget="transpose"]';
  await page.click(`${tb} > summary`);
  await page.click(`${tb} .quiz-maker > summary`);
  assert.deepEqual(await page.locator(`${tb} .quiz-ask`).evaluateAll((els) => els.map((e) => e.dataset.question)), ["size", "value", "params"]);
  assert.deepEqual(
    await page.locator(`${tb} .quiz-lock + span`).allTextContents(),
    ["transpose.size", "conv.kernel_size", "transpose.kernel_values", "conv.stride", "conv.padding", "transpose.output_padding", "conv.dilation"].map((k) => en.get(k)),
  );
  for (const q of ["value", "params"]) await page.check(`${tb} .quiz-ask[data-question="${q}"]`);
  await page.fill(`${tb} .quiz-cell-row`, "1");
  await page.press(`${tb} .quiz-cell-row`, "Tab");
  await page.fill(`${tb} .quiz-cell-col`, "1");
  await page.press(`${tb} .quiz-cell-col`, "Tab");
  await page.check(`${tb} .quiz-lock[data-control-name="output-padding"]`);
  await page.check(`${tb} .quiz-lock[data-control-name="padding"]`);
  const link = await page.inputValue(`${tb} .quiz-link`);
  assert.match(link, /\?transpose=%7B[^&]*&lang=en&quiz=size,value,params&cell=1,1&lock=padding,output-padding#\/embed\/transpose$/);
  await page.close();

  const learner = await watchedPage(site.browser.context);
  const p = learner.page;
  await p.goto(link);
  await p.waitForSelector(".embed-root .quiz-panel");
  await p.waitForFunction(() => document.querySelector(".transpose-output-padding")?.disabled);
  assert.equal(await p.isDisabled(".transpose-padding"), true);
  assert.equal(await p.isDisabled(".transpose-stride"), false);
  // Nothing gives the answers away: the asked-about cell (in the output and in the equal
  // gradient) and the output size print "?" until answered; stepping still works.
  const cell = (grid) => p.locator(`.transpose-explorer [data-grid="${grid}"] .cell`).nth(1 * 6 + 1).textContent();
  assert.equal(await cell("out"), "?");
  assert.equal(await cell("grad"), "?");
  assert.match(await p.textContent(".transpose-formula code"), /\+ 1 = \?$/);
  assert.match(await p.textContent(".transpose-code"), /# \?$/);
  await p.click(".transpose-last");
  assert.equal(await cell("out"), "?");
  assert.equal(await p.locator('.transpose-explorer [data-grid="out"] .cell').nth(5 * 6 + 3).textContent(), "135");
  assert.deepEqual(await answer(p, "size", "6 × 6"), { result: "right", verdict: "Right.", working: "(3 − 1)·2 − 2·1 + 1·(3 − 1) + 1 + 1 = 6" });
  assert.deepEqual(await answer(p, "value", "36"), {
    result: "wrong",
    verdict: "Not quite: the answer is 40.",
    working: "1·9 + 2·7 + 4·3 + 5·1 = 40",
  });
  // Answered (even wrongly): shown.
  assert.match(await p.textContent(".transpose-formula code"), /\+ 1 = 6$/);
  assert.match(await p.textContent(".transpose-code"), /# torch\.Size\(\[1, 1, 6, 6\]\)$/);
  assert.equal(await cell("out"), "40");
  assert.equal(await cell("grad"), "40");
  assert.deepEqual(await answer(p, "params", "9"), { result: "right", verdict: "Right.", working: "1·1·3·3 = 9" });
  assert.equal(await p.textContent(".quiz-score-value"), "2 / 3");
  // Stride is not locked: stride 3 gives (3 − 1)·3 − 2·1 + 1·(3 − 1) + 1 + 1 = 8 × 8.
  await p.selectOption(".transpose-stride", "3");
  assert.equal((await answer(p, "size", "6")).verdict, "Not quite: the answer is 8 × 8.");
  await p.screenshot({ path: path.join(SCREENSHOTS, "quiz-transpose-1280.png"), fullPage: true });
  assert.deepEqual([...problems(), ...learner.problems()], []);
  await p.close();
});

test("a 1×1-convolution quiz: output size, one pixel's value in output channel 0 and the weights, exact", async () => {
  // Golden from PyTorch: the explorer's 4 × 4 RGB picture through Conv2d(3, 3, 1, bias=False)
  // with its weights: shape [1, 3, 4, 4], out[0, 0, 1, 1] = 0.3·9 + 0.6·1 + 0.1·1 = 3.4; 9 weights.
  const { page, problems } = await watchedPage(site.browser.context);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${site.server.base}?lang=en#/deeper`);
  await page.waitForSelector(".pointwise .conv-grids");
  await page.selectOption(".pointwise-cout", "3");
  await page.focus(".pointwise .conv-grids");
  for (let i = 0; i < 5; i++) await page.keyboard.press("ArrowRight");
  const pb = '.share-bar[data-widget="pointwise"]';
  await page.click(`${pb} > summary`);
  await page.click(`${pb} .quiz-maker > summary`);
  assert.deepEqual(await page.locator(`${pb} .quiz-ask`).evaluateAll((els) => els.map((e) => e.dataset.question)), ["size", "value", "params"]);
  assert.deepEqual(await page.locator(`${pb} .quiz-lock + span`).allTextContents(), [en.get("channels.cout")]);
  for (const q of ["value", "params"]) await page.check(`${pb} .quiz-ask[data-question="${q}"]`);
  // The value question starts at the pixel shown (step 5: row 1, column 1).
  assert.equal(await page.inputValue(`${pb} .quiz-cell-row`), "1");
  assert.equal(await page.inputValue(`${pb} .quiz-cell-col`), "1");
  await page.check(`${pb} .quiz-lock[data-control-name="cout"]`);
  const link = await page.inputValue(`${pb} .quiz-link`);
  assert.match(link, /\?pointwise=%7B[^&]*&lang=en&quiz=size,value,params&cell=1,1&lock=cout#\/embed\/pointwise$/);
  await page.close();

  const learner = await watchedPage(site.browser.context);
  const p = learner.page;
  await p.goto(link);
  await p.waitForSelector(".embed-root .quiz-panel");
  await p.waitForFunction(() => document.querySelector(".pointwise-cout")?.disabled);
  // The asked-about value (output channel 0 at (1, 1)) prints "?" until answered; other channels show.
  const out = (o) => p.locator(".pointwise-out").nth(o).locator(".cell").nth(1 * 4 + 1).textContent();
  assert.equal(await out(0), "?");
  assert.equal(await out(1), "8");
  assert.match(await p.textContent(".pointwise-narration"), /^out\[0, 1, 1\] = 0\.3·9 \+ 0\.6·1 \+ 0\.1·1 = \?; /);
  assert.equal((await answer(p, "size", "4 × 4")).result, "right");
  assert.deepEqual(await answer(p, "value", "3.5"), {
    result: "wrong",
    verdict: "Not quite: the answer is 3.4.",
    working: "0.3·9 + 0.6·1 + 0.1·1 = 3.4",
  });
  assert.equal(await out(0), "3.4");
  assert.deepEqual(await answer(p, "params", "9"), { result: "right", verdict: "Right.", working: "3·3 = 9" });
  assert.equal(await p.textContent(".quiz-score-value"), "2 / 3");
  assert.deepEqual(await answer(p, "value", "3.4", { enter: true }), { result: "right", verdict: "Right.", working: "0.3·9 + 0.6·1 + 0.1·1 = 3.4" });
  await p.screenshot({ path: path.join(SCREENSHOTS, "quiz-pointwise-1280.png"), fullPage: true });
  assert.deepEqual([...problems(), ...learner.problems()], []);
  await p.close();
});

test("a backward quiz: the size and one value of ∂L/∂X, one value of ∂L/∂W, exact (PyTorch golden)", async () => {
  // Golden from PyTorch (tests/fixtures/make_backward_quiz.py): the lesson's 5 × 5 input, weight
  // 1…9, F.conv2d(x, w, padding=1, stride=2), upstream gradient [-1, 1, 0, -1, 1, 0, -1, 1, 0]:
  // x.grad[1, 3] = 12, w.grad[1, 0] = 17 (w.grad = [11, -1, 3, 17, 11, 0, 11, -1, 3]); 9 weights.
  const { page, problems } = await watchedPage(site.browser.context);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${site.server.base}?lang=en#/convolution`);
  await page.waitForSelector(".conv-backward");
  await page.selectOption(".backward-padding", "1");
  await page.selectOption(".backward-stride", "2");
  await page.selectOption(".backward-dy", "mixed");
  const bb = '.share-bar[data-widget="backward"]';
  await page.click(`${bb} > summary`);
  await page.click(`${bb} .quiz-maker > summary`);
  assert.deepEqual(await page.locator(`${bb} .quiz-ask`).evaluateAll((els) => els.map((e) => e.dataset.question)), ["size", "value", "dw", "params", "rf"]);
  assert.deepEqual(await page.locator(`${bb} .quiz-ask + span`).allTextContents(), ["quiz.t.dx_size", "quiz.t.dx", "quiz.t.dw", "quiz.t.params", "quiz.t.rf"].map((k) => en.get(k)));
  assert.deepEqual(await page.locator(`${bb} .quiz-lock + span`).allTextContents(), ["conv.padding", "conv.stride", "backward.dy_preset"].map((k) => en.get(k)));
  for (const q of ["value", "dw", "params", "rf"]) await page.check(`${bb} .quiz-ask[data-question="${q}"]`);
  for (const [field, v] of [["quiz-cell-row", "1"], ["quiz-cell-col", "3"], ["quiz-wcell-row", "1"], ["quiz-wcell-col", "0"]]) {
    await page.fill(`${bb} .${field}`, v);
    await page.press(`${bb} .${field}`, "Tab");
  }
  for (const c of ["padding", "stride", "dy"]) await page.check(`${bb} .quiz-lock[data-control-name="${c}"]`);
  const link = await page.inputValue(`${bb} .quiz-link`);
  assert.match(link, /\?backward=%7B[^&]*&lang=en&quiz=size,value,dw,params,rf&cell=1,3&wcell=1,0&lock=padding,stride,dy#\/embed\/backward$/);
  await page.close();

  const learner = await watchedPage(site.browser.context);
  const p = learner.page;
  await p.goto(link);
  await p.waitForSelector(".embed-root .quiz-panel");
  await p.waitForFunction(() => document.querySelector(".backward-dy")?.disabled);
  for (const c of [".backward-padding", ".backward-stride"]) assert.equal(await p.isDisabled(c), true);
  assert.equal(await p.inputValue(".backward-padding"), "1");
  assert.equal(await p.inputValue(".backward-dy"), "mixed");
  assert.equal(
    await p.textContent('.quiz-question[data-question="dw"] label'),
    en.get("quiz.q.dw").replace("{row}", "1").replace("{col}", "0"),
  );
  // The asked-about cells print "?" at every position and in the final ∂L/∂W line.
  const dx13 = () => p.locator('.conv-backward [data-grid="dx"] .cell').nth(1 * 5 + 3).textContent();
  const dw10 = () => p.locator('.conv-backward [data-grid="dw"] .cell').nth(1 * 3 + 0).textContent();
  assert.equal(await dx13(), "?");
  assert.equal(await dw10(), "?");
  await p.click(".backward-last");
  assert.equal(await dx13(), "?");
  assert.equal(await dw10(), "?");
  assert.equal(await p.locator('.conv-backward [data-grid="dx"] .cell').nth(1 * 5 + 2).textContent(), "10");
  assert.match(await p.textContent(".backward-final"), /11, -1, 3, \?, 11, 0, 11, -1, 3$/);
  assert.equal((await p.locator(".conv-backward").innerText()).includes("17"), false, "∂L/∂W[1, 0] = 17 appears nowhere");
  assert.deepEqual(await answer(p, "size", "5 × 5"), { result: "right", verdict: "Right.", working: "shape(∂L/∂X) = shape(X) = 5 × 5" });
  assert.deepEqual(await answer(p, "value", "12"), { result: "right", verdict: "Right.", working: "1·9 + 0·7 + 1·3 + 0·1 = 12" });
  assert.equal(await dx13(), "12");
  assert.deepEqual(await answer(p, "dw", "16"), {
    result: "wrong",
    verdict: "Not quite: the answer is 17.",
    working: "1·4 + 0·5 + 1·6 + 0·8 + 1·7 + 0·4 = 17",
  });
  assert.equal(await dw10(), "17");
  assert.match(await p.textContent(".backward-final"), /11, -1, 3, 17, 11, 0, 11, -1, 3$/);
  assert.deepEqual(await answer(p, "params", "9"), { result: "right", verdict: "Right.", working: "1·1·3·3 = 9" });
  assert.deepEqual(await answer(p, "rf", "3 × 3"), { result: "right", verdict: "Right.", working: "1 + 1·(3 − 1) = 3" });
  assert.equal(await p.textContent(".quiz-score-value"), "4 / 5");
  await p.screenshot({ path: path.join(SCREENSHOTS, "quiz-backward-1280.png"), fullPage: true });
  // Chinese, dark, 360 px: the same question texts from zh, nothing wider than the window.
  await p.goto("about:blank");
  await p.setViewportSize({ width: 360, height: 800 });
  await p.goto(link.replace("lang=en", "lang=zh").replace("#/embed", "&theme=dark#/embed"));
  await p.waitForSelector(".embed-root .quiz-panel");
  assert.equal(await p.textContent('.quiz-question[data-question="value"] label'), zh.get("quiz.q.dx").replace("{row}", "1").replace("{col}", "3"));
  assert.deepEqual(await answer(p, "dw", "１７"), { result: "right", verdict: zh.get("quiz.right"), working: "1·4 + 0·5 + 1·6 + 0·8 + 1·7 + 0·4 = 17" });
  const overflow = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `${overflow}px wider than the window`);
  await p.screenshot({ path: path.join(SCREENSHOTS, "quiz-backward-zh-dark-360.png"), fullPage: true });
  assert.deepEqual([...problems(), ...learner.problems()], []);
  await p.close();
});

test("a backward quiz about a cell outside its grid names the cell, the grid (X or W) and its size, in English and Chinese", async () => {
  for (const [lang, table] of [["en", en], ["zh", zh]]) {
    const { page, problems } = await watchedPage(site.browser.context);
    await page.goto(`${site.server.base}?lang=${lang}&quiz=value,dw&cell=5,0&wcell=1,3#/embed/backward`);
    await page.waitForSelector(".embed-root .quiz-panel");
    const outside = (key, [row, col], [h, w]) =>
      table.get(key).replace("{row}", row).replace("{col}", col).replace("{h}", h).replace("{w}", w);
    assert.deepEqual(await answer(page, "value", "1"), { result: "none", verdict: outside("quiz.outside_dx", [5, 0], [5, 5]), working: null });
    assert.deepEqual(await answer(page, "dw", "1"), { result: "none", verdict: outside("quiz.outside_dw", [1, 3], [3, 3]), working: null });
    if (lang === "en") {
      assert.equal(await page.textContent('.quiz-question[data-question="value"] .quiz-verdict'), "The cell (5, 0) is outside the 5 × 5 input X (∂L/∂X has its shape).");
      assert.equal(await page.textContent('.quiz-question[data-question="dw"] .quiz-verdict'), "The cell (1, 3) is outside the 3 × 3 kernel W (∂L/∂W has its shape).");
    }
    assert.equal(await page.textContent(".quiz-score-value"), "0 / 2");
    assert.deepEqual(problems(), []);
    await page.close();
  }
});

/** The widget's whole text as shown, with every <details> in it opened (code boxes too). */
async function shownText(page, selector) {
  return page.evaluate((sel) => {
    const root = document.querySelector(sel);
    for (const d of root.querySelectorAll("details")) d.open = true;
    const labels = [...root.querySelectorAll("[aria-label]")].map((e) => e.getAttribute("aria-label"));
    return `${root.innerText}\n${labels.join("\n")}`;
  }, selector);
}

test("nothing on the page gives an unanswered question away: many-channel, convolution, pooling, 1×1", async () => {
  const { page: p, problems } = await watchedPage(site.browser.context);
  await p.setViewportSize({ width: 1280, height: 900 });
  // Many channels, the default Conv2d(3, 2, 3) on 5 × 5: output (1, 2, 3, 3), weight.shape
  // (2, 3, 3, 3), 56 parameters, out[0, 0, 1, 0] = −1 (PyTorch F.conv2d, as above).
  await p.goto(`${site.server.base}?lang=en&quiz=size,value,params&cell=1,0#/embed/channels`);
  await p.waitForSelector(".quiz-panel");
  await p.click('.channels-explorer [data-at="0-1-0"]');
  const ch = () => shownText(p, ".channels-explorer");
  // (56 itself is printed nowhere: weight.shape is the figure that gives it away.)
  const leaks = { size: ["1, 2, 3, 3"], params: ["2, 3, 3, 3"], value: ["out[0, 0, 1, 0] = -1"] };
  let text = await ch();
  for (const [q, strings] of Object.entries(leaks)) for (const s of [...strings, "56"]) assert.equal(text.includes(s), false, `${q}: "${s}" shows before the answer`);
  assert.match(text, /output \(1, 2, \?, \?\) · weight\.shape \?/);
  assert.match(text, /print\(output\.shape\)\s+# \?\nprint\(conv\.weight\.shape\)\s+# \?/);
  assert.match(text, /weight\.shape = \?/);
  assert.equal(await p.locator('.channels-explorer [data-at="0-1-0"]').textContent(), "?");
  assert.match(await p.textContent(".channels-sums"), /= \?$/);
  for (const [q, typed] of [["size", "3 × 3"], ["params", "56"], ["value", "-1"]]) {
    assert.equal((await answer(p, q, typed)).result, "right");
    text = await ch();
    for (const s of leaks[q]) assert.ok(text.includes(s), `${q}: "${s}" shows after the answer`);
  }
  assert.match(text, /print\(output\.shape\)\s+# torch\.Size\(\[1, 2, 3, 3\]\)\nprint\(conv\.weight\.shape\)\s+# torch\.Size\(\[2, 3, 3, 3\]\)/);
  assert.equal(await p.locator('.channels-explorer [data-at="0-1-0"]').textContent(), "-1");
  await p.screenshot({ path: path.join(SCREENSHOTS, "quiz-channels-1280.png"), fullPage: true });

  // Convolution (padding 1: output 5 × 5, 9 weights): the code box's printed shapes wait.
  await p.goto("about:blank");
  await p.goto(`${site.server.base}?lang=en&conv=${encodeURIComponent('{"padding":1}')}&quiz=size,params#/embed/conv`);
  await p.waitForSelector(".quiz-panel");
  text = await shownText(p, ".conv-explorer");
  assert.match(text, /print\(output\.shape\)\s+# \?\nprint\(conv\.weight\.shape\)\s+# \?/);
  assert.equal(text.includes("torch.Size([1, 1, 3, 3])"), false);
  assert.equal((await answer(p, "params", "9")).result, "right");
  text = await shownText(p, ".conv-explorer");
  assert.match(text, /print\(output\.shape\)\s+# \?\nprint\(conv\.weight\.shape\)\s+# torch\.Size\(\[1, 1, 3, 3\]\)/);
  assert.equal((await answer(p, "size", "5 × 5")).result, "right");
  assert.match(await shownText(p, ".conv-explorer"), /print\(output\.shape\)\s+# torch\.Size\(\[1, 1, 5, 5\]\)/);

  // Pooling (the lesson's 4 × 4, MaxPool2d(2), out[1, 0] = 9): the narration at the asked cell
  // and the code box's output shape wait.
  await p.goto("about:blank");
  await p.goto(`${site.server.base}?lang=en&quiz=size,value&cell=1,0#/embed/pool`);
  await p.waitForSelector(".quiz-panel");
  await p.click('.pool-explorer [data-grid="output"] [data-i="2"]');
  assert.match(await p.textContent(".pool-narration"), /^out\[1, 0\] = max\(\d, \d, \d, \d\) = \?/);
  assert.match(await shownText(p, ".pool-explorer"), /print\(output\.shape\)\s+# \?/);
  assert.equal((await answer(p, "value", "9")).result, "right");
  assert.match(await p.textContent(".pool-narration"), /^out\[1, 0\] = max\(\d, \d, \d, \d\) = 9/);
  assert.equal((await answer(p, "size", "2 × 2")).result, "right");
  assert.match(await shownText(p, ".pool-explorer"), /print\(output\.shape\)\s+# torch\.Size\(\[1, 1, 2, 2\]\)/);

  // 1×1 (2 output channels: 4 × 4 output, 6 weights): the shapes line, the count (6 per pixel)
  // and weight.shape wait.
  await p.goto("about:blank");
  await p.goto(`${site.server.base}?lang=en&quiz=size,params#/embed/pointwise`);
  await p.waitForSelector(".quiz-panel");
  text = await shownText(p, ".pointwise");
  // (The code's `.view(2, 3, 1, 1)` that sets the weights stays: it is a setting, like the controls.)
  const pw = ["(1, 2, 4, 4)", "weight.shape = (2, 3, 1, 1)", "96"];
  for (const s of pw) assert.equal(text.includes(s), false, `"${s}" shows before the answer`);
  assert.match(text, /print\(out\.shape\)\s+# \?/);
  assert.equal((await answer(p, "size", "4 × 4")).result, "right");
  assert.equal((await answer(p, "params", "6")).result, "right");
  text = await shownText(p, ".pointwise");
  for (const s of pw) assert.ok(text.includes(s), `"${s}" shows after the answer`);
  assert.deepEqual(problems(), []);
  await p.close();
});
