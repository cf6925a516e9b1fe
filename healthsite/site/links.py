"""Links inside the site, checked against the route table before anything is published.

Every link an editor writes in a body (`[the bridge](/exercises/bridge/)`) and every source in
front matter that points at this site is resolved like a browser would, from the page it is on,
and must name a page the site makes; a `#part` must name an `id` on that page (its headings, ids
in its body, or ids its templates write). External links are never fetched here: that is
`check-links`, on request.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from healthsite.config import SiteConfig
from healthsite.content.documents import Document
from healthsite.content.models import ArticleMeta, ExerciseMeta
from healthsite.content.sources import SourceFile
from healthsite.diagnostics import Diagnostic, did_you_mean, error
from healthsite.site.routes import Routes, url_for
from healthsite.site.site_model import Site, SiteModel

#: Schemes that are not web pages: nothing to check.
OTHER_SCHEMES = re.compile(r"^(mailto|tel|sms|data|javascript):", re.IGNORECASE)
BODY_ID = re.compile(r'\bid="([^"]+)"')


@dataclass(frozen=True, slots=True)
class LinkTargets:
    """Where a link may go: every route of the site, and the ids on each document's page."""

    routes: frozenset[str]
    anchors: dict[str, frozenset[str]]
    """Route → the ids on it, for pages made from a document."""
    template_ids: frozenset[str]
    """Ids the templates write on every page of a kind (`stop-if-heading`, `main`...)."""
    template_patterns: tuple[re.Pattern[str], ...]
    """Ids templates make from values (`ex-{{ exercise.slug }}` → `ex-.+`)."""
    host: str
    prefix: str
    anchored: frozenset[str] = frozenset()
    """Routes that some page links to with a `#part`: their headings matter to others."""
    unpublished: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Routes of pages the site leaves out → (why: "draft" or "unreadable", their file). A link
    to a file that could not be read is not reported again: its own errors come first."""

    def has_anchor(self, route: str, anchor: str, own: frozenset[str] | None = None) -> bool:
        """Whether `#anchor` is on the page at `route` (`own`: the ids of the linking page,
        when it links to itself)."""
        ids = own if own is not None else self.anchors.get(route)
        if ids is None or anchor in ("", "top"):
            return True  # a page the site makes itself: its ids are not known here
        return (
            anchor in ids
            or anchor in self.template_ids
            or any(p.fullmatch(anchor) for p in self.template_patterns)
        )


def link_targets(
    config: SiteConfig,
    models: dict[str, SiteModel],
    routes: Routes,
    ids: tuple[frozenset[str], tuple[re.Pattern[str], ...]],
    unpublished: dict[str, tuple[str, str]] | None = None,
) -> LinkTargets:
    """The route table and the ids of every document's page, made once per build. `ids`: the
    ids the templates write (literal, and patterns for those made from values); `unpublished`:
    from `unpublished_routes`."""
    pages = {job.url for jobs in routes.pages.values() for job in jobs}
    files = {"/" + route.dest_path for route in routes.files}
    assets = {f"/{dest}" for dest in next(iter(models.values())).assets.dests}
    anchors = {
        model.url(doc): _ids(doc) for model in models.values() for doc in model.documents
    }
    split = urlsplit(config.settings.base_url)
    targets = LinkTargets(
        frozenset(pages | files | assets),
        anchors,
        ids[0],
        ids[1],
        split.netloc.lower(),
        config.url_prefix,
        unpublished={
            url: why for url, why in (unpublished or {}).items() if url not in pages
        },
    )
    anchored = {
        route
        for model in models.values()
        for doc in model.documents
        for href, _ in _links(doc)
        if "#" in href and (route := _resolve(href, model.url(doc), targets)) is not None
    }
    return replace(targets, anchored=frozenset(anchored))


def unpublished_routes(
    site: Site, documents: Iterable[Document], unreadable: Iterable[SourceFile]
) -> dict[str, tuple[str, str]]:
    """Where the pages the site leaves out would be: drafts (the `documents` the site does not
    publish) and files that could not be read."""
    shown = {d.src_path for model in site.models.values() for d in model.documents}
    main_language = site.config.settings.language
    routes = {
        url_for(doc, main_language): ("draft", doc.src_path)
        for doc in documents
        if doc.src_path not in shown and doc.is_draft
    }
    routes.update({url_for(s, main_language): ("unreadable", s.src_path) for s in unreadable})
    return routes


def checked_links(
    site: Site,
    routes: Routes,
    ids: tuple[frozenset[str], tuple[re.Pattern[str], ...]],
    documents: Iterable[Document],
    unreadable: Iterable[SourceFile],
) -> tuple[LinkTargets, list[Diagnostic]]:
    """Where links may go, and every broken internal link of the published site. `documents`:
    every parsed page, drafts too; `unreadable`: the files that could not be read."""
    left_out = unpublished_routes(site, documents, unreadable)
    targets = link_targets(site.config, site.models, routes, ids, left_out)
    return targets, site_links(site.models, targets)


def site_links(models: dict[str, SiteModel], targets: LinkTargets) -> list[Diagnostic]:
    """Every broken internal link of every published page."""
    return [
        problem
        for model in models.values()
        for doc in model.documents
        for problem in document_links(doc, model.url(doc), targets)
    ]


def document_links(doc: Document, url: str, targets: LinkTargets) -> list[Diagnostic]:
    """The broken internal links of one page: in its body, and in its sources' addresses."""
    found = []
    own = _ids(doc)  # its own headings as they are now, even when the rest is from before
    for href, line in _links(doc):
        problem = _check(href, url, targets, own)
        if problem is not None:
            message, hint = problem
            found.append(error(problem_code(message), message, doc.src_path, line, hint))
    return found


def external_links(doc: Document) -> Iterator[tuple[str, int]]:
    """Links to other websites, with their lines: what `check-links` fetches."""
    for href, line in _links(doc):
        if re.match(r"^https?://", href, re.IGNORECASE):
            yield href, line


def problem_code(message: str) -> str:
    return "anchor" if "has no part" in message else "link"


def _links(doc: Document) -> Iterator[tuple[str, int]]:
    for link in doc.body.links:
        yield link.href, link.line
    meta = doc.meta
    if isinstance(meta, ArticleMeta | ExerciseMeta):
        for index, source in enumerate(meta.sources):
            if source.url:
                yield source.url, doc.source.line_of(("sources", index, "url"))


def _path(href: str, page: str, targets: LinkTargets) -> str | None:
    """The site path a link goes to, resolved from `page`; None for another website or a
    scheme that is not a web page."""
    href = href.strip()
    if not href or OTHER_SCHEMES.match(href):
        return None
    split = urlsplit(href)
    if split.scheme or split.netloc:
        if split.scheme.lower() not in ("http", "https", "") or split.netloc.lower() != (
            targets.host
        ):
            return None  # another website: check-links fetches it, the build never does
        path = split.path or "/"
        if targets.prefix != "/" and path.startswith(targets.prefix):
            path = "/" + path[len(targets.prefix) :]
    elif split.path:
        path = urljoin(page, split.path)
    else:
        path = page
    path = posixpath.normpath(unquote(path)) + ("/" if path.endswith("/") else "")
    return "/" if path in ("//", "/./") else path


def _resolve(href: str, page: str, targets: LinkTargets) -> str | None:
    path = _path(href, page, targets)
    return None if path is None else _route(path, targets.routes)


def _check(
    href: str, page: str, targets: LinkTargets, own: frozenset[str]
) -> tuple[str, str] | None:
    """(message, hint) for a broken internal link; None for a good or an external one."""
    path = _path(href, page, targets)
    if path is None:
        return None
    route = _route(path, targets.routes)
    if route is None:
        left_out = next(
            (targets.unpublished[p] for p in (path, path + "/") if p in targets.unpublished), None
        )
        if left_out is None:
            return _missing_page(href.strip(), path, targets)
        if left_out[0] == "unreadable":
            return None  # the file's own errors are reported: once it is fixed, it is checked
        return (
            f"link to {href.strip()}: {left_out[1]} is a draft, so the site does not have it",
            "publish it ('draft: false') once a clinician has reviewed it, or remove the link",
        )
    anchor = unquote(urlsplit(href.strip()).fragment)
    if anchor and not targets.has_anchor(route, anchor, own if route == page else None):
        ids = sorted(own if route == page else targets.anchors.get(route, ()))
        where = "this page" if route == page else route
        close = re.findall(r"'(.*)'", did_you_mean(anchor, [*ids, *targets.template_ids]))
        hint = (
            f"did you mean #{close[0]}?"
            if close
            else "the part after # must be the name of a heading on that page: its words in "
            "lowercase, joined by hyphens" + (f" ({', '.join('#' + i for i in ids[:6])})" if ids else "")
        )
        return f"link to {href}: {where} has no part '#{anchor}'", hint
    return None


def _route(path: str, routes: frozenset[str]) -> str | None:
    """The route a path reaches: as written, with its missing '/', or as `index.html`."""
    for candidate in (path, path + "/", path.removesuffix("index.html")):
        if candidate in routes:
            return candidate
    return None


def _missing_page(href: str, path: str, targets: LinkTargets) -> tuple[str, str]:
    pages = sorted(r for r in targets.routes if r.endswith("/"))
    if path.endswith(".md"):
        stem = posixpath.basename(path)[:-3]
        near = [r for r in pages if r.rstrip("/").rsplit("/", 1)[-1] == stem]
        return (
            f"link to {href}: a link goes to a page's address, not to its file",
            f"write {near[0]} instead" if near else "write the page's address, like /exercises/bridge/",
        )
    hint = did_you_mean(path, pages)
    resolved = "" if path in (href, href.split("#")[0]) else f" ({path})"
    return (
        f"link to {href}: the site has no such page{resolved}",
        hint or "copy the address from the page in the preview (python build.py serve)",
    )


def _ids(doc: Document) -> frozenset[str]:
    return frozenset([h.id for h in doc.body.headings] + BODY_ID.findall(doc.body.html))
