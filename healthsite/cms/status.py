"""What the editing page tells an editor after a save: is the site rebuilt, and what went wrong.

The preview server reports each rebuild here (`BuildStatus.built`), the CMS backend each file it
writes (`BuildStatus.wrote`); the editing page asks `snapshot()` until the build that began
after its save has finished, then shows the problems (file, line, field) or a link to the page.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from healthsite.diagnostics import Diagnostic
from healthsite.source_lines import as_text


class BuildStatus:
    """The last rebuild's outcome and the last save's time, shared by two threads."""

    def __init__(self, site: Path) -> None:
        self.site = site
        self._lock = threading.Lock()
        self._last_write = 0.0
        self._written: tuple[str, ...] = ()
        self._build_started = 0.0
        self._build_finished = 0.0
        self._ok = True
        self._problems: tuple[Diagnostic, ...] = ()

    def wrote(self, path: str) -> None:
        """A save wrote a file: the site is out of date until a build that began after it."""
        with self._lock:
            now = time.monotonic()
            recent = now - self._last_write < 1.0  # the other languages of one save
            self._written = (*self._written, path) if recent else (path,)
            self._last_write = now

    def built(self, started: float, ok: bool, problems: Sequence[Diagnostic]) -> None:
        """A rebuild that began at `started` (time.monotonic) finished."""
        with self._lock:
            if started >= self._build_started:
                self._build_started, self._build_finished = started, time.monotonic()
                self._ok, self._problems = ok, tuple(problems)

    def snapshot(self) -> dict[str, Any]:
        """For `GET /admin/api/status`: JSON an editing page can show as it is."""
        with self._lock:
            current = self._build_started > self._last_write
            errors = [d for d in self._problems if d.is_error]
            warnings = [d for d in self._problems if not d.is_error]
            return {
                "current": current,
                "written": list(self._written),
                "ok": self._ok,
                "errors": [self._line(d) for d in errors],
                "warnings": [self._line(d) for d in warnings],
            }

    def _line(self, diagnostic: Diagnostic) -> dict[str, str]:
        return {
            "file": diagnostic.location.path,
            "text": as_text(diagnostic, self.site),
        }
