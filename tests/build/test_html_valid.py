"""Every built page of the sample site is valid HTML, as the Nu HTML checker (W3C) sees it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers import REPO

VNU = REPO / ".tools/node_modules/vnu-jar/build/dist/vnu.jar"


def test_sample_site_is_valid_html(sample_site: Path) -> None:
    java = shutil.which("java")
    if not (VNU.is_file() and java):
        message = "the Nu HTML checker is not installed: run scripts/setup.sh browser"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    result = subprocess.run(
        [
            java,
            "-jar",
            str(VNU),
            "--format",
            "json",
            "--stdout",
            "--skip-non-html",
            str(sample_site),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages = json.loads(result.stdout)["messages"]
    problems = [
        f"{m.get('url')}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        # CSP notes are about file: URLs ('self' has no origin there), not about the markup
        if m["type"] == "error"
        or (m.get("subType") != "info" and "Content Security Policy" not in m["message"])
    ]
    assert problems == [], "\n".join(problems)
    assert len(list(sample_site.rglob("*.html"))) > 5
