"""The folders a build makes beside the output (`site.tmp-<pid>`, `site.old-<pid>`,
`site.search-<pid>`), named after the process that made them, marked as healthsite's, and
removed by a later build when the process that made them was stopped before it could."""

from __future__ import annotations

import errno
import os
import re
import shutil
from pathlib import Path

from healthsite.build.receipt import MARKER

#: The folders a build makes beside the output, named after the process that made them.
SIDE_FOLDERS = ("tmp", "old", "search")
MARKER_TEXT = "This folder is replaced by every healthsite build.\n"


def side_folder(output_dir: Path, kind: str) -> Path:
    """`site.tmp-<pid>`, `site.old-<pid>` or `site.search-<pid>`, beside `output_dir`."""
    return output_dir.with_name(f"{output_dir.name}.{kind}-{os.getpid()}")


def new_side_folder(output_dir: Path, kind: str) -> Path:
    """An empty side folder with the marker that lets a later build clean it up. A folder of
    that name that healthsite did not make is never removed."""
    folder = side_folder(output_dir, kind)
    if folder.exists() and not (folder / MARKER).is_file():
        raise FileExistsError(errno.EEXIST, "exists and was not made by healthsite", str(folder))
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    (folder / MARKER).write_text(MARKER_TEXT)
    return folder


def clean_stale(output_dir: Path) -> list[str]:
    """Remove side folders left by builds that were killed; returns a note for each.

    Only folders carrying healthsite's marker, whose process no longer runs, are removed: a
    build running now (in another terminal) keeps its own.
    """
    pattern = re.compile(rf"{re.escape(output_dir.name)}\.({'|'.join(SIDE_FOLDERS)})-(\d+)")
    notes = []
    try:
        names = os.listdir(output_dir.parent)
    except OSError:
        return []
    for name in sorted(names):
        match = pattern.fullmatch(name)
        folder = output_dir.parent / name
        if match is None or _alive(int(match[2])) or not (folder / MARKER).is_file():
            continue
        shutil.rmtree(folder, ignore_errors=True)
        if not folder.exists():
            notes.append(f"removed {name}/, left by a build that was stopped")
    return notes


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists, as another user's
        return True
    return True
