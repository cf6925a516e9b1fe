// The "My routine" page: the exercises kept by site.js (in this browser only), each shown from
// its own page in this page's language: picture, how much to do, when to stop, the steps; then
// a sheet for the week with a box to tick for each time of each day. Printing gives all of it
// as one handout. The pages are fetched from this site only; offline, the service worker
// answers with the copies it kept.

(() => {
  const app = document.getElementById("routine-app");
  const store = window.healthsiteRoutine;
  if (!app || !store) return;
  const T = JSON.parse(app.dataset.strings);
  const { lang, mainLang } = app.dataset;
  const say = store.say;
  const list = document.getElementById("routine-list");
  const status = document.getElementById("routine-status");
  const empty = document.getElementById("routine-empty");
  const toolbar = document.getElementById("routine-toolbar");
  const week = document.getElementById("routine-week");
  const clearWrap = document.getElementById("routine-clear-wrap");
  const template = document.getElementById("routine-item");
  const pages = new Map(); // address → the parsed page (or null: could not be opened)

  document.getElementById("routine-fallback").hidden = true;
  app.hidden = false;
  if (!store.available()) {
    status.textContent = T.noStorage;
    return;
  }

  async function fetchPage(url) {
    if (!pages.has(url)) {
      pages.set(
        url,
        fetch(url)
          .then((response) => (response.ok ? response.text() : Promise.reject(response.status)))
          .then((text) => new DOMParser().parseFromString(text, "text/html"))
          .catch(() => null),
      );
    }
    return pages.get(url);
  }

  // The parts of an exercise page the routine shows (marked data-routine-part there).
  function partsOf(doc) {
    const part = (name) => doc.querySelector(`[data-routine-part="${name}"]`);
    const dose = part("dose");
    if (!dose) return null;
    return {
      lang: doc.documentElement.lang,
      title: doc.querySelector("h1")?.textContent.trim(),
      figure: part("figures")?.querySelector("figure"),
      dose: dose.textContent.trim(),
      timesPerDay: Math.max(1, Math.min(6, parseInt(dose.dataset.timesPerDay, 10) || 1)),
      stopIf: [...(part("stop-if")?.querySelectorAll("li") || [])].map((li) =>
        li.textContent.trim(),
      ),
      steps: [...(part("steps")?.querySelectorAll("li") || [])].map((li) => li.textContent.trim()),
    };
  }

  function fillList(element, texts) {
    element.replaceChildren(
      ...texts.map((text) => {
        const li = document.createElement("li");
        li.textContent = text;
        return li;
      }),
    );
  }

  function renderItem(item, index, count, parts) {
    const node = template.content.firstElementChild.cloneNode(true);
    const url = store.url(item, lang, mainLang);
    const title = parts?.title || item.title || item.slug;
    const card = node.querySelector("article");
    card.setAttribute("aria-labelledby", `routine-${index}`);
    const heading = node.querySelector(".routine-item__title");
    heading.id = `routine-${index}`;
    const link = heading.querySelector("a");
    link.href = url;
    link.textContent = title;
    if (parts) {
      if (parts.lang && parts.lang !== lang) card.lang = parts.lang;
      if (parts.figure) {
        const figure = document.importNode(parts.figure, true);
        figure.querySelectorAll("[id]").forEach((el) => el.removeAttribute("id"));
        node.querySelector(".routine-item__figure").append(figure);
      }
      node.querySelector(".dose").textContent = parts.dose;
      fillList(node.querySelector(".stop-if ul"), parts.stopIf);
      fillList(node.querySelector(".steps"), parts.steps);
      // printed, the steps may start a new page: they say whose they are
      node.querySelector(".routine-item__steps-of").textContent = ` – ${title}`;
    } else {
      const problem = node.querySelector(".routine-item__problem");
      problem.textContent = parts === undefined ? T.loading : T.unavailable;
      problem.hidden = false;
      for (const part of node.querySelectorAll(
        ".routine-item__text > :not(.routine-item__problem), .routine-item__steps",
      )) {
        part.hidden = true;
      }
    }
    for (const button of node.querySelectorAll("[data-action]")) {
      button.querySelector(".visually-hidden").textContent = ` (${title})`;
      button.dataset.slug = item.slug;
      button.dataset.title = title;
    }
    node.querySelector('[data-action="up"]').disabled = index === 0;
    node.querySelector('[data-action="down"]').disabled = index === count - 1;
    return node;
  }

  // Day names in the page's language, starting on the week's first day there.
  function dayNames() {
    let first = 1; // Monday
    try {
      const info = new Intl.Locale(lang);
      first = (info.getWeekInfo?.() || info.weekInfo)?.firstDay ?? 1;
    } catch {
      // an unknown language tag: Monday
    }
    const format = new Intl.DateTimeFormat(lang, { weekday: "short", timeZone: "UTC" });
    // 2024-01-01 was a Monday (day 1); day 7 is Sunday
    return Array.from({ length: 7 }, (_, i) => {
      const day = ((first - 1 + i) % 7) + 1;
      return format.format(new Date(Date.UTC(2024, 0, day)));
    });
  }

  function renderWeek(rows) {
    const days = dayNames();
    const headRow = week.querySelector("thead tr");
    headRow.replaceChildren(headRow.firstElementChild);
    for (const day of days) {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = day;
      headRow.append(th);
    }
    week.querySelector("tbody").replaceChildren(
      ...rows.map(({ title, parts }) => {
        const tr = document.createElement("tr");
        const th = document.createElement("th");
        th.scope = "row";
        const name = document.createElement("span");
        name.className = "week-sheet__name";
        name.textContent = title;
        th.append(name);
        const times = parts?.timesPerDay || 1;
        const often = document.createElement("span");
        often.className = "week-sheet__often";
        often.textContent = say(T.timesPerDay, { count: times });
        th.append(often);
        tr.append(th);
        for (let d = 0; d < 7; d++) {
          const td = document.createElement("td");
          for (let t = 0; t < times; t++) {
            const box = document.createElement("span");
            box.className = "week-sheet__box";
            td.append(box);
          }
          tr.append(td);
        }
        return tr;
      }),
    );
  }

  let drawing = 0;
  let drawn = false;
  async function draw(message) {
    const ticket = ++drawing;
    const focused = document.activeElement?.dataset;
    const refocus = focused?.action ? [focused.action, focused.slug] : null;
    const items = store.items();
    const filled = !!items.length;
    empty.hidden = filled;
    toolbar.hidden = week.hidden = clearWrap.hidden = !filled;
    if (message !== undefined) status.textContent = message;
    else status.textContent = filled ? say(T.count, { count: items.length }) : "";
    // the first time, the list as it is known while the exercises' pages arrive
    if (!drawn)
      list.replaceChildren(...items.map((item, i) => renderItem(item, i, items.length, undefined)));
    drawn = true;
    const all = await Promise.all(
      items.map(async (item) => {
        const doc = await fetchPage(store.url(item, lang, mainLang));
        return doc && partsOf(doc);
      }),
    );
    if (ticket !== drawing) return;
    list.replaceChildren(...items.map((item, i) => renderItem(item, i, items.length, all[i])));
    renderWeek(items.map((item, i) => ({ title: all[i]?.title || item.title, parts: all[i] })));
    if (refocus) restoreFocus(...refocus);
  }

  // After a move the same button keeps the focus (or its neighbour, at either end).
  function restoreFocus(action, slug) {
    const buttons = [...list.querySelectorAll(`[data-slug="${CSS.escape(slug)}"]`)];
    const target =
      buttons.find((b) => b.dataset.action === action && !b.disabled) ||
      buttons.find((b) => !b.disabled);
    target?.focus();
  }

  list.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-action]");
    if (!button) return;
    const { action, slug, title } = button.dataset;
    const items = store.items();
    const index = items.findIndex((item) => item.slug === slug);
    if (index < 0) return;
    if (action === "remove") {
      items.splice(index, 1);
      store.save(items);
      draw(say(T.removed, { title })).then(() => {
        const next =
          list.querySelectorAll(".routine-item__title a")[Math.min(index, items.length - 1)];
        (next || empty.querySelector("a")).focus();
      });
      return;
    }
    const to = action === "up" ? index - 1 : index + 1;
    if (to < 0 || to >= items.length) return;
    [items[index], items[to]] = [items[to], items[index]];
    store.save(items);
    draw(say(T.moved, { title, position: to + 1 }));
  });

  document.getElementById("routine-print").addEventListener("click", () => window.print());

  document.getElementById("routine-clear").addEventListener("click", () => {
    if (!window.confirm(T.confirmClear)) return;
    store.save([]);
    draw(T.cleared);
  });

  // Printing shows every exercise's steps; the screen keeps them folded.
  const folded = new Set();
  window.addEventListener("beforeprint", () => {
    for (const details of list.querySelectorAll("details:not([open])")) {
      folded.add(details);
      details.open = true;
    }
  });
  window.addEventListener("afterprint", () => {
    for (const details of folded) details.open = false;
    folded.clear();
  });

  // Another tab added or removed an exercise.
  window.addEventListener("storage", (event) => {
    if (event.key === store.key) draw();
  });

  draw().then(() => {
    // offline, this page must find every exercise it shows: ask the worker to keep them
    const urls = store
      .items()
      .map((item) => new URL(store.url(item, lang, mainLang), location.href).href);
    const images = [...list.querySelectorAll("img")].map((img) => img.currentSrc || img.src);
    if (urls.length) store.keepOffline([...urls, ...images]);
  });
})();
