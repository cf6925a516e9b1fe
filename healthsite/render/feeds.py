"""Machine-readable outputs: sitemap, an Atom feed per language and robots.txt.

Built with ElementTree rather than templates so the XML is always well formed, and from the
content's own dates so the same input always gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from healthsite.content.documents import Document
from healthsite.content.models import ArticleMeta, ExerciseMeta
from healthsite.content.sources import Kind
from healthsite.render.jsonld import absolute
from healthsite.site.routes import PATH_OF, FileKind, RenderJob, feed_path
from healthsite.site.site_model import SiteModel

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
ATOM_NS = "http://www.w3.org/2005/Atom"
XHTML_NS = "http://www.w3.org/1999/xhtml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def sitemap(models: dict[str, SiteModel], jobs: dict[str, tuple[RenderJob, ...]]) -> bytes:
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
        for lang, version in _alternates(model, job, listed):
            ET.SubElement(
                entry,
                f"{{{XHTML_NS}}}link",
                rel="alternate",
                hreflang=lang,
                href=absolute(model, version),
            )
    return _xml(root)


def _alternates(model: SiteModel, job: RenderJob, listed: set[str]) -> list[tuple[str, str]]:
    """Every listed language version, and `x-default` (the main language's) as on the page.

    The same set for every version of a page, so each one names all the others and itself.
    """
    versions = {lang: url for lang, url in _versions(model, job).items() if url in listed}
    if len(versions) < 2:
        return []
    found = sorted(versions.items())
    main = versions.get(model.config.settings.language)
    return [*found, ("x-default", main)] if main else found


def _versions(model: SiteModel, job: RenderJob) -> dict[str, str]:
    if job.doc is not None:
        return model.alternates.get(job.doc.key, {})
    main = model.config.settings.language
    return {
        lang: ("" if lang == main else f"/{lang}") + job.route for lang in model.config.languages
    }


def atom_feed(model: SiteModel) -> bytes:
    """One language's Atom feed: its articles and exercises, newest first, dated by content
    (never by build time). Unreviewed machine translations are left out, as in the sitemap."""
    ET.register_namespace("", ATOM_NS)
    settings = model.config.settings.in_language(model.lang)
    home = absolute(model, model.lang_prefix + "/")
    feed = ET.Element(f"{{{ATOM_NS}}}feed", {XML_LANG: model.lang})
    ET.SubElement(feed, f"{{{ATOM_NS}}}title").text = settings.title
    if settings.tagline:
        ET.SubElement(feed, f"{{{ATOM_NS}}}subtitle").text = settings.tagline
    ET.SubElement(feed, f"{{{ATOM_NS}}}id").text = home
    ET.SubElement(
        feed, f"{{{ATOM_NS}}}link", href=absolute(model, "/" + feed_path(model)), rel="self"
    )
    ET.SubElement(feed, f"{{{ATOM_NS}}}link", href=home, rel="alternate")
    entries = [
        doc for doc in (*model.articles, *model.exercises) if model.url(doc) not in model.unreviewed
    ]
    entries.sort(key=lambda doc: (-_updated(doc.meta).toordinal(), doc.title))  # newest first
    dates = [_updated(doc.meta) for doc in entries]
    ET.SubElement(feed, f"{{{ATOM_NS}}}updated").text = _stamp(
        max(dates, default=dt.date(1970, 1, 1))
    )
    author = ET.SubElement(feed, f"{{{ATOM_NS}}}author")
    ET.SubElement(author, f"{{{ATOM_NS}}}name").text = model.clinic.name
    for doc in entries:
        _entry(feed, model, doc)
    return _xml(feed)


def _entry(feed: ET.Element, model: SiteModel, doc: Document) -> None:
    meta = doc.meta
    assert isinstance(meta, ArticleMeta | ExerciseMeta)
    url = absolute(model, model.url(doc))
    entry = ET.SubElement(feed, f"{{{ATOM_NS}}}entry")
    ET.SubElement(entry, f"{{{ATOM_NS}}}title").text = doc.title
    ET.SubElement(entry, f"{{{ATOM_NS}}}id").text = url
    ET.SubElement(entry, f"{{{ATOM_NS}}}link", href=url, rel="alternate")
    published = meta.published if isinstance(meta, ArticleMeta) else None
    ET.SubElement(entry, f"{{{ATOM_NS}}}published").text = _stamp(published or meta.last_reviewed)
    ET.SubElement(entry, f"{{{ATOM_NS}}}updated").text = _stamp(_updated(meta))
    person = model.clinic.people[meta.author]
    entry_author = ET.SubElement(entry, f"{{{ATOM_NS}}}author")
    ET.SubElement(entry_author, f"{{{ATOM_NS}}}name").text = person.name
    kind = "exercise" if doc.kind is Kind.EXERCISE else "article"
    ET.SubElement(entry, f"{{{ATOM_NS}}}category", term=kind)
    ET.SubElement(entry, f"{{{ATOM_NS}}}summary").text = meta.summary


def robots(model: SiteModel) -> bytes:
    sitemap_url = absolute(model, "/" + PATH_OF[FileKind.SITEMAP])
    return f"User-agent: *\nAllow: /\n\nSitemap: {sitemap_url}\n".encode()


def _updated(meta: object) -> dt.date:
    assert isinstance(meta, ArticleMeta | ExerciseMeta)
    published = meta.published if isinstance(meta, ArticleMeta) else None
    return max(published or meta.last_reviewed, meta.last_reviewed)


def _stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _xml(root: ET.Element) -> bytes:
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
