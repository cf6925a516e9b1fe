// The search page: Pagefind in the browser, so a query never leaves the visitor's device.
//
// The URL is the state (?q=knee&category=stretching&body_area=lower-back): it can be shared,
// bookmarked and walked with the back button. Within a filter group any ticked value matches;
// across groups every group must match. Results are announced through a status region.
//
// Every word the script shows comes from the page, in its language: search.html puts the
// translated strings in the form's data-strings attribute (JSON), with {count} and {query}
// placeholders and "one"/"other" forms for counts.

const root = new URL("../../", import.meta.url); // the site root, base path included
const form = document.getElementById("search-form");
const input = document.getElementById("search-input");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const empty = document.getElementById("search-empty");
const clear = document.getElementById("search-clear");
const checkboxes = [...form.querySelectorAll('input[type="checkbox"]')];
const facetKeys = [...new Set(checkboxes.map((box) => box.name))];
const T = JSON.parse(form.dataset.strings);
const PAGE_SIZE = 10; // results fetched at a time: each one is a small file to download
const TYPING_PAUSE_MS = 100; // a search starts once typing pauses this long
// Pages of this type carry no type in the index (it made Pagefind's biggest filter file and
// cost every search a count over all pages): "not any other type" finds them.
const implicitType = form.dataset.implicitType;
const typeValues = checkboxes.filter((box) => box.name === "type").map((box) => box.value);
const more = document.getElementById("search-more");
const filterBox = document.getElementById("search-filters");
const activeLabel = document.getElementById("search-filters-active");
let shown = { results: [], count: 0 };

let pagefind = null; // Pagefind's module, once loaded
let loading = null; // the promise of it, so that it is loaded once
let counting = false; // Pagefind has every filter file, so its searches count every value
let latest = 0; // only the newest search may draw its results
let typingTimer = 0;

function loadPagefind() {
  loading ??= (async () => {
    const module = await import(new URL("pagefind/pagefind.js", root).href);
    await module.options({ baseUrl: root.pathname, excerptLength: 24 });
    module.init();
    pagefind = module;
    return module;
  })();
  return loading;
}

function readState(params) {
  const query = (params.get("q") || "").trim();
  const filters = {};
  for (const key of facetKeys) {
    const values = params.getAll(key).filter(Boolean);
    if (values.length) filters[key] = values;
  }
  return { query, filters };
}

function currentState() {
  return readState(new URLSearchParams(new FormData(form)));
}

function showState({ query, filters }) {
  input.value = query;
  for (const box of checkboxes) box.checked = (filters[box.name] || []).includes(box.value);
  showActive();
}

// The filters' button says how many are ticked: on a phone they are out of sight.
function showActive() {
  if (!activeLabel) return;
  const count = checkboxes.filter((box) => box.checked).length;
  activeLabel.textContent = count ? `(${say(T.activeFilters, { count })})` : "";
}

function urlFor({ query, filters }) {
  const params = new URLSearchParams();
  if (query) params.set("q", query);
  for (const [key, values] of Object.entries(filters)) {
    for (const value of values) params.append(key, value);
  }
  const search = params.toString();
  return location.pathname + (search ? `?${search}` : "");
}

function remember(state, how) {
  const url = urlFor(state);
  if (url !== location.pathname + location.search) history[how](null, "", url);
}

// Pagefind's excerpts mark matches with <mark>; keep those and nothing else.
function excerptNodes(html) {
  const doc = new DOMParser().parseFromString(`<p>${html}</p>`, "text/html");
  const nodes = [];
  for (const node of doc.body.firstChild.childNodes) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      nodes.push(mark);
    } else {
      nodes.push(document.createTextNode(node.textContent));
    }
  }
  return nodes;
}

// A translated string with its {placeholders} filled in; a count picks the "one" or "other" form.
function say(text, values = {}) {
  const chosen = typeof text === "string" ? text : values.count === 1 ? text.one : text.other;
  return chosen.replace(/\{(\w+)\}/g, (match, name) =>
    name in values ? String(values[name]) : match,
  );
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function renderResult(data) {
  const item = element("li", "search-result");
  const type = data.meta.type || "page";
  item.append(element("p", "search-result__type", T.types[type] || type));
  const heading = element("h2");
  const link = element("a", "", data.meta.title || data.url);
  link.href = data.url;
  heading.append(link);
  item.append(heading);
  const excerpt = element("p");
  excerpt.append(...excerptNodes(data.excerpt));
  item.append(excerpt);
  const sections = (data.sub_results || [])
    .filter((sub) => sub.url !== data.url && sub.title && sub.title !== data.meta.title)
    .slice(0, 3);
  if (type === "article" && sections.length) {
    const label = element("p", "search-result__sections-label", T.matchingSections);
    const ul = element("ul", "search-result__sections");
    for (const sub of sections) {
      const li = element("li");
      const a = element("a", "", sub.title);
      a.href = sub.url;
      li.append(a);
      ul.append(li);
    }
    item.append(label, ul);
  }
  return item;
}

// Counts for the ticked filters and query; null: the whole site's, which the build counted.
function showCounts(counts) {
  for (const span of form.querySelectorAll(".count[data-facet]")) {
    const { facet, value, total } = span.dataset;
    const n = counts === null ? total : counts?.[facet]?.[value];
    span.textContent = n === undefined ? "" : `(${n})`;
  }
}

// Which sentence fits: a query, filters, or both (an empty search never gets this far).
function variant({ query, filters }) {
  const filtered = Object.keys(filters).length > 0;
  if (!query) return "filtered";
  return filtered ? "queryFiltered" : "query";
}

function describe(state, total) {
  const found = say(T.found[variant(state)], { count: total, query: state.query });
  return total > PAGE_SIZE ? `${found} ${say(T.showingFirst, { count: PAGE_SIZE })}` : found;
}

// A search that fails (the index could not be loaded) says so and offers the lists instead.
async function run(state) {
  try {
    await search(state);
  } catch {
    pagefind = loading = null; // try loading again next time
    status.textContent = T.unavailable;
    list.replaceChildren();
    empty.hidden = false;
  }
}

async function search(state) {
  const ticket = ++latest;
  const { query, filters } = state;
  if (!query && !Object.keys(filters).length) {
    list.replaceChildren();
    empty.hidden = true;
    status.textContent = T.prompt;
    more.hidden = true;
    showCounts(null);
    whenIdle(loadPagefind); // so the first search need not wait for the search code
    return;
  }
  status.textContent = T.searching;
  let search;
  let fromPagefind = false;
  if (!query && (!filters.type || filters.type.every((type) => type === "exercise"))) {
    search = await browse(filters); // exercises by their facets: a small list, not the index
  } else {
    const api = await loadPagefind();
    search = await api.search(query || null, { filters: pagefindFilters(filters) });
    fromPagefind = true;
    search.filters = withImplicitType(search.filters, search.results.length);
  }
  const data = await Promise.all(search.results.slice(0, PAGE_SIZE).map((r) => r.data()));
  if (ticket !== latest) return; // a newer search has started: drop this one
  list.replaceChildren(...data.map(renderResult));
  shown = { results: search.results, count: data.length };
  more.hidden = search.results.length <= PAGE_SIZE;
  showCounts(search.filters);
  if (fromPagefind && !counting && facetKeys.length) countLater(state, ticket);
  if (!pagefind) whenIdle(loadPagefind); // browsed from the list: get ready for words
  empty.hidden = search.results.length > 0;
  status.textContent =
    search.results.length > 0
      ? describe(state, search.results.length)
      : say(T.notFound[variant(state)], { query });
}

// Pagefind counts filter values only once it has their files. The first search is answered
// without them (counting 10,000 pages costs it more than the search); then they are fetched
// and the same search counted.
async function countLater({ query, filters }, ticket) {
  try {
    const api = await loadPagefind();
    await api.filters();
    counting = true;
    if (ticket !== latest) return;
    const again = await api.search(query || null, { filters: pagefindFilters(filters) });
    if (ticket === latest) showCounts(withImplicitType(again.filters, again.results.length));
  } catch {
    // the counts are a nicety; the results are already shown
  }
}

// Pagefind's filters for the ticked boxes: any value within a group, every group across groups.
function pagefindFilters(filters) {
  const out = {};
  for (const [key, values] of Object.entries(filters)) {
    if (key === "type" && values.includes(implicitType)) {
      const others = typeValues.filter((type) => type !== implicitType && !values.includes(type));
      if (others.length) out.type = { none: others };
    } else {
      out[key] = { any: values };
    }
  }
  return out;
}

// Pagefind counts only the types it indexed; the implicit type's pages are the rest of the
// results.
function withImplicitType(counts, resultCount) {
  if (!counts || !typeValues.includes(implicitType)) return counts;
  const explicitTypes = typeValues.filter((type) => type !== implicitType);
  if (!counts.type && explicitTypes.length) return counts; // Pagefind has no filters yet
  const types = { ...(counts.type || {}) };
  const explicit = explicitTypes.reduce((sum, type) => sum + (types[type] || 0), 0);
  types[implicitType] = resultCount - explicit;
  return { ...counts, type: types };
}

function whenIdle(task) {
  (window.requestIdleCallback || setTimeout)(() => task().catch(() => {}));
}

// Browsing by filters alone. Pagefind 1.5 would download its whole word index for a search
// without a word; every page with facets beyond its type is an exercise, and the build lists
// them all with their facets in search/browse.json, a few bytes each. Same semantics: any
// value within a group, every group across groups. Answers look like Pagefind's.
let browseList = null;

async function browse(filters) {
  if (!browseList) {
    const response = await fetch(new URL("browse.json", location.href));
    if (!response.ok) throw new Error(String(response.status));
    browseList = (await response.json()).items;
  }
  const matches = (item, except) =>
    Object.entries(filters).every(
      ([key, values]) => key === except || values.some((v) => (item.filters[key] || []).includes(v)),
    );
  const results = browseList.filter((item) => matches(item));
  const counts = {};
  for (const key of facetKeys) {
    counts[key] = {};
    for (const box of checkboxes.filter((b) => b.name === key && key !== "type")) {
      counts[key][box.value] = 0;
    }
    for (const item of browseList.filter((candidate) => matches(candidate, key))) {
      for (const value of item.filters[key] || []) {
        counts[key][value] = (counts[key][value] || 0) + 1;
      }
    }
  }
  const escape = (text) =>
    text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  return {
    results: results.map((item) => ({
      data: async () => ({
        url: item.url,
        meta: { title: item.title, type: "exercise" },
        excerpt: escape(item.summary),
        sub_results: [],
      }),
    })),
    filters: counts,
  };
}

// "Show more results": the next page of results, focus moved to the first new one
more.addEventListener("click", async () => {
  const next = shown.results.slice(shown.count, shown.count + PAGE_SIZE);
  const data = await Promise.all(next.map((r) => r.data()));
  const items = data.map(renderResult);
  list.append(...items);
  shown.count += items.length;
  more.hidden = shown.count >= shown.results.length;
  status.textContent = say(T.showingMore, { count: shown.count, total: shown.results.length });
  items[0]?.querySelector("a")?.focus();
});

form.addEventListener("submit", (event) => {
  event.preventDefault();
  clearTimeout(typingTimer);
  const state = currentState();
  remember(state, "pushState");
  run(state);
});

input.addEventListener("input", () => {
  clearTimeout(typingTimer);
  // fetch the words' index chunks while the visitor is still typing
  const words = input.value.trim();
  if (pagefind && words) pagefind.preload(words).catch(() => {});
  typingTimer = setTimeout(() => {
    const state = currentState();
    remember(state, "replaceState"); // typing should not fill the back button's history
    run(state);
  }, TYPING_PAUSE_MS);
});

form.addEventListener("change", (event) => {
  if (event.target.type !== "checkbox") return;
  showActive();
  const state = currentState();
  remember(state, "pushState");
  run(state);
});

clear?.addEventListener("click", () => {
  for (const box of checkboxes) box.checked = false;
  showActive();
  const state = currentState();
  remember(state, "pushState");
  run(state);
  input.focus();
});

window.addEventListener("popstate", () => {
  const state = readState(new URLSearchParams(location.search));
  showState(state);
  run(state);
});

// Beside the results on a wide screen, the filters start open; on a phone, closed.
if (filterBox && window.matchMedia("(min-width: 52rem)").matches) filterBox.open = true;
document.getElementById("search-fallback").hidden = true;
document.getElementById("search-ui").hidden = false;
const initial = readState(new URLSearchParams(location.search));
showState(initial);
run(initial);
