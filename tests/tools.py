"""Third-party checkers the tests run: found, or the test fails under CI (skips elsewhere)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

SETUP_HINT = "run scripts/setup.sh browser"


def require_command(name: str, *extra_dirs: str) -> str:
    """The path of a command (also looked for in `extra_dirs`, e.g. /usr/sbin), or no test."""
    found = shutil.which(name) or shutil.which(
        name, path=os.pathsep.join((*extra_dirs, "/usr/sbin", "/usr/bin"))
    )
    if found is None:
        missing(f"'{name}' is not installed")
    return str(found)


def require_file(path: Path, what: str) -> Path:
    if not path.is_file():
        missing(f"{what} is not installed ({path})")
    return path


def missing(message: str) -> None:
    """A checker that is not there fails the run under CI: a skipped check is not a pass."""
    text = f"{message}: {SETUP_HINT}"
    if os.environ.get("CI"):
        pytest.fail(text)
    pytest.skip(text)
