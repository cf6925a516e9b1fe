"""The links a Markdown body makes, each with the line it is written on, for the link checks."""

from __future__ import annotations

import bisect
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class BodyLink:
    """A link written in the body (`[text](href)`), as the editor wrote its address."""

    href: str
    line: int


def link_lines(body: str, first_line: int, hrefs: list[str]) -> tuple[BodyLink, ...]:
    """Each link with the line it is written on. Links come in the order they are written, so
    each is looked for after the one before: one pass over the body, however many links."""
    breaks = [i for i, char in enumerate(body) if char == "\n"]
    found = []
    position = 0
    for href in hrefs:
        at = body.find(href, position)
        if at < 0:
            at = body.find(href)
        if at >= 0:
            position = at + len(href)
        line = first_line + bisect.bisect_left(breaks, at) if at >= 0 else first_line
        found.append(BodyLink(href, line))
    return tuple(found)
