"""What to type, for a field whose value has the wrong shape or that is missing.

`schema.py` says what is wrong ("must be text (got a list)"); this module says what to write
instead, with the editor's own words where it can ("write it on one line: summary: Makes your
arms stronger."). It also accepts the one harmless mistake outright: a date in quotes.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import typing
from collections.abc import Callable
from typing import Any, Literal

from pydantic import BaseModel

from healthsite.content.yaml_lines import KeyPath, YamlDoc

ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")
OTHER_DATE = re.compile(r"^\s*\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\s*$|^\s*\d{1,2} \w+ \d{4}\s*$")


def quoted_date(annotation: Any, value: Any) -> Any:
    """`"2026-12-03"` in quotes is the date it says: YAML reads it as text, people mean a date."""
    if isinstance(value, str) and _is_date(annotation):
        match = ISO_DATE.match(value)
        if match:
            try:
                return dt.date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                return value  # not a real date: the schema says so, with the editor's value
    return value


def value_hint(kind: str, loc: KeyPath, value: Any) -> str:
    """What to write instead of `value` for the field at `loc`, or '' when nothing is sure."""
    name = str(loc[-1]) if loc and isinstance(loc[-1], str) else ""
    for kinds, hint in _HINTS:
        if kind in kinds:
            return hint(name, value)
    return ""


def _text_hint(name: str, value: Any) -> str:
    if isinstance(value, tuple) and name:
        words = " ".join(str(item) for item in value if item is not None)
        return f"write the text on the same line as '{name}:', without '- ': {name}: {words}"
    if isinstance(value, dict) and name:
        return f"a ': ' in the text made it a group of fields: put the text in quotes after {name}:"
    return ""


def _group_hint(name: str, value: Any) -> str:
    if not isinstance(value, str):
        return ""
    return (
        "write it as fields on lines of their own, e.g. '- title: ...' then "
        "'  publisher: ...' and '  url: https://...' below it"
    )


def _bool_hint(name: str, value: Any) -> str:
    word = _BOOL_WORDS.get(value.strip().lower()) if isinstance(value, str) else None
    if word is not None:
        return f"write {word} without quotes: {name}: {word}" if name else f"write {word}"
    return "write true (for yes) or false (for no), without quotes"


def _number_hint(name: str, value: Any) -> str:
    if not isinstance(value, str):
        return ""
    digits = re.search(r"\d+", value)
    if digits:
        return f"write only the number: {name}: {digits.group(0)}"
    number = NUMBER_WORDS.get(value.strip().lower())
    if number is not None:
        return f"write it in digits: {name}: {number}"
    return f"write it in digits, like {name}: 5"


def _list_or_nothing(name: str, value: Any) -> str:
    return _list_hint(name, value) if isinstance(value, str) and name else ""


def _date_or_nothing(name: str, value: Any) -> str:
    return _date_hint(value) if isinstance(value, str) else ""


def loose_choice(value: Any, choices: list[str]) -> str:
    """For a word no choice is close to ("stood"): the likeliest one, said as a guess."""
    close = difflib.get_close_matches(str(value).lower(), choices, n=1, cutoff=0.4)
    if close:
        return f"write one of the values exactly as listed; perhaps '{close[0]}'?"
    return "write one of the values exactly as listed, in lowercase"


def missing_hint(model: type[BaseModel], loc: KeyPath, doc: YamlDoc) -> tuple[int, str]:
    """Where a missing top-level field belongs (the line of its neighbour) and what to add."""
    name = str(loc[-1])
    example = f"{name}: {describe(_model_at(model, loc[:-1]), name)}"
    if len(loc) > 1:
        return doc.line_of(
            loc[:-1]
        ), f"add the line '{example}' inside it, indented like the others"
    order = field_order(model)
    present = [f for f in order if f in doc.data and (f,) in doc.lines]
    if not present:
        return doc.first_line, f"add the line '{example}'"
    position = order.index(name) if name in order else len(order)
    before = [f for f in present if order.index(f) < position]
    if before:
        neighbour = before[-1]
        return doc.lines[(neighbour,)], f"add the line '{example}' after the '{neighbour}' line"
    neighbour = present[0]
    return doc.lines[(neighbour,)], f"add the line '{example}' before the '{neighbour}' line"


def field_order(model: type[BaseModel]) -> list[str]:
    """A model's fields as files list them: its own first, then those it inherits (the review
    fields every health page shares come at the end of a file)."""
    own = list(getattr(model, "__annotations__", {}))
    return own + [f for f in model.model_fields if f not in own]


#: What to write for fields whose type alone says too little.
EXAMPLES = {
    "author": "(the key of a person in content/data/clinic.yaml)",
    "reviewer": "(the key of a person in content/data/clinic.yaml)",
    "summary": "(one or two plain sentences)",
    "title": "(the page's title)",
    "name": "(the exercise's name)",
    "flare_up_advice": "(what to do during a flare-up)",
}


def describe(model: type[BaseModel], name: str) -> str:
    """A short picture of a field's value: `YYYY-MM-DD`, `[...]`, `one of: a, b`."""
    if name in EXAMPLES:
        return EXAMPLES[name]
    field = model.model_fields.get(name)
    if field is None:
        return "..."
    annotation = field.annotation
    if _is_date(annotation):
        return "YYYY-MM-DD"
    origin = typing.get_origin(annotation)
    if origin is Literal:
        return "one of " + ", ".join(str(a) for a in typing.get_args(annotation))
    if origin is tuple:
        return "[...]"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "(the fields below it, indented)"
    if annotation is int:
        return "a number"
    return "..."


NUMBER_WORDS = {
    word: index
    for index, word in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
}
_BOOL_WORDS = {
    "true": "true",
    "false": "false",
    "yes": "true",
    "no": "false",
    "y": "true",
    "n": "false",
    "on": "true",
    "off": "false",
}


def _list_hint(name: str, value: str) -> str:
    if re.fullmatch(r"[a-z0-9-]+(\s*,\s*[a-z0-9-]+)*", value.strip()):
        items = ", ".join(part.strip() for part in value.split(","))
        return f"put it in square brackets: {name}: [{items}]"
    return (
        f"make it a list: put '{name}:' on a line of its own, and under it "
        f"'  - {value.strip()}' (two spaces, a dash, a space, then the text)"
    )


def _date_hint(value: str) -> str:
    match = ISO_DATE.match(value)
    if match:
        return (
            f"{value.strip()} is not a day of the calendar: check the month ({match[2]}) and "
            f"the day ({match[3]})"
        )
    if OTHER_DATE.match(value):
        return "write dates as year-month-day, like 2026-05-01 for 1 May 2026"
    return "write a date as year-month-day, like 2026-05-01"


def _is_date(annotation: Any) -> bool:
    return annotation is dt.date or dt.date in typing.get_args(annotation)


def submodel(annotation: Any) -> type[BaseModel] | None:
    """The model inside `Dose`, `Dose | None` or `tuple[Source, ...]`, if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = submodel(arg)
        if found is not None:
            return found
    return None


def _model_at(model: type[BaseModel], loc: KeyPath) -> type[BaseModel]:
    """The model of the group at `loc` (`("dose",)` → `Dose`), or `model` when unknown."""
    current = model
    for part in loc:
        if isinstance(part, str):
            field = current.model_fields.get(part)
            found = submodel(field.annotation) if field is not None else None
            if found is None:
                return current
            current = found
    return current


#: pydantic's error kinds → the hint for each.
_HINTS: tuple[tuple[frozenset[str], Callable[[str, Any], str]], ...] = (
    (frozenset({"string_type"}), _text_hint),
    (frozenset({"tuple_type"}), _list_or_nothing),
    (frozenset({"model_type", "model_attributes_type", "dict_type"}), _group_hint),
    (frozenset({"bool_type"}), _bool_hint),
    (frozenset({"int_parsing", "int_type", "float_parsing", "float_type"}), _number_hint),
    (frozenset({"date_type", "date_parsing"}), _date_or_nothing),
)
