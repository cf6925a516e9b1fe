"""Shared fixtures: small sites written inline, fixture sites copied, the sample site built."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from healthsite.build.pipeline import BuildReport, build

REPO = Path(__file__).resolve().parent.parent
SITES = Path(__file__).resolve().parent / "sites"
VALID_SITE = SITES / "valid"
#: A fixed "today" for every test build, so review-date checks never depend on the calendar.
TODAY = dt.date(2026, 6, 1)
TODAY_EPOCH = str(int(dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC).timestamp()))

WriteTree = Callable[[dict[str, str]], Path]


@pytest.fixture
def valid_site(tmp_path: Path) -> Path:
    """A fresh copy of the small valid fixture site."""
    target = tmp_path / "site-src"
    shutil.copytree(VALID_SITE, target)
    return target


@pytest.fixture
def write_tree(valid_site: Path) -> WriteTree:
    """Write files (path → text) over a copy of the valid site; `None`-like '' text deletes."""

    def write(files: dict[str, str]) -> Path:
        for rel, text in files.items():
            path = valid_site / rel
            if text == "":
                path.unlink()
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return valid_site

    return write


def build_site(root: Path, **options: object) -> BuildReport:
    """Build in-process with the fixed test date."""
    return build(root, today=TODAY, **options)  # type: ignore[arg-type]


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python build.py ...` as an editor would, with the fixed test date."""
    env = {"SOURCE_DATE_EPOCH": TODAY_EPOCH, "PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, str(REPO / "build.py"), *args],
        capture_output=True,
        text=True,
        cwd=cwd or REPO,
        env=env,
        timeout=120,
        check=False,
    )


def copy_sample_sources(root: Path) -> Path:
    """Copy the repository's sample clinic site (its sources, not its output) into `root`."""
    root.mkdir(parents=True, exist_ok=True)
    for name in ("site.yaml", "content", "templates", "static", "locales"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        elif source.exists():
            shutil.copy(source, root / name)
    return root


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's sample clinic site, copied and built once per test session."""
    root = copy_sample_sources(tmp_path_factory.mktemp("sample"))
    build(root, strict_mode=True)  # the real date: the sample must pass CI today
    return root / "site"
