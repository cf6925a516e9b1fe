"""Machine-readable outputs: sitemap, Atom feed and robots.txt.

Built with ElementTree rather than templates so the XML is always well formed, and from the
content's own dates so the same input always gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from healthsite.content.models import ArticleMeta, ExerciseMeta
from healthsite.render.jsonld import absolute
from healthsite.site.artifact import Artifact
from healthsite.site.assemble import SiteModel
from healthsite.site.routes import RenderJob

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
ATOM_NS = "http://www.w3.org/2005/Atom"
XHTML_NS = "http://www.w3.org/1999/xhtml"


def sitemap(models: dict[str, SiteModel], jobs: dict[str, list[RenderJob]]) -> Artifact:
    """Every public page in every language, each with its other-language versions.

    Unreviewed machine translations are left out (they also carry `noindex`): search engines
    should only send patients to text a person has checked.
    """
    ET.register_namespace("", SITEMAP_NS)
    ET.register_namespace("xhtml", XHTML_NS)
    root = ET.Element(f"{{{SITEMAP_NS}}}urlset")
    entries = []
    for lang, model in models.items():
        for job in jobs[lang]:
            if job.in_sitemap and job.url not in model.unreviewed:
                entries.append((job.url, model, job))
    listed = {url for url, _, _ in entries}
    for url, model, job in sorted(entries, key=lambda item: item[0]):
        entry = ET.SubElement(root, f"{{{SITEMAP_NS}}}url")
        ET.SubElement(entry, f"{{{SITEMAP_NS}}}loc").text = absolute(model, url)
        if job.doc is not None and isinstance(job.doc.meta, ArticleMeta | ExerciseMeta):
            ET.SubElement(
                entry, f"{{{SITEMAP_NS}}}lastmod"
            ).text = job.doc.meta.last_reviewed.isoformat()
        versions = _versions(model, job)
        if len(versions) > 1:
            for lang, version in sorted(versions.items()):
                if version in listed:
                    ET.SubElement(
                        entry,
                        f"{{{XHTML_NS}}}link",
                        rel="alternate",
                        hreflang=lang,
                        href=absolute(model, version),
                    )
    return Artifact("sitemap.xml", _xml(root))


def _versions(model: SiteModel, job: RenderJob) -> dict[str, str]:
    if job.doc is not None:
        return model.alternates.get(job.doc.key, {})
    main = model.config.settings.language
    return {
        lang: ("" if lang == main else f"/{lang}") + job.route for lang in model.config.languages
    }


def atom_feed(model: SiteModel) -> Artifact:
    """An Atom feed of articles, newest first, dated by content (never by build time)."""
    ET.register_namespace("", ATOM_NS)
    settings = model.config.settings
    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    ET.SubElement(feed, f"{{{ATOM_NS}}}title").text = settings.title
    if settings.tagline:
        ET.SubElement(feed, f"{{{ATOM_NS}}}subtitle").text = settings.tagline
    ET.SubElement(feed, f"{{{ATOM_NS}}}id").text = settings.base_url
    ET.SubElement(feed, f"{{{ATOM_NS}}}link", href=absolute(model, "/feed.xml"), rel="self")
    ET.SubElement(feed, f"{{{ATOM_NS}}}link", href=settings.base_url, rel="alternate")
    dates = [_updated(a.meta) for a in model.articles if isinstance(a.meta, ArticleMeta)]
    ET.SubElement(feed, f"{{{ATOM_NS}}}updated").text = _stamp(
        max(dates, default=dt.date(1970, 1, 1))
    )
    author = ET.SubElement(feed, f"{{{ATOM_NS}}}author")
    ET.SubElement(author, f"{{{ATOM_NS}}}name").text = model.clinic.name
    for article in model.articles:
        meta = article.meta
        assert isinstance(meta, ArticleMeta)
        url = absolute(model, model.url(article))
        entry = ET.SubElement(feed, f"{{{ATOM_NS}}}entry")
        ET.SubElement(entry, f"{{{ATOM_NS}}}title").text = article.title
        ET.SubElement(entry, f"{{{ATOM_NS}}}id").text = url
        ET.SubElement(entry, f"{{{ATOM_NS}}}link", href=url, rel="alternate")
        ET.SubElement(entry, f"{{{ATOM_NS}}}published").text = _stamp(
            meta.published or meta.last_reviewed
        )
        ET.SubElement(entry, f"{{{ATOM_NS}}}updated").text = _stamp(_updated(meta))
        person = model.clinic.people[meta.author]
        entry_author = ET.SubElement(entry, f"{{{ATOM_NS}}}author")
        ET.SubElement(entry_author, f"{{{ATOM_NS}}}name").text = person.name
        ET.SubElement(entry, f"{{{ATOM_NS}}}summary").text = meta.summary
    return Artifact("feed.xml", _xml(feed))


def robots(model: SiteModel) -> Artifact:
    text = f"User-agent: *\nAllow: /\n\nSitemap: {absolute(model, '/sitemap.xml')}\n"
    return Artifact("robots.txt", text.encode())


def _updated(meta: ArticleMeta) -> dt.date:
    return max(meta.published or meta.last_reviewed, meta.last_reviewed)


def _stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _xml(root: ET.Element) -> bytes:
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
