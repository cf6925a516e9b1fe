"""Sites that build, with warnings an editor should read: the exact output, and the site made.

Each folder in `tests/sites/warnings/` is laid over `tests/sites/valid/` like the invalid cases
(`tests/build/test_invalid_sites.py`), with `expected.txt` (the exact warnings) and optionally
`args.txt`. Regenerate after an intended change of wording with
`HEALTHSITE_REGENERATE=1 pytest tests/build/test_warning_sites.py`, then review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.helpers import SITES, assemble_case, run_cli

CASES = sorted(p for p in (SITES / "warnings").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_site_with_warnings(case: Path, tmp_path: Path) -> None:
    site = assemble_case(case, tmp_path / "src")
    args = (case / "args.txt").read_text().split() if (case / "args.txt").exists() else []

    result = run_cli("build", "--site", str(site), *args)

    expected_file = case / "expected.txt"
    if os.environ.get("HEALTHSITE_REGENERATE"):
        expected_file.write_text(result.stderr)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr == expected_file.read_text()
    assert (site / "site/index.html").is_file()
    # the report a build prints never reaches the published pages
    for page in (site / "site").rglob("*.html"):
        text = page.read_text()
        assert "Flesch" not in text and "REPLACE" not in text.replace("[REPLACE", "")
