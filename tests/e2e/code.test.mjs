// Code drives the widgets (issue 16 item 1): typing or pasting a layer into the convolution and
// pooling explorers' code line sets them; what they cannot take names the argument and the
// range, in the page's language; the explorers' settings write the line back.
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { SCREENSHOTS, useSite, watchedPage, translations } from "./harness.mjs";

const site = useSite();
const ZH = translations("zh");

async function open(route, lang = "en", viewport) {
  const { page, problems } = await watchedPage(site.browser.context);
  if (viewport) await page.setViewportSize(viewport);
  await page.goto(`${site.server.base}?lang=${lang}#/${route}`);
  return { page, problems };
}

test("a Conv2d typed or pasted sets the convolution explorer; out-of-range arguments are named", async () => {
  const { page, problems } = await open("convolution");
  await page.waitForSelector(".conv-explorer .pytorch-code summary");
  await page.click(".conv-explorer .pytorch-code summary");
  const edit = page.locator(".conv-code-edit");
  assert.equal(await edit.inputValue(), "nn.Conv2d(1, 1, kernel_size=3, stride=1, padding=0, dilation=1, bias=False)");
  await edit.fill("nn.Conv2d(1, 1, kernel_size=(3, 3), stride=2, padding=1)");
  assert.equal(await page.inputValue(".conv-stride"), "2");
  assert.equal(await page.inputValue(".conv-padding"), "1");
  assert.match(await page.textContent(".conv-code"), /kernel_size=3, stride=2, padding=1, dilation=1/);
  assert.equal(await page.textContent(".conv-explorer .code-error"), "");
  // Out of range: the message names the argument and the range; the explorer keeps its state.
  await edit.fill("conv = torch.nn.Conv2d(1, 1, 3, stride=9)");
  assert.equal(await page.textContent(".conv-explorer .code-error"), "stride = 9: this explorer takes 1 to 4");
  assert.equal(await edit.getAttribute("aria-invalid"), "true");
  assert.equal(await page.inputValue(".conv-stride"), "2");
  await edit.fill("nn.Conv2d(3, 8, kernel_size=3)");
  assert.equal(await page.textContent(".conv-explorer .code-error"), "in_channels = 3: this explorer takes 1 to 1");
  // 'same' with a 5-tap kernel at dilation 2 pads 4: past this explorer's 3, so nothing changes.
  await edit.fill("nn.Conv2d(1, 1, kernel_size=5, dilation=2, padding='same')");
  assert.equal(await page.textContent(".conv-explorer .code-error"), "padding = 4: this explorer takes 0 to 3");
  assert.equal(await page.inputValue(".conv-k"), "3");
  await edit.fill("nn.Conv2d(1, 1, kernel_size=5, padding='same')");
  assert.equal(await page.inputValue(".conv-k"), "5");
  assert.equal(await page.inputValue(".conv-padding"), "2");
  // F.conv2d takes the kernel from its weight (the explorer's) and PyTorch's defaults for the rest.
  await edit.fill("F.conv2d(x, w, stride=3)");
  assert.equal(await page.inputValue(".conv-stride"), "3");
  // The settings write the line back once the field is left.
  await page.focus(".conv-stride");
  await page.selectOption(".conv-stride", "1");
  assert.equal(await edit.inputValue(), "nn.Conv2d(1, 1, kernel_size=5, stride=1, padding=0, dilation=1, bias=False)");
  assert.deepEqual(problems(), []);
  await page.close();
});

test("pooling from code, and the messages in Chinese at 360 px", async () => {
  const { page, problems } = await open("pooling", "zh", { width: 360, height: 740 });
  await page.waitForSelector(".pool-explorer .pytorch-code summary");
  await page.click(".pool-explorer .pytorch-code summary");
  const edit = page.locator(".pool-code-edit");
  assert.equal(await edit.inputValue(), "nn.MaxPool2d(kernel_size=2)");
  await edit.fill("nn.AvgPool2d(3, stride=1)");
  assert.equal(await page.inputValue(".pool-mode"), "avg");
  assert.equal(await page.inputValue(".pool-kernel"), "3");
  assert.equal(await page.inputValue(".pool-stride"), "1");
  await edit.fill("nn.Conv2d(1, 1, 3)");
  assert.equal(await page.textContent(".pool-explorer .code-error"), "这个演示显示的是池化层（nn.MaxPool2d 或 nn.AvgPool2d），不是卷积层（nn.Conv2d）");
  await edit.fill("nn.MaxPool2d(2, padding=1)");
  assert.equal(await page.textContent(".pool-explorer .code-error"), "padding = 1：这个演示接受 0 到 0");
  await edit.fill("nn.MaxPool2d(2, strid=1)");
  assert.equal(await page.textContent(".pool-explorer .code-error"), "nn.MaxPool2d 没有参数 strid");
  assert.equal(await page.textContent(".pool-explorer .code-editor > span"), ZH.get("code.edit"));
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow} px`);
  await page.locator(".pool-explorer .code-editor").scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(SCREENSHOTS, "code-editor-pool-zh-360.png") });
  assert.deepEqual(problems(), []);
  await page.close();
});

test("the many-channel explorer from code: channels, kernel, padding and groups", async () => {
  const { page, problems } = await open("channels");
  await page.waitForSelector(".channels-explorer .pytorch-code summary");
  await page.click(".channels-explorer .pytorch-code summary");
  const edit = page.locator(".channels-code-edit");
  await edit.fill("nn.Conv2d(2, 4, kernel_size=3, padding=1, groups=2)");
  assert.equal(await page.inputValue(".channels-cin"), "2");
  assert.equal(await page.inputValue(".channels-cout"), "4");
  assert.equal(await page.inputValue(".channels-padding"), "1");
  assert.equal(await page.isChecked(".channels-depthwise"), true);
  assert.match(await page.textContent(".channels-code"), /Conv2d\(2, 4, kernel_size=3, padding=1, groups=2\)/);
  // A count the explorer does not offer is named with what it offers.
  await edit.fill("nn.Conv2d(2, 5, 3)");
  assert.equal(await page.textContent(".channels-explorer .code-error"), "out_channels = 5: this explorer takes 1, 2, 3, 4, 6 or 8");
  await edit.fill("nn.Conv2d(4, 8, (5, 5), groups=3)");
  assert.equal(await page.textContent(".channels-explorer .code-error"), "groups = 3: this explorer takes 1 or 4");
  // Leaving the field keeps text that does not fit (nothing typed is lost); a fitting line is
  // replaced by the explorer's own once the field is left.
  await page.focus(".channels-k");
  assert.equal(await edit.inputValue(), "nn.Conv2d(4, 8, (5, 5), groups=3)");
  await edit.fill("nn.Conv2d(4, 8, (5, 5), groups=4)");
  await page.focus(".channels-k");
  assert.equal(await page.inputValue(".channels-k"), "5");
  assert.equal(await edit.inputValue(), "nn.Conv2d(4, 8, kernel_size=5, stride=1, padding=0, dilation=1, groups=4, bias=True)");
  assert.deepEqual(problems(), []);
  await page.close();
});
