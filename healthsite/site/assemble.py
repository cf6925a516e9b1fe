"""The assemble stage: the parsed documents put together into one site, checked as a whole.

Translations are merged with their sources, every document gets its URL (two files wanting one
URL is an error naming both), each language gets its model, and everything that spans files is
checked (`checks.py`): references to exercises and people, pictures, review dates.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from healthsite.config import SiteConfig
from healthsite.content.clinic import Clinic
from healthsite.content.documents import Document, TranslationDoc
from healthsite.content.models import ArticleMeta
from healthsite.content.sources import Kind
from healthsite.content.translation_status import missing_translations
from healthsite.content.translations import merge
from healthsite.diagnostics import Diagnostic, error
from healthsite.site.assets import AssetMap
from healthsite.site.checks import document_checks
from healthsite.site.site_model import Known, Site, SiteModel, article_meta
from healthsite.site.routes import is_reserved, url_for


def assemble(
    config: SiteConfig,
    clinic: Clinic,
    documents: Iterable[Document],
    assets: AssetMap,
    broken: Iterable[str] = (),
    translations: Iterable[TranslationDoc] = (),
) -> tuple[Site, list[Diagnostic]]:
    """The site, one model per language, and every problem that involves more than one file.

    `broken` names files that failed to parse (already reported): references to them are not
    reported again as unknown.
    """
    documents = list(documents)
    published, diagnostics = _published(config, clinic, documents, translations)
    urls = _assign_urls(published, diagnostics, config.settings.language, config.languages[1:])
    kept = [d for d in published if d.src_path in urls]
    main_exercises = {
        d.slug: d for d in kept if d.kind is Kind.EXERCISE and d.lang == config.settings.language
    }
    links = _links(kept, urls)
    models = {
        lang: _language_model(config, clinic, assets, kept, links, lang, main_exercises)
        for lang in config.languages
    }
    known = Known(
        frozenset(main_exercises) | frozenset(broken),
        frozenset(d.slug for d in documents if d.kind is Kind.EXERCISE and d.is_draft),
    )
    site = Site(config, clinic, assets, models, known)
    for doc in kept:
        diagnostics += document_checks(doc, site)
    return site, diagnostics


def _published(
    config: SiteConfig,
    clinic: Clinic,
    documents: list[Document],
    translations: Iterable[TranslationDoc],
) -> tuple[list[Document], list[Diagnostic]]:
    """The documents to publish (drafts only when asked for), then their translations merged
    with them; and the problems the merging found."""
    published = [d for d in documents if config.drafts or not d.is_draft]
    published_paths = {d.src_path for d in published}
    translations = list(translations)
    translated, problems = merge(
        translations,
        published,
        publish_unreviewed_safety_text=config.settings.translation.publish_unreviewed_safety_text,
        people=clinic.people,
        unpublished=[d.src_path for d in documents if d.src_path not in published_paths],
    )
    mains = [d for d in published if d.lang == config.settings.language]
    problems += missing_translations(mains, translations, config.languages[1:])
    return published + translated, problems


@dataclass(frozen=True, slots=True)
class _Links:
    """What every language's model shares: URLs, language versions, review states."""

    urls: dict[str, str]
    alternates: dict[tuple[Kind, str], dict[str, str]]
    unreviewed: frozenset[str]


def _links(kept: list[Document], urls: dict[str, str]) -> _Links:
    alternates: dict[tuple[Kind, str], dict[str, str]] = {}
    for doc in kept:
        alternates.setdefault(doc.key, {})[doc.lang] = urls[doc.src_path]
    unreviewed = frozenset(
        urls[d.src_path]
        for d in kept
        if d.provenance is not None
        and d.provenance.method == "machine"
        and not d.provenance.reviewed
    )
    return _Links(urls, alternates, unreviewed)


def _language_model(
    config: SiteConfig,
    clinic: Clinic,
    assets: AssetMap,
    kept: list[Document],
    links: _Links,
    lang: str,
    main_exercises: dict[str, Document],
) -> SiteModel:
    """One language's model: its own documents, the whole site's links."""
    mine = [d for d in kept if d.lang == lang]
    by_kind = {kind: tuple(sorted((d for d in mine if d.kind is kind), key=_order)) for kind in Kind}
    fallback = {} if lang == config.settings.language else main_exercises
    return SiteModel(
        config,
        clinic.in_language(lang),
        by_kind[Kind.ARTICLE],
        by_kind[Kind.EXERCISE],
        by_kind[Kind.PAGE],
        assets,
        links.urls,
        lang,
        links.alternates,
        links.unreviewed,
        {**fallback, **{d.slug: d for d in by_kind[Kind.EXERCISE]}},
        _used_in(by_kind[Kind.ARTICLE]),
    )


def replace_document(model: SiteModel, old: Document, new: Document) -> SiteModel:
    """The same model with one document object swapped for another of the same identity (an
    edit that changed its body only): every list and map that held the old one holds the new."""

    def swap(docs: tuple[Document, ...]) -> tuple[Document, ...]:
        return tuple(new if d is old else d for d in docs) if any(d is old for d in docs) else docs

    return replace(
        model,
        articles=swap(model.articles),
        exercises=swap(model.exercises),
        pages=swap(model.pages),
        exercises_by_slug={
            slug: new if d is old else d for slug, d in model.exercises_by_slug.items()
        },
        used_in={slug: swap(docs) for slug, docs in model.used_in.items()},
    )


def _assign_urls(
    docs: list[Document],
    diagnostics: list[Diagnostic],
    main_language: str,
    other_languages: tuple[str, ...] = (),
) -> dict[str, str]:
    """URL of each document; two files wanting one URL is an error naming both."""
    owners: dict[str, Document] = {}
    urls: dict[str, str] = {}
    for doc in sorted(docs, key=lambda d: d.src_path):
        url = url_for(doc, main_language)
        line = doc.source.line_of(("slug",)) if "slug" in doc.source.data else 0
        if is_reserved(url, doc.lang, other_languages):
            diagnostics.append(
                error(
                    "url-collision",
                    f"{url} is a page the site makes itself",
                    doc.src_path,
                    line,
                    hint="rename the file",
                )
            )
            continue
        if url in owners:
            first = owners[url]
            code = "duplicate-slug" if first.kind is doc.kind else "url-collision"
            diagnostics.append(
                error(
                    code,
                    f"'{doc.slug}' is also the URL name of {first.src_path}: both would be {url}",
                    doc.src_path,
                    line,
                    hint="rename one file (or set a different 'slug')",
                )
            )
            continue
        owners[url] = doc
        urls[doc.src_path] = url
    return urls


def _used_in(articles: tuple[Document, ...]) -> dict[str, tuple[Document, ...]]:
    """Which articles show each exercise: one pass over the articles, not one per exercise."""
    found: dict[str, list[Document]] = {}
    for article in articles:
        slugs = {*article_meta(article).exercises, *(e.slug for e in article.body.embeds)}
        for slug in sorted(slugs):
            found.setdefault(slug, []).append(article)
    return {slug: tuple(docs) for slug, docs in found.items()}


def _order(doc: Document) -> tuple:
    """Newest articles first; everything else by title."""
    if isinstance(doc.meta, ArticleMeta):
        published = doc.meta.published or doc.meta.last_reviewed
        return (-published.toordinal(), doc.title.lower(), doc.slug)
    return (doc.title.lower(), doc.slug)
