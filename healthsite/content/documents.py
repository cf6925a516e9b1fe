"""Parse one content file on its own (pure: same bytes, same result): front matter validated
against its kind's model, body rendered to safe HTML."""

from __future__ import annotations

from dataclasses import dataclass, replace

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
from healthsite.content.placeholders import (
    Placeholder,
    find_in_body,
    find_in_meta,
    with_stand_ins,
    without_others,
)
from healthsite.content.placeholders import diagnostics as placeholder_problems
from healthsite.content.readability import Readability, measure, patient_text
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
    placeholders: tuple[Placeholder, ...] = ()
    """Text a scaffold left for the editor to write: only a draft may still hold any."""
    readability: Readability | None = None
    """How easy its words are to read; None when no formula fits its language."""

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
    placeholders: tuple[Placeholder, ...] = ()
    readability: Readability | None = None


def parse(source: SourceFile) -> tuple[Document | TranslationDoc | None, list[Diagnostic]]:
    """Front matter validated against the kind's schema, body rendered to safe HTML."""
    try:
        text = source.read_text()
    except Refused as refused:
        return None, [refused.at(source.src_path)]
    split, diagnostics = split_front_matter(text, source.src_path)
    if split is None:
        return None, diagnostics
    model = (TRANSLATION_MODELS if source.is_translation else META_MODELS)[source.kind]
    left = find_in_meta(split.meta) + find_in_body(split.body, split.body_first_line)
    # a draft is read with stand-ins for the choices, numbers and dates it does not have yet
    readable = replace(split.meta, data=with_stand_ins(model, split.meta.data, left))
    meta, problems = validate(model, readable, source.src_path)
    diagnostics += problems
    body, problems = render_markdown(split.body, source.src_path, split.body_first_line)
    diagnostics += problems
    if left and split.meta.data.get("draft") is not True:
        found = placeholder_problems(left, source.src_path, can_be_draft=True)
        diagnostics = without_others(diagnostics + found, left)
    if meta is None:
        return None, diagnostics
    level = measure(
        patient_text(meta, split.meta.lines, split.body, split.body_first_line), source.lang
    )
    if isinstance(meta, ArticleTranslation | ExerciseTranslation | PageTranslation):
        translation = TranslationDoc(
            source.kind,
            source.src_path,
            source.slug,
            source.lang,
            meta,
            body,
            split.meta,
            left,
            level,
        )
        return translation, diagnostics
    assert isinstance(meta, ArticleMeta | ExerciseMeta | PageMeta)
    slug = meta.slug or source.slug
    document = Document(
        source.kind,
        source.src_path,
        slug,
        meta,
        body,
        split.meta,
        source.lang,
        placeholders=left,
        readability=level,
    )
    return document, diagnostics
