"""`.healthsite-cache/media/`: pictures already made, by the digest of their source and options.

An entry is a folder named by its key, holding the made files and `entry.json` (what they are).
It is written beside its final place and renamed in, so an entry is complete or absent; the
write stage copies published files straight from here. Entries no build has used for
`KEEP_DAYS` are removed.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from healthsite.build.receipt import CACHE_DIR

KEEP_DAYS = 30
ENTRY_FILE = "entry.json"


@dataclass(frozen=True, slots=True)
class PictureMade:
    """One picture's outcome in a build: its entry in the cache (and what the entry says), or
    why it could not be made."""

    src: str
    folder: Path | None = None
    info: dict[str, Any] | None = None
    problem: str = ""


@dataclass(frozen=True, slots=True)
class MediaCache:
    """Made pictures by key."""

    folder: Path

    @classmethod
    def for_site(cls, root: Path) -> MediaCache:
        return cls(root / CACHE_DIR / "media")

    def entry(self, key: str) -> Path:
        return self.folder / key[:2] / key

    def load(self, key: str) -> dict[str, Any] | None:
        """What an entry holds, or None when it is absent or damaged (then it is made again)."""
        folder = self.entry(key)
        try:
            info = json.loads((folder / ENTRY_FILE).read_text(encoding="utf-8"))
            if not all((folder / item["name"]).is_file() for item in info["files"]):
                return None
        except (OSError, ValueError, KeyError, TypeError):
            return None
        with contextlib.suppress(OSError):  # a read-only cache is still a cache
            os.utime(folder)  # used: kept from pruning
        return dict(info)

    def store(self, key: str, files: dict[str, bytes], info: dict[str, Any]) -> Path:
        """Write an entry whole (files, then `entry.json`) and return its folder."""
        final = self.entry(key)
        temporary = final.with_name(f"{key}.tmp-{os.getpid()}-{time.monotonic_ns()}")
        temporary.mkdir(parents=True, exist_ok=True)
        for name, content in files.items():
            (temporary / name).write_bytes(content)
        (temporary / ENTRY_FILE).write_text(json.dumps(info, sort_keys=True), encoding="utf-8")
        shutil.rmtree(final, ignore_errors=True)
        try:
            temporary.rename(final)
        except OSError:  # another build stored it first: theirs is the same
            shutil.rmtree(temporary, ignore_errors=True)
        return final

    def prune(self, now: float | None = None) -> None:
        """Remove entries no build used for `KEEP_DAYS` (and leftovers of stopped builds)."""
        limit = (now or time.time()) - KEEP_DAYS * 86400
        if not self.folder.is_dir():
            return
        for shard in self.folder.iterdir():
            for entry in shard.iterdir() if shard.is_dir() else ():
                try:
                    if entry.stat().st_mtime < limit:
                        shutil.rmtree(entry, ignore_errors=True)
                except OSError:
                    continue
