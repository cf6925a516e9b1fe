"""Faults while a build writes: killed, interrupted, a full disk, a read-only disk or folder.

Whatever happens, `site/` is the previous good build or the complete new one, the editor reads
a diagnostic in words (never `[Errno 28]`), and the next build cleans up what a killed one left.
The full and read-only disks are real: a small tmpfs mounted for the test (root can mount one
here, and CI runs as root); permissions are tested as an ordinary user (`setpriv`), because
root ignores them.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from healthsite.build.receipt import MARKER
from tests.helpers import REPO, TODAY_EPOCH, VALID_SITE, copy_sample_sources, run_cli

ENV = {"SOURCE_DATE_EPOCH": TODAY_EPOCH, "PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO)}
EXERCISE = "content/exercises/bridge.md"


def tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def side_folders(site: Path) -> list[str]:
    return sorted(p.name for p in site.iterdir() if p.is_dir() and p.name.startswith("site."))


def build_command(site: Path, *args: str) -> list[str]:
    return [sys.executable, str(REPO / "build.py"), "build", "--site", str(site), *args]


def assert_plain(result: subprocess.CompletedProcess[str]) -> None:
    said = result.stdout + result.stderr
    assert "Traceback" not in said and "Errno" not in said, said


def dead_pid() -> int:
    """The id of a process that has just ended (and that nothing else has had since)."""
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def edit(site: Path, old: str, new: str) -> None:
    path = site / EXERCISE
    path.write_text(path.read_text().replace(old, new), encoding="utf-8")


# -- killed and interrupted builds ----------------------------------------------------------


def interrupt_mid_build(site: Path, sig: int) -> subprocess.CompletedProcess[str]:
    """Start a build and send `sig` once it is writing its staging folder."""
    for _attempt in range(5):
        proc = subprocess.Popen(
            build_command(site, "--clean"),
            env=ENV,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        end = time.monotonic() + 60
        while proc.poll() is None and time.monotonic() < end:
            staging = site / f"site.tmp-{proc.pid}"
            if staging.is_dir() and (staging / "index.html").exists():
                proc.send_signal(sig)
                out, err = proc.communicate(timeout=60)
                return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
            time.sleep(0.002)
        proc.communicate(timeout=60)
    pytest.fail("no build was caught while writing its staging folder in five tries")


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """The sample site (large enough to be caught mid-build), built once."""
    site = copy_sample_sources(tmp_path / "sample")
    assert run_cli("build", "--site", str(site)).returncode == 0
    return site


def test_a_killed_build_leaves_a_staging_folder_that_the_next_build_removes(sample: Path) -> None:
    good = tree(sample / "site")
    killed = interrupt_mid_build(sample, signal.SIGKILL)
    assert killed.returncode == -signal.SIGKILL
    left = side_folders(sample)
    assert len(left) == 1 and left[0].startswith("site.tmp-"), left
    assert tree(sample / "site") == good  # the killed build never touched site/

    again = run_cli("build", "--site", str(sample))  # nothing changed: still cleans up
    assert again.returncode == 0, again.stderr
    assert f"note: removed {left[0]}/, left by a build that was stopped" in again.stdout
    assert side_folders(sample) == []
    assert tree(sample / "site") == good


def test_ctrl_c_mid_build_keeps_the_previous_site_and_leaves_nothing(sample: Path) -> None:
    good = tree(sample / "site")
    stopped = interrupt_mid_build(sample, signal.SIGINT)
    assert stopped.returncode == 130, stopped.stderr
    assert_plain(stopped)
    assert side_folders(sample) == []
    assert tree(sample / "site") == good


def test_only_folders_of_builds_that_are_gone_are_removed(tmp_path: Path) -> None:
    site = tmp_path / "src"
    shutil.copytree(VALID_SITE, site)
    gone, running = dead_pid(), os.getpid()
    for name in (
        f"site.tmp-{gone}",
        f"site.old-{gone}",
        f"site.search-{gone}",
        f"site.tmp-{running}",
    ):
        (site / name).mkdir()
        (site / name / MARKER).write_text("made by healthsite\n")
    (site / "site.tmp-999999999").mkdir()  # no marker: not ours, whatever its name says
    (site / "site.tmp-notes").mkdir()

    result = run_cli("build", "--site", str(site))

    assert result.returncode == 0, result.stderr
    assert side_folders(site) == sorted(
        [f"site.tmp-{running}", "site.tmp-999999999", "site.tmp-notes"]
    )


# -- a full disk, a read-only disk -------------------------------------------------------------


@contextmanager
def small_disk(size: str) -> Iterator[Path]:
    """A tmpfs of `size` mounted on a fresh folder (root only; CI runs as root)."""
    where = Path(tempfile.mkdtemp(prefix="healthsite-disk-"))
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        where.rmdir()
        if os.environ.get("CI"):
            pytest.fail(f"CI must be able to mount a tmpfs (as root): {mounted.stderr}")
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)
        where.rmdir()


def fill(disk: Path) -> None:
    """Fill the disk to the last byte."""
    with (disk / "filler").open("wb") as filler:
        try:
            while True:
                filler.write(b"\0" * 65536)
                filler.flush()
        except OSError:
            pass
    for size in (4096, 512, 1):
        try:
            with (disk / f"filler-{size}").open("wb") as more:
                while True:
                    more.write(b"\0" * size)
                    more.flush()
        except OSError:
            pass


def test_a_full_disk_is_an_error_in_words_and_site_stays_whole() -> None:
    with small_disk("3m") as disk:
        site = disk / "src"
        shutil.copytree(VALID_SITE, site)
        first = subprocess.run(build_command(site), env=ENV, capture_output=True, text=True)
        assert first.returncode == 0, first.stderr
        good = tree(site / "site")
        fill(disk)

        edit(site, "Keep breathing throughout.", "Keep breathing, slowly, throughout. " * 40)
        incremental = subprocess.run(build_command(site), env=ENV, capture_output=True, text=True)
        clean = subprocess.run(
            build_command(site, "--clean"), env=ENV, capture_output=True, text=True
        )

        for result in (incremental, clean):
            assert result.returncode == 1, result.stdout + result.stderr
            assert_plain(result)
            assert ": error[write]: could not write " in result.stderr, result.stderr
            assert "the disk is full" in result.stderr
            assert tree(site / "site") == good
            assert side_folders(site) == []

        for filler in disk.glob("filler*"):
            filler.unlink()
        again = subprocess.run(build_command(site), env=ENV, capture_output=True, text=True)
        assert again.returncode == 0, again.stderr
        assert "slowly" in (site / "site/exercises/bridge/index.html").read_text()


def test_a_read_only_disk_is_an_error_in_words() -> None:
    with small_disk("8m") as disk:
        site = disk / "src"
        shutil.copytree(VALID_SITE, site)
        assert subprocess.run(build_command(site), env=ENV, capture_output=True).returncode == 0
        good = tree(site / "site")
        edit(site, "Keep breathing throughout.", "Breathe out as you lift.")
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)

        result = subprocess.run(build_command(site), env=ENV, capture_output=True, text=True)

        assert result.returncode == 1
        assert_plain(result)
        assert "the disk is read-only" in result.stderr, result.stderr
        assert tree(site / "site") == good


# -- permissions, as an ordinary user ----------------------------------------------------------

NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


@pytest.fixture
def public_folder() -> Iterator[Path]:
    """A folder an ordinary user can reach (pytest's own are root's alone)."""
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        if os.environ.get("CI"):
            pytest.fail("CI runs as root with setpriv: the permission tests must run")
        pytest.skip("needs root and setpriv to act as an ordinary user")
    folder = Path(tempfile.mkdtemp(prefix="healthsite-perm-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder)


def as_nobody(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*NOBODY, *build_command(site, *args)],
        env=ENV,
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_site_folder_the_user_cannot_write_is_an_error_in_words(public_folder: Path) -> None:
    site = public_folder / "src"
    shutil.copytree(VALID_SITE, site)  # root's: the ordinary user may read it, not write

    result = as_nobody(site)

    assert result.returncode == 1, result.stdout
    assert_plain(result)
    assert "site.yaml" not in result.stderr.split(":")[0]
    assert "permission denied" in result.stderr, result.stderr


def test_an_output_folder_the_user_cannot_write_stays_as_it_was(public_folder: Path) -> None:
    site = public_folder / "src"
    shutil.copytree(VALID_SITE, site)
    subprocess.run(["chown", "-R", "65534:65534", str(site)], check=True)
    assert as_nobody(site).returncode == 0
    good = tree(site / "site")
    subprocess.run(["chown", "-R", "0:0", str(site / "site")], check=True)
    edit(site, "Keep breathing throughout.", "Breathe out as you lift.")

    result = as_nobody(site)

    assert result.returncode == 1, result.stdout
    assert_plain(result)
    assert ": error[write]: could not write site/" in result.stderr, result.stderr
    assert "permission denied" in result.stderr
    assert tree(site / "site") == good
    assert side_folders(site) == []
