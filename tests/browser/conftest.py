"""Real Chromium (Debian's), driven by Playwright, against the sample site on a local server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import CHROMIUM, CHROMIUM_ARGS, serve_folder


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in item.nodeid:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session", autouse=True)
def _chromium_present() -> None:
    """Missing Chromium fails under CI (a skipped browser test is not a passing one)."""
    if not os.access(CHROMIUM, os.X_OK):
        message = f"{CHROMIUM} not found: install Debian's chromium (scripts/setup.sh browser)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def site_url(sample_site: Path) -> Iterator[str]:
    proc, url = serve_folder(sample_site)
    yield url
    proc.terminate()
    proc.wait()
