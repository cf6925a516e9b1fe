"""The build's memory on disk (`.healthsite-cache/`): the manifest of every output with what it
was made from, and the parse cache. Versioned; a damaged or foreign cache means a full build
with a note, never a crash or a stale page."""

from __future__ import annotations

import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from healthsite.build.receipt import CACHE_DIR, CACHE_FORMAT, engine_digest
from healthsite.render.recording import Dep


@dataclass(frozen=True, slots=True)
class OutputRecord:
    """One output file as the last build made it, and what it was made from."""

    identity: Any
    """What the output is: the render job's fields, or for a site-wide file (sitemap, feed) a
    digest of everything it is made from."""
    size: int
    deps: frozenset[Dep] = frozenset()
    templates: frozenset[str] = frozenset()
    lang: str = ""
    content: str = ""
    """For a site-wide file: a digest of its bytes, so one made again the same is not written."""


@dataclass(slots=True)
class Manifest:
    """Every output of the last good build, for one output folder, with the value each of its
    inputs had then. An output's fingerprint is, in parts: the global digest of its language
    (engine, settings, clinic, catalog, static files), its identity, the digests of the
    dependencies it read and of the templates it loaded. Keeping the parts apart lets a build
    find what changed once, then check each output in constant time."""

    outputs: dict[str, OutputRecord] = field(default_factory=dict)
    assets: dict[str, int] = field(default_factory=dict)
    """Static files written (fingerprinted output paths) and their sizes."""
    globals: dict[str, str] = field(default_factory=dict)
    dep_digests: dict[Dep, str] = field(default_factory=dict)
    template_digests: dict[str, str] = field(default_factory=dict)
    search_stale: bool = False
    """The pages changed after the search index was last made."""
    bundle: tuple[int, int] = (0, 0)
    """Files and bytes of the search bundle."""
    stamp: Any = None
    """Size and time of every input at the last build: equal means nothing to do."""
    report: Any = None
    """The last build's report, given again when nothing changed (its warnings too)."""


@dataclass(slots=True)
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
