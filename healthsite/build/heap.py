"""The garbage collector during a build: kept off what earlier builds left in memory.

`serve` keeps the parsed site of its last build (at ten thousand pages, hundreds of thousands
of objects); each full collection during a rebuild would scan all of it again, for tenths of a
second. During each of `Builder.build`'s builds that heap is frozen (`gc.freeze`: moved out
of the collector's sight), and after it the collector is given back as the caller had it
(`gc.unfreeze`). A caller that froze objects itself is left alone. A one-off build has no such
heap and does without. Issue 18 measures whether this pays: this is its one hook.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Freeze what exists now for the length of the block, then unfreeze it again."""
    # the caller's own arrangement (counting frozen objects walks them: checked once, here)
    if not gc.isenabled() or gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
