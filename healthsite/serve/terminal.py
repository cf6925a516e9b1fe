"""The terminal of `serve`: the CLI's `report` and `say`, one caller at a time (rebuilds, the
search index and the file watch run in threads of their own)."""

from __future__ import annotations

import os
import threading
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from healthsite.diagnostics import Diagnostic

Report = Callable[[Sequence[Diagnostic], Path], None]


class Terminal:
    """The CLI's `report` and `say`, one caller at a time: rebuilds and the index run in threads."""

    def __init__(self, site: Path, report: Report, say: Callable[[str], None]) -> None:
        self.site = site
        self._report = report
        self._say = say
        self._lock = threading.Lock()

    def say(self, line: str) -> None:
        with self._lock:
            self._say(line)

    def report(self, diagnostics: Sequence[Diagnostic], line: str = "") -> None:
        with self._lock:
            self._report(diagnostics, self.site)
            if line:
                self._say(line)

    def unexpected(self, doing: str, exc: BaseException) -> None:
        """One line for a bug or an OS error; the traceback only when HEALTHSITE_DEBUG is set."""
        line = f"error: {doing}: {type(exc).__name__}: {exc}"
        if os.environ.get("HEALTHSITE_DEBUG"):
            line += "\n" + "".join(traceback.format_exception(exc)).rstrip()
        else:
            line += " (set HEALTHSITE_DEBUG=1 for details)"
        self.say(line)
