"""What builds of one site learn and keep for the next: parse results, the digests of static
files, the manifest of outputs, the Jinja environments, the sources found, and (for `serve`) the
last good site itself.

All of it is one frozen value, `Learned`, never changed once made: a build makes a new one, and
`Memory` swaps it in whole, under the lock that also guards writes to the output folder (a
build and `serve`'s background search refresh both write there). `Memory` is the one mutable
thing between builds; it reads the cache folder on first use and, when it persists, writes it
after each build.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from healthsite.build.cache import CacheStore
from healthsite.build.digests import Values
from healthsite.build.manifest import Manifest, manifest_name
from healthsite.build.parse_cache import ParseCache
from healthsite.build.receipt import RACY_SECONDS
from healthsite.build.write import made_by_us
from healthsite.config import SiteConfig
from healthsite.content.documents import Document
from healthsite.content.sources import SourceFile
from healthsite.diagnostics import Diagnostic
from healthsite.render.environment import Templates
from healthsite.render.recording import Dep
from healthsite.site.assets import AssetMap, KnownDigests
from healthsite.site.links import LinkTargets
from healthsite.site.routes import Routes
from healthsite.site.site_model import Site

PARSE_CACHE = "parse"
STATIC_DIGESTS = "static"


@dataclass(frozen=True, slots=True)
class Discovered:
    """The discover stage's result: the content files, their problems, the static files."""

    sources: list[SourceFile]
    problems: list[Diagnostic]
    assets: AssetMap
    by_path: dict[Path, SourceFile] = field(default_factory=dict)
    """The sources by absolute path."""

    def __post_init__(self) -> None:
        self.by_path.update((source.abs_path, source) for source in self.sources)

    def digests(self, now: float) -> dict[str, tuple[int, int, str]]:
        """The static files' digests worth keeping: of files unchanged for `RACY_SECONDS`
        before `now` (a file changed within the same clock tick may change again unseen)."""
        return {
            str(a.abs_path): (a.size, a.mtime_ns, a.digest)
            for a in self.assets.assets.values()
            if a.mtime_ns and now - a.mtime_ns / 1e9 > RACY_SECONDS
        }


@dataclass(frozen=True, slots=True)
class LastSite:
    """The last good build's site, as the quick way for a body edit needs it (`serve` only)."""

    site: Site
    routes: Routes
    values: Values
    templates: Templates
    diagnostics: list[Diagnostic]
    """Everything the build reported."""
    problems_of: dict[str, list[Diagnostic]]
    """Each document's own parse problems, by source path."""
    docs: dict[str, Document]
    """Published documents by source path, in every language."""
    positions: dict[str, tuple[str, int]] | None = None
    """Where each page's job is: (language, index in `routes.pages`); made on first use."""
    users: dict[Dep, frozenset[str]] | None = None
    """Which outputs read each dependency: the manifest turned around; made on first use."""
    targets: LinkTargets | None = None
    """Where links may go: the edited page's links are checked again against it."""


@dataclass(frozen=True, slots=True)
class Learned:
    """Everything the builds so far learned, as of the last one."""

    parsed: ParseCache | None = None
    """None: the parse cache has not been read from the cache folder yet."""
    static: KnownDigests | None = None
    """Static files' digests by size and time (`Discovered.digests`); None: not read yet."""
    manifest: Manifest | None = None
    output_dir: Path | None = None
    """The output folder `manifest` is for (None: no manifest looked for yet)."""
    templates: tuple[Any, Templates] | None = None
    """The Jinja environments, with the key they were made for (`stamping.templates_key`)."""
    discovered: Discovered | None = None
    last: LastSite | None = None
    unread: frozenset[Path] | None = None
    """Files a watcher said were saved since the last parse (None: unknown, look at all)."""

    def manifest_for(self, output_dir: Path) -> Manifest | None:
        """The manifest, if it is for `output_dir` and that folder is still ours."""
        if self.output_dir == output_dir and made_by_us(output_dir):
            return self.manifest
        return None


class Memory:
    """The builds' memory of one site: one `Learned` at a time, replaced whole under `lock`."""

    def __init__(self, root: Path, *, persist: bool = True) -> None:
        self.store = CacheStore(root)
        self.persist = persist
        """Write the cache folder after each build (serve writes it after its first only)."""
        self.lock = threading.Lock()
        """Held to replace `Learned` and to write the output folder."""
        self._learned = Learned()
        self._writes = 0

    @property
    def learned(self) -> Learned:
        return self._learned

    @property
    def writes(self) -> int:
        """How many times the output folder was written: a search refresh compares it."""
        return self._writes

    def update(
        self, change: Callable[[Learned], Learned], *, unless_written_since: int | None = None
    ) -> Learned | None:
        """Replace what is learned by `change(what is learned now)`, under the lock, and return
        it; with `unless_written_since`, only if the output folder was not written since then
        (else None)."""
        with self.lock:
            if unless_written_since is not None and unless_written_since != self._writes:
                return None
            self._learned = change(self._learned)
            return self._learned

    @contextmanager
    def writing(self, output_dir: Path, *, in_place: bool) -> Iterator[None]:
        """Write the output folder, under the lock. In place, the stored manifest is forgotten
        first: a crash mid-way leaves none, and the next build makes everything."""
        with self.lock:
            self._writes += 1
            if in_place:
                self.store.forget(manifest_name(output_dir))
            yield

    def recall(self, config: SiteConfig, clean: bool, notes: list[str]) -> Learned:
        """What is learned, with the parse cache and this output folder's manifest read from
        the cache folder if they are not in memory yet (`clean`: forget both)."""
        found: list[str] = []

        def recalled(learned: Learned) -> Learned:
            if clean:
                learned = replace(
                    learned,
                    parsed=ParseCache(),
                    static={},
                    manifest=None,
                    output_dir=config.output_dir,
                )
            if learned.parsed is None:
                value, note = self.store.load(PARSE_CACHE)
                found.extend([note] if note else [])
                parsed = value if isinstance(value, ParseCache) else ParseCache()
                learned = replace(learned, parsed=parsed)
            if learned.static is None:
                value, _ = self.store.load(STATIC_DIGESTS)  # a damaged one: files read again
                learned = replace(learned, static=value if isinstance(value, dict) else {})
            if learned.output_dir != config.output_dir:
                value, note = self.store.load(manifest_name(config.output_dir))
                found.extend([note] if note else [])
                manifest = value if isinstance(value, Manifest) else None
                learned = replace(learned, manifest=manifest, output_dir=config.output_dir)
            return learned

        learned = self.update(recalled)
        assert learned is not None
        notes += found
        return learned

    def save(self, learned: Learned) -> None:
        """Write the manifest, the parse cache and the static files' digests to the cache
        folder, if this memory persists."""
        if not self.persist:
            return
        try:
            if learned.manifest is not None and learned.output_dir is not None:
                self.store.save(manifest_name(learned.output_dir), learned.manifest)
            if learned.parsed is not None:
                self.store.save(PARSE_CACHE, learned.parsed)
            if learned.static is not None:
                self.store.save(STATIC_DIGESTS, learned.static)
        except OSError:  # a read-only checkout still builds, just not incrementally
            pass
