"""Writing in place is all or nothing: an OS error at any step leaves `site/` as it was.

The errors are injected where the writer meets the OS (`os.replace`, a file's `write`), so
every step can be made to fail, including those a real full disk never reaches.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from healthsite.build import write
from healthsite.build.manifest import Manifest, OutputRecord
from healthsite.build.receipt import MARKER
from healthsite.build.write import stage_in_place, write_in_place
from healthsite.build.write_failures import write_failure
from healthsite.site.artifact import Artifact
from healthsite.site.assets import AssetMap


@pytest.fixture
def output(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    for name, text in {
        "a/index.html": "old a",
        "b/index.html": "old b",
        "gone.html": "gone",
    }.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text)
    (site / MARKER).write_text("")
    return site


def contents(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): p.read_text()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


BEFORE = Manifest(
    outputs={k: OutputRecord(k, 1) for k in ("a/index.html", "b/index.html", "gone.html")}
)
NOW = {"a/index.html": 1, "b/index.html": 1, "c/index.html": 1}
CHANGED = [
    Artifact("a/index.html", b"new a"),
    Artifact("b/index.html", b"new b"),
    Artifact("c/index.html", b"new c"),
]


def test_a_good_write_replaces_adds_and_removes(output: Path) -> None:
    written, removed = write_in_place(output, CHANGED, AssetMap({}), BEFORE, NOW)
    assert written == ("a/index.html", "b/index.html", "c/index.html")
    assert removed == ("gone.html",)
    assert contents(output) == {
        MARKER: "",
        "a/index.html": "new a",
        "b/index.html": "new b",
        "c/index.html": "new c",
    }
    assert [p.name for p in output.parent.iterdir()] == ["site"]


@pytest.mark.parametrize("failing", [1, 2, 3])
def test_a_failure_while_moving_in_puts_every_file_back(
    output: Path, monkeypatch: pytest.MonkeyPatch, failing: int
) -> None:
    before = contents(output)
    real = os.replace
    calls = []

    def replace(source: object, target: object) -> None:
        calls.append(target)
        if len(calls) == failing:
            raise OSError(errno.EIO, "Input/output error")
        real(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(write.os, "replace", replace)
    with pytest.raises(OSError):
        write_in_place(output, CHANGED, AssetMap({}), BEFORE, NOW)
    monkeypatch.undo()
    assert contents(output) == before
    assert [p.name for p in output.parent.iterdir()] == ["site"]


def test_a_full_disk_while_staging_changes_nothing(
    output: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = contents(output)
    real = Path.write_bytes

    def write_bytes(self: Path, data: bytes) -> int:
        if self.name == "index.html" and data == b"new b":
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", write_bytes)
    with pytest.raises(OSError) as raised:
        stage_in_place(output, CHANGED, AssetMap({}), BEFORE, NOW)
    monkeypatch.undo()
    assert contents(output) == before
    assert [p.name for p in output.parent.iterdir()] == ["site"]
    diagnostic = write_failure(raised.value, output.parent, output)
    assert diagnostic.headline() == (
        "site/b/index.html: error[write]: could not write site/b/index.html: the disk is full"
    )
    assert "Errno" not in diagnostic.render()


def test_a_staging_folder_of_that_name_not_made_by_us_is_never_removed(output: Path) -> None:
    foreign = output.with_name(f"site.tmp-{os.getpid()}")
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine")
    with pytest.raises(FileExistsError):
        write_in_place(output, CHANGED, AssetMap({}), BEFORE, NOW)
    assert (foreign / "notes.txt").read_text() == "mine"
