"""Placeholders: the text a scaffold leaves for the editor to write, found wherever it is left.

Scaffolds (`new`, `init`) mark everything they cannot know in one way, `[REPLACE: what to
write]`, in front matter, in bodies and in the clinic's data. A page that still holds one is an
error unless it is a draft: nothing unfinished is published. A draft keeps its placeholders, so
a field that must be a choice, a number or a date gets a stand-in value while it is a draft (the
page is not published, and `--drafts` previews warn about each one).
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel

from healthsite.content.field_hints import submodel
from healthsite.content.schema import field_name
from healthsite.content.yaml_lines import KeyPath, YamlDoc
from healthsite.diagnostics import Diagnostic, error, warning

#: What scaffolds write: `[REPLACE: the first step]`. Editors' own `[TODO ...]` or `[TBD]` notes
#: are found the same way, in any case.
MARK = re.compile(r"\[\s*(?:REPLACE|TODO|TBD|FIXME)\b:?\s*(?P<what>[^\]\n]*)\]", re.IGNORECASE)
#: Example text of scaffolds made before placeholders were marked.
OLD_SCAFFOLD_TEXT = re.compile(
    r"^Replace (?:this )?with\b|^Write the article here in Markdown\b|^Callouts: 'tip', 'caution'"
)
FENCE = re.compile(r"^\s*(```|~~~)")
#: What a field that cannot hold the placeholder's text holds while the page is a draft.
LATEST_DATE_FIELDS = frozenset({"next_review_due"})


@dataclass(frozen=True, slots=True)
class Placeholder:
    """Text left for the editor: where it is and what the scaffold asked for."""

    line: int
    text: str
    """The placeholder as written, e.g. `[REPLACE: the first step]`."""
    field: KeyPath = ()
    """The front-matter field that holds it; empty for the Markdown body."""

    @property
    def request(self) -> str:
        """What the scaffold asked the editor to write, e.g. "the first step"."""
        match = MARK.search(self.text)
        return match["what"].strip().rstrip(".") if match else ""


def find_in_meta(doc: YamlDoc) -> tuple[Placeholder, ...]:
    """Every text value of a parsed YAML file that is, or holds, a placeholder."""
    return tuple(
        Placeholder(doc.line_of(path), _excerpt(value), path)
        for path, value in _strings(doc.data, ())
        if MARK.search(value) or OLD_SCAFFOLD_TEXT.search(value.strip())
    )


def find_in_body(markdown: str, first_line: int) -> tuple[Placeholder, ...]:
    """Placeholders in a Markdown body, outside HTML comments and code (which are not shown)."""
    found = []
    in_fence = in_comment = False
    for index, line in enumerate(markdown.split("\n")):
        if FENCE.match(line) and not in_comment:
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        visible, in_comment = _outside_comments(line, in_comment)
        visible = re.sub(r"`[^`]*`", "", visible)
        match = MARK.search(visible)
        if match or OLD_SCAFFOLD_TEXT.search(visible.strip()):
            text = match.group(0) if match else _excerpt(visible.strip())
            found.append(Placeholder(first_line + index, text))
    return tuple(found)


def _outside_comments(line: str, in_comment: bool) -> tuple[str, bool]:
    """The part of a line outside `<!-- -->`, and whether a comment is still open after it."""
    visible = ""
    rest = line
    while rest:
        if in_comment:
            end = rest.find("-->")
            if end < 0:
                return visible, True
            rest, in_comment = rest[end + 3 :], False
        else:
            start = rest.find("<!--")
            if start < 0:
                return visible + rest, False
            visible, rest, in_comment = visible + rest[:start], rest[start + 4 :], True
    return visible, in_comment


def diagnostics(
    placeholders: Iterable[Placeholder], path: str, *, can_be_draft: bool, published: bool = True
) -> list[Diagnostic]:
    """One problem per placeholder, saying what to write in its place: an error on a page that
    is published, a warning on a draft shown in a preview."""
    found = []
    for item in placeholders:
        name = field_name(item.field)
        marked = MARK.search(item.text)
        what = "still holds a placeholder" if marked else "still holds the scaffold's example text"
        message = f"{name}: {what}" if name else what
        if marked:
            word = item.text[1:].split(":")[0].split("]")[0].strip()
            request = item.request
            hint = f"replace [{word}: …] (the brackets too) with {request}" if request else ""
            hint = hint or f"replace [{word}] (the brackets too) with your own words"
        else:
            hint = "replace it with your own words"
        if published:
            message += f", so the {'page' if can_be_draft else 'site'} cannot be published"
            if can_be_draft:
                hint += "; or keep 'draft: true' until the page is finished"
            found.append(error("placeholder", message, path, item.line, hint))
        else:
            found.append(warning("placeholder", message, path, item.line, hint))
    return found


def without_others(found: list[Diagnostic], placeholders: Iterable[Placeholder]) -> list:
    """Drop problems on a placeholder's line: "not a valid phone number" says nothing new."""
    lines = {item.line for item in placeholders}
    return [d for d in found if d.code == "placeholder" or d.location.line not in lines]


def with_stand_ins(
    model: type[BaseModel], data: dict[str, Any], placeholders: Iterable[Placeholder]
) -> dict[str, Any]:
    """`data` with each placeholder that its field cannot hold (a choice, a number, a date, a
    list) replaced by a valid stand-in, so a draft that is still being written can be read."""
    result: Any = data
    for item in placeholders:
        if item.field:
            result = _stand_in_at(model, result, item.field, "", item.text)
    return result


def _stand_in_at(annotation: Any, value: Any, path: KeyPath, name: str, text: str) -> Any:
    """`value` with the part at `path` replaced by a stand-in if its type cannot hold text (or
    by the placeholder's text, when YAML read an unquoted one as a list)."""
    if not path:
        if _holds_text(annotation):
            return value if isinstance(value, str) else text
        return _stand_in(annotation, name)
    head, rest = path[0], path[1:]
    annotation = _optional(annotation)
    if isinstance(head, int) and isinstance(value, tuple) and 0 <= head < len(value):
        item = next(iter(typing.get_args(annotation)), str)
        items = list(value)
        items[head] = _stand_in_at(item, items[head], rest, name, text)
        return tuple(items)
    model = submodel(annotation)
    if isinstance(head, str) and isinstance(value, dict) and model is not None:
        field = model.model_fields.get(head)
        if field is not None and head in value:
            return {**value, head: _stand_in_at(field.annotation, value[head], rest, head, text)}
    return value


def _optional(annotation: Any) -> Any:
    """`X | None` → X."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        others = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(others) == 1:
            return others[0]
    return annotation


def _holds_text(annotation: Any) -> bool:
    return _optional(annotation) is str


def _stand_in(annotation: Any, name: str) -> Any:
    """A valid value of a type: the first choice, one, a date, a one-item list."""
    annotation = _optional(annotation)
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is Literal:
        return args[0]
    if origin is tuple:
        return (_stand_in(args[0], name),) if args else ()
    if annotation is dt.date:
        return dt.date.max if name in LATEST_DATE_FIELDS else dt.date.min
    if annotation is bool:
        return False
    if annotation is int:
        return 1
    return ""


def _strings(value: Any, path: KeyPath) -> Iterator[tuple[KeyPath, str]]:
    unquoted = _unquoted(value)
    if unquoted is not None:
        yield path, unquoted
    elif isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, key))
    elif isinstance(value, tuple):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))


def _unquoted(value: Any) -> str | None:
    """`[REPLACE: x]` written without quotes: YAML reads a list holding `{REPLACE: x}`."""
    if isinstance(value, tuple) and len(value) == 1:
        value = value[0]
    if isinstance(value, dict) and len(value) == 1:
        key, inner = next(iter(value.items()))
        text = f"[{key}: {inner if inner is not None else ''}]"
        if MARK.fullmatch(text):
            return text
    return None


def _excerpt(value: str) -> str:
    match = MARK.search(value)
    if match:
        return match.group(0)
    value = " ".join(value.split())
    return value if len(value) <= 60 else value[:57] + "..."
