/*
 * convscope's offline cache (a service worker).
 *
 * On install it caches the app itself: index.html and every asset it names (the wasm, its JS
 * glue, the stylesheet), the compute worker and the embed helper. Nothing else is fetched ahead:
 * the weights, the MNIST test set and the training set are stored when a page first uses them
 * (the MNIST page loads the model it shows; the gallery's button loads the test set, and says
 * it then stays for offline use). So a visit to Home downloads the app and no data.
 *
 * Only the real app is stored as the app: a page counts as the app when it names the app's
 * wasm (`convscope-<hash>_bg.wasm`). A 200 page that is not the app (a maintenance page, a
 * login wall) is passed to the browser but neither stored nor used to prune; an install that
 * cannot fetch the real app fails, so the previous worker and its cache stay. Every stored
 * response is checked: a 200 from this origin (no error page, no opaque response).
 *
 * Hashed build assets and the MNIST files never change: the cache answers them. The weights and
 * embed.js are answered from the cache and refreshed in the background. Responses stream to the
 * page while a copy is stored, so download progress shows.
 *
 * New versions: index.html is always asked from the network first (the cache is the fallback),
 * so a new build is picked up on the next online visit; its assets have new hashed names, and
 * the assets the new index.html no longer names are removed from the cache, so old builds do
 * not pile up. Bumping CACHE drops everything cached by earlier versions of this file.
 *
 * The compute worker (worker-loader.js, convscope-worker.js and _bg.wasm) has fixed names (a worker is started by
 * name): it is cached at install and kept, but asked from the network first, like index.html,
 * so a new build never pairs a new page with an old worker; offline, the cached copy answers.
 */
"use strict";
const CACHE = "convscope-v1";
/** What install stores beside index.html and its assets: the worker and the embed helper. */
const SHELL = ["embed.js", "worker-loader.js", "convscope-worker.js", "convscope-worker_bg.wasm"];
/** The compute worker's files (fixed names). */
const WORKER = /\/(worker-loader\.js|convscope-worker(\.js|_bg\.wasm))$/;
/** The assets an index.html names (href/src attributes of its own files). */
function assetsOf(html) {
  const found = new Set();
  for (const m of html.matchAll(/(?:href|src)="([^"#?]+\.(?:js|wasm|css|svg))"/g)) {
    if (!/^[a-z]+:/i.test(m[1])) found.add(new URL(m[1], self.registration.scope).href);
  }
  return found;
}
/** The app's page names the app's wasm; any other page (maintenance, login) is not the app. */
function isAppPage(html) {
  return [...assetsOf(html)].some((u) => /\/convscope-[0-9a-f]{1,16}_bg\.wasm$/.test(u));
}
/** A response worth storing: a 200 of this origin (not an error page, not opaque). */
function storable(response) {
  return response.ok && response.status === 200 && (response.type === "basic" || response.type === "default");
}
async function cacheApp() {
  const response = await fetch("index.html", { cache: "no-cache" });
  if (!storable(response)) throw new Error(`convscope: index.html answered ${response.status}; nothing cached`);
  const html = await response.text();
  if (!isAppPage(html)) throw new Error("convscope: index.html is not the app (it names no convscope wasm); nothing cached");
  // Everything is fetched (addAll refuses any non-2xx) before the page is stored, so a failed
  // install leaves no half-filled cache behind a new index.html.
  const cache = await caches.open(CACHE);
  await cache.addAll([...assetsOf(html), ...SHELL]);
  await putPage(cache, html);
  return html;
}
async function putPage(cache, html) {
  const headers = { "Content-Type": "text/html; charset=utf-8" };
  await cache.put("index.html", new Response(html, { headers }));
  await cache.put("./", new Response(html, { headers }));
}
/** Removes cached app assets that the current index.html does not name. */
async function prune(html) {
  const keep = assetsOf(html);
  const cache = await caches.open(CACHE);
  for (const request of await cache.keys()) {
    const path = new URL(request.url).pathname;
    if (/\.(js|wasm|css)$/.test(path) && !path.endsWith("/embed.js") && !WORKER.test(path) && !keep.has(request.url)) {
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
/** Built assets carry a content hash in their name: they never change, so the cache answers.
 * (Trunk writes the 64-bit hash without leading zeros: 1 to 16 hex digits.) */
const IMMUTABLE = /(-[0-9a-f]{1,16}(_bg)?\.(js|wasm|css|svg)|\.gz)$/;

function store(event, request, response) {
  if (storable(response)) {
    const copy = response.clone();
    event.waitUntil(caches.open(CACHE).then((cache) => cache.put(request, copy)));
  }
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  const scope = new URL(self.registration.scope).pathname;
  const isApp = request.mode === "navigate" && (url.pathname === scope || url.pathname === scope + "index.html");
  if (isApp) {
    // The app page, network first: a new build replaces the cached one (and its old assets go);
    // offline, the cached page answers.
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (storable(response)) {
            const copy = response.clone();
            event.waitUntil(
              copy.text().then(async (html) => {
                // A maintenance or login page is shown, not stored: it would evict the app.
                if (!isAppPage(html)) return;
                await putPage(await caches.open(CACHE), html);
                await prune(html);
              }),
            );
          }
          return response;
        })
        .catch(async () => (await caches.match("index.html")) || Response.error()),
    );
    return;
  }
  if (WORKER.test(url.pathname)) {
    // The compute worker: network first (it must match the page), the cached copy offline.
    event.respondWith(
      fetch(request)
        .then((response) => store(event, request, response))
        .catch(async () => (await caches.match(request, { ignoreSearch: true })) || Response.error()),
    );
    return;
  }
  if (request.mode === "navigate") {
    // Other pages (embed-demo.html): network first, cached copy offline.
    event.respondWith(
      fetch(request)
        .then((response) => store(event, request, response))
        .catch(async () => (await caches.match(request, { ignoreSearch: true })) || Response.error()),
    );
    return;
  }
  if (IMMUTABLE.test(url.pathname)) {
    // Hashed assets and the MNIST files: the cache first; the response streams to the page
    // (progress bars move) while a copy is stored.
    event.respondWith(
      caches.match(request, { ignoreSearch: true }).then((hit) => hit || fetch(request).then((response) => store(event, request, response))),
    );
    return;
  }
  // Everything else (the weights, embed.js): the cached copy at once, refreshed in the
  // background, so retrained weights arrive on the next visit.
  event.respondWith(
    caches.match(request, { ignoreSearch: true }).then((hit) => {
      const network = fetch(request).then((response) => store(event, request, response));
      if (hit) {
        event.waitUntil(network.catch(() => undefined));
        return hit;
      }
      return network;
    }),
  );
});
