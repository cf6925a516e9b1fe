"""Translated pages: merged with their source, checked for drift, made safe when unreviewed.

A translation file holds only words. Here it is merged with its source entry, so dose numbers,
categories and pictures always come from the source. Each translation records digests of the
source text it was made from; when the source changes afterwards, the build says so, and
louder when the safety text (steps, dose, stop-if, not-suitable-if) changed. A machine
translation nobody has reviewed keeps the source's safety text unless the site opts in.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from healthsite.content.documents import Document, TranslationDoc
from healthsite.content.models import (
    EXERCISE_PROSE_FIELDS,
    ArticleTranslation,
    ExerciseMeta,
    ExerciseTranslation,
    Image,
    PageTranslation,
)
from healthsite.content.sources import Kind
from healthsite.diagnostics import Diagnostic, error, warning

#: Exercise fields whose translation must match the source item for item.
PARALLEL_LISTS = ("steps", "stop_if", "not_suitable_if", "key_points", "images")
#: Text a patient acts on for safety: never published unreviewed unless the site opts in.
SAFETY_FIELDS = ("steps", "one_repetition_is", "stop_if", "not_suitable_if", "dose_note")
TEXT_FIELDS = {
    Kind.EXERCISE: ("name", "alternate_names", *EXERCISE_PROSE_FIELDS),
    Kind.ARTICLE: ("title", "summary", "tags"),
    Kind.PAGE: ("title", "summary"),
}


def text_fields(doc: Document) -> dict[str, Any]:
    """The words of a source page that a translator translates (Markdown, never HTML)."""
    fields: dict[str, Any] = {
        name: _plain(getattr(doc.meta, name)) for name in TEXT_FIELDS[doc.kind]
    }
    if isinstance(doc.meta, ExerciseMeta):
        fields["images"] = [{"alt": i.alt, "caption": i.caption} for i in doc.meta.images]
    fields["body"] = doc.body.markdown
    return fields


def source_digest(doc: Document) -> str:
    """Digest of all the words of a source page."""
    return _digest(text_fields(doc))


def safety_digest(doc: Document) -> str:
    """Digest of what a patient follows to stay safe: steps, dose, stop-if, not-suitable-if."""
    if not isinstance(doc.meta, ExerciseMeta):
        return ""
    meta = doc.meta
    return _digest(
        {
            "steps": meta.steps,
            "one_repetition_is": meta.one_repetition_is,
            "dose": meta.dose.model_dump(),
            "dose_note": meta.dose_note,
            "stop_if": meta.stop_if,
            "not_suitable_if": meta.not_suitable_if,
        }
    )


def merge(
    translations: Iterable[TranslationDoc],
    sources: Iterable[Document],
    *,
    publish_unreviewed_safety_text: bool,
    people: Iterable[str],
    unpublished: Iterable[str] = (),
) -> tuple[list[Document], list[Diagnostic]]:
    """Each translation as a full page: its words over its source's facts.

    `unpublished` names source files that exist but are not published (drafts): their
    translations wait with them, without an error.
    """
    by_path = {doc.src_path: doc for doc in sources}
    waiting = set(unpublished)
    known_people = set(people)
    merged: list[Document] = []
    found: list[Diagnostic] = []
    for translation in translations:
        source_path = translation.src_path.replace(f".{translation.lang}.md", ".md")
        source = by_path.get(source_path)
        if source is None and source_path in waiting:
            continue
        if translation.meta.draft:
            continue
        if source is None:
            found.append(
                error(
                    "translation-source",
                    f"no {source_path} to translate from",
                    translation.src_path,
                    hint="a translation sits beside its source: bridge.es.md translates bridge.md",
                )
            )
            continue
        problems = _check(translation, source, known_people)
        found += problems
        if any(p.is_error for p in problems):
            continue
        merged.append(_merged(translation, source, publish_unreviewed_safety_text))
    return merged, found


def _check(translation: TranslationDoc, source: Document, people: set[str]) -> list[Diagnostic]:
    """Everything wrong with a translation of `source`: what it says, who checked it, and
    whether the source changed since."""
    return [
        *_check_parallel(translation, source),
        *_check_reviewer(translation, people),
        *_check_digests(translation, source),
    ]


def _check_parallel(translation: TranslationDoc, source: Document) -> list[Diagnostic]:
    """A translation says everything its source says: as many steps, the same exercise cards."""
    found: list[Diagnostic] = []
    meta = translation.meta
    where = translation.source.line_of
    if isinstance(meta, ExerciseTranslation):
        for name in PARALLEL_LISTS:
            mine, theirs = len(getattr(meta, name)), len(getattr(source.meta, name))
            if mine != theirs:
                found.append(
                    error(
                        "translation-mismatch",
                        f"{name}: {mine} item(s), but {source.src_path} has {theirs}",
                        translation.src_path,
                        where((name,)),
                        hint="a translation must say everything the source says, item for item",
                    )
                )
    if sorted(e.slug for e in translation.body.embeds) != sorted(
        e.slug for e in source.body.embeds
    ):
        found.append(
            error(
                "translation-mismatch",
                f"the exercise cards ([[exercise ...]]) differ from {source.src_path}",
                translation.src_path,
                translation.body.embeds[0].line if translation.body.embeds else 0,
            )
        )
    return found


def _check_reviewer(translation: TranslationDoc, people: set[str]) -> list[Diagnostic]:
    reviewer = translation.meta.translation.reviewed_by
    if not reviewer or reviewer in people:
        return []
    return [
        error(
            "unknown-person",
            f"translation.reviewed_by: no person with key '{reviewer}'",
            translation.src_path,
            translation.source.line_of(("translation", "reviewed_by")),
        )
    ]


def _check_digests(translation: TranslationDoc, source: Document) -> list[Diagnostic]:
    """The digests a translation records against its source's now: a changed source is noticed."""
    provenance = translation.meta.translation
    where = translation.source.line_of
    found: list[Diagnostic] = []
    current, safety = source_digest(source), safety_digest(source)
    # in quotes: a digest of digits alone would otherwise be read as a number
    stamp = f'source_digest: "{current}"' + (f', safety_digest: "{safety}"' if safety else "")
    if not provenance.source_digest:
        found.append(
            warning(
                "translation-digest",
                f"translation.source_digest: not set, so "
                f"changes to {source.src_path} cannot be noticed",
                translation.src_path,
                where(("translation",)),
                hint=f"once the translation matches the source, set {stamp}",
            )
        )
    elif provenance.source_digest != current or (safety and provenance.safety_digest != safety):
        safety_changed = bool(safety) and provenance.safety_digest != safety
        found.append(
            warning(
                "translation-stale-safety" if safety_changed else "translation-stale",
                f"translation out of date: {source.src_path} changed since it was translated"
                + (" (including its safety text: steps, dose, stop-if)" if safety_changed else ""),
                translation.src_path,
                where(("translation", "source_digest")),
                hint=f"update the translation, then set {stamp}",
            )
        )
    return found


def _merged(translation: TranslationDoc, source: Document, publish_unreviewed: bool) -> Document:
    meta = translation.meta
    provenance = meta.translation
    words = meta.model_dump(exclude={"translation", "images", "draft"})
    if not words.get("dose_note"):
        words.pop("dose_note", None)  # keep the source's note rather than none at all
    untranslated: frozenset[str] = frozenset()
    if isinstance(meta, ExerciseTranslation):
        assert isinstance(source.meta, ExerciseMeta)
        words["images"] = tuple(
            Image(src=image.src, alt=text.alt, caption=text.caption)
            for image, text in zip(source.meta.images, meta.images, strict=True)
        )
        if provenance.method == "machine" and not provenance.reviewed and not publish_unreviewed:
            untranslated = frozenset(SAFETY_FIELDS)
            for name in SAFETY_FIELDS:
                words.pop(name, None)  # the reviewed source text is shown instead
    words = {k: tuple(v) if isinstance(v, list) else v for k, v in words.items()}
    merged_meta = source.meta.model_copy(update=words)
    assert isinstance(meta, ArticleTranslation | ExerciseTranslation | PageTranslation)
    return replace(
        source,
        src_path=translation.src_path,
        meta=merged_meta,
        body=translation.body,
        source=translation.source,
        lang=translation.lang,
        provenance=provenance,
        source_path=source.src_path,
        untranslated=untranslated,
        placeholders=translation.placeholders,
        readability=translation.readability,
    )


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _digest(value: Any) -> str:
    blob = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:12]
