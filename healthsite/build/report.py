"""What a build tells its caller: the report of a good build, and the diagnostics of every stage."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from healthsite.diagnostics import BuildFailed, Diagnostic, ordered, strict


@dataclass(frozen=True, slots=True)
class BuildReport:
    """What a build did: the CLI prints it, the tests assert on it."""

    output_dir: Path
    pages: int
    files: int
    bytes: int
    diagnostics: list[Diagnostic]
    timings: dict[str, float] = field(default_factory=dict)
    reviews_due_soon: list[tuple[str, dt.date]] = field(default_factory=list)
    """Pages whose next review falls within the next 60 days: (source path, due date)."""
    written: tuple[str, ...] = ()
    """Output files (re)written by this build, e.g. `articles/x/index.html`."""
    removed: tuple[str, ...] = ()
    """Output files this build deleted because their source is gone."""
    index_pending: bool = False
    """The search index is out of date: `Builder.refresh_search()` brings it up to date."""
    notes: list[str] = field(default_factory=list)
    """Things to know that are not problems with the site (e.g. the cache was rebuilt)."""
    inputs: tuple[list[Path], str] | None = None
    """The folders and files this build read and their stamp, taken before reading: what
    `uptodate.write_receipt` needs. None when the build did not look at every input."""

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if not d.is_error]


class StageDiagnostics:
    """Collects diagnostics across stages and stops the build at a stage boundary on errors."""

    def __init__(self, strict_mode: bool) -> None:
        self.strict = strict_mode
        self.items: list[Diagnostic] = []

    def add(self, found: list[Diagnostic]) -> None:
        self.items += strict(found) if self.strict else found

    def stop_if_errors(self, *, unless_only: frozenset[str] = frozenset()) -> None:
        """Stop on errors, except when every error has a code in `unless_only`."""
        errors = [d for d in self.items if d.is_error]
        if errors and not all(d.code in unless_only for d in errors):
            raise BuildFailed(ordered(self.items))
