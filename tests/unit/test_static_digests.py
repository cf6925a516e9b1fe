"""Static files are fingerprinted by their bytes, but a file whose size and modification time are
those an earlier build saw keeps its digest without being read again (as the parse cache does
for content): a site with a thousand phone photos is not read whole on every build."""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from pathlib import Path

import pytest

from healthsite.build.cache import CacheStore
from healthsite.build.memory import STATIC_DIGESTS, Discovered
from healthsite.inputs import SiteFiles
from healthsite.site.assets import collect_assets
from tests.helpers import VALID_SITE, build_site

AN_HOUR_AGO = time.time() - 3600


def static_file(root: Path, rel: str, data: bytes, mtime: float = AN_HOUR_AGO) -> Path:
    path = root / "static" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    os.utime(path, (mtime, mtime))
    return path


def test_a_file_with_the_known_size_and_time_keeps_its_digest_unread(tmp_path: Path) -> None:
    path = static_file(tmp_path, "img/photo.jpg", b"a photo's bytes")
    files = SiteFiles.of(tmp_path)
    info = path.stat()
    planted = "f" * 64  # not the file's digest: only a digest never read again survives
    known = {str(path): (info.st_size, info.st_mtime_ns, planted)}

    assets, problems = collect_assets(tmp_path / "static", files, known)
    assert problems == []
    asset = assets.assets["img/photo.jpg"]
    assert asset.digest == planted
    assert asset.dest_path == "static/img/photo.ffffffffff.jpg"

    os.utime(path, (AN_HOUR_AGO + 10, AN_HOUR_AGO + 10))  # saved again: read again
    assets, _ = collect_assets(tmp_path / "static", files, known)
    assert assets.assets["img/photo.jpg"].digest == hashlib.sha256(b"a photo's bytes").hexdigest()


def test_a_file_of_another_size_is_read_again(tmp_path: Path) -> None:
    path = static_file(tmp_path, "css/site.css", b"body{}")
    info = path.stat()
    known = {str(path): (info.st_size + 1, info.st_mtime_ns, "f" * 64)}
    assets, _ = collect_assets(tmp_path / "static", SiteFiles.of(tmp_path), known)
    assert assets.assets["css/site.css"].digest == hashlib.sha256(b"body{}").hexdigest()


def test_only_files_unchanged_for_a_while_are_remembered(tmp_path: Path) -> None:
    old = static_file(tmp_path, "img/old.png", b"old")
    new = static_file(tmp_path, "img/new.png", b"new", mtime=time.time())
    assets, _ = collect_assets(tmp_path / "static", SiteFiles.of(tmp_path))
    kept = Discovered([], [], assets).digests(time.time())
    assert kept[str(old)][2] == hashlib.sha256(b"old").hexdigest()
    assert str(new) not in kept  # changed within the clock's tick: it may change again unseen


def test_the_next_build_reads_only_the_static_files_that_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "site-src"
    shutil.copytree(VALID_SITE, root)
    for path in (root / "static").rglob("*"):
        if path.is_file():
            os.utime(path, (AN_HOUR_AGO, AN_HOUR_AGO))
    changed = static_file(root, "img/extra.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>')
    build_site(root)
    saved, note = CacheStore(root).load(STATIC_DIGESTS)
    assert note is None and str(changed) in saved

    read: list[str] = []
    real_digest = SiteFiles.digest

    def counted(self: SiteFiles, path: Path | str, limit: int) -> tuple[str, int]:
        read.append(str(path))
        return real_digest(self, path, limit)

    monkeypatch.setattr(SiteFiles, "digest", counted)
    changed.write_bytes(b'<svg xmlns="http://www.w3.org/2000/svg" width="2"/>')
    build_site(root)  # a new process would do the same: the digests come from the cache folder
    assert read == [str(changed)]
