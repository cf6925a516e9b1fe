"""The report as plain text for a terminal: a summary, then one line per page."""

from __future__ import annotations

from babel.dates import format_date

from healthsite.report.status import STATE_WORDS, PageStatus, SiteStatus

MAX_PAGE_WIDTH = 52


def report_text(site: SiteStatus, program: str = "python build.py") -> str:
    """Everything a clinic manager needs on one screen (or a few)."""
    lines = [
        f"{site.title}: content report, {format_date(site.today, 'long', locale='en')}",
        "",
        "To act on: " + ", ".join(site.summary()) + "." if site.summary() else "Nothing to act on.",
        "",
    ]
    header = ["Page", "Next review", "Reviewer", "Grade", *site.languages, "To fix"]
    rows = [_row(page, site.max_grade) for page in site.pages]
    widths = [
        min(max(len(str(cell)) for cell in column), MAX_PAGE_WIDTH if i == 0 else 40)
        for i, column in enumerate(zip(header, *rows, strict=True))
    ]
    for cells in (header, *rows):
        lines.append(
            "  ".join(
                _fit(str(cell), width) for cell, width in zip(cells, widths, strict=True)
            ).rstrip()
        )
    if site.other_problems:
        lines += [
            "",
            "Other problems (settings, clinic data, files that cannot be read):",
            *(f"  {line}" for line in site.other_problems),
        ]
    lines += [
        "",
        f"Grade: US school grade of the text (target {site.max_grade:g} or lower; patient "
        "materials aim for 6 to 8).",
        f"Every problem with its line and what to do: {program} (or {program} serve).",
    ]
    return "\n".join(lines) + "\n"


def _row(page: PageStatus, max_grade: float) -> list[str]:
    review = "" if page.next_review_due is None else page.next_review_due.isoformat()
    if page.review == "overdue":
        review += " OVERDUE"
    elif page.review == "due soon":
        review += " due soon"
    elif page.review == "n/a":
        review = "-"
    grade = "-" if page.grade is None else f"{page.grade:g}"
    if page.grade is not None and page.grade > max_grade:
        grade += " HIGH"
    name = page.path.removeprefix("content/") + (" (draft)" if page.draft else "")
    return [
        name,
        review or "(not set)",
        page.reviewer or "-",
        grade,
        *(STATE_WORDS[state] for _, state in page.translations),
        to_fix(page),
    ]


def to_fix(page: PageStatus) -> str:
    """`2 placeholders, 1 broken link` or '' when nothing is wrong with the page."""
    parts = [
        (page.placeholders, "placeholder"),
        (page.broken_links, "broken link"),
        (page.errors, "other error"),
        (page.warnings, "warning"),
    ]
    return ", ".join(f"{n} {word}{'' if n == 1 else 's'}" for n, word in parts if n > 0)


def _fit(text: str, width: int) -> str:
    return text.ljust(width) if len(text) <= width else text[: width - 1] + "…"
