"""The garbage collector during a build: kept off what earlier builds left in memory.

`serve` keeps the parsed site of its last build (at ten thousand pages, hundreds of thousands
of objects); each full collection during a rebuild would scan all of it again, for tenths of a
second. During a build that heap is frozen (`gc.freeze`: moved out of the collector's sight),
and after it the collector is given back as the caller had it (`gc.unfreeze`). A caller that
froze objects itself is left alone. Issue 18 measures whether this pays: this is its one hook.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Freeze what exists now for the length of the block, then unfreeze it again."""
    if gc.get_freeze_count() or not gc.isenabled():  # the caller's own arrangement, or nested
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
