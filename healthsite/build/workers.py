"""Spread independent work (parsing files, rendering pages) over every core, results in order.

Workers are forked once the inputs exist, so they share the parsed site instead of receiving a
copy; only results travel back, in their original order, so output stays byte-identical. Small
batches stay in this process (starting workers costs more than it saves), and so does work in a
process that runs other threads (the dev server): forking a threaded process is unsafe.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

Result = TypeVar("Result")

#: Fewer items than this are done in this process.
MIN_ITEMS = 200

_task: Callable[[int], Any] | None = None
"""The work of the current `iter_in_order` call: forked workers inherit it."""


def cores() -> int:
    """Cores this process may run on (a container's limit, not the machine's)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def can_fork(items: int) -> bool:
    return (
        items >= MIN_ITEMS
        and cores() > 1
        and threading.active_count() == 1
        and "fork" in multiprocessing.get_all_start_methods()
        and os.environ.get("HEALTHSITE_WORKERS") != "1"
    )


def _run(bounds: tuple[int, int]) -> list[Any]:
    assert _task is not None
    return [_task(index) for index in range(*bounds)]


def map_in_order(task: Callable[[int], Result], count: int) -> list[Result]:
    """`[task(0), ..., task(count - 1)]`, on every core when that pays."""
    return list(iter_in_order(task, count))


def iter_in_order(task: Callable[[int], Result], count: int) -> Iterator[Result]:
    """`task(0)`, ..., `task(count - 1)` as they come, in order, on every core when that pays.

    Results are handed over a chunk at a time, so a caller that writes each one away never
    holds them all.
    """
    global _task
    if not can_fork(count):
        yield from (task(index) for index in range(count))
        return
    workers = cores()
    size = max(1, -(-count // (workers * 8)))  # a few chunks per worker evens out slow pages
    chunks = [(start, min(start + size, count)) for start in range(0, count, size)]
    _task = task
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            _task = None  # the workers have their copy
            for part in pool.imap(_run, chunks):
                yield from part
    finally:
        _task = None
