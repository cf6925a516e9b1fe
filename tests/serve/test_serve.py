"""`serve` builds, serves on 127.0.0.1, rebuilds on save and survives broken content."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.conftest import _free_port
from tests.conftest import REPO, VALID_SITE


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=2) as response:
        return response.read().decode()


def wait_for(predicate, timeout: float = 15.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            if predicate():
                return True
        except (OSError, urllib.error.URLError):
            pass
        time.sleep(0.1)
    return False


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[Path, str, subprocess.Popen[str]]]:
    site = tmp_path / "src"
    shutil.copytree(VALID_SITE, site)
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "serve", "--site", str(site), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        assert wait_for(lambda: fetch(url)), "server did not start"
        yield site, url, proc
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


def test_serves_rebuilds_on_save_and_keeps_the_last_good_site(server) -> None:
    site, url, proc = server
    page = url + "exercises/bridge/"
    assert "Lift your hips until your body is in a straight line." in fetch(page)
    assert "livereload.js" in fetch(page)  # the browser reloads itself after a rebuild
    assert f'<link rel="canonical" href="{url}exercises/bridge/">' in fetch(page)

    source = site / "content/exercises/bridge.md"
    source.write_text(
        source.read_text().replace("Lower your hips slowly.", "Lower your hips very slowly.")
    )
    assert wait_for(lambda: "Lower your hips very slowly." in fetch(page))

    source.write_text(source.read_text().replace("reps: 5", "reps: five"))
    time.sleep(2.5)  # several polls: the broken save must be seen and rejected
    assert "Lower your hips very slowly." in fetch(page)  # still the last good build
    assert proc.poll() is None  # and still running

    source.write_text(source.read_text().replace("reps: five", "reps: 6"))
    assert wait_for(lambda: "6 repetitions" in fetch(page) or "6 reps" in fetch(page))
    os.killpg(proc.pid, signal.SIGINT)
    output = proc.communicate(timeout=10)[0]
    assert "dose.reps: must be a whole number (got 'five')" in output
    assert "Traceback" not in output
    # the preview is built apart: site/ is never written with the preview's addresses
    assert not (site / "site").exists()
