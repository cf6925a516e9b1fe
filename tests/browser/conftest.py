"""Real Chromium (Debian's), driven by Playwright, against the sample site on a local server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_folder(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    """A plain static HTTP server on 127.0.0.1, as a static host would serve the site."""
    port = _free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "http.server",
            str(port),
            "--bind",
            "127.0.0.1",
            "--directory",
            str(folder),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/"
    for _ in range(200):
        try:
            with urllib.request.urlopen(url, timeout=0.5):
                return proc, url
        except OSError:
            time.sleep(0.05)
    proc.terminate()
    raise RuntimeError("the test HTTP server did not start")


@pytest.fixture(scope="session")
def site_url(sample_site: Path) -> Iterator[str]:
    proc, url = serve_folder(sample_site)
    yield url
    proc.terminate()
    proc.wait()


@dataclass
class PageWatch:
    """Everything a page did that a visitor should never see: errors, failures, other hosts."""

    origin: str
    console_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert self.console_errors == [], self.console_errors
        assert self.failed == [], self.failed
        assert self.foreign == [], self.foreign


def watch(page: Page, site_url: str) -> PageWatch:
    origin = urlsplit(site_url).netloc
    seen = PageWatch(origin)
    page.on(
        "console",
        lambda m: seen.console_errors.append(m.text) if m.type in ("error", "warning") else None,
    )
    page.on("pageerror", lambda e: seen.console_errors.append(str(e)))
    page.on("requestfailed", lambda r: seen.failed.append(r.url))
    page.on(
        "response",
        lambda r: (
            seen.failed.append(f"{r.status} {r.url}")
            if r.status >= 400 and not r.url.endswith("/404.html")
            else None
        ),
    )

    def on_request(request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.netloc != origin:
            seen.foreign.append(request.url)

    page.on("request", on_request)
    return seen
