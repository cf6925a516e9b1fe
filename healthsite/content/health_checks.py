"""Health-content checks a build can run on one document (see shared HEALTH-CONTENT.md).

Review dates (NHS "page last reviewed / next review due" pattern, C1-C2), evidence (C5),
plausible starting doses (EX3) and how many exercises an article asks a patient to do (EX6).
They are warnings: they ask a clinician to look, they do not judge the medicine.
"""

from __future__ import annotations

import datetime as dt

from healthsite.content.documents import Document
from healthsite.content.models import ArticleMeta, ExerciseMeta
from healthsite.diagnostics import Diagnostic, warning

MAX_REVIEW_INTERVAL_DAYS = 3 * 365 + 1
DUE_SOON_DAYS = 60
#: Adherence drops when a patient is given many exercises at once.
MAX_EXERCISES_PER_ARTICLE = 8
#: Doses above these are unusual for a home starting programme: worth a clinician's second look.
PLAUSIBLE_DOSE = {"sets": 5, "reps": 30, "hold_seconds": 120, "times_per_day": 5}


def health_checks(doc: Document, today: dt.date, overdue_error_days: int) -> list[Diagnostic]:
    """Every check that applies to an article or exercise."""
    meta = doc.meta
    assert isinstance(meta, ArticleMeta | ExerciseMeta)
    unwritten = {p.field[0] for p in doc.placeholders if p.field}
    found = (
        []  # a draft's review dates are stand-ins until someone writes them
        if unwritten & {"last_reviewed", "next_review_due"}
        else review_dates(doc, meta, today, overdue_error_days)
    )
    if not meta.sources:
        found.append(
            warning(
                "sources",
                "sources: no sources listed for this health page",
                doc.src_path,
                doc.source.line_of(("sources",)),
                hint="list where the advice comes from (title, publisher, url)",
            )
        )
    if isinstance(meta, ExerciseMeta):
        found += _dose(doc, meta)
    else:
        count = len(set(meta.exercises) | {e.slug for e in doc.body.embeds})
        if count > MAX_EXERCISES_PER_ARTICLE:
            found.append(
                warning(
                    "too-many-exercises",
                    f"the article asks for {count} exercises; people "
                    f"keep up with {MAX_EXERCISES_PER_ARTICLE} or fewer",
                    doc.src_path,
                    doc.source.line_of(("exercises",)),
                    hint="split it into two articles",
                )
            )
    return found


def review_dates(
    doc: Document, meta: ArticleMeta | ExerciseMeta, today: dt.date, overdue_error_days: int
) -> list[Diagnostic]:
    """Due → warning; long overdue → a warning that `--strict` makes an error."""
    line = doc.source.line_of(("next_review_due",))
    late = (today - meta.next_review_due).days
    due = meta.next_review_due.isoformat()
    found: list[Diagnostic] = []
    if late > overdue_error_days:
        found.append(
            warning(
                "review-overdue",
                f"next_review_due: review was due on {due}, "
                f"{_days(late)} ago: this page must be reviewed",
                doc.src_path,
                line,
                hint="after a clinician reviews it, update last_reviewed and next_review_due",
            )
        )
    elif late > 0:
        found.append(
            warning(
                "review-due",
                f"next_review_due: review was due on {due} ({_days(late)} ago)",
                doc.src_path,
                line,
            )
        )
    if (meta.next_review_due - meta.last_reviewed).days > MAX_REVIEW_INTERVAL_DAYS:
        found.append(
            warning(
                "review-interval",
                "next_review_due: more than 3 years after last_reviewed",
                doc.src_path,
                line,
            )
        )
    if meta.last_reviewed > today:
        found.append(
            warning(
                "review-date",
                f"last_reviewed: {meta.last_reviewed.isoformat()} is in the future",
                doc.src_path,
                doc.source.line_of(("last_reviewed",)),
                hint="set it to the day a clinician actually reviewed the page",
            )
        )
    return found


def due_soon(doc: Document, today: dt.date) -> dt.date | None:
    """The review date if it falls within the next 60 days: the report lists these."""
    meta = doc.meta
    if isinstance(meta, ArticleMeta | ExerciseMeta):
        days = (meta.next_review_due - today).days
        if 0 <= days <= DUE_SOON_DAYS:
            return meta.next_review_due
    return None


def _dose(doc: Document, meta: ExerciseMeta) -> list[Diagnostic]:
    found = []
    for field, limit in PLAUSIBLE_DOSE.items():
        value = getattr(meta.dose, field)
        if value is not None and value > limit:
            found.append(
                warning(
                    "dose",
                    f"dose.{field}: {value} is more than a usual starting dose (at most {limit})",
                    doc.src_path,
                    doc.source.line_of(("dose", field)),
                    hint="check the number with the reviewing clinician",
                )
            )
    return found


def _days(count: int) -> str:
    return f"{count} day{'' if count == 1 else 's'}"


def readability_checks(doc: Document, max_grade: float, long_sentence: int) -> list[Diagnostic]:
    """A page that reads above the site's grade: the grade, then its longest sentences and its
    longest words by line, so the editor knows what to change (C7, C8)."""
    level = doc.readability
    if level is None or level.grade <= max_grade:
        return []
    path = doc.src_path
    found = [
        warning(
            "readability",
            f"reads at US school grade {level.grade:g} ({level.formula}); "
            f"the site's target is {max_grade:g} or lower",
            path,
            hint=(
                f"sentences average {level.words_per_sentence:.0f} words: aim for 15 or fewer, "
                "and use everyday words"
                if level.words_per_sentence > 15
                else "the sentences are short enough, but many words are long: use everyday ones"
            )
            + "; the longest sentences and words are listed below",
        )
    ]
    found += [
        warning(
            "long-sentence",
            f'a sentence of {sentence.words} words: "{sentence.start}"',
            path,
            sentence.line,
            hint="split it into two or three shorter sentences, or make a list",
        )
        for sentence in level.longest
        if sentence.words > long_sentence
    ]
    by_line: dict[int, list[str]] = {}
    for word in level.long_words:
        by_line.setdefault(word.line, []).append(f"'{word.word}' ({word.syllables} syllables)")
    found += [
        warning(
            "long-words",
            f"long words: {', '.join(words)}",
            path,
            line,
            hint="use an everyday word where there is one; if the medical word matters, put it "
            "in brackets after the plain one, e.g. 'lower back (lumbar)'",
        )
        for line, words in sorted(by_line.items())
    ]
    return found
