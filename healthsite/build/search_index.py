"""The index stage: Pagefind's search index of the site (`search/pagefind_service.py` runs it).

A full build starts Pagefind before rendering and hands it each page, cut down to what is
found, as soon as it is written (`StreamedIndex`): Pagefind parses pages on its own core while
Python renders, and the bundle is written once the last page is in. In place (an incremental
build, or serve's refresh behind a reload), the pages are read back from the site folder (or
taken from memory, for those just made), and the new bundle is made beside the site and
swapped in, so the old index answers until the new one is complete. Either way the pages go
to Pagefind in the order of their paths, so the bundle is the same byte for byte.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from healthsite.build.side_folders import new_side_folder
from healthsite.build.write import replace_folder
from healthsite.search.pagefind import BUNDLE_FOLDER, SearchIndexError, searchable
from healthsite.search.pagefind_service import PagefindService, index_pages

Bundle = tuple[int, int]
"""Files and bytes of a search bundle."""


class StreamedIndex:
    """The search index of a full build into `staging`, fed page by page while rendering.

    Pagefind is started at once; if it cannot be, the failure is kept and reported by
    `finish`, at the index stage, with every other problem the build found.
    """

    def __init__(self, staging: Path) -> None:
        self.staging = staging
        self._pages: list[tuple[str, str]] = []
        self._failure: SearchIndexError | None = None
        self._service: PagefindService | None = None
        try:
            self._service = PagefindService(staging)
        except SearchIndexError as failure:
            self._failure = failure

    def add_page(self, path: str, html: str) -> None:
        """A page just written, cut down to what is found."""
        if self._service is not None:
            try:
                self._service.add_page(path, html)
            except SearchIndexError as failure:
                self._failure, self._service = failure, None

    def finish(self) -> Bundle:
        """Write the bundle into staging; raises `SearchIndexError`."""
        try:
            if self._failure is not None:
                raise self._failure
            assert self._service is not None
            if not self._service.pages:  # nothing to find yet: no index; the page says so
                return (0, 0)
            self._service.write(self.staging / BUNDLE_FOLDER)
            return bundle_size(self.staging)
        finally:
            self.close()

    def close(self) -> None:
        if self._service is not None:
            self._service.close()
            self._service = None


def index_in_place(
    folder: Path, pages: Iterable[str], fresh: Mapping[str, bytes], lock: threading.Lock
) -> Bundle:
    """Index the site folder's `pages` (those in `fresh` from memory, the rest from disk)
    beside it, then swap the bundle in under `lock`; raises `SearchIndexError`."""
    target = new_side_folder(folder, "search")
    try:
        index_pages(
            target, _read_pages(folder, sorted(d for d in pages if d.endswith(".html")), fresh)
        )
        bundle = bundle_size(target)
        with lock:
            replace_folder(target / BUNDLE_FOLDER, folder / BUNDLE_FOLDER)
        return bundle
    finally:  # a full disk or a refused folder: nothing left beside the site
        shutil.rmtree(target, ignore_errors=True)


def _read_pages(
    folder: Path, dests: list[str], fresh: Mapping[str, bytes]
) -> Iterator[tuple[str, str]]:
    for dest in dests:
        content = fresh.get(dest)
        if content is None:
            try:
                content = (folder / dest).read_bytes()
            except OSError:
                continue
        yield dest, content.decode("utf-8")


def drop_index(folder: Path) -> None:
    """Search is off: no bundle in the site."""
    shutil.rmtree(folder / BUNDLE_FOLDER, ignore_errors=True)


def bundle_size(folder: Path) -> Bundle:
    files = [p for p in (folder / BUNDLE_FOLDER).rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


class LiveIndex:
    """`serve`'s search index, kept in a running Pagefind between refreshes.

    Pagefind's service replaces a page added again under the same path in place, so after an
    edit only the pages whose files changed are read, cut down and handed over again; the
    bundle is then written whole (Pagefind has no incremental write). A page added or removed,
    or one that starts or stops having anything to find, would change the order of pages, so
    then every page is handed over again to a new service, in the order of their paths, as a
    full build does: either way the bundle is the one a clean build makes.
    """

    def __init__(self) -> None:
        self.handed = 0
        """Pages handed to Pagefind by the last refresh."""
        self._service: PagefindService | None = None
        self._seen: dict[str, tuple[tuple[int, int, int] | None, bool]] = {}
        """Each page of the site, in order: its file's (size, time, inode) when read, and
        whether it had anything to find (so was handed over)."""

    def refresh(self, folder: Path, pages: Iterable[str], lock: threading.Lock) -> Bundle:
        """Bring the bundle of the site in `folder` up to date with its `pages`; raises
        `SearchIndexError` (and starts afresh next time)."""
        dests = sorted(d for d in pages if d.endswith(".html"))
        target = new_side_folder(folder, "search")
        self.handed = 0
        try:
            if not self._update(folder, dests):
                self._restart(folder, dests)
            assert self._service is not None
            if not self._service.pages:  # nothing to find: no bundle
                with lock:
                    drop_index(folder)
                return (0, 0)
            self._service.write(target / BUNDLE_FOLDER)
            bundle = bundle_size(target)
            with lock:
                replace_folder(target / BUNDLE_FOLDER, folder / BUNDLE_FOLDER)
            return bundle
        except BaseException:
            self.close()
            raise
        finally:
            shutil.rmtree(target, ignore_errors=True)

    def close(self) -> None:
        if self._service is not None:
            self._service.close()
        self._service, self._seen = None, {}

    def _update(self, folder: Path, dests: list[str]) -> bool:
        """Hand over again the pages whose files changed; False when that cannot give the
        bundle a clean build makes (see the class)."""
        if self._service is None or list(self._seen) != dests:
            return False
        changed = []
        for dest in dests:
            stamp, html = _stamped(folder / dest)
            was, found = self._seen[dest]
            if stamp is None or stamp != was:
                cut = searchable(html) if html is not None else None
                if (cut is not None) != found:
                    return False
                changed.append((dest, stamp, cut))
        for dest, stamp, cut in changed:
            if cut is not None:
                self._service.add_page(dest, cut)
                self.handed += 1
            self._seen[dest] = (stamp, cut is not None)
        return True

    def _restart(self, folder: Path, dests: list[str]) -> None:
        self.close()
        self._service = PagefindService(folder.parent)
        for dest in dests:
            stamp, html = _stamped(folder / dest)
            cut = searchable(html) if html is not None else None
            if cut is not None:
                self._service.add_page(dest, cut)
                self.handed += 1
            self._seen[dest] = (stamp, cut is not None)
        # the order of `_seen` is the order of the pages: `_update` compares it


def _stamped(path: Path) -> tuple[tuple[int, int, int] | None, str | None]:
    """A page file's (size, time, inode) and text; (None, None) if it cannot be read."""
    try:
        with open(path, "rb") as file:
            info = os.fstat(file.fileno())
            return (info.st_size, info.st_mtime_ns, info.st_ino), file.read().decode("utf-8")
    except OSError:
        return None, None
