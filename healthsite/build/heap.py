"""The garbage collector during a build: kept off what lives as long as the build.

A build holds hundreds of thousands of long-lived objects (at ten thousand pages, the parsed
pages alone are millions), and `serve` keeps the last build's site between builds. Left alone,
the collector walks all of them again and again as the heap grows: 10 to 12 s of a
ten-thousand-page build, and in forked workers each walk also copies every memory page they
share with the build's process. So during a build what exists is frozen (`gc.freeze`: moved
out of the collector's sight), again after each stage that made many long-lived objects
(`settle`), and after the build the collector is given back as the caller had it
(`gc.unfreeze`). A caller that froze objects itself, or turned the collector off, is left
alone.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[Callable[[], None]]:
    """Freeze what exists now for the length of the block, then unfreeze it again.

    Yields `settle`, which freezes what exists at that moment too (a no-op when the caller's
    own arrangement is left alone).
    """
    # the caller's own arrangement (counting frozen objects walks them: checked once, here)
    if not gc.isenabled() or gc.get_freeze_count():
        yield _leave_alone
        return
    gc.freeze()
    try:
        yield gc.freeze
    finally:
        gc.unfreeze()


def _leave_alone() -> None:
    """`settle` when the collector is the caller's to manage."""
