"""The route table: every page the site will have, decided in one place before anything renders."""

from __future__ import annotations

from dataclasses import dataclass

from .assemble import SiteModel
from .content import Document, Kind

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
    """Site-relative URL, e.g. `/exercises/bridge/`."""
    dest_path: str
    """Path inside the output folder, e.g. `exercises/bridge/index.html`."""
    doc: Document | None = None
    title: str = ""
    """Title of a page that has no document (lists, 404)."""
    in_sitemap: bool = True


def dest_for(url: str) -> str:
    """Pretty URLs: `/exercises/bridge/` is written as `exercises/bridge/index.html`."""
    path = url.lstrip("/")
    return path + "index.html" if url.endswith("/") else path


def plan(model: SiteModel) -> list[RenderJob]:
    """Home, lists, one page per document and the 404 page, in a stable order."""
    jobs = [
        RenderJob("home.html", "/", "index.html", title=model.config.settings.title),
        RenderJob("articles.html", "/articles/", "articles/index.html", title="Articles"),
        RenderJob("exercises.html", "/exercises/", "exercises/index.html", title="Exercises"),
        RenderJob("contact.html", "/contact/", "contact/index.html", title="Contact us"),
        RenderJob("404.html", "/404.html", "404.html", title="Page not found", in_sitemap=False),
        *(
            [
                RenderJob(
                    "search.html", "/search/", "search/index.html", title="Search", in_sitemap=False
                )
            ]
            if model.config.settings.search.enabled
            else []
        ),
    ]
    for doc in (*model.articles, *model.exercises, *model.pages):
        url = model.url(doc)
        jobs.append(RenderJob(TEMPLATE_FOR[doc.kind], url, dest_for(url), doc))
    return sorted(jobs, key=lambda job: job.dest_path)
