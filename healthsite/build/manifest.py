"""The manifest: every output of the last good build, with what it was made from.

An output's fingerprint is, in parts: the global digest of its language (engine, settings,
clinic, catalog, static files), its identity, the digests of the dependencies it read and of
the templates it loaded. Keeping the parts apart lets a build find what changed once, then
check each output in constant time (`changes.py`). A manifest is never changed once made: each
build, and each search index refresh, makes a new one.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from healthsite.render.recording import Dep, Recorder
from healthsite.site.artifact import Artifact


@dataclass(frozen=True, slots=True)
class OutputRecord:
    """One output file as the last build made it, and what it was made from."""

    identity: Any
    """What the output is: the render job's fields, or for a site file (sitemap, feed) a
    digest of everything it is made from."""
    size: int
    deps: frozenset[Dep] = frozenset()
    templates: frozenset[str] = frozenset()
    lang: str = ""
    content: str = ""
    """For a site file: a digest of its bytes, so one made again the same is not written."""


def page_record(identity: Any, size: int, read: Recorder, lang: str) -> OutputRecord:
    """The record of a page just rendered: what it is, its size, what it read."""
    return OutputRecord(identity, size, frozenset(read.deps), frozenset(read.templates), lang)


def file_record(identity: Any, artifact: Artifact, deps: frozenset[Dep]) -> OutputRecord:
    """The record of a site file just made, with a digest of its bytes."""
    content = hashlib.sha256(artifact.content).hexdigest()
    return OutputRecord(identity, len(artifact.content), deps, content=content)


@dataclass(frozen=True, slots=True)
class Manifest:
    """Every output of the last good build, for one output folder, with the value each of its
    inputs had then."""

    outputs: dict[str, OutputRecord] = field(default_factory=dict)
    assets: dict[str, int] = field(default_factory=dict)
    """Static files written (fingerprinted output paths) and their sizes."""
    globals: dict[str, str] = field(default_factory=dict)
    """Each language's global digest."""
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


def manifest_name(output_dir: Path) -> str:
    """One manifest per output folder: `site/` and the preview do not share fingerprints."""
    return "manifest-" + hashlib.sha256(str(output_dir).encode()).hexdigest()[:12]
