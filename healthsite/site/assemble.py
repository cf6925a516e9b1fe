"""Put the parsed documents together into one site model, checking everything that spans files.

Cross-references (embeds, related exercises, people), duplicate slugs, URL collisions,
illustrations that must exist and review dates are all checked here, whole-site, every build.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace

from healthsite.content.health_checks import health_checks
from healthsite.content.clinic import Clinic
from healthsite.config import SiteConfig
from healthsite.content.documents import Document, TranslationDoc
from healthsite.content.sources import Kind
from healthsite.diagnostics import Diagnostic, did_you_mean, error
from healthsite.content.models import CATEGORY_ORDER, ArticleMeta, ExerciseMeta
from healthsite.site.assets import AssetMap
from healthsite.content.translations import merge

#: Output paths the engine always writes; a content page may not take them.
RESERVED_URLS = (
    "/search/",
    "/contact/",
    "/routine/",
    "/offline/",
    "/sw.js",
    "/clinic.vcf",
    "/",
    "/articles/",
    "/exercises/",
    "/404.html",
    "/sitemap.xml",
    "/feed.xml",
    "/robots.txt",
    "/_headers",
)
#: Folders the engine writes into (fingerprinted assets, later the search index).
RESERVED_PREFIXES = ("/static/", "/pagefind/")


@dataclass(frozen=True, slots=True)
class SiteModel:
    """Everything the templates can show, with URLs decided once."""

    config: SiteConfig
    clinic: Clinic
    articles: tuple[Document, ...]
    exercises: tuple[Document, ...]
    pages: tuple[Document, ...]
    assets: AssetMap
    urls: dict[str, str] = field(default_factory=dict)
    """Site-relative URL (`/exercises/bridge/`) of each document, keyed by `src_path`."""
    lang: str = ""
    """The language of this model's pages."""
    alternates: dict[tuple[Kind, str], dict[str, str]] = field(default_factory=dict)
    """Every language version of every page: (kind, slug) → {language: URL}."""
    unreviewed: frozenset[str] = frozenset()
    """URLs of machine translations nobody has reviewed: `noindex`, out of hreflang and sitemap."""
    exercises_by_slug: dict[str, Document] = field(default_factory=dict)
    """Exercises by slug: this language's, else the main language's (a card for an exercise
    not translated yet shows the original)."""
    used_in: dict[str, tuple[Document, ...]] = field(default_factory=dict)
    """Exercise slug → the articles that embed or list it, computed once for the whole site."""

    @property
    def is_main_language(self) -> bool:
        return self.lang == self.config.settings.language

    @property
    def lang_prefix(self) -> str:
        """`` for the main language, `/es` for Spanish: the start of every path in it."""
        return "" if self.is_main_language else f"/{self.lang}"

    @property
    def documents(self) -> tuple[Document, ...]:
        """Every published document: articles, exercises, pages."""
        return (*self.articles, *self.exercises, *self.pages)

    def url(self, doc: Document) -> str:
        return self.urls[doc.src_path]

    def exercises_by_category(self) -> list[tuple[str, list[Document]]]:
        """Categories in teaching order, each with its exercises by name; empty ones left out."""
        groups = []
        for category in CATEGORY_ORDER:
            members = [d for d in self.exercises if _exercise(d).category == category]
            if members:
                groups.append((category, members))
        return groups

    def articles_using(self, exercise: Document) -> list[Document]:
        """Articles that embed or list an exercise: "this exercise appears in"."""
        return list(self.used_in.get(exercise.slug, ()))

    def related_exercises(self, article: Document) -> list[Document]:
        """The exercises an article lists in front matter, in the editor's order."""
        by_slug = self.exercises_by_slug
        return [by_slug[s] for s in _article(article).exercises if s in by_slug]


def url_for(doc: Document, main_language: str) -> str:
    """The one route table: each kind's pretty URL, under `/<lang>/` for other languages."""
    prefix = "" if doc.lang in ("", main_language) else f"/{doc.lang}"
    if doc.kind is Kind.ARTICLE:
        return f"{prefix}/articles/{doc.slug}/"
    if doc.kind is Kind.EXERCISE:
        return f"{prefix}/exercises/{doc.slug}/"
    return f"{prefix}/{doc.slug}/"


def assemble(
    config: SiteConfig,
    clinic: Clinic,
    documents: Iterable[Document],
    assets: AssetMap,
    broken: Iterable[str] = (),
    translations: Iterable[TranslationDoc] = (),
) -> tuple[dict[str, SiteModel], list[Diagnostic]]:
    """One site model per language, and every problem that involves more than one file.

    `broken` names files that failed to parse (already reported): references to them are not
    reported again as unknown.
    """
    documents = list(documents)
    main = config.settings.language
    published = [d for d in documents if config.drafts or not d.is_draft]
    published_paths = {d.src_path for d in published}
    diagnostics: list[Diagnostic] = []
    translated, problems = merge(
        translations,
        published,
        publish_unreviewed_safety_text=config.settings.translation.publish_unreviewed_safety_text,
        people=clinic.people,
        unpublished=[d.src_path for d in documents if d.src_path not in published_paths],
    )
    diagnostics += problems
    urls = _assign_urls(published + translated, diagnostics, main, config.languages[1:])
    kept = [d for d in published + translated if d.src_path in urls]
    alternates: dict[tuple[Kind, str], dict[str, str]] = {}
    for doc in kept:
        alternates.setdefault(doc.key, {})[doc.lang] = urls[doc.src_path]
    main_exercises = {d.slug: d for d in kept if d.kind is Kind.EXERCISE and d.lang == main}
    unreviewed = frozenset(
        urls[d.src_path]
        for d in kept
        if d.provenance is not None
        and d.provenance.method == "machine"
        and not d.provenance.reviewed
    )
    models = {}
    for lang in config.languages:
        mine = [d for d in kept if d.lang == lang]
        by_kind = {
            kind: tuple(sorted((d for d in mine if d.kind is kind), key=_order)) for kind in Kind
        }
        models[lang] = SiteModel(
            config,
            clinic.in_language(lang),
            by_kind[Kind.ARTICLE],
            by_kind[Kind.EXERCISE],
            by_kind[Kind.PAGE],
            assets,
            urls,
            lang,
            alternates,
            unreviewed,
            {
                **({} if lang == main else main_exercises),
                **{d.slug: d for d in by_kind[Kind.EXERCISE]},
            },
            _used_in(by_kind[Kind.ARTICLE]),
        )
    known = Known(
        frozenset(main_exercises) | frozenset(broken),
        frozenset(d.slug for d in documents if d.kind is Kind.EXERCISE and d.is_draft),
    )
    for doc in kept:
        diagnostics += document_checks(doc, config, clinic, assets, known)
    return models, diagnostics


@dataclass(frozen=True, slots=True)
class Known:
    """What a document's references are checked against."""

    exercises: frozenset[str]
    """Slugs of the main language's exercises, and of exercise files that failed to parse
    (already reported: a reference to one is not reported again)."""
    drafts: frozenset[str]
    """Slugs of draft exercises: a reference to one gets its own message."""


def known_references(
    models: dict[str, SiteModel], documents: Iterable[Document], broken: Iterable[str]
) -> Known:
    """The `Known` that `assemble` checked against, from its result."""
    main = next(m for m in models.values() if m.is_main_language)
    return Known(
        frozenset(d.slug for d in main.exercises) | frozenset(broken),
        frozenset(d.slug for d in documents if d.kind is Kind.EXERCISE and d.is_draft),
    )


def document_checks(
    doc: Document, config: SiteConfig, clinic: Clinic, assets: AssetMap, known: Known
) -> list[Diagnostic]:
    """The checks of one published document against the rest of the site (references, people,
    pictures, review dates): what `assemble` reports about it."""
    diagnostics: list[Diagnostic] = []
    if doc.lang == config.settings.language:
        diagnostics += _check_embeds(doc, known.exercises, known.drafts)
        if isinstance(doc.meta, ArticleMeta):
            diagnostics += _check_related(doc, doc.meta, known.exercises, known.drafts)
        if isinstance(doc.meta, ExerciseMeta):
            diagnostics += _check_images(doc, doc.meta, assets)
        if doc.kind is not Kind.PAGE:
            diagnostics += _check_people(doc, clinic)
            diagnostics += health_checks(
                doc, config.today, config.settings.review.overdue_error_days
            )
    # the words of every language may show pictures of their own
    diagnostics += [
        error(
            "missing-file",
            f"image '{image.src}': no such file in the static folder",
            doc.src_path,
            image.line,
            hint=did_you_mean(image.src, assets.sources),
        )
        for image in doc.body.images
        if assets.dest(image.src) is None
    ]
    return diagnostics


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
        bare = url.removeprefix(f"/{doc.lang}") if doc.lang in other_languages else url
        language_home = url in {f"/{lang}/" for lang in other_languages}
        if bare in RESERVED_URLS or bare.startswith(RESERVED_PREFIXES) or language_home:
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


def _check_embeds(
    doc: Document, known: AbstractSet[str], drafts: AbstractSet[str]
) -> list[Diagnostic]:
    return [
        _unknown_exercise(e.slug, known, drafts, doc.src_path, e.line, "embedded exercise")
        for e in doc.body.embeds
        if e.slug not in known
    ]


def _check_related(
    doc: Document, meta: ArticleMeta, known: AbstractSet[str], drafts: AbstractSet[str]
) -> list[Diagnostic]:
    return [
        _unknown_exercise(
            slug,
            known,
            drafts,
            doc.src_path,
            doc.source.line_of(("exercises", i)),
            f"exercises[{i + 1}]",
        )
        for i, slug in enumerate(meta.exercises)
        if slug not in known
    ]


def _unknown_exercise(
    slug: str, known: AbstractSet[str], drafts: AbstractSet[str], path: str, line: int, what: str
) -> Diagnostic:
    if slug in drafts:
        return error(
            "unknown-exercise",
            f"{what}: exercise '{slug}' is a draft",
            path,
            line,
            hint="publish the exercise (draft: false) or remove the reference",
        )
    return error(
        "unknown-exercise",
        f"{what}: no exercise named '{slug}'",
        path,
        line,
        hint=did_you_mean(slug, known) or "exercise names are the file names in content/exercises/",
    )


def _check_people(doc: Document, clinic: Clinic) -> list[Diagnostic]:
    found = []
    for role in ("author", "reviewer"):
        key = getattr(doc.meta, role)
        if key not in clinic.people:
            hint = did_you_mean(key, clinic.people) or f"people are listed in {clinic.src_path}"
            found.append(
                error(
                    "unknown-person",
                    f"{role}: no person with key '{key}'",
                    doc.src_path,
                    doc.source.line_of((role,)),
                    hint=hint,
                )
            )
    return found


def _check_images(doc: Document, meta: ExerciseMeta, assets: AssetMap) -> list[Diagnostic]:
    return [
        error(
            "missing-file",
            f"images[{i + 1}].src: no file '{image.src}' in the static folder",
            doc.src_path,
            doc.source.line_of(("images", i, "src")),
            hint=did_you_mean(image.src, assets.sources),
        )
        for i, image in enumerate(meta.images)
        if image.src not in assets.sources
    ]


def _used_in(articles: tuple[Document, ...]) -> dict[str, tuple[Document, ...]]:
    """Which articles show each exercise: one pass over the articles, not one per exercise."""
    found: dict[str, list[Document]] = {}
    for article in articles:
        slugs = {*_article(article).exercises, *(e.slug for e in article.body.embeds)}
        for slug in sorted(slugs):
            found.setdefault(slug, []).append(article)
    return {slug: tuple(docs) for slug, docs in found.items()}


def _order(doc: Document) -> tuple:
    """Newest articles first; everything else by title."""
    if isinstance(doc.meta, ArticleMeta):
        published = doc.meta.published or doc.meta.last_reviewed
        return (-published.toordinal(), doc.title.lower(), doc.slug)
    return (doc.title.lower(), doc.slug)


def _article(doc: Document) -> ArticleMeta:
    assert isinstance(doc.meta, ArticleMeta)
    return doc.meta


def _exercise(doc: Document) -> ExerciseMeta:
    assert isinstance(doc.meta, ExerciseMeta)
    return doc.meta
