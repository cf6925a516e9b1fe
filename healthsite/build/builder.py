"""`Builder`: what `serve` keeps between builds, and the choice of way for each one.

`serve` keeps one `Builder` for its whole life. Each rebuild takes the quickest way that gives
the same site as a clean build:

1. nothing changed since the last build (the stamp of every input is the same): the last
   report again (in `pipeline.build`; the command line checks its receipt even before that);
2. a watcher says only page bodies were edited: the quick way (`quick_edit.py`);
3. anything else: the full pipeline (`pipeline.build`), which itself skips what did not change.

Between builds it keeps one `Memory` (parse results, the manifest, the Jinja environments, the
last site) and the watcher's hints; `refresh_search` brings the search index up to date behind
a reload, from another thread.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, replace
from pathlib import Path

from healthsite.build.heap import collector_paused
from healthsite.build.memory import Learned, Memory
from healthsite.build.pipeline import build
from healthsite.build.quick_edit import positions_of, quick_edit, users_of
from healthsite.build.report import BuildReport, Run
from healthsite.build.search_index import LiveIndex
from healthsite.build.write_failures import failures_in_words
from healthsite.config import CONFIG_FILE, load_config
from healthsite.diagnostics import Diagnostic, error
from healthsite.render.environment import Templates
from healthsite.search.pagefind import SearchIndexError
from healthsite.site.site_model import Site


class Builder:
    """Builds one site again and again, keeping what each build learned for the next.

    A build that fails leaves the last good site in place and what the builder knows of it.
    """

    def __init__(
        self,
        root: Path,
        *,
        strict_mode: bool = False,
        drafts: bool = False,
        preview_url: str | None = None,
        persist: bool = True,
    ) -> None:
        self.root = root
        self.strict_mode = strict_mode
        self.drafts = drafts
        self.preview_url = preview_url
        self.memory = Memory(root, persist=persist)
        self.live_index = LiveIndex()
        """The search index `refresh_search` keeps up to date (a running Pagefind)."""

    @property
    def persist(self) -> bool:
        """Write the cache folder after each build (serve writes it after its first only)."""
        return self.memory.persist

    @persist.setter
    def persist(self, value: bool) -> None:
        self.memory.persist = value

    def build(
        self,
        *,
        today: dt.date | None = None,
        defer_index: bool = False,
        clean: bool = False,
        changed: Collection[Path] | None = None,
    ) -> BuildReport:
        """Bring the output up to date; raise `BuildFailed` with every problem.

        With `defer_index`, the search index is not refreshed here: `report.index_pending`
        says it needs to be, and `refresh_search()` does it (from a background thread).
        `changed` is a hint from a file watcher: the only files that may have changed since the
        last build. When they are all content files edited in place, the builder skips looking
        at every other file; anything else (a new or deleted file, a template, the settings)
        and it looks at everything, as without a hint.
        """
        output = self.memory.learned.output_dir or self.root / "site"
        with failures_in_words(self.root, output):
            learned = self.memory.update(lambda now: replace(now, unread=_saved(now, changed)))
            assert learned is not None
            edited = None if clean else _only_edited(learned)
            if edited is not None:
                with collector_paused():
                    report = self._quick(learned, edited, today, defer_index)
                if report is not None:
                    return report
            return build(  # which keeps the collector off the site it holds by itself
                self.root,
                strict_mode=self.strict_mode,
                drafts=self.drafts,
                today=today,
                preview_url=self.preview_url,
                clean=clean,
                memory=self.memory,
                defer_index=defer_index,
                edited=edited,
            )

    def _quick(
        self, learned: Learned, edited: frozenset[Path], today: dt.date | None, defer: bool
    ) -> BuildReport | None:
        """The quick way, when the settings are those of the last build and not strict."""
        last = learned.last
        if last is None or self.strict_mode:
            return None
        run = Run(self.strict_mode)
        with run.stage("load"):
            config, problems = load_config(
                self.root,
                strict=self.strict_mode,
                drafts=self.drafts,
                today=today,
                preview_url=self.preview_url,
            )
        if config != last.site.config or any(d.is_error for d in problems):
            return None  # wrong settings stand in as defaults: only the full way checks all
        with run.stage("patch"):
            return quick_edit(self.memory, learned, edited, defer, run)

    def snapshot(self) -> SiteSnapshot | None:
        """The last good build's site, to read only (the editing UI previews a page in it)."""
        last = self.memory.learned.last
        return None if last is None else SiteSnapshot(last.site, last.templates)

    def warm(self) -> None:
        """Make now what the first quick build would otherwise make (at ten thousand pages, a
        tenth of a second): `serve` calls it once its first build is done."""

        def warmed(now: Learned) -> Learned:
            last = now.last
            if last is None or now.manifest is None:
                return now
            positions = last.positions or positions_of(last.routes)
            users = last.users or users_of(now.manifest.outputs)
            return replace(now, last=replace(last, positions=positions, users=users))

        self.memory.update(warmed)

    def close(self) -> None:
        """Stop what the builder keeps running (the search index's Pagefind)."""
        self.live_index.close()

    def refresh_search(self) -> list[Diagnostic]:
        """Bring the search index up to date with the last good build's pages (handing
        Pagefind only the pages whose files changed, when that can be: `LiveIndex`); returns
        problems instead of raising.

        Safe to run in one background thread while `build` runs in another: a build that
        writes during the refresh leaves the index marked out of date, so the caller
        refreshes once more.
        """
        learned, writes = self.memory.learned, self.memory.writes
        manifest, last = learned.manifest, learned.last
        if manifest is None or last is None or not manifest.search_stale:
            return []
        output_dir = last.site.config.output_dir
        try:
            bundle = self.live_index.refresh(output_dir, manifest.outputs, self.memory.lock)
        except SearchIndexError as failure:
            return [error("search", f"search index: {failure}", CONFIG_FILE)]

        def indexed(now: Learned) -> Learned:
            if now.manifest is not manifest:
                return now
            return replace(now, manifest=replace(manifest, search_stale=False, bundle=bundle))

        kept = self.memory.update(indexed, unless_written_since=writes)
        if kept is not None and kept.manifest is not manifest:
            self.memory.save(kept)
        return []


@dataclass(frozen=True, slots=True)
class SiteSnapshot:
    """A good build's site and the templates that render it. Rendering a page of it is safe
    from any thread: each render has its own environment and records into its own recorder."""

    site: Site
    templates: Templates


def _saved(learned: Learned, changed: Collection[Path] | None) -> frozenset[Path] | None:
    """The files saved since the last parse: a failed build's saves count too."""
    if changed is None or learned.unread is None:
        return None
    return learned.unread | {Path(path) for path in changed}


def _only_edited(learned: Learned) -> frozenset[Path] | None:
    """The files saved since the last parse, if they are all content files edited in place
    (none added or removed: the list of sources stays the same); else None."""
    saved, last, found = learned.unread, learned.last, learned.discovered
    if not saved or last is None or found is None:
        return None
    if learned.manifest_for(last.site.config.output_dir) is None:
        return None
    if all(path in found.by_path and path.is_file() for path in saved):
        return saved
    return None
