"""The route table: where every output goes, decided in one place before anything renders.

Pages (one per document, plus home, lists, contact, search and the 404 page, in every
language) and site files (sitemap, feed, robots.txt, `_headers`, the contact card, the search
page's browse lists) get their paths here; URLs a content page may not take follow from them.
Static files get theirs from their fingerprints (`assets.py`), the search bundle its folder here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

from healthsite.content.documents import Document
from healthsite.content.models import N_
from healthsite.content.sources import Kind, SourceFile
from healthsite.site.assets import OUTPUT_FOLDER as STATIC_FOLDER
from healthsite.site.site_model import SiteModel

TEMPLATE_FOR: dict[Kind, str] = {
    Kind.ARTICLE: "article.html",
    Kind.EXERCISE: "exercise.html",
    Kind.PAGE: "page.html",
}

ROUTINE_PAGE = "/routine/"
OFFLINE_PAGE = "/offline/"
#: Pages the site makes itself in every language: (template, route, title, in the sitemap).
FIXED_PAGES = (
    ("home.html", "/", "", True),
    ("articles.html", "/articles/", N_("Articles"), True),
    ("exercises.html", "/exercises/", N_("Exercises"), True),
    ("contact.html", "/contact/", N_("Contact us"), True),
    # the patient's own routine (kept in their browser) and what the service worker shows
    # for a page it has not kept, without a connection: nothing for search engines
    ("routine.html", ROUTINE_PAGE, N_("My routine"), False),
    ("offline.html", OFFLINE_PAGE, N_("No internet connection"), False),
)
#: Pages the offline service worker keeps in every language (see `render/offline.py`).
SHELL_PAGES = (ROUTINE_PAGE, OFFLINE_PAGE)
SEARCH_PAGE = ("search.html", "/search/", N_("Search"), False)
NOT_FOUND = "/404.html"
#: Pages shown in place of another address (a missing one, one not kept offline): they are no
#: place of their own, so they name no canonical address and ask search engines not to index them.
STAND_IN_PAGES = frozenset({NOT_FOUND, OFFLINE_PAGE})


class FileKind(Enum):
    """The site files: made from the whole site, not from a template."""

    SITEMAP = "sitemap"
    FEED = "feed"
    ROBOTS = "robots"
    HEADERS = "headers"
    VCARD = "vcard"
    SERVICE_WORKER = "service worker"
    """Offline reading: `sw.js`, at the site's root so that it may answer for every page."""
    BROWSE = "browse"
    """A language's exercises with their search filters (search pages only)."""


#: One file for the whole site, whatever the language: (kind, output path).
SITE_FILES = (
    (FileKind.SITEMAP, "sitemap.xml"),
    (FileKind.ROBOTS, "robots.txt"),
    (FileKind.HEADERS, "_headers"),
    (FileKind.VCARD, "clinic.vcf"),
    (FileKind.SERVICE_WORKER, "sw.js"),
)
#: One file per language, under its prefix: `feed.xml`, `es/feed.xml`.
LANGUAGE_FILES = (
    (FileKind.FEED, "feed.xml"),
    (FileKind.BROWSE, "search/browse.json"),
)
PATH_OF = dict(SITE_FILES + LANGUAGE_FILES)
#: The search index (Pagefind's bundle) of every language.
SEARCH_BUNDLE = "pagefind"
#: Site files a page in any language links to as they are (never under `/es/`).
LANGUAGE_NEUTRAL = frozenset(
    "/" + PATH_OF[kind] for kind in (FileKind.VCARD, FileKind.SITEMAP, FileKind.ROBOTS)
)
#: URLs the engine makes in every language; a content page may not take one.
RESERVED_URLS = frozenset(
    [route for _, route, _, _ in (*FIXED_PAGES, SEARCH_PAGE)]
    + [NOT_FOUND]
    + ["/" + path for _, path in SITE_FILES + LANGUAGE_FILES]
)
#: Where the editing page is, on the preview server and when published (`export-editor`).
EDITOR_PATH = "/admin/"
#: Folders the engine writes into: fingerprinted static files, the search index, the editor.
RESERVED_PREFIXES = (f"/{STATIC_FOLDER}/", f"/{SEARCH_BUNDLE}/", EDITOR_PATH)


@dataclass(frozen=True, slots=True)
class RenderJob:
    """One HTML page to render: which template, for which document, to which file."""

    template: str
    url: str
    """Site-relative URL, e.g. `/exercises/bridge/` or, in Spanish, `/es/exercises/bridge/`."""
    dest_path: str
    """Path inside the output folder, e.g. `exercises/bridge/index.html`."""
    doc: Document | None = None
    title: str = ""
    """Title of a page that has no document (lists, 404), in the main language."""
    in_sitemap: bool = True
    route: str = ""
    """The URL without its language prefix: the same for every language version of a page."""


@dataclass(frozen=True, slots=True)
class FileRoute:
    """One site file: what it is and where it goes (`lang`: for a per-language file)."""

    kind: FileKind
    dest_path: str
    lang: str = ""


@dataclass(frozen=True, slots=True)
class Routes:
    """Every output of the site but static files and the search bundle: the plan stage's result."""

    pages: dict[str, tuple[RenderJob, ...]]
    """Each language's pages, sorted by output path."""
    files: tuple[FileRoute, ...]


def url_for(doc: Document | SourceFile, main_language: str) -> str:
    """Each kind's pretty URL, under `/<lang>/` for other languages (for a file that could not
    be read, the URL its name would give it)."""
    prefix = "" if doc.lang in ("", main_language) else f"/{doc.lang}"
    if doc.kind is Kind.ARTICLE:
        return f"{prefix}/articles/{doc.slug}/"
    if doc.kind is Kind.EXERCISE:
        return f"{prefix}/exercises/{doc.slug}/"
    return f"{prefix}/{doc.slug}/"


def is_reserved(url: str, lang: str, other_languages: tuple[str, ...]) -> bool:
    """Whether a content page's URL is one the engine makes itself (in any language)."""
    bare = url.removeprefix(f"/{lang}") if lang in other_languages else url
    language_home = url in {f"/{code}/" for code in other_languages}
    return bare in RESERVED_URLS or bare.startswith(RESERVED_PREFIXES) or language_home


def dest_for(url: str) -> str:
    """Pretty URLs: `/exercises/bridge/` is written as `exercises/bridge/index.html`."""
    path = url.lstrip("/")
    return path + "index.html" if url.endswith("/") else path


def plan(models: Mapping[str, SiteModel]) -> Routes:
    """Every page of every language, and every site file."""
    pages = {lang: tuple(plan_pages(model)) for lang, model in models.items()}
    return Routes(pages, tuple(site_files(models)))


def plan_pages(model: SiteModel) -> list[RenderJob]:
    """Home, lists, contact, search, one page per document (and the 404 page), stable order."""
    prefix = model.lang_prefix
    settings = model.config.settings
    fixed = [*FIXED_PAGES, SEARCH_PAGE] if settings.search.enabled else list(FIXED_PAGES)
    jobs = []
    for template, route, title, in_sitemap in fixed:
        url = prefix + route
        jobs.append(
            RenderJob(
                template, url, dest_for(url), None, title or settings.title, in_sitemap, route
            )
        )
    # a 404 page per language: hosts serve /es/404.html for a missing address under /es/
    not_found = prefix + NOT_FOUND
    title = N_("Page not found")
    jobs.append(RenderJob("404.html", not_found, dest_for(not_found), None, title, False, NOT_FOUND))
    for doc in model.documents:
        url = model.url(doc)
        jobs.append(
            RenderJob(
                TEMPLATE_FOR[doc.kind], url, dest_for(url), doc, route=url.removeprefix(prefix)
            )
        )
    return sorted(jobs, key=lambda job: job.dest_path)


def site_files(models: Mapping[str, SiteModel]) -> list[FileRoute]:
    """The site files, in the order they are made: the whole site's, then each language's feed,
    then its browse list where search is on."""
    files = [FileRoute(kind, path) for kind, path in SITE_FILES]
    files += [FileRoute(FileKind.FEED, feed_path(model), model.lang) for model in models.values()]
    for model in models.values():
        if model.config.settings.search.enabled:
            files.append(FileRoute(FileKind.BROWSE, browse_path(model), model.lang))
    return files


def language_path(prefix: str, path: str) -> str:
    """A language's copy of a site path: `feed.xml`, or `es/feed.xml` under the prefix `/es`."""
    return f"{prefix.lstrip('/')}/{path}".lstrip("/")


def feed_path(model: SiteModel) -> str:
    """Where a language's Atom feed goes: `feed.xml`, `es/feed.xml`."""
    return language_path(model.lang_prefix, PATH_OF[FileKind.FEED])


def browse_path(model: SiteModel) -> str:
    """Where a language's browse list goes: `search/browse.json`, `es/search/browse.json`."""
    return language_path(model.lang_prefix, PATH_OF[FileKind.BROWSE])
