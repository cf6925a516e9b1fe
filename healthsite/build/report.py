"""The report stage: what a build tells its caller; and `Run`, a build's diagnostics and times as
it goes."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from healthsite.build.manifest import OutputRecord
from healthsite.build.progress import Progress, Unwatched
from healthsite.build.write import Written
from healthsite.content.health_checks import due_soon
from healthsite.diagnostics import BuildFailed, Diagnostic, ordered, strict
from healthsite.site.site_model import Site


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
    readability: tuple[tuple[str, float], ...] = ()
    """Every published page's reading grade: (source path, US school grade)."""
    inputs: tuple[list[Path], str] | None = None
    """The folders and files this build read and their stamp, taken before reading: what
    `receipt.write_receipt` needs. None when the build did not look at every input."""

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if not d.is_error]


class Run:
    """One build as it goes: the diagnostics of every stage, the time each stage took, notes.

    It stops the build at a stage boundary when there are errors (`stop_if_errors`), with every
    problem found so far: editors see all of them at once.
    """

    def __init__(self, strict_mode: bool, progress: Progress | None = None) -> None:
        self.strict = strict_mode
        self.items: list[Diagnostic] = []
        self.timings: dict[str, float] = {}
        self.notes: list[str] = []
        self.progress: Progress = progress or Unwatched()

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time a stage (a stage run twice, such as `load`, adds up)."""
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - start

    def add(self, found: Iterable[Diagnostic]) -> None:
        self.items += strict(found) if self.strict else list(found)

    def stop_if_errors(self, *, unless_only: frozenset[str] = frozenset()) -> None:
        """Stop on errors, except when every error has a code in `unless_only`."""
        errors = [d for d in self.items if d.is_error]
        if errors and not all(d.code in unless_only for d in errors):
            raise BuildFailed(ordered(self.items))


def build_report(
    run: Run,
    site: Site,
    outputs: Mapping[str, OutputRecord],
    written: Written,
    bundle: tuple[int, int],
    index_pending: bool,
    inputs: tuple[list[Path], str] | None,
) -> BuildReport:
    """The report stage: what was made and written, every problem, reviews coming up."""
    config = site.config
    upcoming = [
        (d.src_path, due) for d in site.main.documents if (due := due_soon(d, config.today))
    ]
    return BuildReport(
        config.output_dir,
        sum(dest.endswith(".html") for dest in outputs),
        len(outputs) + len(written.assets) + bundle[0] + 1,  # + the marker file
        sum(r.size for r in outputs.values()) + sum(written.assets.values()) + bundle[1],
        ordered(run.items),
        run.timings,
        sorted(upcoming, key=lambda item: (item[1], item[0])),
        written=written.written,
        removed=written.removed,
        index_pending=index_pending,
        notes=run.notes,
        readability=grades(site),
        inputs=inputs,
    )


def grades(site: Site) -> tuple[tuple[str, float], ...]:
    """Each published page's reading grade, for the build's summary."""
    return tuple(
        (doc.src_path, doc.readability.grade)
        for model in site.models.values()
        for doc in model.documents
        if doc.readability is not None
    )


def kept_report(report: BuildReport) -> BuildReport:
    """The report as a build that finds nothing changed gives it again: its counts and
    problems, without what only the build that made it did (timings, notes, files written)."""
    return replace(report, timings={}, notes=[], written=(), removed=(), index_pending=False)
