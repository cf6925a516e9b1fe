"""`build.py serve` as an editor runs it: a real process on a free port, its output collected."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tests.browser.conftest import _free_port
from tests.conftest import REPO, VALID_SITE

REBUILT = re.compile(r"^Rebuil(t in \d+ ms: \d+ files? written|d failed in \d+ ms)")


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=2) as response:
        return response.read().decode()


def wait_for(predicate: Callable[[], object], timeout: float = 10.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            if predicate():
                return True
        except (OSError, urllib.error.URLError):
            pass
        time.sleep(0.02)
    return False


@dataclass
class Served:
    """A running `serve` of a copy of a fixture site."""

    site: Path
    url: str
    proc: subprocess.Popen[str]
    lines: list[str] = field(default_factory=list)

    @property
    def port(self) -> int:
        return int(self.url.rstrip("/").rsplit(":", 1)[1])

    def output(self) -> str:
        return "\n".join(self.lines)

    def rebuilds(self) -> int:
        """Rebuilds so far, failed ones included: one terminal line each."""
        return sum(bool(REBUILT.match(line)) for line in self.lines)

    def edit(self, rel: str, old: str, new: str) -> None:
        path = self.site / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} is not in {rel}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def stop(self) -> int:
        """Ctrl+C, as in a terminal; returns the exit status."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGINT)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        return self.proc.returncode


@contextmanager
def serving(tmp_path: Path, source: Path = VALID_SITE) -> Iterator[Served]:
    """Serve a fresh copy of `source`; stopped (Ctrl+C) at the end."""
    site = tmp_path / "src"
    shutil.copytree(source, site)
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("HEALTHSITE_DEBUG", None)
    proc = subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "serve", "--site", str(site), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        start_new_session=True,
    )
    served = Served(site, f"http://127.0.0.1:{port}/", proc)

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            served.lines.append(line.rstrip("\n"))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert wait_for(lambda: fetch(served.url), timeout=30), served.output()
        yield served
    finally:
        served.stop()
        reader.join(timeout=5)
        assert proc.stdout is not None
        proc.stdout.close()
