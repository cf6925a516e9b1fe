"""Is this alt text a real description? Rules for the words editors give pictures and videos.

A screen reader reads the alt text instead of the picture. "image", "photo" or the file name
tell a patient nothing, and a caption that repeats the alt is read twice. These rules are shared
by Markdown bodies and front-matter pictures, so both get the same message.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from healthsite.diagnostics import Diagnostic, error, warning

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
#: A video file: it can be listed under `videos:`, never shown as a picture.
VIDEO_FILE = re.compile(r"\.(mp4|m4v|webm|mov|ogv)$", re.IGNORECASE)
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


def body_image_words(src: str, alt: str, caption: str, path: str, line: int) -> list[Diagnostic]:
    """A video written as an image, alt text that names the file, a caption that repeats it."""
    if VIDEO_FILE.search(src):
        return [
            error(
                "video-in-body",
                f"'{src}' is a video: it cannot be shown as a picture",
                path,
                line,
                hint="list it under 'videos:' in the front matter, with its poster and captions "
                "(see the content guide)",
            )
        ]
    found = []
    why = placeholder_alt(alt, src) if alt.strip() else None
    if why:
        found.append(
            error(
                "image-alt",
                f"the alt text of '{src}' does not describe it: {why}",
                path,
                line,
                hint="say what the picture shows, as you would on the phone: "
                "![Person lying on their back with knees bent](...)",
            )
        )
    if caption_repeats_alt(alt, caption):
        found.append(
            warning(
                "caption-repeats-alt",
                f"the caption of '{src}' repeats its alt text",
                path,
                line,
                hint="screen readers read both: let the alt say what the picture shows and the "
                "caption add something (or leave the caption out)",
            )
        )
    return found
