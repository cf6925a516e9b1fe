"""Video files and their text tracks, checked before they are published (never transcoded).

A video is published as the editor saved it, so what the browser needs is checked here: the
container by its first bytes (its "magic number", not its file name), and captions as WebVTT
through a real parser (webvtt-py) with at least one cue. The bytes come from the build, which
reads every file through the site's rule (`inputs.SiteFiles`); nothing here opens a file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import webvtt
from webvtt.errors import MalformedFileError

#: ISO base media brands Apple uses for QuickTime movies: browsers other than Safari refuse them.
QUICKTIME_BRANDS = frozenset({b"qt  "})
EBML = b"\x1a\x45\xdf\xa3"
#: Enough of a video's start to tell its container.
HEAD_BYTES = 64


@dataclass(frozen=True, slots=True)
class StaticRead:
    """A static file as the checks see it: its size and the bytes asked for (a video's first
    bytes, a caption file whole), or why it could not be read."""

    size: int = 0
    data: bytes = b""
    problem: str = ""


#: (path in the static folder, how many bytes) → what was read; None: no such file.
Reader = Callable[[str, int], StaticRead | None]


def container(head: bytes) -> str | None:
    """`mp4`, `webm`, `mov`, or None when the file is neither, by its first bytes."""
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return "mov" if head[8:12] in QUICKTIME_BRANDS else "mp4"
    if head.startswith(EBML):
        if b"webm" in head:
            return "webm"
        return "mkv"
    return None


MIME = {"mp4": "video/mp4", "webm": "video/webm"}


def check_video(head: bytes, expected: str) -> str | None:
    """Why a file starting with `head` cannot be published as a video of kind `expected`
    (`mp4`/`webm`), or None."""
    found = container(head)
    if found == expected:
        return None
    if found == "mov":
        return "it is a QuickTime movie (.mov), which most browsers cannot play"
    if found is None:
        return "it is not a video file (its first bytes are not MP4 or WebM)"
    return f"it is {found.upper()}, not {expected.upper()}"


def check_vtt(data: bytes) -> str | None:
    """Why these bytes are not usable WebVTT (header `WEBVTT`, at least one timed cue), or None."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return "it is not UTF-8 text"
    if not text.startswith("WEBVTT"):
        return "it does not start with WEBVTT (is it an .srt file? convert it to WebVTT)"
    try:
        cues = webvtt.from_string(text).captions
    except MalformedFileError:
        return "it is not valid WebVTT"
    if not cues:
        return "it has no cue with a time range like 00:00.000 --> 00:04.000"
    return None
