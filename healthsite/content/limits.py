"""Bounds on what one page's text may cost: how deeply it nests, and how long it takes.

Python-Markdown recurses once per level of nested lists, quotes and callouts, and some of its
inline patterns take time that grows with the square of a paragraph's length (thousands of
`[` or `![` on a line). Hostile or broken text must end in a clear error within seconds, not
in a `RecursionError` after minutes. So a body is first checked for nesting, line by line
(an error names the line); what remains is bounded by time: formatting that takes longer
than `FORMAT_SECONDS` is stopped and reported.

The time limit interrupts the thread that formats. In the main thread (a build from the
command line, and its worker processes) that is a timer signal; in another thread (the dev
server rebuilds in one) a watchdog thread raises the exception in it, as a signal would.
"""

from __future__ import annotations

import ctypes
import os
import re
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

#: Lists in quotes in callouts, each level counted: far beyond what a page needs.
MAX_NESTING = 16
#: Formatting one page's text takes milliseconds; this is for text built to be slow.
FORMAT_SECONDS = 5.0

FENCE = re.compile(r"^\s*(```|~~~)")
#: A line that may be too deep: a quote marker, a tab or four spaces per level, then the item.
CANDIDATE = re.compile(rf"^[ \t>]{{{MAX_NESTING}}}", re.MULTILINE)
#: A line's containers: quote markers and indentation, then what the line opens, if anything.
CONTAINER = re.compile(
    r"^(?P<lead>(?:[ \t]*>)*)(?P<indent>[ \t]*)(?P<opens>[-*+:]|\d+[.)]|!!!|\?\?\?)?"
)


def line_depths(text: str) -> Iterator[tuple[int, int]]:
    """(depth, index) of each line outside code fences: each quote marker counts one level,
    and a list item or callout one more per four columns of indentation before it."""
    fenced = False
    for index, line in enumerate(text.split("\n")):
        if FENCE.match(line):
            fenced = not fenced
            continue
        if fenced:
            continue
        match = CONTAINER.match(line)
        assert match is not None  # every part is optional
        depth = match["lead"].count(">")
        if match["opens"]:
            depth += len(match["indent"].expandtabs(4)) // 4 + 1
        yield depth, index


def too_deep(text: str) -> tuple[int, int] | None:
    """(depth, index) of the first line nested deeper than `MAX_NESTING`, if any."""
    if not CANDIDATE.search(text):  # each level takes a character: most pages stop here
        return None
    return next(((d, i) for d, i in line_depths(text) if d > MAX_NESTING), None)


class TimedOut(BaseException):
    """The time limit passed. A `BaseException`, as `KeyboardInterrupt` is, so that no
    `except Exception` in a library swallows it."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise `TimedOut` in this thread once the block has run for `seconds`.

    The exception may also arrive as the block ends, so a caller catches it around the whole
    `with` statement.
    """
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        with _alarm(seconds):
            yield
    else:
        with _WATCHDOG.watch(seconds):
            yield


@contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    armed = [True]

    def ring(signum: int, frame: object) -> None:
        if armed[0]:
            armed[0] = False
            raise TimedOut()

    previous = signal.signal(signal.SIGALRM, ring)
    try:
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            yield
        finally:
            armed[0] = False
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass
class _Watched:
    thread: int
    deadline: float
    done: bool = False
    fired: bool = False


class _Watchdog:
    """One thread per process that raises `TimedOut` in threads past their deadline."""

    def __init__(self) -> None:
        self._reset()
        if hasattr(os, "register_at_fork"):  # the thread does not survive a fork
            os.register_at_fork(after_in_child=self._reset)

    def _reset(self) -> None:
        self._wake = threading.Condition(threading.Lock())
        self._watched: list[_Watched] = []
        self._thread: threading.Thread | None = None

    @contextmanager
    def watch(self, seconds: float) -> Iterator[None]:
        entry = _Watched(threading.get_ident(), time.monotonic() + seconds)
        with self._wake:
            self._watched.append(entry)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="time limit", daemon=True)
                self._thread.start()
            self._wake.notify()
        try:
            yield
        finally:
            with self._wake:  # once out, no exception is pending for this thread
                entry.done = True
                if entry.fired:
                    _raise_in(entry.thread, None)

    def _run(self) -> None:
        with self._wake:
            while True:
                now = time.monotonic()
                for entry in self._watched:
                    if not entry.done and not entry.fired and entry.deadline <= now:
                        entry.fired = True
                        _raise_in(entry.thread, TimedOut)
                self._watched = [e for e in self._watched if not (e.done or e.fired)]
                wait = min((e.deadline for e in self._watched), default=now + 60) - now
                self._wake.wait(max(wait, 0.01))


def _raise_in(thread: int, exception: type[BaseException] | None) -> None:
    """Have `thread` raise `exception` at its next instruction (None: cancel a pending one)."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread), ctypes.py_object(exception) if exception else None
    )


_WATCHDOG = _Watchdog()
