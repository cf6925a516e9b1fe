"""The report as an HTML page, for the preview only (`serve`): it is never written to `site/`.

Self-contained (no script, no request elsewhere), with a table a screen reader can navigate.
"""

from __future__ import annotations

from html import escape

from babel.dates import format_date

from healthsite.report.status import STATE_WORDS, PageStatus, SiteStatus
from healthsite.report.text import to_fix

STYLE = """
body{font:1rem/1.5 system-ui,sans-serif;margin:1.5rem;color:#111;background:#fff}
h1{font-size:1.5rem;margin:0 0 .5rem}
table{border-collapse:collapse;width:100%;min-width:44rem;margin:1rem 0}
caption{text-align:left;font-weight:700;padding:.5rem 0}
th,td{border:1px solid #767676;padding:.375rem .5rem;text-align:left;vertical-align:top}
th{background:#f0f0f0}.bad{color:#8a000d;font-weight:700}.warn{color:#6b4400;font-weight:700}
code{font-size:.875rem;overflow-wrap:anywhere}ul{padding-left:1.25rem}
.scroll{overflow-x:auto}time{white-space:nowrap}.scroll:focus{outline:3px solid #0b4fb3}
"""


def report_page(site: SiteStatus) -> str:
    """The whole page as a string of HTML."""
    today = format_date(site.today, "long", locale="en")
    summary = site.summary()
    head = "".join(f'<th scope="col">{escape(name)}</th>' for name in site.languages)
    rows = "".join(_row(page, site.max_grade) for page in site.pages)
    other = (
        "<h2>Other problems (settings, clinic data, files that cannot be read)</h2><ul>"
        + "".join(f"<li><code>{escape(line)}</code></li>" for line in site.other_problems)
        + "</ul>"
        if site.other_problems
        else ""
    )
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Content report: {escape(site.title)}</title><style>{STYLE}</style></head>"
        f"<body><main><h1>Content report: {escape(site.title)}</h1>"
        f"<p>{escape(today)}. This page exists only in the preview; it is never published.</p>"
        + (
            "<h2>To act on</h2><ul>" + "".join(f"<li>{escape(s)}</li>" for s in summary) + "</ul>"
            if summary
            else "<p>Nothing to act on.</p>"
        )
        + '<div class="scroll" role="region" aria-label="Every page" tabindex="0">'
        '<table><caption>Every page</caption><thead><tr><th scope="col">Page</th>'
        '<th scope="col">Next review</th><th scope="col">Reviewer</th>'
        f'<th scope="col">Reading grade (target {site.max_grade:g} or lower)</th>{head}'
        f'<th scope="col">To fix</th></tr></thead><tbody>{rows}</tbody></table></div>{other}'
        "<p>Every problem, with its line and what to do, is listed by the build and at the "
        "top of the preview's pages.</p></main></body></html>"
    )


def _row(page: PageStatus, max_grade: float) -> str:
    due = page.next_review_due
    review = (
        "-"
        if page.review == "n/a"
        else (
            f'<time datetime="{due.isoformat()}">{due.isoformat()}</time>' if due else "(not set)"
        )
    )
    if page.review == "overdue":
        review = f'<span class="bad">{review}: overdue</span>'
    elif page.review == "due soon":
        review = f'<span class="warn">{review}: due soon</span>'
    grade = "-" if page.grade is None else f"{page.grade:g}"
    if page.grade is not None and page.grade > max_grade:
        grade = f'<span class="bad">{grade}: too hard</span>'
    states = "".join(f"<td>{_state(state)}</td>" for _, state in page.translations)
    draft = " (draft)" if page.draft else ""
    fix = to_fix(page)
    fixes = f'<span class="bad">{escape(fix)}</span>' if fix else ""
    return (
        f'<tr><th scope="row">{escape(page.title)}{draft}<br><code>{escape(page.path)}</code>'
        f"</th><td>{review}</td><td>{escape(page.reviewer or '-')}</td><td>{grade}</td>"
        f"{states}<td>{fixes}</td></tr>"
    )


def _state(state: str) -> str:
    words = escape(STATE_WORDS[state])
    return words if state == "current" else f'<span class="warn">{words}</span>'
