"""Is the output already up to date? Answered before the engine is imported.

At ten thousand pages, importing the engine (pydantic, Jinja, Babel, Markdown) takes longer than
looking at the size and time of every input file. So this module uses the standard library
only: a stamp of the inputs, and a receipt that a successful `build` leaves in the cache folder
(the stamp, the input folders, what the build printed). The next `build` with the same options
whose stamp matches prints the receipt again and stops, without importing the engine.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from healthsite import __version__

CACHE_DIR = ".healthsite-cache"
#: Bump when the layout of what is stored changes; engine changes are caught by `engine_digest`.
CACHE_FORMAT = 1
#: Written into every build. A folder without it was not made by healthsite, and is never replaced.
MARKER = ".healthsite-output"


@functools.cache
def engine_digest() -> str:
    """The engine's version and code: a cache written by other code is never trusted."""
    package = Path(__file__).parents[1]
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


#: A file changed within this many seconds of the stamp may have changed again within the same
#: clock tick (git's "racy" files): such a stamp is never trusted.
RACY_SECONDS = 2.0


@dataclass(frozen=True, slots=True)
class Stamp:
    """Size and modification time of every input file: equal stamps, nothing to do."""

    value: str
    newest: float
    """The newest modification time seen (seconds)."""
    files: dict[str, tuple[int, int]]
    """Path → (size, mtime in ns), for the parse stage to skip reading unchanged files."""

    def trusted(self, now: float) -> bool:
        """A file changed within `RACY_SECONDS` may change again within the same clock tick."""
        return now - self.newest > RACY_SECONDS


def stamp(roots: Iterable[Path], extra: Any) -> Stamp:
    """Stamp every file under `roots` (hidden files and folders left out), plus `extra`."""
    files: dict[str, tuple[int, int]] = {}
    newest = 0
    for root in roots:
        if root.is_file():
            info = root.stat()
            files[str(root)] = (info.st_size, info.st_mtime_ns)
            newest = max(newest, info.st_mtime_ns)
            continue
        for folder, dirs, names in os.walk(root):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__")
            for name in sorted(names):
                path = os.path.join(folder, name)
                try:
                    info = os.stat(path)
                except OSError:  # removed while we looked: a later stamp will differ
                    continue
                files[path] = (info.st_size, info.st_mtime_ns)
                newest = max(newest, info.st_mtime_ns)
    value = hashlib.sha256(repr((extra, files)).encode()).hexdigest()
    return Stamp(value, newest / 1e9, files)


def options(
    today: dt.date, strict: bool, drafts: bool, preview_url: str | None = None
) -> tuple[Any, ...]:
    """What besides the input files decides a build's output (and its warnings)."""
    return (engine_digest(), today.isoformat(), strict, drafts, preview_url)


@dataclass(frozen=True, slots=True)
class Receipt:
    """What the last successful `build` with these options printed, and for which inputs."""

    stdout: list[str]
    stderr: list[str]
    summary: dict[str, Any]


def _receipt_path(site: Path, opts: tuple[Any, ...]) -> Path:
    key = hashlib.sha256(repr((str(site), opts)).encode()).hexdigest()[:16]
    return site / CACHE_DIR / f"v{CACHE_FORMAT}" / f"receipt-{key}.json"


def up_to_date(site: Path, opts: tuple[Any, ...]) -> Receipt | None:
    """The last build's receipt if nothing it read has changed since; else None.

    Never trusted when a file changed in the last two seconds, when the output folder lost its
    marker, when a stopped build left folders beside it, or when the receipt cannot be read.
    """
    try:
        data = json.loads(_receipt_path(site, opts).read_text(encoding="utf-8"))
        roots = [Path(root) for root in data["roots"]]
        output = Path(data["output_dir"])
        if not (output / MARKER).is_file() or _left_behind(output):
            return None
        now = stamp(roots, opts)
        if now.value != data["stamp"] or not now.trusted(time.time()):
            return None
        return Receipt(list(data["stdout"]), list(data["stderr"]), dict(data["summary"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _left_behind(output_dir: Path) -> bool:
    """A build was stopped and left its folders beside the output: the engine cleans up."""
    prefix = output_dir.name + "."
    return any(
        name.startswith(prefix) and re.fullmatch(r"(tmp|old|search)-\d+", name[len(prefix) :])
        for name in os.listdir(output_dir.parent)
    )


def write_receipt(
    site: Path,
    opts: tuple[Any, ...],
    inputs: tuple[list[Path], str] | None,
    output_dir: Path,
    receipt: Receipt,
) -> None:
    """Leave a receipt for the next run (nothing if the build did not stamp its inputs)."""
    path = _receipt_path(site, opts)
    if inputs is None:
        path.unlink(missing_ok=True)
        return
    roots, value = inputs
    data = {
        "roots": [str(root) for root in roots],
        "stamp": value,
        "output_dir": str(output_dir),
        "stdout": receipt.stdout,
        "stderr": receipt.stderr,
        "summary": receipt.summary,
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".tmp-{os.getpid()}")
        temporary.write_text(json.dumps(data), encoding="utf-8")
        os.replace(temporary, path)
    except OSError:  # a read-only checkout still builds, just never early
        pass
