"""Rebuilds of a site with photos, as `serve` makes them: a body edit beside a picture takes the
quick way (which does not run the media stage), a changed picture, alt text or photo file the
full way; every result equals a clean build, byte for byte."""

from __future__ import annotations

import shutil
from pathlib import Path

from healthsite.build.builder import Builder
from healthsite.build.pipeline import BuildReport
from tests.helpers import TODAY, VALID_SITE, assert_same_as_clean_build
from tests.photos import phone_photo

ARTICLE = "content/articles/back-care.md"
PICTURE = '\n\n![A person lying on a mat, knees bent](photos/mat.jpg "Start here")\n\n'


def quick(report: BuildReport) -> bool:
    """The build took the quick way for a body edit: no full parse, assemble, media or render."""
    return "patch" in report.timings and "media" not in report.timings


def test_a_body_edit_beside_a_photo_is_quick_and_a_photo_change_is_not(tmp_path: Path) -> None:
    root = tmp_path / "src"
    shutil.copytree(VALID_SITE, root)
    photo = phone_photo(root / "static/photos/mat.jpg", 1600, 1200, orientation=1)
    article = root / ARTICLE
    article.write_text(article.read_text().replace("Stay active.", "Stay active." + PICTURE))
    builder = Builder(root)
    builder.build(today=TODAY)
    page = root / "site/articles/back-care/index.html"
    assert "<picture>" in page.read_text()

    article.write_text(article.read_text() + "\nMore to read.\n")
    report = builder.build(today=TODAY, changed={article})
    assert quick(report) and report.written == ("articles/back-care/index.html",)
    assert_same_as_clean_build(root, tmp_path / "1")

    article.write_text(article.read_text().replace("knees bent]", "knees bent, arms by sides]"))
    report = builder.build(today=TODAY, changed={article})
    assert not quick(report) and "arms by sides" in page.read_text()
    assert_same_as_clean_build(root, tmp_path / "2")

    before = {p.name for p in (root / "site/static/photos").iterdir()}
    phone_photo(photo, 1600, 1200, orientation=1, seed=5)  # the photo saved again, changed
    report = builder.build(today=TODAY, changed={photo})
    assert not quick(report)
    after = {p.name for p in (root / "site/static/photos").iterdir()}
    assert before.isdisjoint(after)  # new fingerprints, the old renditions gone
    assert_same_as_clean_build(root, tmp_path / "3")
