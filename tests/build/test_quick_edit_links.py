"""Links under `serve`'s quick way: a body edit is re-rendered without a full build, yet a link it
breaks, or a heading it renames that another page links to, is reported as the full build would.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from healthsite.build.builder import Builder
from healthsite.build.pipeline import BuildReport
from healthsite.diagnostics import BuildFailed
from tests.helpers import TODAY, VALID_SITE


def patched(report: BuildReport) -> bool:
    """The build took the quick way for a body edit: no full parse, assemble or render."""
    return "patch" in report.timings and "assemble" not in report.timings


@pytest.fixture
def kept(tmp_path: Path) -> tuple[Path, Builder]:
    """The valid site, its article linking to a part of the bridge, built by a kept Builder."""
    root = tmp_path / "src"
    shutil.copytree(VALID_SITE, root)
    article = root / "content/articles/back-care.md"
    article.write_text(
        article.read_text().replace(
            "Stay active.", "Stay active. See [how to lift](/exercises/bridge/#how-to-lift)."
        )
    )
    bridge = root / "content/exercises/bridge.md"
    bridge.write_text(bridge.read_text() + "\n## How to lift\n\nSlowly.\n")
    builder = Builder(root)
    builder.build(today=TODAY)
    return root, builder


def test_a_body_edit_that_breaks_a_link_fails_with_its_line(kept: tuple[Path, Builder]) -> None:
    root, builder = kept
    article = root / "content/articles/back-care.md"
    article.write_text(article.read_text().replace("Stay active.", "Stay [active](/nope/)."))
    with pytest.raises(BuildFailed) as failed:
        builder.build(today=TODAY, changed={article})
    [problem] = failed.value.diagnostics
    assert (problem.code, problem.location.path, problem.location.line) == (
        "link",
        "content/articles/back-care.md",
        14,
    )
    # put right, the next edit takes the quick way again
    article.write_text(article.read_text().replace("Stay [active](/nope/).", "Stay active."))
    builder.build(today=TODAY, changed={article})
    article.write_text(article.read_text().replace("Stay active.", "Stay [active](/articles/)."))
    report = builder.build(today=TODAY, changed={article})
    assert patched(report) and report.diagnostics == []


def test_renaming_a_heading_another_page_links_to_is_an_error(kept: tuple[Path, Builder]) -> None:
    root, builder = kept
    bridge = root / "content/exercises/bridge.md"
    bridge.write_text(bridge.read_text().replace("## How to lift", "## Lifting"))
    with pytest.raises(BuildFailed) as failed:
        builder.build(today=TODAY, changed={bridge})
    [problem] = failed.value.diagnostics
    assert problem.code == "anchor" and problem.location.path == "content/articles/back-care.md"
    assert "#how-to-lift" in problem.message and "#lifting" in problem.hint


def test_a_body_edit_to_a_page_nobody_links_into_stays_quick(kept: tuple[Path, Builder]) -> None:
    root, builder = kept
    article = root / "content/articles/back-care.md"
    article.write_text(article.read_text().replace("## Strength", "## Getting stronger"))
    report = builder.build(today=TODAY, changed={article})
    assert patched(report) and report.diagnostics == []
