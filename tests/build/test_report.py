"""`report`: one view of every page for a clinic manager, as text and as a page."""

from __future__ import annotations

import os
from pathlib import Path

from tests.helpers import SITES, assemble_case, run_cli

SPANISH = "languages:\n  es: {}\n"


def test_report_lists_what_to_act_on_page_by_page(valid_site: Path) -> None:
    (valid_site / "site.yaml").write_text((valid_site / "site.yaml").read_text() + SPANISH)
    bridge = valid_site / "content/exercises/bridge.md"
    bridge.write_text(
        bridge.read_text()
        .replace("next_review_due: 2027-01-10", "next_review_due: 2026-07-01")  # due soon
        .replace("Keep breathing throughout.", "See [the knee hug](/exercises/knee-hugs/).")
    )
    knee = valid_site / "content/exercises/knee-hug.md"
    knee.write_text(
        knee.read_text().replace("next_review_due: 2027-01-10", "next_review_due: 2026-05-01")
    )
    (valid_site / "content/exercises/knee-hug.es.md").write_text(
        "---\ntranslation:\n  method: machine\n  translator: pseudo\ntitle: x\nname: Abrazo\n"
        "summary: Un estiramiento suave.\nsteps: [Acuéstese., Abrace una rodilla.]\n"
        "flare_up_advice: Con cuidado.\nstop_if: [Si duele mucho.]\n---\n"
    )
    result = run_cli("new", "article", "Sleeping well", "--site", str(valid_site))
    assert result.returncode == 0, result.stderr

    result = run_cli("report", "--site", str(valid_site), "--html", str(valid_site / "report.html"))

    assert result.returncode == 0, result.stderr
    out = result.stdout.splitlines()
    assert out[0] == "Test Clinic: content report, June 1, 2026"
    assert out[2] == (
        "To act on: 1 review overdue, 1 review due within 60 days, "
        "4 translations missing or not up to date, 4 placeholders left, 1 broken link, 1 draft."
    )
    table = "\n".join(out)
    assert "Page" in out[4] and "Next review" in out[4] and "Spanish" in out[4]
    bridge_line = next(line for line in out if line.startswith("exercises/bridge.md"))
    assert "2026-07-01 due soon" in bridge_line and "Dr. Sam Lee, MD" in bridge_line
    assert "missing" in bridge_line and "1 broken link" in bridge_line
    knee_line = next(line for line in out if line.startswith("exercises/knee-hug.md"))
    assert "2026-05-01 OVERDUE" in knee_line and "machine, unchecked" in knee_line
    draft = next(line for line in out if line.startswith("articles/sleeping-well.md (draft)"))
    assert "4 placeholders" in draft
    assert "Grade: US school grade" in table
    page = (valid_site / "report.html").read_text()
    assert page.startswith('<!doctype html><html lang="en">')
    assert "<caption>Every page</caption>" in page and "due soon" in page
    assert not (valid_site / "site").exists()  # a report builds nothing


def test_report_refuses_to_write_into_the_published_folder(valid_site: Path) -> None:
    result = run_cli(
        "report", "--site", str(valid_site), "--html", str(valid_site / "site/report.html")
    )
    assert result.returncode == 2
    assert "never published" in result.stderr
    assert not (valid_site / "site/report.html").exists()


def test_report_text_is_exactly_the_expected_text(tmp_path: Path) -> None:
    """Every column and count, against `tests/sites/report/manager/expected.txt`: a review
    overdue and one due soon, a page too hard to read, each translation state (missing, draft,
    out of date, out of date in its safety text, machine and unchecked), placeholders in a
    draft, a broken link and an error in a translation. Regenerate with HEALTHSITE_REGENERATE=1.
    """
    case = SITES / "report/manager"
    site = assemble_case(case, tmp_path / "src")
    result = run_cli("report", "--site", str(site))
    expected = case / "expected.txt"
    if os.environ.get("HEALTHSITE_REGENERATE"):
        expected.write_text(result.stdout)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == expected.read_text()
    # the build agrees: the same problems stop it
    built = run_cli("build", "--site", str(site))
    assert built.returncode == 1
    assert "error[link]" in built.stderr and "error[translation-mismatch]" in built.stderr
