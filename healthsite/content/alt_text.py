"""Is this alt text a real description? Rules for the words editors give pictures and videos.

A screen reader reads the alt text instead of the picture. "image", "photo" or the file name
tell a patient nothing, and a caption that repeats the alt is read twice. These rules are shared
by Markdown bodies and front-matter pictures, so both get the same message.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

#: Words that name the kind of thing, not what it shows (English and Spanish, the sample's
#: languages; a site's other languages still get the file-name and camera-name rules).
PLACEHOLDER_WORDS = frozenset(
    {
        "alt",
        "alt text",
        "diagram",
        "drawing",
        "figure",
        "foto",
        "fotografía",
        "fotografia",
        "graphic",
        "icon",
        "ilustración",
        "ilustracion",
        "illustration",
        "image",
        "imagen",
        "img",
        "photo",
        "photograph",
        "pic",
        "picture",
        "placeholder",
        "screenshot",
        "tbd",
        "todo",
        "untitled",
        "video",
    }
)
#: Names cameras and phones give files: IMG_1234, DSC01234, PXL_20240101_123456, Screenshot...
CAMERA_NAME = re.compile(
    r"^(img|dsc[fn]?|dcim|pxl|mvimg|photo|image|screenshot|screen shot|p|vid|gopr)"
    r"[\s_-]*\d[\d\s_.-]*$",
    re.IGNORECASE,
)
FILE_EXTENSION = re.compile(r"\.(jpe?g|png|gif|webp|avif|svg|heic|tiff?|bmp|mp4|webm|mov)$", re.I)


def _words(text: str) -> str:
    """Lowercase words only: 'Photo.' and ' photo ' are the same alt text."""
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def placeholder_alt(alt: str, src: str) -> str | None:
    """Why `alt` does not describe the picture at `src`, or None when it may well do."""
    text = alt.strip()
    if not text:
        return "it is empty"
    words = _words(text)
    stem = PurePosixPath(src).stem
    if re.sub(r"(\s*\d+)+$", "", words) in PLACEHOLDER_WORDS:  # "photo", "image 2"
        return f"'{text}' names the kind of file, not what it shows"
    if FILE_EXTENSION.search(text) or words == _words(stem) or CAMERA_NAME.match(text):
        return f"'{text}' is a file name"
    return None


def caption_repeats_alt(alt: str, caption: str) -> bool:
    """A caption with the same words as the alt text: a screen reader reads it twice."""
    return bool(caption.strip()) and _words(alt) == _words(caption)
