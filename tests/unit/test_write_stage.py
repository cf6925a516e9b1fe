"""The write stage: a full build is swapped in whole; an incremental one is staged beside the
site, then moved in; a folder healthsite did not make is never touched; nothing lands outside
the output folder. (`test_write.py`: moving in is all or nothing.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from healthsite.build.manifest import Manifest, OutputRecord
from healthsite.build.receipt import MARKER
from healthsite.build.write import (
    Output,
    WriteRefused,
    made_by_us,
    open_output,
    open_staging,
    replace_folder,
    write_outputs,
)
from healthsite.inputs import SiteFiles
from healthsite.site.artifact import Artifact
from healthsite.site.assets import collect_assets


def page(dest: str, text: str = "<p>page</p>") -> Artifact:
    return Artifact(dest, text.encode())


def test_a_full_build_goes_to_staging_then_replaces_the_site_whole(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / MARKER).write_text("")
    (site / "old.html").write_text("old")
    seen: list[str] = []

    class Feed:  # the search index: takes each page written, cut down to what is found
        def add_page(self, path: str, html: str) -> None:
            assert html.startswith("<!doctype html>") and "<main data-pagefind-body>" in html
            seen.append(path)

    output = open_output(site, False)
    output.search = Feed()
    assert output.staging is not None and output.staging.parent == tmp_path
    searchable = "<html><body><main data-pagefind-body>x</main><footer>f</footer></body></html>"
    output.keep(page("index.html", searchable))
    output.keep(page("exercises/bridge/index.html", searchable))
    output.keep(page("about.html"))  # nothing to find on it
    assert seen == ["index.html", "exercises/bridge/index.html"]
    assert (site / "old.html").read_text() == "old"  # untouched until the swap
    assets, _ = collect_assets(tmp_path / "none", SiteFiles.of(tmp_path))
    written = write_outputs(output, {"index.html": 1}, assets, None)
    assert "index.html" in written.written and written.removed == ()
    assert any(path.startswith("static/css/site.") for path in written.written)
    output.publish()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no staging left behind
    assert (site / "exercises/bridge/index.html").is_file() and not (site / "old.html").exists()
    assert made_by_us(site)


def test_a_folder_healthsite_did_not_make_is_refused_and_left_alone(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "mine.txt").write_text("someone's work")
    with pytest.raises(WriteRefused):
        open_staging(site)
    output = open_output(site, True)  # not ours: never updated in place either
    assert output.refused is not None and output.staging is None
    output.keep(page("index.html"))
    assert output.changed == [] and sorted(p.name for p in site.iterdir()) == ["mine.txt"]


def test_an_incremental_build_replaces_changed_files_and_removes_gone_ones(
    tmp_path: Path,
) -> None:
    site = tmp_path / "site"
    (site / "exercises/bridge").mkdir(parents=True)
    (site / MARKER).write_text("")
    (site / "index.html").write_text("old home")
    (site / "exercises/bridge/index.html").write_text("bridge")
    before = Manifest(
        {"index.html": OutputRecord("home", 8), "exercises/bridge/index.html": OutputRecord("b", 6)}
    )
    output = open_output(site, True)
    assert output.staging is None
    output.keep(page("index.html", "new home"))
    files = SiteFiles.of(tmp_path)
    now = {"index.html": OutputRecord("home", 8)}
    written = write_outputs(output, now, collect_assets(tmp_path / "none", files)[0], before)
    assert (site / "index.html").read_text() == "old home"  # staged beside the site only
    output.publish()
    assert (site / "index.html").read_text() == "new home"
    assert written.removed == ("exercises/bridge/index.html",)
    assert not (site / "exercises").exists()  # emptied folders go too
    assert "index.html" in written.written
    assert sorted(p.name for p in site.iterdir() if p.name.startswith(".")) == [MARKER]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # nothing left beside it


def test_nothing_is_written_outside_the_output_folder(tmp_path: Path) -> None:
    staging = tmp_path / "staging"
    staging.mkdir()
    output = Output(tmp_path / "site", staging)
    with pytest.raises(ValueError, match="escapes"):
        output.keep(page("../outside.html"))
    assert not (tmp_path / "outside.html").exists()


def test_replace_folder_puts_the_new_in_place_of_the_old(tmp_path: Path) -> None:
    (tmp_path / "new").mkdir()
    (tmp_path / "new/a").write_text("new")
    (tmp_path / "old").mkdir()
    (tmp_path / "old/a").write_text("old")
    replace_folder(tmp_path / "new", tmp_path / "old")
    assert (tmp_path / "old/a").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old"]


def test_a_discarded_output_leaves_no_staging_folder(tmp_path: Path) -> None:
    output = open_output(tmp_path / "site", False)
    output.keep(page("index.html"))
    output.discard()
    assert list(tmp_path.iterdir()) == []
