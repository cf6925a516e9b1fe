"""Video files and their text tracks, checked before they are published (never transcoded).

A video is published as the editor saved it, so what the browser needs is checked here: the
container by its first bytes (its "magic number", not its file name), and captions as WebVTT
through a real parser (webvtt-py) with at least one cue.
"""

from __future__ import annotations

from pathlib import Path

import webvtt
from webvtt.errors import MalformedFileError

#: ISO base media brands Apple uses for QuickTime movies: browsers other than Safari refuse them.
QUICKTIME_BRANDS = frozenset({b"qt  "})
EBML = b"\x1a\x45\xdf\xa3"


def container(path: Path) -> str | None:
    """`mp4`, `webm`, `mov`, or None when the file is neither, by its first bytes."""
    try:
        with path.open("rb") as stream:
            head = stream.read(64)
    except OSError:
        return None
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return "mov" if head[8:12] in QUICKTIME_BRANDS else "mp4"
    if head.startswith(EBML):
        if b"webm" in head:
            return "webm"
        return "mkv"
    return None


MIME = {"mp4": "video/mp4", "webm": "video/webm"}


def check_video(path: Path, expected: str) -> str | None:
    """Why this file cannot be published as a video of kind `expected` (`mp4`/`webm`), or None."""
    found = container(path)
    if found == expected:
        return None
    if found == "mov":
        return "it is a QuickTime movie (.mov), which most browsers cannot play"
    if found is None:
        return "it is not a video file (its first bytes are not MP4 or WebM)"
    return f"it is {found.upper()}, not {expected.upper()}"


def check_vtt(path: Path) -> str | None:
    """Why this file is not usable WebVTT (header `WEBVTT`, at least one timed cue), or None."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        return "it is not UTF-8 text"
    except OSError as exc:
        return f"it could not be read ({exc.strerror})"
    if not text.startswith("WEBVTT"):
        return "it does not start with WEBVTT (is it an .srt file? convert it to WebVTT)"
    try:
        cues = webvtt.from_string(text).captions
    except MalformedFileError:
        return "it is not valid WebVTT"
    if not cues:
        return "it has no cue with a time range like 00:00.000 --> 00:04.000"
    return None
