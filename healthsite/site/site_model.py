"""The site model: everything the templates can show, with every URL decided once.

`assemble` makes it; every later stage reads it and none changes it. One `SiteModel` per
language; `Site` holds them all with what they were made from.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from healthsite.config import SiteConfig
from healthsite.content.clinic import Clinic
from healthsite.content.documents import Document
from healthsite.content.models import CATEGORY_ORDER, ArticleMeta, ExerciseMeta
from healthsite.content.sources import Kind
from healthsite.media.plan import MediaPlan
from healthsite.site.assets import AssetMap


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
    media: MediaPlan = field(default_factory=MediaPlan)
    """The pictures as published, with their renditions: set by the media stage."""

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
            members = [d for d in self.exercises if exercise_meta(d).category == category]
            if members:
                groups.append((category, members))
        return groups

    def articles_using(self, exercise: Document) -> list[Document]:
        """Articles that embed or list an exercise: "this exercise appears in"."""
        return list(self.used_in.get(exercise.slug, ()))

    def related_exercises(self, article: Document) -> list[Document]:
        """The exercises an article lists in front matter, in the editor's order."""
        by_slug = self.exercises_by_slug
        return [by_slug[s] for s in article_meta(article).exercises if s in by_slug]


@dataclass(frozen=True, slots=True)
class Known:
    """What a document's references are checked against."""

    exercises: frozenset[str]
    """Slugs of the main language's exercises, and of exercise files that failed to parse
    (already reported: a reference to one is not reported again)."""
    drafts: frozenset[str]
    """Slugs of draft exercises: a reference to one gets its own message."""


@dataclass(frozen=True, slots=True)
class Site:
    """The assembled site: one model per language, and what every document is checked against."""

    config: SiteConfig
    clinic: Clinic
    """The clinic in the main language, as `clinic.yaml` has it."""
    assets: AssetMap
    models: dict[str, SiteModel]
    """One model per language, the main language first."""
    known: Known

    @property
    def main(self) -> SiteModel:
        return self.models[self.config.settings.language]


def article_meta(doc: Document) -> ArticleMeta:
    assert isinstance(doc.meta, ArticleMeta)
    return doc.meta


def exercise_meta(doc: Document) -> ExerciseMeta:
    assert isinstance(doc.meta, ExerciseMeta)
    return doc.meta
