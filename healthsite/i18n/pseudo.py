"""The built-in `pseudo` translator: pseudo-localisation, to check layouts before translating.

Every letter is swapped for an accented look-alike and each text grows by about 30 %, so text
that does not go through the templates' translation, and layouts that break with longer words,
show at a glance. Markdown syntax, exercise embeds, links, numbers and glossary words (names,
phone numbers) are left exactly as they are.
"""

from __future__ import annotations

import math
import re
from typing import Any

ACCENTED = str.maketrans(
    "abcdefghijklmnoprstuvwyzABCDEFGHIJKLMNOPRSTUVWYZ",
    "àƀçđéƒĝĥîĵķĺɱñöþŕšţûṽŵýžÀƁÇĐÉƑĜĤÎĴĶĹṀÑÖÞŔŠŢÛṼŴÝŽ",
)
#: Markdown and HTML that must survive untouched.
SYNTAX = (
    r"\[\[[^\]]*\]\]|\]\([^)]*\)|<[^>]+>|`[^`]*`|https?://\S+|!!!\s+\w+|^\s*#+\s|"
    r"^\s*(?:[-*+]|\d+\.)\s|\||^\s*:?-{3,}:?"
)


def translate(
    fields: dict[str, Any], source: str, target: str, glossary: list[str]
) -> dict[str, Any]:
    """The translation-hook interface: the same fields back, pseudo-localised."""
    keep = re.compile(
        "|".join([SYNTAX, *(re.escape(word) for word in glossary if word)]), re.MULTILINE
    )

    def convert(value: Any) -> Any:
        if isinstance(value, str):
            return "\n".join(_line(line, keep) for line in value.split("\n"))
        if isinstance(value, list):
            return [convert(item) for item in value]
        if isinstance(value, dict):
            return {key: convert(item) for key, item in value.items()}
        return value

    return {name: convert(value) for name, value in fields.items()}


def _line(line: str, keep: re.Pattern[str]) -> str:
    if not line.strip() or line.lstrip().startswith(("[[", "```", "~~~")):
        return line
    parts, last = [], 0
    for match in keep.finditer(line):
        parts.append(line[last : match.start()].translate(ACCENTED))
        parts.append(match.group(0))
        last = match.end()
    parts.append(line[last:].translate(ACCENTED))
    text = "".join(parts)
    letters = sum(c.isalpha() for c in line)
    if not letters or line.rstrip().endswith("|") or line.lstrip().startswith("!!!"):
        return text  # padding would break a table row or a callout's title
    return text + " " + "·" * math.ceil(letters * 0.3)
