"""Broken sites fail with exactly the expected diagnostics, no traceback, and `site/` kept.

Each folder in `tests/sites/invalid/` holds only the files that differ from `tests/sites/valid/`
(copied over it), `expected.txt` (the exact error output an editor sees) and optionally
`args.txt` (extra command-line options). Regenerate after an intended change of wording with
`HEALTHSITE_REGENERATE=1 pytest tests/build/test_invalid_sites.py`, then review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.helpers import SITES, assemble_case, run_cli

CASES = sorted(p for p in (SITES / "invalid").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_invalid_site(case: Path, tmp_path: Path) -> None:
    site = assemble_case(case, tmp_path / "src")
    previous = site / "site"
    previous.mkdir()
    (previous / "index.html").write_text("previous good build")
    args = (case / "args.txt").read_text().split() if (case / "args.txt").exists() else []

    result = run_cli("build", "--site", str(site), *args)

    expected_file = case / "expected.txt"
    if os.environ.get("HEALTHSITE_REGENERATE"):
        expected_file.write_text(result.stderr)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert result.stderr == expected_file.read_text()
    assert (previous / "index.html").read_text() == "previous good build"
    assert sorted(p.name for p in site.iterdir() if p.is_dir() and p.name.startswith("site")) == [
        "site"
    ]
