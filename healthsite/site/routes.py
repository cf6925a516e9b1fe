"""The route table: every page the site will have, decided in one place before anything renders."""

from __future__ import annotations

from dataclasses import dataclass

from healthsite.site.assemble import SiteModel
from healthsite.content.documents import Document
from healthsite.content.sources import Kind
from healthsite.content.models import N_

TEMPLATE_FOR: dict[Kind, str] = {
    Kind.ARTICLE: "article.html",
    Kind.EXERCISE: "exercise.html",
    Kind.PAGE: "page.html",
}


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


def dest_for(url: str) -> str:
    """Pretty URLs: `/exercises/bridge/` is written as `exercises/bridge/index.html`."""
    path = url.lstrip("/")
    return path + "index.html" if url.endswith("/") else path


#: Pages the site makes itself in every language: (template, route, title, in the sitemap).
FIXED_PAGES = (
    ("home.html", "/", "", True),
    ("articles.html", "/articles/", N_("Articles"), True),
    ("exercises.html", "/exercises/", N_("Exercises"), True),
    ("contact.html", "/contact/", N_("Contact us"), True),
    # the patient's own routine (kept in their browser) and what the service worker shows
    # for a page it has not kept, without a connection: nothing for search engines
    ("routine.html", "/routine/", N_("My routine"), False),
    ("offline.html", "/offline/", N_("No internet connection"), False),
)


def plan(model: SiteModel) -> list[RenderJob]:
    """Home, lists, contact, search, one page per document (and the 404 page), stable order."""
    prefix = model.lang_prefix
    settings = model.config.settings
    fixed = list(FIXED_PAGES)
    if settings.search.enabled:
        fixed.append(("search.html", "/search/", N_("Search"), False))
    jobs = []
    for template, route, title, in_sitemap in fixed:
        url = prefix + route
        jobs.append(
            RenderJob(
                template, url, dest_for(url), None, title or settings.title, in_sitemap, route
            )
        )
    # a 404 page per language: hosts serve /es/404.html for a missing address under /es/
    not_found = prefix + "/404.html"
    jobs.append(
        RenderJob(
            "404.html",
            not_found,
            not_found.lstrip("/"),
            None,
            N_("Page not found"),
            False,
            "/404.html",
        )
    )
    for doc in model.documents:
        url = model.url(doc)
        jobs.append(
            RenderJob(
                TEMPLATE_FOR[doc.kind], url, dest_for(url), doc, route=url.removeprefix(prefix)
            )
        )
    return sorted(jobs, key=lambda job: job.dest_path)
