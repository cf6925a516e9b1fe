// The offline service worker's code. The build's sw.js sets self.HEALTHSITE (this build's
// version, the site's root, what to keep at once, each language's offline page) and imports it.
//
// - Pages (addresses ending in "/" or ".html"): from the network first, so a patient online
//   always reads the current page; each one read is kept. Without a connection, the kept copy;
//   without one of those either, the offline page of the page's language, with the number to
//   call. A slow network gives way to the kept copy after a few seconds.
// - The site's static files (fingerprinted, so never stale): from the cache first.
// - Everything else (the search index above all) is left to the network: never a stale index.
//
// One cache per build. A new build installs a new worker; it fetches again every page the old
// cache kept (or keeps the old copy if that fails), then drops the old cache. Nothing here ever
// talks to another website.

const SETTINGS = self.HEALTHSITE;
const PREFIX = `healthsite:${SETTINGS.scope}:`;
const CACHE = PREFIX + SETTINGS.version;
const SLOW_NETWORK_MS = 4000;

const inScope = (url) =>
  url.origin === self.location.origin &&
  url.pathname.startsWith(SETTINGS.scope) &&
  !SETTINGS.bypass.some((path) => url.pathname.startsWith(path));
const isStatic = (url) => url.pathname.startsWith(SETTINGS.static);
const isPage = (url) => !isStatic(url) && /(\/|\.html)$/.test(url.pathname);

// Kept under its address without the query: "?utm=..." is the same page.
function pageKey(url) {
  const bare = new URL(url);
  bare.search = "";
  bare.hash = "";
  return bare.href;
}

function keepable(response) {
  return response.ok && response.type === "basic" && !response.redirected;
}

async function keep(cache, url) {
  const response = await fetch(url, { cache: "no-cache" });
  if (!keepable(response)) throw new Error(`${response.status} ${url}`);
  await cache.put(isPage(new URL(url)) ? pageKey(url) : url, response);
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) =>
        cache.addAll(SETTINGS.precache.map((url) => new Request(url, { cache: "no-cache" }))),
      )
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      for (const name of await caches.keys()) {
        if (name.startsWith(PREFIX) && name !== CACHE) await carryOver(name, cache);
      }
      // the pages open now were loaded before any worker ran: keep them too
      const open = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      await Promise.all(
        open
          .map((client) => new URL(client.url))
          .filter((url) => inScope(url) && isPage(url))
          .map((url) => keep(cache, url.href).catch(() => {})),
      );
      await self.clients.claim();
    })(),
  );
});

// The pages an older build's cache kept, fetched again for this build; a page that cannot be
// fetched now keeps its old copy, with the old static files it needs.
async function carryOver(name, cache) {
  const old = await caches.open(name);
  const requests = await old.keys();
  let keptOld = false;
  for (const request of requests.filter((r) => isPage(new URL(r.url)))) {
    if (await cache.match(request)) continue;
    try {
      await keep(cache, request.url);
    } catch {
      await cache.put(request, await old.match(request));
      keptOld = true;
    }
  }
  if (keptOld) {
    for (const request of requests.filter((r) => isStatic(new URL(r.url)))) {
      if (!(await cache.match(request))) await cache.put(request, await old.match(request));
    }
  }
  await caches.delete(name);
}

// "keep": a page asks for its address and its files to be kept (its first visit came before
// the worker ran; an exercise was added to the routine).
self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type !== "keep" || !Array.isArray(data.urls)) return;
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      Promise.all(
        data.urls
          .map((url) => new URL(url, self.location.href))
          .filter((url) => inScope(url) && (isPage(url) || isStatic(url)))
          .map((url) => keep(cache, url.href).catch(() => {})),
      ),
    ),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (!inScope(url)) return;
  if (isStatic(url)) event.respondWith(fromCacheFirst(request));
  else if (isPage(url) || request.mode === "navigate")
    event.respondWith(fromNetworkFirst(request, url));
});

async function fromCacheFirst(request) {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(request);
  if (kept) return kept;
  const response = await fetch(request);
  if (keepable(response)) await cache.put(request, response.clone());
  return response;
}

async function fromNetworkFirst(request, url) {
  const cache = await caches.open(CACHE);
  const key = pageKey(url);
  const network = fetch(request).then(async (response) => {
    if (keepable(response)) await cache.put(key, response.clone());
    return response;
  });
  network.catch(() => {}); // a failure is answered below, or comes after the kept copy did
  const kept = await cache.match(key);
  try {
    if (!kept) return await network;
    // a network that does not answer in time gives way to the kept copy (and still updates it)
    const slow = new Promise((resolve) => setTimeout(() => resolve(kept), SLOW_NETWORK_MS));
    return await Promise.race([network, slow]);
  } catch {
    if (kept) return kept;
    if (request.mode === "navigate") return offlinePage(cache, url);
    throw new TypeError("offline");
  }
}

async function offlinePage(cache, url) {
  const rest = url.pathname.slice(SETTINGS.scope.length);
  const lang = Object.keys(SETTINGS.offline).find((code) => code && rest.startsWith(`${code}/`));
  const page = await cache.match(SETTINGS.offline[lang ?? ""]);
  return page || Response.error();
}
