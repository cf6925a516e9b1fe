"""Where each page stands in each of the site's other languages, for the build and the report.

A page without a translation is left out of that language's site: the build says so, once per
page and language, instead of dropping it without a word.
"""

from __future__ import annotations

from collections.abc import Iterable

from babel.core import Locale, UnknownLocaleError

from healthsite.content.documents import Document, TranslationDoc
from healthsite.content.translations import safety_digest, source_digest
from healthsite.diagnostics import Diagnostic, warning

#: What `status` returns, worst first.
STATES = (
    "missing",
    "draft",
    "stale-safety",
    "stale",
    "machine-unreviewed",
    "no-digest",
    "current",
)


def status(source: Document, translation: TranslationDoc | None) -> str:
    """One of `STATES` for a source page and its translation (None: there is none)."""
    if translation is None:
        return "missing"
    if translation.meta.draft:
        return "draft"
    provenance = translation.meta.translation
    safety = safety_digest(source)
    if provenance.source_digest:
        if safety and provenance.safety_digest != safety:
            return "stale-safety"
        if provenance.source_digest != source_digest(source):
            return "stale"
    if provenance.method == "machine" and not provenance.reviewed:
        return "machine-unreviewed"
    return "current" if provenance.source_digest else "no-digest"


def translation_of(
    source: Document, lang: str, translations: Iterable[TranslationDoc]
) -> TranslationDoc | None:
    wanted = source.src_path.removesuffix(".md") + f".{lang}.md"
    return next((t for t in translations if t.src_path == wanted), None)


def missing_translations(
    sources: Iterable[Document], translations: Iterable[TranslationDoc], languages: Iterable[str]
) -> list[Diagnostic]:
    """A warning for each published page that is not on a language's site."""
    translations = list(translations)
    by_path = {t.src_path: t for t in translations}
    found = []
    for lang in languages:
        name = language_name(lang)
        for source in sources:
            path = source.src_path.removesuffix(".md") + f".{lang}.md"
            translation = by_path.get(path)
            if translation is not None and not translation.meta.draft:
                continue
            what = (
                f"the {name} translation is a draft ('draft: true' in {path})"
                if translation is not None
                else f"no {name} translation"
            )
            found.append(
                warning(
                    "translation-missing",
                    f"{what}, so this page is not on the {name} site",
                    source.src_path,
                    hint=f"set 'draft: false' in {path} once a translator has checked it"
                    if translation is not None
                    else f"write {path}, or draft one to check with: "
                    f"python build.py translate --to {lang} {source.slug}",
                )
            )
    return found


def language_name(code: str) -> str:
    """`es` → "Spanish" (the build speaks English)."""
    try:
        return Locale.parse(code.replace("-", "_")).get_display_name("en") or code
    except (ValueError, UnknownLocaleError):
        return code
