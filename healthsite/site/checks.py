"""Checks of one published document against the rest of the site: references to exercises,
people, pictures and review dates. `assemble` runs them for every document; the quick way for a
body edit runs them again for the edited one."""

from __future__ import annotations

from collections.abc import Set as AbstractSet

from healthsite.content.clinic import Clinic
from healthsite.content.documents import Document
from healthsite.content.health_checks import health_checks, readability_checks
from healthsite.content.models import ArticleMeta, ExerciseMeta
from healthsite.content.placeholders import diagnostics as placeholder_problems
from healthsite.content.sources import Kind
from healthsite.diagnostics import Diagnostic, did_you_mean, error
from healthsite.site.assets import AssetMap
from healthsite.site.site_model import Site


def document_checks(doc: Document, site: Site) -> list[Diagnostic]:
    """What `assemble` reports about one published document."""
    config, known, assets = site.config, site.known, site.assets
    diagnostics: list[Diagnostic] = []
    if doc.is_draft and doc.placeholders:  # a draft in a --drafts build: say what is unfinished
        diagnostics += placeholder_problems(
            doc.placeholders, doc.src_path, can_be_draft=True, published=False
        )
    if doc.lang == config.settings.language:
        diagnostics += _check_embeds(doc, known.exercises, known.drafts)
        if isinstance(doc.meta, ArticleMeta):
            diagnostics += _check_related(doc, doc.meta, known.exercises, known.drafts)
        if isinstance(doc.meta, ExerciseMeta):
            diagnostics += _check_images(doc, doc.meta, assets)
        if doc.kind is not Kind.PAGE:
            diagnostics += _check_people(doc, site.clinic)
            diagnostics += health_checks(
                doc, config.today, config.settings.review.overdue_error_days
            )
    readable = config.settings.readability
    diagnostics += readability_checks(doc, readable.max_grade, readable.long_sentence_words)
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
