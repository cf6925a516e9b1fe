// What every page shares, none of it needed to read a page (everything works without it):
//
// - the phone menu button (the menu is always open without JavaScript);
// - "My routine": the exercises a patient keeps, stored in this browser (localStorage) and
//   never sent anywhere; exercise pages get an "Add to my routine" button;
// - offline: registers the service worker (sw.js, made by the build at the site's root), and
//   on a first visit hands it this page and its files, so they open without a connection.
//
// Every word shown comes from the page, in its language (data-strings, JSON).

(() => {
  const script = document.currentScript;
  const root = new URL("../../", script.src); // the site's root, base path included

  // -- the phone menu ------------------------------------------------------------------------

  const toggle = document.querySelector(".menu-toggle");
  if (toggle) {
    const setOpen = (open) => toggle.setAttribute("aria-expanded", String(open));
    toggle.addEventListener("click", () =>
      setOpen(toggle.getAttribute("aria-expanded") !== "true"),
    );
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
        setOpen(false);
        toggle.focus();
      }
    });
  }

  // -- the routine, kept in this browser only -------------------------------------------------

  // One list per site (a site under a base path has its own); each entry: the exercise's slug,
  // its title as shown where it was added, and its address in each language.
  const KEY = `healthsite:routine:${root.pathname}`;

  const routine = {
    available() {
      try {
        const probe = `${KEY}:probe`;
        localStorage.setItem(probe, "1");
        localStorage.removeItem(probe);
        return true;
      } catch {
        return false; // storage switched off, or full
      }
    },
    items() {
      try {
        const data = JSON.parse(localStorage.getItem(KEY) || "null");
        const items = Array.isArray(data?.items) ? data.items : [];
        return items.filter(
          (item) => typeof item?.slug === "string" && item.urls && typeof item.urls === "object",
        );
      } catch {
        return [];
      }
    },
    save(items) {
      localStorage.setItem(KEY, JSON.stringify({ version: 1, items }));
    },
    has(slug) {
      return routine.items().some((item) => item.slug === slug);
    },
    add(entry) {
      const items = routine.items().filter((item) => item.slug !== entry.slug);
      routine.save([...items, entry]);
    },
    remove(slug) {
      routine.save(routine.items().filter((item) => item.slug !== slug));
    },
    // The address of an entry in a language: that language's version, else the site's main
    // language's, else any.
    url(item, lang, mainLang) {
      const urls = item.urls;
      return urls[lang] || urls[mainLang] || Object.values(urls)[0];
    },
    key: KEY,
  };
  window.healthsiteRoutine = routine;

  const say = (text, values = {}) => {
    const chosen = typeof text === "string" ? text : values.count === 1 ? text.one : text.other;
    return chosen.replace(/\{(\w+)\}/g, (match, name) =>
      name in values ? String(values[name]) : match,
    );
  };
  routine.say = say;

  // "Add to my routine" on an exercise page.
  const adder = document.querySelector("[data-routine-add]");
  if (adder && routine.available()) {
    const T = JSON.parse(adder.dataset.strings);
    const entry = {
      slug: adder.dataset.slug,
      title: adder.dataset.title,
      urls: JSON.parse(adder.dataset.urls),
    };
    const button = adder.querySelector("button");
    const label = button.querySelector("span");
    const status = adder.querySelector("[role=status]");
    const link = adder.querySelector("a");
    const show = (announce) => {
      const inRoutine = routine.has(entry.slug);
      const count = routine.items().length;
      adder.classList.toggle("is-added", inRoutine);
      label.textContent = inRoutine ? T.remove : T.add;
      link.hidden = count === 0;
      if (inRoutine) status.textContent = say(T.added, { count });
      else status.textContent = announce ? T.removed : "";
    };
    button.addEventListener("click", () => {
      if (routine.has(entry.slug)) routine.remove(entry.slug);
      else {
        routine.add(entry);
        keepOffline([location.href]);
      }
      show(true);
    });
    window.addEventListener("storage", (event) => {
      if (event.key === KEY) show(false);
    });
    show(false);
    adder.hidden = false;
  }

  // -- offline ---------------------------------------------------------------------------------

  function keepOffline(urls) {
    navigator.serviceWorker?.ready
      .then((registration) => registration.active?.postMessage({ type: "keep", urls }))
      .catch(() => {});
  }
  routine.keepOffline = keepOffline;

  // The offline page lists the pages of its language this device has kept.
  const saved = document.getElementById("offline-saved");
  if (saved && window.caches) listSaved(saved).catch(() => {});

  async function listSaved(list) {
    const lang = document.documentElement.lang;
    const own = new Set([...list.querySelectorAll("a")].map((a) => a.href));
    const names = (await caches.keys()).filter((name) =>
      name.startsWith(`healthsite:${root.pathname}:`),
    );
    const found = [];
    for (const name of names) {
      const cache = await caches.open(name);
      for (const request of await cache.keys()) {
        const url = new URL(request.url);
        if (!url.pathname.endsWith("/") || own.has(url.href) || url.pathname.endsWith("/offline/"))
          continue;
        const doc = new DOMParser().parseFromString(
          await (await cache.match(request)).text(),
          "text/html",
        );
        const title = doc.querySelector("h1")?.textContent.trim();
        if (doc.documentElement.lang !== lang || !title) continue;
        own.add(url.href);
        found.push([title, url.href]);
      }
    }
    found.sort((a, b) => a[0].localeCompare(b[0], lang));
    for (const [title, href] of found) {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = href;
      link.textContent = title;
      item.append(link);
      list.append(item);
    }
  }

  if ("serviceWorker" in navigator && window.isSecureContext) {
    const firstVisit = !navigator.serviceWorker.controller;
    const register = () => {
      navigator.serviceWorker
        .register(new URL("sw.js", root).href, { scope: root.pathname })
        .then(() => {
          // Loaded before the worker ran, this page and its files are not kept yet.
          if (!firstVisit) return;
          const files = performance
            .getEntriesByType("resource")
            .map((entry) => entry.name)
            .filter((name) => name.startsWith(new URL("static/", root).href));
          keepOffline([location.href, ...files]);
        })
        .catch(() => {}); // no offline copies, everything else works as before
    };
    if (document.readyState === "complete") register();
    else window.addEventListener("load", register, { once: true });
  }
})();
