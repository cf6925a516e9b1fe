"""The build's memory on disk (`.healthsite-cache/`): the parse cache and one manifest per output
folder, each written by the build that made it. Versioned; a damaged or foreign cache means a
full build with a note, never a crash or a stale page."""

from __future__ import annotations

import os
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from healthsite.build.receipt import CACHE_DIR, CACHE_FORMAT, engine_digest


@dataclass(frozen=True, slots=True)
class CacheStore:
    """`.healthsite-cache/v<format>/`: the parse cache and one manifest per output folder."""

    root: Path

    @property
    def folder(self) -> Path:
        return self.root / CACHE_DIR / f"v{CACHE_FORMAT}"

    def _path(self, name: str) -> Path:
        return self.folder / f"{name}.pickle"

    def load(self, name: str) -> tuple[Any, str | None]:
        """The stored value, or None and a note saying why it could not be used."""
        path = self._path(name)
        if not path.is_file():
            return None, None
        try:
            with path.open("rb") as stream:
                engine, value = pickle.load(stream)
        except Exception as exc:  # any damage to a cache file means: rebuild, and say so
            return (
                None,
                f"the build cache ({path.name}) could not be read "
                f"({exc.__class__.__name__}); building everything",
            )
        if engine != engine_digest():
            return (
                None,
                "the build cache is from another version of healthsite; building everything",
            )
        return value, None

    def save(self, name: str, value: Any) -> None:
        """Write atomically: a build stopped half-way leaves the old file or none."""
        self.folder.mkdir(parents=True, exist_ok=True)
        gitignore = self.root / CACHE_DIR / ".gitignore"
        if not gitignore.exists():
            gitignore.write_text("# made by healthsite: a cache, safe to delete\n*\n")
        path = self._path(name)
        temporary = path.with_suffix(f".tmp-{os.getpid()}")
        with temporary.open("wb") as stream:
            pickle.dump((engine_digest(), value), stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)

    def forget(self, name: str) -> None:
        self._path(name).unlink(missing_ok=True)
