// Bounded inputs and errors a person can read (issue 17, items 1, 2 and 7; issue 18, item 12):
// a huge weights file and a huge picture are refused before they are read or decoded, with a
// message in the page's language that names the file and the limit, and the model in use stays;
// the builder says "too large" instead of a wrapped count; the core's errors read in Chinese.
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { deflateSync } from "node:zlib";
import { mkdtempSync, closeSync, openSync, ftruncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { SCREENSHOTS, useSite, watchedPage, translations } from "./harness.mjs";

const site = useSite();
const zh = translations("zh");
const CJK = /[\u4e00-\u9fff]/;

async function openLab(lang) {
  const { page, problems } = await watchedPage(site.browser.context);
  await page.goto(`${site.server.base}?lang=${lang}#/mnist`);
  await page.waitForSelector(".model-card");
  await page.waitForFunction(() => document.querySelector(".model-source")?.textContent.includes("98.93"));
  return { page, problems };
}

/** A PNG of `width` × `height` black pixels (tiny on disk, whatever its size). */
function png(width, height) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), body.length + 4);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 0, 0, 0, 0], 8);
  const raw = Buffer.alloc((width + 1) * height);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

test("a huge weights file is refused by its size, in Chinese, naming file and limit; the model stays", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "convscope-files-"));
  const huge = path.join(dir, "huge.safetensors");
  // A sparse 300 MB file: its size is real, no disk is used.
  const fd = openSync(huge, "w");
  ftruncateSync(fd, 300 * 1024 * 1024);
  closeSync(fd);
  const { page, problems } = await openLab("zh");
  const before = await page.textContent(".model-source");
  await page.setInputFiles(".model-import", huge);
  await page.waitForSelector(".model-message.conv-error");
  const message = await page.textContent(".model-message");
  assert.ok(message.startsWith("huge.safetensors"), message);
  assert.match(message, /300\.0 MB/);
  assert.match(message, /64\.0 MB/);
  assert.ok(CJK.test(message) && message.includes(zh.get("model.kept")), message);
  assert.equal(await page.textContent(".model-source"), before, "the model in use stays");
  // The wasm memory did not grow by the file's size: it was never read.
  const memory = await page.evaluate(() => performance.memory?.usedJSHeapSize ?? 0);
  assert.ok(memory < 200 * 1024 * 1024, `${memory} bytes of JS heap`);
  assert.deepEqual(problems(), []);
  await page.close();
});

test("a picture of more pixels than the limit is refused from its dimensions; a large one is scaled while decoding", async () => {
  const { page, problems } = await openLab("zh");
  await page.setInputFiles(".upload-input", { name: "wide.png", mimeType: "image/png", buffer: png(20_001, 2) });
  await page.waitForSelector(".upload-error");
  const message = await page.textContent(".upload-error");
  assert.ok(message.startsWith("wide.png"), message);
  assert.match(message, /20001 × 2/);
  assert.match(message, /20000/);
  assert.ok(CJK.test(message), message);
  assert.equal((message.match(/wide\.png/g) ?? []).length, 1, `the name once: ${message}`);
  // A big (but allowed) picture is scaled down to 280 px on its longer side while decoding.
  await page.setInputFiles(".upload-input", { name: "big.png", mimeType: "image/png", buffer: png(4000, 3000) });
  await page.waitForSelector(".upload-error");
  await page.waitForFunction(() => document.querySelector(".upload-error")?.textContent.startsWith("big.png"));
  assert.equal(await page.textContent(".upload-error"), `big.png: ${zh.get("upload.no_digit")}`);
  assert.deepEqual(problems(), []);
  await page.close();
});

test("the builder says 'too large' instead of a wrapped count, in the page's language", async () => {
  const { page, problems } = await openLab("zh");
  const set = async (row, field, value) => {
    const input = page.locator(`.builder-row >> nth=${row} >> .builder-${field}`);
    await input.fill(value);
    await input.dispatchEvent("change");
  };
  await page.click(".builder-clear");
  await page.fill(".builder-side", "512");
  await page.locator(".builder-side").dispatchEvent("change");
  await page.click(".builder-add-conv");
  await set(0, "out", "4096");
  await set(0, "k", "1");
  await set(0, "padding", "4096");
  // (1, 4096, 8704, 8704): flattening it gives 310 billion features, past wasm32's usize.
  await page.click(".builder-add-flatten");
  const flatten = await page.textContent(".builder-row >> nth=1 >> .builder-status");
  assert.match(flatten, /特征个数太大/, flatten);
  await page.click(".builder-row >> nth=1 >> .builder-remove");
  // A 4096 → 4096 conv with a 4096 kernel on it: its multiplications pass u64.
  await page.click(".builder-add-conv");
  await set(1, "out", "4096");
  await set(1, "k", "4096");
  await set(1, "padding", "4096");
  const conv = await page.textContent(".builder-row >> nth=1 >> .builder-status");
  assert.match(conv, /乘法次数太大/, conv);
  await page.locator(".layer-builder").screenshot({ path: path.join(SCREENSHOTS, "builder-too-large-zh.png") });
  assert.deepEqual(problems(), []);
  await page.close();
});

test("the explorer's 'no valid output' reason reads in Chinese", async () => {
  const { page, problems } = await watchedPage(site.browser.context);
  await page.goto(`${site.server.base}?lang=zh&conv=${encodeURIComponent(JSON.stringify({ n: 5, k: 5, padding: 0, dilation: 2 }))}#/convolution`);
  await page.waitForSelector(".conv-error");
  const text = await page.textContent(".conv-error");
  assert.ok(text.startsWith(zh.get("conv.no_output")), text);
  assert.ok(!/kernel span|padded input/.test(text), `English in the Chinese page: ${text}`);
  assert.ok(CJK.test(text.slice(zh.get("conv.no_output").length)), text);
  assert.deepEqual(problems(), []);
  await page.close();
});
