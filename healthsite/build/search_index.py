"""The index stage: Pagefind's search index of the written site (`search/pagefind.py` runs it).

Into a staging folder (a full build), the pages were cut down for the index as they were
rendered. In place (an incremental build, or serve's refresh behind a reload), they are cut
down from the written files (or from memory, for those just made), and the new bundle is made
beside the site and swapped in, so the old index answers until the new one is complete.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path

from healthsite.build.side_folders import new_side_folder
from healthsite.build.write import replace_folder
from healthsite.search.pagefind import BUNDLE_FOLDER, index_site, write_searchable

Bundle = tuple[int, int]
"""Files and bytes of a search bundle."""


def index_staging(staging: Path) -> Bundle:
    """Index a staging folder whose pages were cut down as they were rendered."""
    index_site(staging, prepared=True)
    return bundle_size(staging)


def index_in_place(
    folder: Path, pages: Iterable[str], fresh: Mapping[str, bytes], lock: threading.Lock
) -> Bundle:
    """Index the site folder's `pages` (those in `fresh` from memory, the rest from disk)
    beside it, then swap the bundle in under `lock`; raises `SearchIndexError`."""
    target = new_side_folder(folder, "search")
    try:
        for dest in sorted(d for d in pages if d.endswith(".html")):
            content = fresh.get(dest)
            if content is None:
                try:
                    content = (folder / dest).read_bytes()
                except OSError:
                    continue
            write_searchable(target, dest, content.decode("utf-8"))
        index_site(target, prepared=True)
        bundle = bundle_size(target)
        with lock:
            replace_folder(target / BUNDLE_FOLDER, folder / BUNDLE_FOLDER)
        return bundle
    finally:  # a full disk or a refused folder: nothing left beside the site
        shutil.rmtree(target, ignore_errors=True)


def drop_index(folder: Path) -> None:
    """Search is off: no bundle in the site."""
    shutil.rmtree(folder / BUNDLE_FOLDER, ignore_errors=True)


def bundle_size(folder: Path) -> Bundle:
    files = [p for p in (folder / BUNDLE_FOLDER).rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)
