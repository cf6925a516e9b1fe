"""The media stage reads every picture, video and caption file through the site's rule
(`SiteFiles`), on the open file: a file swapped after the discover stage fingerprinted it (for a
link out of the site, for a pipe) is refused then, never published and never waited on."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest

from healthsite.build.media import MediaResult, make_media
from healthsite.diagnostics import Diagnostic
from tests.helpers import VALID_SITE, assembled
from tests.photos import copy_video, phone_photo

EXERCISE = "content/exercises/bridge.md"
PHOTO = "  - src: photos/mat.jpg\n    alt: A person lying on a mat with their knees bent.\n"
VIDEO = """videos:
  - src: video/demo.mp4
    poster: photos/mat.jpg
    title: The bridge, from start to finish
    speech: true
    captions: video/demo.vtt
"""


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """The valid site with a photo, a video and its captions on its bridge exercise."""
    root = tmp_path / "site-src"
    shutil.copytree(VALID_SITE, root)
    phone_photo(root / "static/photos/mat.jpg", 1600, 1200, orientation=1)
    copy_video("tiny.mp4", root / "static/video/demo.mp4")
    (root / "static/video/demo.vtt").write_text("WEBVTT\n\n00:00.000 --> 00:01.000\nLift.\n")
    page = root / EXERCISE
    text = page.read_text()
    text = text.replace("images:\n", "images:\n" + PHOTO, 1)
    page.write_text(text.replace("sources:\n", VIDEO + "sources:\n", 1))
    return root


def media_after(root: Path, swap: dict[str, Path | None]) -> tuple[MediaResult, list[Diagnostic]]:
    """The site taken to the assemble stage, then each static file in `swap` replaced (by a link
    to the given path, or by a named pipe), then the media stage run: within 30 s."""
    built, problems = assembled(root)
    assert not [d for d in problems if d.is_error], problems
    for rel, target in swap.items():
        path = root / "static" / rel
        path.unlink()
        if target is None:
            os.mkfifo(path)
        else:
            path.symlink_to(target)
    outcome: list[tuple[MediaResult, list[Diagnostic]]] = []
    worker = threading.Thread(
        target=lambda: outcome.append(make_media(built.config, built.models, built.assets)),
        daemon=True,
    )
    worker.start()
    worker.join(30)
    assert outcome, "the media stage waited on a file"
    return outcome[0]


def test_a_photo_swapped_for_a_link_out_of_the_site_is_refused(site: Path, tmp_path: Path) -> None:
    secret = phone_photo(tmp_path / "outside/private.jpg", 1600, 1200, orientation=1, seed=7)
    result, problems = media_after(site, {"photos/mat.jpg": secret})
    unreadable = [d for d in problems if d.code == "image-unreadable"]
    assert unreadable, problems
    assert all(d.location.path == EXERCISE for d in unreadable)
    assert any("outside the site folder" in d.message for d in unreadable), unreadable
    assert result.plan.picture("photos/mat.jpg") is None
    secret_bytes = secret.read_bytes()
    for asset in result.assets.assets.values():
        assert not asset.abs_path.is_relative_to(secret.parent), asset
        if asset.abs_path.is_file():
            assert asset.abs_path.read_bytes() != secret_bytes


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_video_or_captions_swapped_for_a_pipe_is_refused_not_waited_on(site: Path) -> None:
    _, problems = media_after(site, {"video/demo.mp4": None, "video/demo.vtt": None})
    by_code = {d.code: d for d in problems if d.is_error}
    assert set(by_code) == {"video-format", "captions-invalid"}, problems
    assert "is a named pipe, not an ordinary file" in by_code["video-format"].message
    assert "is a named pipe, not an ordinary file" in by_code["captions-invalid"].message
    assert all(d.location.path == EXERCISE for d in by_code.values())
