// The service worker (www/sw.js) run in Node with a fake network and a fake Cache Storage:
// it stores only the real app (a page that names the app's wasm), checks every response it
// stores, prunes only from the real app, and fetches no data ahead of its use (issue 17, item
// 3; issue 18, item 17). No browser and no build needed: it loads the file as the browser does.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import vm from "node:vm";
import { ROOT } from "./harness.mjs";

const SOURCE = readFileSync(path.join(ROOT, "www", "sw.js"), "utf8");
const SCOPE = "https://school.example/course/convscope/";

const APP = (hash) =>
  `<!doctype html><html><head><link rel="stylesheet" href="./style-${hash}.css">` +
  `<link rel="preload" href="./convscope-${hash}_bg.wasm" as="fetch">` +
  `<script type="module">import init from './convscope-${hash}.js';</script>` +
  `<script src="./convscope-${hash}.js"></script></head><body></body></html>`;
const OLD = "0123456789abcdef";
const NEW = "fedcba9876543210";
const MAINTENANCE = "<!doctype html><title>Down for maintenance</title><p>Back soon.</p>";

/** A fake Cache Storage: one Map per cache, keyed by absolute URL; a match is a fresh copy. */
function fakeCaches() {
  const stores = new Map();
  const key = (r) => new URL(typeof r === "string" ? r : r.url, SCOPE).href;
  const open = async (name) => {
    if (!stores.has(name)) stores.set(name, new Map());
    const m = stores.get(name);
    return {
      put: async (r, response) => void m.set(key(r), response),
      delete: async (r) => m.delete(key(r)),
      keys: async () => [...m.keys()].map((url) => ({ url })),
      match: async (r) => m.get(key(r))?.clone(),
      addAll: async (list) => {
        const got = [];
        for (const r of list) {
          const response = await globalThis.__net(key(r));
          if (!response.ok) throw new TypeError(`addAll: ${key(r)} answered ${response.status}`);
          got.push([key(r), response]);
        }
        for (const [k, v] of got) m.set(k, v);
      },
    };
  };
  return {
    stores,
    open,
    keys: async () => [...stores.keys()],
    delete: async (name) => stores.delete(name),
    match: async (r) => {
      for (const m of stores.values()) if (m.has(key(r))) return m.get(key(r)).clone();
      return undefined;
    },
    urls: (name = "convscope-v1") => [...(stores.get(name)?.keys() ?? [])].map((u) => u.slice(SCOPE.length)).sort(),
  };
}

/** Loads sw.js with `routes` (path → Response factory, or a thrown error for offline). */
function load(routes) {
  const listeners = {};
  const caches = fakeCaches();
  const net = async (url) => {
    const rel = new URL(url, SCOPE).href.slice(SCOPE.length).replace(/\?.*$/, "");
    const route = routes[rel];
    if (route === undefined) return new Response("not found", { status: 404 });
    if (route instanceof Error) throw route;
    const response = route();
    Object.defineProperty(response, "type", { value: "basic" });
    return response;
  };
  const self = {
    registration: { scope: SCOPE },
    location: { origin: new URL(SCOPE).origin },
    addEventListener: (type, fn) => (listeners[type] = fn),
    skipWaiting: async () => {},
    clients: { claim: async () => {} },
  };
  const context = vm.createContext({
    self,
    caches,
    fetch: (r) => net(typeof r === "string" ? r : r.url),
    Response,
    URL,
    Promise,
    Set,
    Error,
    TypeError,
    console,
  });
  globalThis.__net = net;
  vm.runInContext(SOURCE, context);
  const run = (type, event) => {
    const waits = [];
    let answer;
    listeners[type]({
      ...event,
      waitUntil: (p) => waits.push(p),
      respondWith: (p) => (answer = p),
    });
    return { answer, settled: async () => (await Promise.allSettled([answer, ...waits])).map((r) => r.status) };
  };
  return {
    caches,
    async install() {
      const { settled } = run("install", {});
      return (await settled())[1];
    },
    async navigate(rel = "") {
      const { answer, settled } = run("fetch", { request: { url: SCOPE + rel, method: "GET", mode: "navigate" } });
      const response = await answer;
      await settled();
      return response;
    },
    async get(rel) {
      const { answer, settled } = run("fetch", { request: { url: SCOPE + rel, method: "GET", mode: "cors" } });
      const response = await answer;
      await settled();
      return response;
    },
  };
}

const text = (body, type = "text/html") => () => new Response(body, { headers: { "Content-Type": type } });
function appRoutes(hash) {
  return {
    "index.html": text(APP(hash)),
    "": text(APP(hash)),
    [`style-${hash}.css`]: text("body{}", "text/css"),
    [`convscope-${hash}.js`]: text("export default 1", "text/javascript"),
    [`convscope-${hash}_bg.wasm`]: text("wasm", "application/wasm"),
    "embed.js": text("//", "text/javascript"),
    "worker-loader.js": text("//", "text/javascript"),
    "convscope-worker.js": text("//", "text/javascript"),
    "convscope-worker_bg.wasm": text("wasm", "application/wasm"),
    "models/net.safetensors": text("weights", "application/octet-stream"),
    "data/mnist/t10k-images-idx3-ubyte.gz": text("gz", "application/gzip"),
  };
}

test("install stores the app and its worker, and no data ahead of its use", async () => {
  const sw = load(appRoutes(OLD));
  assert.equal(await sw.install(), "fulfilled");
  assert.deepEqual(sw.caches.urls(), [
    "",
    `convscope-${OLD}.js`,
    `convscope-${OLD}_bg.wasm`,
    "convscope-worker.js",
    "convscope-worker_bg.wasm",
    "embed.js",
    "index.html",
    `style-${OLD}.css`,
    "worker-loader.js",
  ]);
  // Data is stored when the page first uses it.
  const weights = await sw.get("models/net.safetensors");
  assert.equal(await weights.text(), "weights");
  assert.ok(sw.caches.urls().includes("models/net.safetensors"));
});

test("install refuses a 200 page that is not the app, and a failed fetch, storing nothing", async () => {
  const maintenance = load({ ...appRoutes(OLD), "index.html": text(MAINTENANCE) });
  assert.equal(await maintenance.install(), "rejected");
  assert.deepEqual(maintenance.caches.urls(), []);
  const failing = load({ ...appRoutes(OLD), "index.html": () => new Response("oops", { status: 500 }) });
  assert.equal(await failing.install(), "rejected");
  assert.deepEqual(failing.caches.urls(), []);
  const offline = load({ ...appRoutes(OLD), "index.html": new TypeError("Failed to fetch") });
  assert.equal(await offline.install(), "rejected");
  assert.deepEqual(offline.caches.urls(), []);
  const missingAsset = load({ ...appRoutes(OLD), [`style-${OLD}.css`]: undefined });
  assert.equal(await missingAsset.install(), "rejected");
  assert.deepEqual(missingAsset.caches.urls(), [], "no half-filled cache");
});

test("a maintenance page served in place of the app is shown but neither stored nor used to prune", async () => {
  const routes = appRoutes(OLD);
  const sw = load(routes);
  await sw.install();
  const before = sw.caches.urls();
  routes[""] = text(MAINTENANCE);
  const shown = await sw.navigate("");
  assert.match(await shown.text(), /maintenance/);
  assert.deepEqual(sw.caches.urls(), before, "the app and its assets stay");
  assert.match(await (await sw.caches.match("index.html")).text(), /convscope-0123456789abcdef_bg\.wasm/);
  // Offline, the stored app answers.
  routes[""] = new TypeError("Failed to fetch");
  const offline = await sw.navigate("");
  assert.match(await offline.text(), /convscope-0123456789abcdef_bg\.wasm/);
});

test("a new build replaces the old one and prunes its assets; error responses are never stored", async () => {
  const routes = appRoutes(OLD);
  const sw = load(routes);
  await sw.install();
  Object.assign(routes, appRoutes(NEW));
  await sw.navigate("");
  const urls = sw.caches.urls();
  assert.ok(!urls.includes(`convscope-${OLD}.js`) && !urls.includes(`style-${OLD}.css`), urls.join(" "));
  assert.ok(urls.includes("convscope-worker.js") && urls.includes("embed.js"), urls.join(" "));
  const missing = await sw.get(`convscope-${"1".repeat(16)}.js`);
  assert.equal(missing.status, 404);
  assert.ok(!sw.caches.urls().some((u) => u.includes("1111111111111111")), "a 404 is not stored");
  routes["models/resnet.safetensors"] = () => new Response("busy", { status: 503 });
  assert.equal((await sw.get("models/resnet.safetensors")).status, 503);
  assert.ok(!sw.caches.urls().includes("models/resnet.safetensors"), "a 503 is not stored");
});

test("a build whose hash has a leading zero (Trunk writes 15 hex digits then) is the app too", async () => {
  // Trunk prints the 64-bit hash without leading zeros: `convscope-7c82614c3773830_bg.wasm`.
  const SHORT = "7c82614c3773830";
  const sw = load(appRoutes(SHORT));
  assert.equal(await sw.install(), "fulfilled");
  assert.ok(sw.caches.urls().includes(`convscope-${SHORT}_bg.wasm`), JSON.stringify(sw.caches.urls()));
});
