"""`serve`: rebuilds on save at once, shows a failed rebuild on every page, survives bad content.

The server runs as a real process on a free port, watched through real file-system events and
read over real HTTP; the last tests drive the rebuild and index workers in-process.
"""

from __future__ import annotations

import html
import os
import re
import threading
import time
import urllib.request
from collections.abc import Collection, Iterator
from pathlib import Path

import pytest

from healthsite.build.pipeline import BuildReport
from healthsite.diagnostics import BuildFailed, error
from healthsite.serve.server import _Preview
from healthsite.serve.terminal import Terminal
from tests.helpers import Served, fetch, serving, wait_for

BRIDGE = "content/exercises/bridge.md"
#: A full rebuild on a loaded machine (other test suites, other builds) can take many seconds:
#: a wait returns as soon as the page shows the change, this is only how long before giving up.
REBUILT_WITHIN = 60.0
OVERLAY = re.compile(r'<div class="hs-build-failed" role="alertdialog".*?</div>', re.DOTALL)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    with serving(tmp_path) as server:
        yield server


def overlay(url: str) -> str:
    """The build-failed overlay of the page at `url`, or '' when it has none."""
    found = OVERLAY.search(fetch(url))
    return found.group(0) if found else ""


def test_a_save_is_rebuilt_and_served_at_once(served: Served) -> None:
    page = served.url + "exercises/bridge/"
    served_html = fetch(page)
    assert "Lift your hips until your body is in a straight line." in served_html
    assert f'<link rel="canonical" href="{served.url}exercises/bridge/">' in served_html
    # a script the pages' Content-Security-Policy allows, not livereload's inline loader
    assert f'<script src="/livereload.js?port={served.port}"></script>' in served_html
    assert "window.location.port" not in served_html

    start = time.monotonic()
    served.edit(BRIDGE, "Lower your hips slowly.", "Lower your hips very slowly.")
    assert wait_for(lambda: "Lower your hips very slowly." in fetch(page), timeout=5)
    assert time.monotonic() - start < 1.0, "no polling: a save is served within a second"
    assert wait_for(lambda: served.rebuilds() == 1), served.output()
    assert re.search(r"^Rebuilt in \d+ ms: [1-9]\d* files? written", served.output(), re.M)
    # what is served is injected on the way out: the files on disk stay as a host gets them
    on_disk = (served.site / ".healthsite-preview/exercises/bridge/index.html").read_text()
    assert "Lower your hips very slowly." in on_disk
    assert "livereload" not in on_disk
    # the preview is built apart: site/ is never written with the preview's addresses
    assert not (served.site / "site").exists()


def test_a_broken_save_keeps_the_last_good_page_and_shows_the_problem_on_it(
    served: Served,
) -> None:
    page = served.url + "exercises/bridge/"
    served.edit(BRIDGE, "Lower your hips slowly.", "Lower your hips very slowly.")
    assert wait_for(lambda: "Lower your hips very slowly." in fetch(page), REBUILT_WITHIN)

    served.edit(BRIDGE, "reps: 5", "reps: five")
    assert wait_for(lambda: overlay(page), REBUILT_WITHIN), served.output()
    line = (served.site / BRIDGE).read_text().splitlines().index("  reps: five") + 1
    shown = overlay(page)
    assert "The site could not be rebuilt" in shown
    message = html.escape("dose.reps: must be a whole number (got 'five')")
    assert f"{BRIDGE}:{line}: error[type]: {message}" in shown
    assert "Fix the file and save: this page reloads by itself." in shown
    served_html = fetch(page)
    assert "Lower your hips very slowly." in served_html  # still the last good build
    assert re.search(r"<body[^>]*><div class=\"hs-build-failed\"", served_html)  # top of body
    assert '<link rel="stylesheet" href="/__healthsite__/build-failed.css">' in served_html
    assert "position:fixed" in fetch(served.url + "__healthsite__/build-failed.css")
    assert f"{BRIDGE}:{line}:" in overlay(served.url)  # every page shows it
    # the overlay is never written into the site
    preview = served.site / ".healthsite-preview"
    assert not [p for p in preview.rglob("*.html") if "hs-build-failed" in p.read_text()]
    assert served.proc.poll() is None  # and the server still runs
    # the terminal is told after the pages show the problem, and read by another thread
    problem = "dose.reps: must be a whole number (got 'five')"
    assert wait_for(lambda: problem in served.output()), served.output()

    served.edit(BRIDGE, "reps: five", "reps: 6")
    assert wait_for(lambda: re.search(r"\b6 (reps|repetitions)\b", fetch(page)), REBUILT_WITHIN)
    assert wait_for(lambda: overlay(page) == "")  # the page is written just before it goes
    assert "/__healthsite__/build-failed.css" not in fetch(page)
    assert "Traceback" not in served.output()


def test_pages_are_never_cached_and_fingerprinted_files_always_are(served: Served) -> None:
    with urllib.request.urlopen(served.url + "exercises/bridge/", timeout=5) as response:
        html = response.read().decode()
        assert response.headers["Cache-Control"] == "no-store"
    stylesheet = re.search(r'href="/(static/css/site\.[0-9a-f]+\.css)"', html)
    assert stylesheet, html[:2000]
    with urllib.request.urlopen(served.url + stylesheet[1], timeout=5) as response:
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_editor_temp_files_and_the_output_do_not_rebuild(served: Served) -> None:
    folder = served.site / "content/exercises"
    litter = [".bridge.md.swp", ".bridge.md.swx", "bridge.md~", ".#bridge.md", "#bridge.md#"]
    litter += ["4913", "bridge.md___jb_tmp___"]
    for name in litter:
        (folder / name).write_text("scratch")
    (served.site / ".healthsite-preview/scratch.html").write_text("scratch")
    (served.site / "notes.txt").write_text("not a source")
    for name in litter:
        (folder / name).unlink()
    time.sleep(1.0)
    assert served.rebuilds() == 0, served.output()

    served.edit(BRIDGE, "Lower your hips slowly.", "Lower your hips very slowly.")
    assert wait_for(lambda: served.rebuilds() == 1), served.output()
    time.sleep(0.5)  # the rebuild's own writes start no other
    assert served.rebuilds() == 1, served.output()


def test_site_yaml_saved_by_replacing_it_is_seen_every_time(served: Served) -> None:
    config = served.site / "site.yaml"
    for number in (1, 2, 3):  # an editor that writes a new file and renames it over the old
        text = re.sub(r"^title: .*$", f"title: Clinic {number}", config.read_text(), flags=re.M)
        config.with_name("site.yaml.tmp").write_text(text)
        os.replace(config.with_name("site.yaml.tmp"), config)
        assert wait_for(lambda n=number: f"Clinic {n}</" in fetch(served.url)), served.output()


def test_two_quick_saves_both_land(served: Served) -> None:
    page = served.url + "exercises/bridge/"
    source = served.site / BRIDGE
    original = source.read_text()
    for pause in (0.0, 0.04, 0.08):  # the second save before, during and after a rebuild
        first, second = f"First {pause}.", f"Second {pause}."
        source.write_text(original.replace("Lower your hips slowly.", first))
        time.sleep(pause)
        source.write_text(original.replace("Lower your hips slowly.", second))
        assert wait_for(lambda s=second: s in fetch(page)), served.output()
        time.sleep(0.3)
        served_html = fetch(page)
        assert second in served_html and first not in served_html


def test_ctrl_c_stops_cleanly_even_while_the_search_index_is_refreshed(served: Served) -> None:
    served.edit(BRIDGE, "Lower your hips slowly.", "Lower your hips very slowly.")
    assert wait_for(lambda: served.rebuilds() == 1, timeout=5)  # its index refresh starts now
    time.sleep(0.05)
    start = time.monotonic()
    assert served.stop() == 0
    assert time.monotonic() - start < 3.0  # Pagefind was not stopped mid-index and waited for
    assert wait_for(lambda: "Stopped." in served.output()), served.output()
    assert "Traceback" not in served.output()


class LinesTerminal(Terminal):
    """The terminal as lines, as the CLI would print them."""

    def __init__(self, site: Path) -> None:
        self.lines: list[str] = []
        super().__init__(
            site, lambda found, _: self.lines.extend(d.headline() for d in found), self.lines.append
        )


def test_an_unexpected_error_is_one_line_and_the_next_save_rebuilds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Builder:
        fail: BaseException | None = RuntimeError("disk on fire")

        def build(
            self, *, defer_index: bool = False, changed: Collection[Path] | None = None
        ) -> BuildReport:
            if self.fail:
                raise self.fail
            return BuildReport(tmp_path, 1, 1, 10, [], written=("index.html",))

    monkeypatch.delenv("HEALTHSITE_DEBUG", raising=False)
    terminal = LinesTerminal(tmp_path)
    builder = Builder()
    preview = _Preview(builder, tmp_path, terminal)  # type: ignore[arg-type]
    preview.rebuilds.request()
    preview.rebuilds.wait(timeout=5)
    assert terminal.lines == [
        "error: rebuild: RuntimeError: disk on fire (set HEALTHSITE_DEBUG=1 for details)",
        "Still serving the last good site.",
    ]

    monkeypatch.setenv("HEALTHSITE_DEBUG", "1")
    preview.rebuilds.request()
    preview.rebuilds.wait(timeout=5)
    assert "Traceback" in terminal.lines[2] and "disk on fire" in terminal.lines[2]

    builder.fail = BuildFailed([error("type", "dose.reps: bad", "content/x.md", 3)])
    preview.rebuilds.request()
    preview.rebuilds.wait(timeout=5)
    assert b"content/x.md:3: error[type]: dose.reps: bad" in preview.overlay

    builder.fail = None
    preview.rebuilds.request()
    preview.rebuilds.wait(timeout=5)
    assert re.match(r"Built in \d+ ms: 1 file written\.$", terminal.lines[-1])
    assert preview.overlay == b""


def test_the_search_index_is_refreshed_behind_the_rebuild_one_refresh_at_a_time(
    tmp_path: Path,
) -> None:
    class Builder:
        def __init__(self) -> None:
            self.started = threading.Event()
            self.release = threading.Event()
            self.lock = threading.Lock()
            self.running = self.most_at_once = self.refreshes = 0

        def build(
            self, *, defer_index: bool = False, changed: Collection[Path] | None = None
        ) -> BuildReport:
            assert defer_index
            return BuildReport(tmp_path, 1, 1, 10, [], written=("a.html",), index_pending=True)

        def refresh_search(self) -> list[object]:
            with self.lock:
                self.running += 1
                self.refreshes += 1
                self.most_at_once = max(self.most_at_once, self.running)
            self.started.set()
            self.release.wait(timeout=10)
            with self.lock:
                self.running -= 1
            return []

    builder = Builder()
    preview = _Preview(builder, tmp_path, LinesTerminal(tmp_path))  # type: ignore[arg-type]
    start = time.monotonic()
    for _ in range(3):  # three rebuilds while the first refresh is held
        preview.rebuild()
        assert builder.started.wait(timeout=5)
    assert time.monotonic() - start < 1.0  # the rebuilds never waited for the index
    builder.release.set()
    assert wait_for(lambda: not preview.searches.busy(), timeout=5)
    assert builder.refreshes == 2  # the held one, then exactly one more for the later asks
    assert builder.most_at_once == 1
