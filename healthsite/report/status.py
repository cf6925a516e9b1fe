"""One row per page for a clinic manager: review dates, reviewer, reading level, translations,
placeholders and broken links, worked out from an `Inspection`."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from healthsite.content.clinic_models import Person
from healthsite.content.documents import Document
from healthsite.content.health_checks import DUE_SOON_DAYS
from healthsite.content.models import ArticleMeta, ExerciseMeta
from healthsite.content.sources import Kind
from healthsite.content.translation_status import language_name, status, translation_of
from healthsite.diagnostics import Diagnostic
from healthsite.report.inspect import Inspection

#: Codes that mean a link inside the site is broken.
LINK_CODES = frozenset({"link", "anchor"})
#: Problems the report has a column of their own for, not counted again as "other".
COUNTED_APART = LINK_CODES | {"placeholder"}
#: How each translation state reads in the report.
STATE_WORDS = {
    "missing": "missing",
    "draft": "draft",
    "stale-safety": "out of date (safety text)",
    "stale": "out of date",
    "machine-unreviewed": "machine, unchecked",
    "no-digest": "not stamped",
    "current": "up to date",
}


@dataclass(frozen=True, slots=True)
class PageStatus:
    """Where one page stands."""

    path: str
    kind: Kind
    title: str
    draft: bool
    last_reviewed: dt.date | None
    next_review_due: dt.date | None
    review: str
    """"overdue", "due soon", "" (fine) or "n/a" (a plain page)."""
    reviewer: str
    grade: float | None
    translations: tuple[tuple[str, str], ...]
    """(language, one of `translation_status.STATES`) for each other language."""
    placeholders: int
    broken_links: int
    errors: int
    """Errors other than placeholders and broken links."""
    warnings: int

    @property
    def needs_attention(self) -> bool:
        return bool(
            self.review in ("overdue", "due soon")
            or self.placeholders
            or self.broken_links
            or self.errors
            or any(state != "current" for _, state in self.translations)
        )


@dataclass(frozen=True, slots=True)
class SiteStatus:
    """Every page of the site, and what the manager should know first."""

    title: str
    today: dt.date
    max_grade: float
    languages: tuple[str, ...]
    """The other languages, as names ("Spanish")."""
    pages: tuple[PageStatus, ...]
    other_problems: tuple[str, ...]
    """Problems outside the pages (site.yaml, clinic.yaml, templates), as printed lines."""
    other_placeholders: int = 0
    """How many of `other_problems` are placeholders (in the clinic's data)."""
    other_errors: int = 0
    """How many other of `other_problems` are errors (they stop the build)."""

    def summary(self) -> list[str]:
        """The counts worth acting on, e.g. "2 reviews overdue"."""
        pages = self.pages
        counts = [
            (sum(p.review == "overdue" for p in pages), "review overdue", "reviews overdue"),
            (
                sum(p.review == "due soon" for p in pages),
                f"review due within {DUE_SOON_DAYS} days",
                f"reviews due within {DUE_SOON_DAYS} days",
            ),
            (
                sum(p.grade is not None and p.grade > self.max_grade for p in pages),
                f"page above grade {self.max_grade:g}",
                f"pages above grade {self.max_grade:g}",
            ),
            (
                sum(s != "current" for p in pages if not p.draft for _, s in p.translations),
                "translation missing or not up to date",
                "translations missing or not up to date",
            ),
            (
                sum(p.placeholders for p in pages) + self.other_placeholders,
                "placeholder left",
                "placeholders left",
            ),
            (sum(p.broken_links for p in pages), "broken link", "broken links"),
            (
                sum(p.errors for p in pages) + self.other_errors,
                "other error that stops the build",
                "other errors that stop the build",
            ),
            (sum(p.draft for p in pages), "draft", "drafts"),
        ]
        return [f"{n} {one if n == 1 else many}" for n, one, many in counts if n]


def site_status(inspection: Inspection) -> SiteStatus:
    """The report's rows from an inspection."""
    config = inspection.config
    assert config is not None
    others = config.languages[1:]
    counts = _Counts.of(inspection.diagnostics)
    people = inspection.clinic.people if inspection.clinic is not None else None
    rows = tuple(
        _page_status(doc, inspection, others, counts, people)
        for doc in sorted(inspection.documents, key=lambda d: (d.kind.value, d.title.lower()))
    )
    pages = {row.path for row in rows} | {t.src_path for t in inspection.translations}
    pages |= {p for row in rows for p in _translation_paths(row.path, others)}
    other = [d for d in inspection.diagnostics if d.location.path not in pages]
    return SiteStatus(
        config.settings.title,
        config.today,
        config.settings.readability.max_grade,
        tuple(language_name(lang) for lang in others),
        rows,
        tuple(d.headline() for d in other),
        sum(d.code == "placeholder" for d in other),
        sum(d.is_error and d.code != "placeholder" for d in other),
    )


@dataclass(frozen=True, slots=True)
class _Counts:
    """Problems per file: broken links, and other errors and warnings."""

    links: Counter[str]
    problems: Counter[tuple[str, bool]]

    @classmethod
    def of(cls, diagnostics: Iterable[Diagnostic]) -> _Counts:
        diagnostics = list(diagnostics)
        return cls(
            Counter(d.location.path for d in diagnostics if d.code in LINK_CODES),
            Counter(
                (d.location.path, d.is_error) for d in diagnostics if d.code not in COUNTED_APART
            ),
        )


def _page_status(
    doc: Document,
    inspection: Inspection,
    others: Sequence[str],
    counts: _Counts,
    people: Mapping[str, Person] | None,
) -> PageStatus:
    assert inspection.config is not None
    translated = [translation_of(doc, lang, inspection.translations) for lang in others]
    # a translation's problems are the page's, even when the translation cannot be read
    files = [doc.src_path, *_translation_paths(doc.src_path, others)]
    return PageStatus(
        doc.src_path,
        doc.kind,
        doc.title,
        doc.is_draft,
        *_review_fields(doc, inspection.config.today, people),
        doc.readability.grade if doc.readability is not None else None,
        tuple(
            (lang, status(doc, translation))
            for lang, translation in zip(others, translated, strict=True)
        ),
        len(doc.placeholders),
        sum(counts.links[p] for p in files),
        sum(counts.problems[(p, True)] for p in files),
        sum(counts.problems[(p, False)] for p in files),
    )


def _translation_paths(src_path: str, languages: Iterable[str]) -> list[str]:
    """Where the page's translations are (or would be): `bridge.md` → `bridge.es.md`."""
    return [src_path.removesuffix(".md") + f".{lang}.md" for lang in languages]


def _review_fields(
    doc: Document, today: dt.date, people: Mapping[str, Person] | None
) -> tuple[dt.date | None, dt.date | None, str, str]:
    """Last review, next review, its state and the reviewer; a plain page has none."""
    meta = doc.meta
    if not isinstance(meta, ArticleMeta | ExerciseMeta):
        return None, None, "n/a", ""
    if people is None:  # the clinic's data has errors: who the key is cannot be told
        reviewer = meta.reviewer
    else:
        reviewer = _person(people.get(meta.reviewer), meta.reviewer)
    if {p.field[0] for p in doc.placeholders if p.field} & {"last_reviewed", "next_review_due"}:
        return None, None, "", reviewer  # still a placeholder: nothing to tell yet
    return meta.last_reviewed, meta.next_review_due, _review(meta.next_review_due, today), reviewer


def _review(due: dt.date, today: dt.date) -> str:
    days = (due - today).days
    if days < 0:
        return "overdue"
    return "due soon" if days <= DUE_SOON_DAYS else ""


def _person(person: Person | None, key: str) -> str:
    if person is None:
        return f"{key} (unknown)" if key else ""
    return f"{person.name}, {person.credentials}" if person.credentials else person.name
