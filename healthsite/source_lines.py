"""A diagnostic as an editor reads it: its headline, the line of the file it points at, and the
hint. The line is read by the rule every input follows (`inputs`): never from a pipe, never
through a link out of the site."""

from __future__ import annotations

from pathlib import Path

from healthsite.diagnostics import Diagnostic, Location
from healthsite.inputs import CATALOG_LIMIT, Refused, SiteFiles


def as_text(diagnostic: Diagnostic, site_dir: Path | None = None) -> str:
    """What the terminal and the browser show for one problem of the site in `site_dir`."""
    line = _source_line(site_dir, diagnostic.location) if site_dir is not None else None
    return diagnostic.render(source_line=line)


def _source_line(site_dir: Path, location: Location) -> str | None:
    """The line a diagnostic points at, read by the rule every input follows (never from a
    pipe, never through a link out of the site)."""
    if location.line <= 0:
        return None
    try:
        data = SiteFiles.of(site_dir).read_bytes(site_dir / location.path, CATALOG_LIMIT)
    except Refused:
        return None
    text = data.decode("utf-8", errors="replace").removeprefix("\ufeff")
    lines = text.splitlines()
    if location.line > len(lines):
        return None
    return lines[location.line - 1].rstrip()
