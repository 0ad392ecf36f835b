/*
 * convscope's offline cache (a service worker).
 *
 * On install it caches the app (index.html and every asset it names — the wasm, its JS glue,
 * the stylesheet — found in index.html itself), the shipped weights, the MNIST test set and the
 * embed files. Requests are answered from the cache first, so after one visit the whole app,
 * the drawing classifier and the test-set gallery work without a network. The training set is
 * cached when it is first used.
 *
 * New versions: index.html is always asked from the network first (the cache is the fallback),
 * so a new build is picked up on the next online visit; its assets have new hashed names, and
 * the assets the new index.html no longer names are removed from the cache, so old builds do
 * not pile up. Bumping CACHE drops everything cached by earlier versions of this file.
 */
"use strict";
const CACHE = "convscope-v1";
const CORE = [
  "./",
  "index.html",
  "embed.js",
  "models/net.safetensors",
  "data/mnist/t10k-images-idx3-ubyte.gz",
  "data/mnist/t10k-labels-idx1-ubyte.gz",
];
/** The assets an index.html names (href/src attributes of its own files). */
function assetsOf(html) {
  const found = new Set();
  for (const m of html.matchAll(/(?:href|src)="([^"#?]+\.(?:js|wasm|css|svg))"/g)) {
    if (!/^[a-z]+:/i.test(m[1])) found.add(new URL(m[1], self.registration.scope).href);
  }
  return found;
}
async function cacheApp() {
  const cache = await caches.open(CACHE);
  const response = await fetch("index.html", { cache: "no-cache" });
  const html = await response.clone().text();
  await cache.put("index.html", response.clone());
  await cache.put("./", response);
  await cache.addAll([...assetsOf(html), ...CORE.slice(2)]);
  return html;
}
/** Removes cached app assets that the current index.html does not name. */
async function prune(html) {
  const keep = assetsOf(html);
  const cache = await caches.open(CACHE);
  for (const request of await cache.keys()) {
    if (/\.(js|wasm|css)$/.test(new URL(request.url).pathname) && !request.url.endsWith("/embed.js") && !keep.has(request.url)) {
      await cache.delete(request);
    }
  }
}
self.addEventListener("install", (event) => {
  event.waitUntil(cacheApp().then(() => self.skipWaiting()));
});
self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith("convscope-") && n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});
self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  const url = new URL(request.url);
  const isPage = request.mode === "navigate" || url.pathname.endsWith("/index.html") || url.href === self.registration.scope;
  if (isPage) {
    // Network first: a new build replaces the cached one; offline, the cached page answers.
    event.respondWith(
      fetch(request)
        .then(async (response) => {
          if (response.ok) {
            const cache = await caches.open(CACHE);
            const html = await response.clone().text();
            await cache.put(url.pathname.endsWith("/") ? "./" : "index.html", response.clone());
            event.waitUntil(prune(html));
          }
          return response;
        })
        .catch(async () => (await caches.match("index.html")) || (await caches.match("./")) || Response.error()),
    );
    return;
  }
  event.respondWith(
    caches.match(request, { ignoreSearch: true }).then(
      (hit) =>
        hit ||
        fetch(request).then(async (response) => {
          if (response.ok && /\.(gz|safetensors|wasm|js|css|svg|png|html)$/.test(url.pathname)) {
            const cache = await caches.open(CACHE);
            await cache.put(request, response.clone());
          }
          return response;
        }),
    ),
  );
});
