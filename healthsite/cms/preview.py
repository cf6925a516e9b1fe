"""The editing page's preview: an unsaved page rendered by the site's own templates.

The entry as it stands in the form is shaped and checked as a save would be (`cms.saves`),
parsed as the build parses a file, checked against the rest of the site as `assemble` checks
it, put into the last good build's site model and rendered with the site's templates. So the
preview shows the page as it will be published, with its dose sentence, labels and review
line, and lists what the build would refuse or warn about, field by field.

It renders with the last build's templates: every render has an environment and a recorder of
its own, so a preview never adds to what a rebuild records.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from healthsite.build.builder import SiteSnapshot
from healthsite.cms.saves import Writer
from healthsite.content.documents import Document, parse
from healthsite.content.sources import FOLDERS, Kind, SourceFile, slugify
from healthsite.diagnostics import Diagnostic
from healthsite.render.pages import Renderer, TemplateFailure
from healthsite.site.assemble import replace_document
from healthsite.site.checks import document_checks
from healthsite.site.routes import TEMPLATE_FOR, RenderJob, dest_for, url_for
from healthsite.site.site_model import SiteModel

MAIN = re.compile(r"<main\b[^>]*>(?P<inner>.*)</main>", re.DOTALL)
IDENTIFIER = {"exercises": "name", "articles": "title", "pages": "title"}


@dataclass
class Previewer:
    """Renders previews for one site."""

    writer: Writer
    content_dir: str

    def preview(
        self, snapshot: SiteSnapshot | None, collection: str, slug: str, data: dict[str, Any]
    ) -> dict[str, Any]:
        """`{"html": the page's <main>, "problems": ["field: what to do", ...]}`."""
        if collection not in IDENTIFIER:
            return {"html": "", "problems": []}
        name = slug or slugify(str(data.get(IDENTIFIER[collection]) or "")) or "new-page"
        path = f"{self.content_dir}/{collection}/{name}.md"
        text, errors = self.writer.draft(path, data)
        if errors or snapshot is None:
            note = [] if snapshot else ["The site has not been built yet: no preview."]
            return {"html": "", "problems": note + [_words(d) for d in errors]}
        doc, found = _parse(text, path, name, collection, snapshot)
        if doc is None:
            return {"html": "", "problems": [_words(d) for d in found if d.is_error]}
        site = snapshot.site
        found += document_checks(doc, site)
        lang = site.config.settings.language
        model = _with(site.models[lang], doc, lang)
        try:
            page = _render(snapshot, model, doc)
        except TemplateFailure as failure:
            return {"html": "", "problems": [failure.diagnostic.headline()]}
        match = MAIN.search(page)
        return {"html": match["inner"] if match else page, "problems": [_words(d) for d in found]}


def _render(snapshot: SiteSnapshot, model: SiteModel, doc: Document) -> str:
    url = model.url(doc)
    job = RenderJob(TEMPLATE_FOR[doc.kind], url, dest_for(url), doc, route=url)
    artifact, _ = Renderer(model, snapshot.templates).render(job)
    return artifact.content.decode("utf-8")


def _parse(
    text: str, path: str, slug: str, collection: str, snapshot: SiteSnapshot
) -> tuple[Document | None, list[Diagnostic]]:
    """Parse the draft as the build parses a file (from a file: `parse` reads one)."""
    lang = snapshot.site.config.settings.language
    with tempfile.TemporaryDirectory(prefix="healthsite-preview-") as folder:
        draft = Path(folder) / "draft.md"
        draft.write_text(text, encoding="utf-8")
        source = SourceFile(FOLDERS[collection], path, draft, slug, lang)
        doc, found = parse(source)
    if not isinstance(doc, Document):
        return None, found
    return replace(doc, meta=doc.meta.model_copy(update={"draft": False})), found


def _with(model: SiteModel, doc: Document, lang: str) -> SiteModel:
    """The model with `doc` in place of the page it edits, or added as a new page."""
    old = next((d for d in model.documents if d.src_path == doc.src_path), None)
    if old is not None:
        return replace_document(model, old, doc)
    urls = {**model.urls, doc.src_path: url_for(doc, lang)}
    if doc.kind is Kind.EXERCISE:
        return replace(model, urls=urls, exercises=(*model.exercises, doc))
    if doc.kind is Kind.ARTICLE:
        return replace(model, urls=urls, articles=(*model.articles, doc))
    return replace(model, urls=urls, pages=(*model.pages, doc))


def _words(diagnostic: Diagnostic) -> str:
    """A problem as the preview lists it: what is wrong and what to do, without the file."""
    text = diagnostic.message
    if diagnostic.hint:
        text += f" ({diagnostic.hint})"
    return text if diagnostic.is_error else f"To check: {text}"
