"""Problems found in a site, reported the way an editor can act on them.

Every stage returns diagnostics instead of raising or printing; the pipeline collects them all,
and only the CLI prints. One exception, `BuildFailed`, carries them to the CLI.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    """How bad a problem is; warnings become errors under `--strict`."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Location:
    """A file relative to the site folder and a 1-based line (0 means the whole file)."""

    path: str
    line: int = 0

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem, with a stable code that docs and tests can refer to."""

    severity: Severity
    code: str
    message: str
    location: Location
    hint: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def sort_key(self) -> tuple[str, int, str, str]:
        return (self.location.path, self.location.line, self.code, self.message)

    def headline(self) -> str:
        """`path:line: error[code]: message`: the first line of the printed report."""
        return printable(f"{self.location}: {self.severity.value}[{self.code}]: {self.message}")

    def render(self, *, source_line: str | None = None) -> str:
        """The headline, the offending source line (when the caller could read it: see
        `source_lines.as_text`) and the hint.

        Each part is one line of plain characters, whatever a file name or a value holds.
        """
        lines = [self.headline()]
        source = source_line
        if source is not None:
            if len(source) > SHOWN_LINE:
                source = source[:SHOWN_LINE] + " …"
            lines.append(f"{self.location.line:>5} | {printable(source)}")
        if self.hint:
            lines.append(f"      = hint: {printable(self.hint)}")
        return "\n".join(lines)


#: The longest part of a source line shown under a diagnostic.
SHOWN_LINE = 160
#: Characters that would break a one-line report or play tricks in a terminal: control
#: characters (line breaks, escape sequences), line separators and text-direction overrides.
UNPRINTABLE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` with every unprintable character written as an escape (`\\n`, `\\x1b`)."""
    return UNPRINTABLE.sub(lambda m: repr(m.group())[1:-1], text)


def error(code: str, message: str, path: str, line: int = 0, hint: str = "") -> Diagnostic:
    return Diagnostic(Severity.ERROR, code, message, Location(path, line), hint)


def warning(code: str, message: str, path: str, line: int = 0, hint: str = "") -> Diagnostic:
    return Diagnostic(Severity.WARNING, code, message, Location(path, line), hint)


#: Warnings that stay warnings under `--strict`, because the calendar or a wording change
#: causes them, not a mistake: a review that fell due recently (`review.overdue_error_days`
#: makes it fail later), a holiday closure that has passed, a translation whose source changed
#: outside its safety text (`translation-stale-safety` does fail strict builds), a page not yet
#: translated. Reading-level warnings ask an editor to look: formulas are indirect, so they
#: never fail a build (HEALTH-CONTENT C7).
GRACE_CODES = frozenset(
    {
        "review-due",
        "closure-past",
        "translation-stale",
        "translation-missing",
        "readability",
        "long-sentence",
        "long-words",
    }
)


def strict(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Under `--strict` warnings are errors: CI builds fail on anything an editor should fix."""
    return [
        Diagnostic(Severity.ERROR, d.code, d.message, d.location, d.hint)
        if d.severity is Severity.WARNING and d.code not in GRACE_CODES
        else d
        for d in diagnostics
    ]


def ordered(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Sorted by file and line, duplicates removed, so output is stable and easy to scan."""
    return sorted(set(diagnostics), key=Diagnostic.sort_key)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A 'did you mean' hint for a misspelt key or value, or '' when nothing is close."""
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


class BuildFailed(Exception):
    """The one exception that reaches the CLI: the build found errors and wrote nothing."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        super().__init__(f"{sum(d.is_error for d in diagnostics)} error(s)")
        self.diagnostics = list(diagnostics)
