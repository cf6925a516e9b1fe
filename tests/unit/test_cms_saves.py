"""Saves from the editing UI: checked like a build, byte-identical when nothing changed, and a
changed file keeps its layout and comments."""

from __future__ import annotations

import datetime as dt
import difflib
import random
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from healthsite.cms.backend import BackendError
from healthsite.cms.saves import Writer
from healthsite.content.yaml_lines import parse_yaml, split_front_matter
from tests.helpers import REPO, copy_sample_sources

TODAY = dt.date(2026, 12, 1)
SAMPLE_FILES = sorted(
    p.relative_to(REPO).as_posix()
    for p in (REPO / "content").rglob("*")
    if p.suffix in (".md", ".yaml")
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_sample_sources(tmp_path_factory.mktemp("cms-writes"))


@pytest.fixture
def writer(site: Path) -> Writer:
    return Writer(site, content_dir="content", languages=("en", "es"), today=TODAY)


def as_decap_writes_it(text: str, path: str, change: Any = None) -> str:
    """The file as Decap CMS sends it back: keys shuffled, flow lists as blocks, long lines
    folded, dates as text, comments gone."""
    if path.endswith(".yaml"):
        doc, _ = parse_yaml(text, path)
        assert doc is not None
        data, body = plain(doc.data), None
    else:
        split, _ = split_front_matter(text, path)
        assert split is not None
        data, body = plain(split.meta.data), split.body
    if change:
        change(data)
    keys = list(data)
    random.Random(path).shuffle(keys)
    front = yaml.safe_dump(
        {k: data[k] for k in keys}, sort_keys=False, allow_unicode=True, width=80
    )
    return front if body is None else f"---\n{front}---\n{body}"


def plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@pytest.mark.parametrize("path", SAMPLE_FILES)
def test_a_save_with_no_change_leaves_every_sample_file_byte_identical(
    writer: Writer, site: Path, path: str
) -> None:
    text = (site / path).read_text(encoding="utf-8")
    assert writer.text_to_write(path, as_decap_writes_it(text, path)) is None


def test_a_change_touches_only_its_lines_and_comments_survive(writer: Writer, site: Path) -> None:
    path = "content/data/clinic.yaml"
    before = (site / path).read_text(encoding="utf-8")

    def change(data: dict[str, Any]) -> None:
        data["hours"][0]["opens"] = "08:30"  # quoted: YAML 1.1 reads 08:30 as a number

    after = writer.text_to_write(path, as_decap_writes_it(before, path, change))
    assert after is not None
    diff = [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="")
        if line[:1] in "+-" and line[:3] not in ("+++", "---")
    ]
    assert diff == ['-    opens: "08:00"', '+    opens: "08:30"']
    assert "# placeholder hours: confirm with the clinic before publishing" in after


def test_changed_lists_keep_their_style_and_new_fields_land_in_form_order(
    writer: Writer, site: Path
) -> None:
    path = "content/exercises/bridge.md"
    before = (site / path).read_text(encoding="utf-8")

    def change(data: dict[str, Any]) -> None:
        data["body_areas"].append("hips")
        data["steps"][1] = "Rest your arms by your sides."
        data["slug"] = "glute-bridge"

    after = writer.text_to_write(path, as_decap_writes_it(before, path, change))
    assert after is not None
    assert "body_areas: [lower-back, glutes, core, hips]\n" in after
    assert "  - Rest your arms by your sides.\n" in after
    assert after.index("slug: glute-bridge") > after.index("next_review_due:")
    changed = sum(
        1
        for line in difflib.ndiff(before.splitlines(), after.splitlines())
        if line.startswith(("+", "-"))
    )
    assert changed == 5  # two lines changed (four), one added


def test_a_new_file_is_written_in_the_scaffolds_layout(writer: Writer) -> None:
    raw = (
        "---\nsteps:\n  - One.\n  - Two.\nname: Wall slide\nsummary: Good for you.\n"
        "category: strengthening\nbody_areas:\n  - upper-back\nposition: standing\n"
        "equipment:\n  - wall\nlevel: beginner\nsides: both-together\none_repetition_is: ''\n"
        "key_points: []\ndose: {sets: 1, reps: 5, times_per_day: 2, hold_seconds: null}\n"
        "flare_up_advice: Go gently.\nstop_if: [It hurts.]\nauthor: patient-education-team\n"
        "reviewer: moksha-ranasinghe\nlast_reviewed: '2026-11-30'\n"
        "next_review_due: '2028-11-30'\ndraft: true\n---\n"
    )
    text = writer.text_to_write("content/exercises/wall-slide.md", raw)
    assert text == (
        "---\nname: Wall slide\nsummary: Good for you.\ncategory: strengthening\n"
        "body_areas: [upper-back]\nposition: standing\nequipment: [wall]\nlevel: beginner\n"
        "sides: both-together\nsteps:\n  - One.\n  - Two.\ndose:\n  sets: 1\n  reps: 5\n"
        "  times_per_day: 2\nflare_up_advice: Go gently.\nstop_if:\n  - It hurts.\n"
        "author: patient-education-team\nreviewer: moksha-ranasinghe\n"
        "last_reviewed: 2026-11-30\nnext_review_due: 2028-11-30\ndraft: true\n---\n"
    )


def test_an_invalid_save_is_refused_with_the_forms_words(writer: Writer, site: Path) -> None:
    path = "content/exercises/bridge.md"
    before = (site / path).read_text(encoding="utf-8")

    def change(data: dict[str, Any]) -> None:
        data["dose"]["reps"] = 99
        data["steps"] = ["Only one step."]

    with pytest.raises(BackendError) as refused:
        writer.text_to_write(path, as_decap_writes_it(before, path, change))
    assert refused.value.status == 422
    message = str(refused.value)
    assert message.startswith("Not saved. ")
    assert "How much to do > Repetitions in each set: must be at most 50 (got 99)" in message
    assert "Steps: must have at least 2 item(s) (got 1)" in message
    assert (site / path).read_text(encoding="utf-8") == before


def test_a_translation_nobody_started_is_not_written_and_a_started_one_is_checked(
    writer: Writer,
) -> None:
    path = "content/exercises/wall-slide.es.md"
    assert writer.text_to_write(path, "---\ndraft: true\n---\n") is None
    with pytest.raises(BackendError, match=r"^Not saved\. In Spanish: .*What it is for"):
        writer.text_to_write(path, "---\nname: Deslizamiento\ndraft: true\n---\n")


def test_a_main_language_file_gets_no_translation_record_and_text_is_quoted_safely(
    writer: Writer, site: Path
) -> None:
    path = "content/pages/privacy.md"
    before = (site / path).read_text(encoding="utf-8")

    def change(data: dict[str, Any]) -> None:
        data["translation"] = {}  # the form's empty record beside a main-language page
        data["title"] = "NO"  # YAML 1.1 would read it as false

    after = writer.text_to_write(path, as_decap_writes_it(before, path, change))
    assert after is not None
    assert "translation" not in after
    assert 'title: "NO"\n' in after


def test_the_sample_site_builds_after_a_round_of_saves(tmp_path: Path) -> None:
    """Every sample file saved with a change through the writer still builds strict."""
    from healthsite.build.pipeline import build

    site = copy_sample_sources(tmp_path / "site")
    writer = Writer(site, content_dir="content", languages=("en", "es"), today=TODAY)
    for path in SAMPLE_FILES:
        if not path.endswith(".md") or ".es." in path:
            continue
        text = (site / path).read_text(encoding="utf-8")
        key = "name" if "/exercises/" in path else "title"

        def change(data: dict[str, Any], key: str = key) -> None:
            data[key] = data[key] + " (edited)"

        new = writer.text_to_write(path, as_decap_writes_it(text, path, change))
        assert new is not None
        (site / path).write_text(new, encoding="utf-8")
    shutil.rmtree(site / "site", ignore_errors=True)
    report = build(site, strict_mode=True)
    assert report.pages > 0
