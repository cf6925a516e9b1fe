"""The assemble stage: documents put together into one model per language, checked as a whole."""

from __future__ import annotations

import shutil
from pathlib import Path

from healthsite.content.sources import Kind
from tests.helpers import SITES, WriteTree, assembled

PAGE = "---\ntitle: {title}\nsummary: A page.\n{extra}---\nText.\n"


def codes(problems: list) -> list[str]:
    return sorted(d.code for d in problems if d.is_error)


def test_the_valid_site_assembles_without_problems(valid_site: Path) -> None:
    site, problems = assembled(valid_site)
    assert problems == []
    assert list(site.models) == ["en"]
    main = site.main
    assert [d.slug for d in main.articles] == ["back-care"]
    assert [d.slug for d in main.exercises] == ["bridge", "knee-hug"]  # by title
    assert main.urls["content/exercises/bridge.md"] == "/exercises/bridge/"
    assert [a.slug for a in main.used_in["bridge"]] == ["back-care"]
    article = main.articles[0]
    assert [e.slug for e in main.related_exercises(article)] == ["bridge", "knee-hug"]
    assert [c for c, _ in main.exercises_by_category()] == ["strengthening", "stretching"]
    assert site.known.exercises == {"bridge", "knee-hug"}


def test_drafts_are_left_out_but_known_as_drafts(write_tree: WriteTree) -> None:
    bridge = (write_tree({}) / "content/exercises/bridge.md").read_text()
    root = write_tree(
        {"content/exercises/bridge.md": bridge.replace("name: Bridge", "name: Bridge\ndraft: true")}
    )
    site, problems = assembled(root)
    assert [d.slug for d in site.main.exercises] == ["knee-hug"]
    assert site.known.drafts == {"bridge"}
    # the article still embeds it: that is an error, and says the exercise is a draft
    assert codes(problems) == ["unknown-exercise", "unknown-exercise"]
    assert all("is a draft" in d.message for d in problems if d.is_error)


def test_two_files_wanting_one_url_are_an_error_naming_both(write_tree: WriteTree) -> None:
    root = write_tree(
        {
            "content/pages/care.md": PAGE.format(title="Care", extra="slug: privacy\n"),
            "content/pages/contact.md": PAGE.format(title="Contact", extra=""),
        }
    )
    site, problems = assembled(root)
    errors = {d.location.path: d for d in problems if d.is_error}
    assert set(errors) == {"content/pages/privacy.md", "content/pages/contact.md"}
    assert errors["content/pages/privacy.md"].code == "duplicate-slug"
    assert "content/pages/care.md" in errors["content/pages/privacy.md"].message
    assert errors["content/pages/contact.md"].code == "url-collision"  # the engine's own page
    assert [d.src_path for d in site.main.pages] == ["content/pages/care.md"]


def test_a_reference_to_an_unknown_exercise_suggests_the_nearest(write_tree: WriteTree) -> None:
    article = (write_tree({}) / "content/articles/back-care.md").read_text()
    root = write_tree(
        {
            "content/articles/back-care.md": article.replace(
                "[[exercise bridge]]", "[[exercise brige]]"
            )
        }
    )
    _, problems = assembled(root)
    [problem] = [d for d in problems if d.is_error]
    assert problem.code == "unknown-exercise" and "brige" in problem.message
    assert "bridge" in problem.hint


def test_translations_join_their_source_in_every_language(tmp_path: Path) -> None:
    root = tmp_path / "golden"
    shutil.copytree(SITES / "golden/source", root)
    site, problems = assembled(root)
    # the article and the privacy page have no Spanish version: said, not an error
    assert [(d.code, d.location.path) for d in problems] == [
        ("translation-missing", "content/articles/moving-after-a-back-strain.md"),
        ("translation-missing", "content/pages/privacy.md"),
    ]
    english, spanish = site.models["en"], site.models["es"]
    assert [d.slug for d in spanish.exercises] == ["wall-push-up"]
    assert spanish.exercises[0].lang == "es" and spanish.articles == ()
    assert spanish.lang_prefix == "/es" and not spanish.is_main_language
    assert english.alternates[(Kind.EXERCISE, "wall-push-up")] == {
        "en": "/exercises/wall-push-up/",
        "es": "/es/exercises/wall-push-up/",
    }
    assert spanish.alternates is english.alternates  # one map for the whole site
    # an exercise card on a Spanish page shows the Spanish exercise
    assert spanish.exercises_by_slug["wall-push-up"].lang == "es"
