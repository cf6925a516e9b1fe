"""A failed write in words: what went wrong and what to do, naming the file, never `[Errno 28]`.

Every OS error a build meets (a full disk, a read-only folder, a missing permission) reaches the
editor as one `error[write]` diagnostic, with the previous site unchanged.
"""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from healthsite.diagnostics import BuildFailed, Diagnostic, error
from healthsite.inputs import SiteFiles


@contextmanager
def failures_in_words(site_root: Path, output_dir: Path) -> Iterator[None]:
    """An OS error inside the block becomes `BuildFailed` with `write_failure`'s diagnostic."""
    try:
        yield
    except OSError as exc:  # a full disk, a read-only folder: in words, site/ unchanged
        raise BuildFailed([write_failure(exc, site_root, output_dir)]) from None


#: errno → what went wrong writing, in words, and what to do about it.
_WRITE_WORDS: dict[int, tuple[str, str]] = {
    errno.ENOSPC: ("the disk is full", "free some space on the disk, then build again"),
    errno.EDQUOT: ("the disk quota is used up", "free some space, then build again"),
    errno.EROFS: (
        "the disk is read-only",
        "build on a disk you can write to, or set another output_dir in site.yaml",
    ),
    errno.EACCES: (
        "permission denied",
        "check that the user running the build may write to the site folder",
    ),
    errno.EPERM: (
        "permission denied",
        "check that the user running the build may write to the site folder",
    ),
    errno.EMFILE: ("too many files are open", "close other programs, then build again"),
    errno.ENFILE: ("too many files are open", "close other programs, then build again"),
    errno.EIO: ("the disk reported an error", "check the disk, then build again"),
    errno.ENAMETOOLONG: ("a file name is too long", "use a shorter path for the site folder"),
    errno.EEXIST: (
        "it exists and was not made by healthsite",
        "move it away (a build names its working folders after its process)",
    ),
}


def os_words(exc: OSError) -> tuple[str, str]:
    """What an OS error means for a build, and what to do: never `[Errno 28] ...`."""
    default = ((exc.strerror or "unknown error").lower(), "check the disk, then build again")
    return _WRITE_WORDS.get(exc.errno or 0, default)


def write_failure(exc: OSError, site_root: Path, output_dir: Path) -> Diagnostic:
    """A failed write as a diagnostic naming the file (relative to the site) or the output."""
    words, hint = os_words(exc)
    where = output_dir
    if exc.filename:
        where = Path(os.fsdecode(exc.filename))
    shown = _shown_name(SiteFiles.of(site_root).rel(where))
    return error(
        "write",
        f"could not write {shown}: {words}",
        shown,
        hint=f"{hint}; the previous site is unchanged",
    )


def _shown_name(shown: str) -> str:
    """A staging folder's file by the name it is written for: `site.tmp-12/x` → `site/x`."""
    return re.sub(r"^([^/]+)\.(?:tmp|old|search)-\d+", r"\1", shown)
