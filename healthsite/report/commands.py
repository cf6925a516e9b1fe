"""What the `report` and `check-links` commands do, apart from parsing arguments and printing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from healthsite.build.receipt import CACHE_DIR
from healthsite.report.external import LinkResult, Politeness, check_links, user_agent
from healthsite.report.html_page import report_page
from healthsite.report.inspect import Inspection, inspect_site
from healthsite.report.status import site_status
from healthsite.report.text import report_text
from healthsite.site.links import external_links
from healthsite.source_lines import as_text


@dataclass(frozen=True, slots=True)
class Outcome:
    """Lines for standard output and for standard error, and the exit status."""

    out: list[str]
    err: list[str]
    status: int


def report(site: Path, html: Path | None, program: str) -> Outcome:
    """The manager's report as text; with `html`, also written there as a page."""
    inspection = inspect_site(site)
    if inspection.config is None:
        return Outcome([], [as_text(d, site) for d in inspection.diagnostics], 1)
    status = site_status(inspection)
    if html is not None:
        output = inspection.config.output_dir.resolve()
        target = html.resolve()
        if target == output or target.is_relative_to(output):
            return Outcome(
                [],
                [
                    f"error: {html} is inside the output folder; the report is "
                    "never published: choose another place"
                ],
                2,
            )
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(report_page(status), encoding="utf-8")
    return Outcome([report_text(status, program).rstrip("\n")], [], 0)


def report_html(site: Path) -> str:
    """The report page for the preview."""
    inspection = inspect_site(site)
    if inspection.config is None:
        raise ValueError("; ".join(d.headline() for d in inspection.diagnostics))
    return report_page(site_status(inspection))


def links_used(inspection: Inspection) -> dict[str, list[str]]:
    """Every address on another website the published site links to → where (`file:line`)."""
    used: dict[str, list[str]] = {}
    for model in inspection.models.values():
        for doc in model.documents:
            for url, line in external_links(doc):
                used.setdefault(url, []).append(f"{doc.src_path}:{line}")
    clinic = inspection.clinic
    if clinic is not None and clinic.meta.map_url:
        used.setdefault(clinic.meta.map_url, []).append(clinic.src_path)
    return used


def check_external(
    site: Path,
    limits: tuple[float, float, float],
    *,
    refresh: bool,
    say: Callable[[str], None],
) -> Outcome:
    """Ask every linked website about its page; exit 1 when any is broken or unreachable.
    `limits`: the pause between two requests to one website and the time limit for each, in
    seconds, and how many days an answer is kept."""
    delay, timeout, max_age = limits
    if delay < 0 or timeout <= 0 or max_age < 0:
        return Outcome([], ["error: --delay, --timeout and --max-age must be positive"], 2)
    politeness = Politeness(delay, timeout, max_age=max_age * 86400)
    inspection = inspect_site(site)
    config = inspection.config
    if config is None:
        return Outcome([], [as_text(d, site) for d in inspection.diagnostics], 1)
    if not inspection.models:
        return Outcome([], [as_text(d, site) for d in inspection.diagnostics if d.is_error], 1)
    used = links_used(inspection)
    hosts = len({url.split("/")[2] for url in used if url.count("/") >= 2})
    say(f"Checking {len(used)} links on {hosts} websites (one request at a time per website)...")
    results = check_links(
        used, site / CACHE_DIR, user_agent(config.settings.base_url), politeness, refresh=refresh
    )
    lines = [_line(result, used[result.url]) for result in results]
    bad = [r for r in results if r.outcome in ("broken", "unreachable")]
    moved = sum(r.outcome == "moved" for r in results)
    busy = sum(r.outcome == "busy" for r in results)
    cached = sum(r.cached for r in results)
    lines.append(
        f"{len(results)} links: {len(results) - len(bad) - moved - busy} ok, {moved} moved, "
        f"{len(bad)} broken or unreachable"
        + (f", {busy} not checked (the website asked to wait: try again later)" if busy else "")
        + (
            f" ({cached} answers from the last {politeness.max_age / 86400:g} days)"
            if cached
            else ""
        )
        + "."
    )
    return Outcome(lines, [], 1 if bad else 0)


def _line(result: LinkResult, where: list[str]) -> str:
    status = "" if result.status is None else str(result.status)
    places = where[0] + (f" and {len(where) - 1} more" if len(where) > 1 else "")
    detail = {
        "moved": f" → now {result.detail}",
        "unreachable": f" ({result.detail})",
        "busy": " (too many requests: try again later)",
        "broken": f" ({result.detail})" if result.detail else "",
    }.get(result.outcome, "")
    return f"{result.outcome:<11} {status:>3}  {result.url}{detail}  [{places}]"
