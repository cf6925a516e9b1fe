"""Pictures written in a Markdown body: where each is written, its alt text and caption, and
what an editor is told about them (a picture from another website, alt text that does not
describe it)."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Protocol

from healthsite.content.alt_text import body_image_words
from healthsite.diagnostics import Diagnostic, error


@dataclass(frozen=True, slots=True)
class BodyImage:
    """An image written in Markdown, by its path in the static folder."""

    src: str
    line: int
    alt: str = ""
    caption: str = ""
    """The image's title (`![alt](src "caption")`), shown as its caption."""


class Lines(Protocol):
    """The body's source lines (`markdown_body._Finder`)."""

    def next_line(self, pattern: str, used: dict[int, int]) -> int: ...


IMG_TAG = re.compile(r"<img\b[^>]*>")
ATTRIBUTE = re.compile(r'\b(?P<name>src|alt|title)="(?P<value>[^"]*)"')


def body_images(
    clean: str, path: str, where: Lines
) -> tuple[tuple[BodyImage, ...], list[Diagnostic]]:
    """Local images to check and process; images from other websites are refused, and alt
    text that does not describe the picture is reported."""
    images: list[BodyImage] = []
    diagnostics: list[Diagnostic] = []
    used: dict[int, int] = {}  # pictures come in the order they are written
    for tag in IMG_TAG.findall(clean):
        found = {m["name"]: html.unescape(m["value"]) for m in ATTRIBUTE.finditer(tag)}
        src = found.get("src", "")
        if not src:
            continue
        line = where.next_line(re.escape(src), used)
        if re.match(r"^(https?:)?//", src):
            diagnostics.append(
                error(
                    "third-party",
                    f"image from another website: {src}",
                    path,
                    line,
                    hint="loading it would tell that website who reads this page; save the "
                    "image in the static folder and use its path, e.g. img/diagram.svg",
                )
            )
            continue
        image = BodyImage(src.lstrip("/"), line, found.get("alt", ""), found.get("title", ""))
        diagnostics += body_image_words(image.src, image.alt, image.caption, path, line)
        images.append(image)
    return tuple(images), diagnostics
