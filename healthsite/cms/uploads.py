"""What the editor accepts as an upload: a picture or video of a kind the site shows, really.

A file's name says what it claims to be; its first bytes say what it is (`filetype` reads the
signatures). An upload is refused unless both agree and the kind is one the site's pages can
show: PNG, JPEG, WebP, GIF, AVIF and SVG pictures, MP4 and WebM videos. A program or a web
page renamed `photo.jpg` is not saved. An SVG picture must be an SVG document without scripts,
event handlers or embedded pages: such a picture, opened on its own from the site, would run
code as the site.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from pathlib import PurePosixPath

import filetype

from healthsite.cms.errors import BackendError
from healthsite.inputs import STATIC_LIMIT

#: A file name's ending → the types its first bytes may show (`filetype`'s names).
MEDIA_TYPES: dict[str, frozenset[str]] = {
    ".png": frozenset({"image/png", "image/apng"}),
    ".jpg": frozenset({"image/jpeg"}),
    ".jpeg": frozenset({"image/jpeg"}),
    ".webp": frozenset({"image/webp"}),
    ".gif": frozenset({"image/gif"}),
    ".avif": frozenset({"image/avif"}),
    ".mp4": frozenset({"video/mp4"}),
    ".webm": frozenset({"video/webm"}),
    ".svg": frozenset({"image/svg+xml"}),
}
#: The largest upload: the build's limit for a static file.
UPLOAD_LIMIT = STATIC_LIMIT
#: Decap's picture field, with its own size check before anything is sent.
IMAGE_WIDGET = {
    "widget": "image",
    "choose_url": False,
    "media_library": {"config": {"max_file_size": UPLOAD_LIMIT}},
}
SVG = "{http://www.w3.org/2000/svg}"
_ACTIVE_ELEMENTS = frozenset({"script", "foreignObject", "iframe", "embed", "object", "handler"})


def check_upload(path: PurePosixPath, data: bytes) -> None:
    """Raises `BackendError` (415) unless `data` is a picture or video of the kind its name says."""
    suffix = path.suffix.lower()
    allowed = MEDIA_TYPES.get(suffix)
    if allowed is None:
        kinds = ", ".join(sorted(s.lstrip(".").upper() for s in MEDIA_TYPES))
        raise BackendError(415, f"{path}: only pictures and videos can be uploaded here ({kinds})")
    if suffix == ".svg":
        problem = svg_problem(data)
    else:
        found = filetype.guess_mime(data)
        problem = None if found in allowed else _mismatch(suffix, found)
    if problem is not None:
        raise BackendError(415, f"{path}: {problem}")


def _mismatch(suffix: str, found: str | None) -> str:
    claimed = suffix.lstrip(".").upper()
    what = f"a {found} file" if found else "not a picture or video the editor knows"
    return (
        f"the name says {claimed}, but the file is {what}; "
        f"save it again as {claimed} (or with its own ending) and upload that"
    )


def svg_problem(data: bytes) -> str | None:
    """Why `data` is not a plain SVG picture, or None."""
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError:
        return "the file is not an SVG picture (its text is not well-formed XML)"
    if root.tag not in (f"{SVG}svg", "svg"):
        return "the file is not an SVG picture (it does not start with <svg>)"
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # a comment or processing instruction
        name = element.tag.rsplit("}", 1)[-1]
        handlers = [a for a in element.attrib if a.rsplit("}", 1)[-1].lower().startswith("on")]
        links = [v for k, v in element.attrib.items() if k.rsplit("}", 1)[-1] == "href"]
        if (
            name in _ACTIVE_ELEMENTS
            or handlers
            or any(v.strip().lower().startswith(("javascript:", "data:text")) for v in links)
        ):
            return (
                f"the SVG picture contains a script or an embedded page (<{name}>); "
                "export it again as a plain SVG, or upload it as PNG"
            )
    return None
