"""Parse one content file on its own (pure: same bytes, same result): front matter validated
against its kind's model, body rendered to safe HTML."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from healthsite.content.markdown_body import RenderedBody, render_markdown
from healthsite.content.models import (
    ArticleMeta,
    ArticleTranslation,
    ExerciseMeta,
    ExerciseTranslation,
    PageMeta,
    PageTranslation,
    Provenance,
)
from healthsite.content.schema import validate
from healthsite.content.sources import Kind, SourceFile
from healthsite.content.yaml_lines import YamlDoc, split_front_matter
from healthsite.diagnostics import Diagnostic
from healthsite.inputs import Refused

META_MODELS: dict[Kind, type[BaseModel]] = {
    Kind.ARTICLE: ArticleMeta,
    Kind.EXERCISE: ExerciseMeta,
    Kind.PAGE: PageMeta,
}


TRANSLATION_MODELS: dict[Kind, type[BaseModel]] = {
    Kind.ARTICLE: ArticleTranslation,
    Kind.EXERCISE: ExerciseTranslation,
    Kind.PAGE: PageTranslation,
}


Meta = ArticleMeta | ExerciseMeta | PageMeta


TranslationMeta = ArticleTranslation | ExerciseTranslation | PageTranslation


@dataclass(frozen=True, slots=True)
class Document:
    """A parsed, validated content file (a translation is merged with its source in assemble)."""

    kind: Kind
    src_path: str
    slug: str
    meta: Meta
    body: RenderedBody
    source: YamlDoc
    """The front matter as written, kept for the line numbers of later checks."""
    lang: str = ""
    provenance: Provenance | None = None
    """How the page was translated; None for a page in the site's main language."""
    source_path: str = ""
    """For a translation: the file it was translated from."""
    untranslated: frozenset[str] = frozenset()
    """Fields shown in the source language because their translation is not yet reviewed."""

    @property
    def title(self) -> str:
        return self.meta.name if isinstance(self.meta, ExerciseMeta) else self.meta.title

    @property
    def is_draft(self) -> bool:
        return self.meta.draft

    @property
    def key(self) -> tuple[Kind, str]:
        """What ties a page to its translations: kind and slug."""
        return (self.kind, self.slug)


@dataclass(frozen=True, slots=True)
class TranslationDoc:
    """A parsed translation file, before it is merged with its source."""

    kind: Kind
    src_path: str
    slug: str
    lang: str
    meta: TranslationMeta
    body: RenderedBody
    source: YamlDoc


def parse(source: SourceFile) -> tuple[Document | TranslationDoc | None, list[Diagnostic]]:
    """Front matter validated against the kind's schema, body rendered to safe HTML."""
    try:
        text = source.read_text()
    except Refused as refused:
        return None, [refused.at(source.src_path)]
    split, diagnostics = split_front_matter(text, source.src_path)
    if split is None:
        return None, diagnostics
    models = TRANSLATION_MODELS if source.is_translation else META_MODELS
    meta, problems = validate(models[source.kind], split.meta, source.src_path)
    diagnostics += problems
    body, problems = render_markdown(split.body, source.src_path, split.body_first_line)
    diagnostics += problems
    if meta is None:
        return None, diagnostics
    if isinstance(meta, ArticleTranslation | ExerciseTranslation | PageTranslation):
        translation = TranslationDoc(
            source.kind, source.src_path, source.slug, source.lang, meta, body, split.meta
        )
        return translation, diagnostics
    assert isinstance(meta, ArticleMeta | ExerciseMeta | PageMeta)
    slug = meta.slug or source.slug
    document = Document(source.kind, source.src_path, slug, meta, body, split.meta, source.lang)
    return document, diagnostics
