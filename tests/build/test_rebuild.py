"""Incremental rebuilds, Hugo style: edit one file, rebuild, check exactly which outputs were made
again, and that the result is the same, byte for byte, as a clean build of the edited site.

Each scenario runs twice: with one `Builder` kept between builds (as `serve` does, everything in
memory) and with a new `Builder` per build (as `python build.py build` does, from the cache
folder).
"""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from healthsite.build.builder import Builder
from healthsite.build.pipeline import BuildReport, build
from healthsite.build.receipt import CACHE_DIR, CACHE_FORMAT
from healthsite.diagnostics import BuildFailed
from tests.helpers import (
    REPO,
    TODAY,
    TODAY_EPOCH,
    VALID_SITE,
    assert_same_as_clean_build,
    copy_sample_sources,
    tree,
)


class Site:
    """A copy of a fixture site, built once, then rebuilt after each edit."""

    def __init__(self, root: Path, keep_builder: bool) -> None:
        self.root = root
        self.keep_builder = keep_builder
        self.builder = Builder(root)
        self.builder.build(today=TODAY)

    def rebuild(self) -> BuildReport:
        if not self.keep_builder:
            self.builder = Builder(self.root)
        return self.builder.build(today=TODAY)

    def text(self, rel: str) -> str:
        return (self.root / rel).read_text(encoding="utf-8")

    def write(self, rel: str, text: str) -> None:
        (self.root / rel).parent.mkdir(parents=True, exist_ok=True)
        (self.root / rel).write_text(text, encoding="utf-8")

    def replace(self, rel: str, old: str, new: str) -> None:
        text = self.text(rel)
        assert old in text, f"{old!r} not in {rel}"
        self.write(rel, text.replace(old, new))


@pytest.fixture(params=["kept-builder", "new-builder"])
def site(request: pytest.FixtureRequest, tmp_path: Path) -> Site:
    root = tmp_path / "src"
    shutil.copytree(VALID_SITE, root)
    return Site(root, keep_builder=request.param == "kept-builder")


def test_no_change_writes_nothing(site: Site, tmp_path: Path) -> None:
    report = site.rebuild()
    assert report.written == () and report.removed == ()
    assert report.pages == 12
    assert_same_as_clean_build(site.root, tmp_path)


def test_article_body_edit_remakes_only_that_article(site: Site, tmp_path: Path) -> None:
    site.replace("content/articles/back-care.md", "Stay active.", "Stay active every day.")
    report = site.rebuild()
    # the lists and the exercises it embeds show its title, never its body
    assert report.written == ("articles/back-care/index.html",)
    assert "Stay active every day." in site.text("site/articles/back-care/index.html")
    assert_same_as_clean_build(site.root, tmp_path)


def test_article_title_edit_remakes_the_pages_that_show_the_title(
    site: Site, tmp_path: Path
) -> None:
    site.replace("content/articles/back-care.md", "title: Caring for your back", "title: Back care")
    report = site.rebuild()
    assert set(report.written) == {
        "articles/back-care/index.html",
        "articles/index.html",  # the list
        "index.html",  # the home page lists articles
        "exercises/bridge/index.html",  # "this exercise appears in"
        "exercises/knee-hug/index.html",
        "feed.xml",
        "sw.js",  # front matter changed: the offline worker's version changes
    }
    assert_same_as_clean_build(site.root, tmp_path)


def test_exercise_rename_moves_its_page(site: Site, tmp_path: Path) -> None:
    (site.root / "content/exercises/bridge.md").rename(
        site.root / "content/exercises/glute-bridge.md"
    )
    site.replace("content/articles/back-care.md", "[bridge,", "[glute-bridge,")
    site.replace("content/articles/back-care.md", "exercise bridge]", "exercise glute-bridge]")
    report = site.rebuild()
    assert report.removed == ("exercises/bridge/index.html",)
    assert not (site.root / "site/exercises/bridge").exists()
    assert set(report.written) == {
        "exercises/glute-bridge/index.html",
        "articles/back-care/index.html",  # its card links to the new address
        "exercises/index.html",
        "exercises/knee-hug/index.html",  # the article's front matter changed
        "articles/index.html",
        "index.html",
        "search/browse.json",
        "sitemap.xml",
        "feed.xml",  # exercises are in the feed
        "sw.js",
    }
    assert_same_as_clean_build(site.root, tmp_path)


def test_deleted_page_is_removed(site: Site, tmp_path: Path) -> None:
    (site.root / "content/pages/privacy.md").unlink()
    report = site.rebuild()
    assert report.removed == ("privacy/index.html",)
    assert not (site.root / "site/privacy").exists()
    # the footer of every page links the plain pages: all pages change, the feed does not
    assert "feed.xml" not in report.written and "sitemap.xml" in report.written
    assert_same_as_clean_build(site.root, tmp_path)


def test_template_edit_remakes_the_pages_that_use_it(site: Site, tmp_path: Path) -> None:
    theme = REPO / "healthsite/theme/templates/exercise.html"
    site.write("templates/exercise.html", theme.read_text(encoding="utf-8"))
    report = site.rebuild()  # a new override of the same text: same pages, same bytes
    assert set(report.written) == {"exercises/bridge/index.html", "exercises/knee-hug/index.html"}
    site.replace("templates/exercise.html", "{% block content %}", "{% block content %}<!--x-->")
    report = site.rebuild()  # the offline worker's version covers the templates
    assert set(report.written) == {
        "exercises/bridge/index.html",
        "exercises/knee-hug/index.html",
        "sw.js",
    }
    assert "<!--x-->" in site.text("site/exercises/bridge/index.html")
    assert_same_as_clean_build(site.root, tmp_path)


def test_config_edit_remakes_every_page(site: Site, tmp_path: Path) -> None:
    site.replace("site.yaml", "title: Test Clinic", "title: Test Clinic Two")
    report = site.rebuild()
    pages = {p for p in tree(site.root / "site") if p.endswith(".html")}
    pages -= {p for p in pages if p.startswith("pagefind/")}
    assert {p for p in report.written if p.endswith(".html")} == pages
    assert_same_as_clean_build(site.root, tmp_path)


def test_static_file_edit_remakes_pages_and_replaces_the_file(site: Site, tmp_path: Path) -> None:
    site.write("static/img/pose.svg", site.text("static/img/pose.svg").replace("</svg>", " </svg>"))
    report = site.rebuild()
    new = [p for p in report.written if p.startswith("static/img/pose.")]
    old = [p for p in report.removed if p.startswith("static/img/pose.")]
    assert len(new) == 1 and len(old) == 1
    assert_same_as_clean_build(site.root, tmp_path)


def test_failed_rebuild_keeps_the_site_and_the_next_good_build_catches_up(
    site: Site, tmp_path: Path
) -> None:
    before = tree(site.root / "site")
    good = site.text("content/articles/back-care.md")
    site.write("content/articles/back-care.md", good.replace("title: Caring", "titel: Caring"))
    with pytest.raises(Exception, match="error"):
        site.rebuild()
    assert tree(site.root / "site") == before
    site.write("content/articles/back-care.md", good.replace("Stay active.", "Keep moving."))
    report = site.rebuild()
    assert report.written == ("articles/back-care/index.html",)
    assert_same_as_clean_build(site.root, tmp_path)


def test_translation_edit_remakes_that_language_version(tmp_path: Path) -> None:
    root = copy_sample_sources(tmp_path / "src")
    sample = Site(root, keep_builder=True)
    rel = "content/exercises/clamshell.es.md"
    text = sample.text(rel)
    body = text.split("---\n", 2)[2]
    first_line = next(line for line in body.splitlines() if line.strip())
    sample.write(rel, text.replace(first_line, first_line + " Texto nuevo.", 1))
    report = sample.rebuild()
    assert report.written == ("es/exercises/clamshell/index.html",)
    assert "Texto nuevo." in sample.text("site/es/exercises/clamshell/index.html")
    assert_same_as_clean_build(sample.root, tmp_path)


def cache_files(root: Path) -> list[Path]:
    return sorted((root / CACHE_DIR / f"v{CACHE_FORMAT}").glob("*.pickle"))


@pytest.mark.parametrize("damage", ["truncated", "old-engine"])
def test_damaged_cache_means_a_full_build_with_a_note(
    damage: str, tmp_path: Path, valid_site: Path
) -> None:
    build(valid_site, today=TODAY)
    files = cache_files(valid_site)
    assert files, "the build wrote no cache"
    for path in files:
        if damage == "truncated":
            path.write_bytes(path.read_bytes()[:100])
        else:
            _engine, value = pickle.loads(path.read_bytes())
            path.write_bytes(pickle.dumps(("an older engine", value)))
    (valid_site / "content/articles/back-care.md").write_text(
        (valid_site / "content/articles/back-care.md").read_text().replace("Stay", "Do stay")
    )
    report = build(valid_site, today=TODAY)
    assert report.notes and "building everything" in report.notes[0]
    assert len([p for p in report.written if p.endswith(".html")]) == report.pages == 12
    assert_same_as_clean_build(valid_site, tmp_path)


def test_output_removed_by_hand_is_made_again(site: Site) -> None:
    (site.root / "site/exercises/bridge/index.html").unlink()
    site.replace("content/articles/back-care.md", "Stay active.", "Stay active, gently.")
    report = site.rebuild()
    assert "exercises/bridge/index.html" in report.written
    assert (site.root / "site/exercises/bridge/index.html").is_file()


def test_nothing_changed_stops_before_reading_content(tmp_path: Path) -> None:
    root = tmp_path / "src"
    shutil.copytree(VALID_SITE, root)
    (root / "content/stray.txt").write_text("a stray file: one warning\n")
    for path in root.rglob("*"):  # edits long ago: the stamp can be trusted
        os.utime(path, (1_700_000_000, 1_700_000_000))
    first = build(root, today=TODAY)
    again = build(root, today=TODAY)
    assert set(again.timings) == {"load"}  # no discover, parse, render
    assert again.written == () and again.pages == first.pages
    assert [str(d) for d in again.diagnostics] == [str(d) for d in first.diagnostics]
    assert any(d.code == "stray-file" for d in again.diagnostics)
    later = build(root, today=TODAY.replace(year=TODAY.year + 1))  # review dates: look again
    assert "parse" in later.timings


FORK_PROBE = """
import datetime, sys
from pathlib import Path
from healthsite.build import workers as parallel
parallel.MIN_ITEMS = int(sys.argv[2])
real, forked = parallel.can_fork, []
parallel.can_fork = lambda count: forked.append(real(count)) or forked[-1]
from healthsite.build.pipeline import build
build(Path(sys.argv[1]), today=datetime.date.fromisoformat(sys.argv[3]))
print("forked" if any(forked) else "serial")
"""


def test_parallel_build_equals_serial_build(tmp_path: Path) -> None:
    """Parsing and rendering on every core give the same bytes as one process.

    Each build runs in a fresh process: this one may have threads (the browser tests leave
    some), and a process with threads never forks its workers.
    """
    from healthsite.build import workers as parallel

    if parallel.cores() < 2:
        pytest.fail("this test needs 2 cores to mean anything")
    trees = []
    for name, minimum in (("serial", 10**9), ("forked", 1)):
        root = tmp_path / name
        shutil.copytree(VALID_SITE, root)
        result = subprocess.run(
            [sys.executable, "-c", FORK_PROBE, str(root), str(minimum), TODAY.isoformat()],
            capture_output=True,
            text=True,
            cwd=REPO,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.split() == [name]
        trees.append(tree(root / "site"))
    assert trees[0] == trees[1]


def built_with_a_kept_builder(tmp_path: Path) -> tuple[Path, Builder]:
    """A copy of the valid site, built once by the Builder the test goes on with."""
    root = tmp_path / "src"
    shutil.copytree(VALID_SITE, root)
    builder = Builder(root)
    builder.build(today=TODAY)
    return root, builder


def test_watcher_hint_skips_looking_at_other_files_and_gives_the_same_site(
    tmp_path: Path,
) -> None:
    root, builder = built_with_a_kept_builder(tmp_path)
    article = root / "content/articles/back-care.md"
    article.write_text(article.read_text().replace("Stay active.", "Stay active, often."))
    report = builder.build(today=TODAY, changed={article})
    assert report.written == ("articles/back-care/index.html",)
    # a hint naming a new file is not trusted: everything is looked at
    (root / "content/exercises/calf-raise.md").write_text(
        (root / "content/exercises/bridge.md").read_text().replace("name: Bridge", "name: Calf")
    )
    report = builder.build(today=TODAY, changed={root / "content/exercises/calf-raise.md"})
    assert "exercises/calf-raise/index.html" in report.written
    # a wrong hint (the file that changed is not named) after a new file was found: the new
    # file stays in the site
    report = builder.build(today=TODAY, changed={article})
    assert (root / "site/exercises/calf-raise/index.html").is_file()
    assert_same_as_clean_build(root, tmp_path)


def patched(report: BuildReport) -> bool:
    """The build took the quick way for a body edit: no full parse, assemble or render."""
    return "patch" in report.timings and "assemble" not in report.timings


def test_body_edits_with_a_hint_take_the_quick_way_and_equal_a_clean_build(
    tmp_path: Path,
) -> None:
    root, builder = built_with_a_kept_builder(tmp_path)
    article = root / "content/articles/back-care.md"
    exercise = root / "content/exercises/bridge.md"

    article.write_text(article.read_text().replace("Stay active.", "Stay active, daily."))
    report = builder.build(today=TODAY, changed={article})
    assert patched(report) and report.written == ("articles/back-care/index.html",)
    assert "Stay active, daily." in (root / "site/articles/back-care/index.html").read_text()
    assert_same_as_clean_build(root, tmp_path / "1")

    # a body warning comes and goes with the quick way too
    exercise.write_text(exercise.read_text().replace("Keep breathing", "# Big\n\nKeep breathing"))
    report = builder.build(today=TODAY, changed={exercise})
    assert patched(report) and report.written == ("exercises/bridge/index.html",)
    assert [d.code for d in report.diagnostics] == ["heading"]
    exercise.write_text(exercise.read_text().replace("# Big\n\n", ""))
    report = builder.build(today=TODAY, changed={exercise})
    assert patched(report) and report.diagnostics == []
    assert_same_as_clean_build(root, tmp_path / "2")

    # front matter, an embed or an error: the full incremental build, with the same result
    article.write_text(article.read_text().replace("title: Caring", "title: Looking after"))
    report = builder.build(today=TODAY, changed={article})
    assert not patched(report) and "articles/index.html" in report.written
    article.write_text(
        article.read_text().replace("## Strength\n", "## Strength\n\n[[exercise nope]]\n")
    )
    with pytest.raises(BuildFailed):
        builder.build(today=TODAY, changed={article})
    article.write_text(article.read_text().replace("[[exercise nope]]", "Strong legs help."))
    report = builder.build(today=TODAY, changed={article})
    assert patched(report)
    assert_same_as_clean_build(root, tmp_path / "3")


def test_quick_way_is_not_taken_for_translated_pages(tmp_path: Path) -> None:
    root = copy_sample_sources(tmp_path / "src")
    builder = Builder(root)
    builder.build(today=TODAY)
    bridge = root / "content/exercises/bridge.md"
    text = bridge.read_text()
    body = text.split("---\n", 2)[2]
    line = next(line for line in body.splitlines() if line.strip())
    bridge.write_text(text.replace(line, line + " Breathe out as you lift.", 1))
    report = builder.build(today=TODAY, changed={bridge})
    assert not patched(report)  # its Spanish version shows the source's digest state
    assert_same_as_clean_build(root, tmp_path)


CLI_PROBE = """
import sys
from healthsite.cli import main
status = main(sys.argv[1:])
print("engine imported" if "healthsite.build.pipeline" in sys.modules else "engine not imported")
raise SystemExit(status)
"""


def test_cli_build_with_nothing_changed_repeats_its_report_without_the_engine(
    tmp_path: Path,
) -> None:
    root = tmp_path / "src"
    shutil.copytree(VALID_SITE, root)
    (root / "content/stray.txt").write_text("one warning\n")
    for path in root.rglob("*"):  # edited long ago: the stamp can be trusted
        os.utime(path, (1_700_000_000, 1_700_000_000))

    def run(*options: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", CLI_PROBE, "build", *options, "--site", str(root)],
            capture_output=True,
            text=True,
            cwd=REPO,
            env={**os.environ, "SOURCE_DATE_EPOCH": TODAY_EPOCH},
            timeout=120,
            check=False,
        )

    first, again = run(), run()
    assert first.returncode == again.returncode == 0, first.stderr + again.stderr
    assert first.stdout.splitlines()[-1] == "engine imported"
    assert again.stdout.splitlines()[-1] == "engine not imported"
    assert again.stderr == first.stderr and "stray-file" in again.stderr
    assert first.stdout.splitlines()[:-2] == again.stdout.splitlines()[:-2]  # review notes
    assert "(nothing changed), 1 warning." in again.stdout
    # an edit, however small, is seen; so is a build with other options
    page = root / "content/pages/privacy.md"
    page.write_text(page.read_text() + "\nOne more line.\n")
    os.utime(page, (1_700_000_100, 1_700_000_100))
    edited = run()
    assert edited.stdout.splitlines()[-1] == "engine imported"
    assert "(1 file written)" in edited.stdout
    strict = run("--strict")
    assert strict.returncode == 1 and "stray-file" in strict.stderr
