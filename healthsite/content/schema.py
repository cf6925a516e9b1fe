"""Validate parsed YAML against a model and explain every problem in an editor's words.

Pydantic does the checking; this module turns its errors into `path:line: field: message`
diagnostics, reports every problem at once, and treats unknown keys as warnings with a
"did you mean" hint (a typo should not stop a build, but it should never pass unnoticed).
"""

from __future__ import annotations

import datetime as dt
import typing
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from healthsite.content.field_hints import (
    loose_choice,
    missing_hint,
    quoted_date,
    submodel,
    value_hint,
)
from healthsite.content.yaml_lines import KeyPath, YamlDoc
from healthsite.diagnostics import Diagnostic, did_you_mean, error, warning

M = TypeVar("M", bound=BaseModel)
#: Fields holding a time of day: YAML 1.1 reads an unquoted 17:00 as 1020 (minutes).
TIME_FIELDS = frozenset({"opens", "closes"})


def validate(model: type[M], doc: YamlDoc, path: str) -> tuple[M | None, list[Diagnostic]]:
    """Return the validated value, or None and the diagnostics that explain why not."""
    data, diagnostics = _drop_unknown_keys(model, doc, path)
    try:
        return model.model_validate(data), diagnostics
    except ValidationError as exc:
        problems = exc.errors(include_url=False)
        locs = [tuple(p["loc"]) for p in problems]
        for problem, loc in zip(problems, locs, strict=True):
            if any(len(other) > len(loc) and other[: len(loc)] == loc for other in locs):
                continue  # a list "too short" because its one bad item was dropped: say it once
            diagnostics.append(_diagnostic(model, problem, loc, doc, path))
        return None, _misspelt_required(diagnostics)


def field_name(loc: KeyPath) -> str:
    """`("dose", "reps")` → `dose.reps`; `("steps", 2)` → `steps[3]` (1-based, as editors count)."""
    name = ""
    for part in loc:
        if isinstance(part, int):
            name += f"[{part + 1}]"
        else:
            name += f".{part}" if name else str(part)
    return name


def _diagnostic(
    model: type[BaseModel], problem: Any, loc: KeyPath, doc: YamlDoc, path: str
) -> Diagnostic:
    kind = problem["type"]
    if kind == "missing":
        line, hint = missing_hint(model, loc, doc)  # at the neighbour it belongs beside
        return error(
            "missing-field", f"{field_name(loc)}: required field is missing", path, line, hint
        )
    line = doc.line_of(loc) if loc else doc.first_line
    if kind == "value_error":  # a rule across fields: "next_review_due must be after ..."
        message = problem["msg"].removeprefix("Value error, ")
        field, _, rest = message.partition(" ")
        if (*loc, field) in doc.lines or "_" in field:  # the rule names a field: point at it
            return error(
                "invalid", f"{field_name((*loc, field))}: {rest}", path, doc.line_of((*loc, field))
            )
        if loc:
            return error("invalid", f"{field_name(loc)}: {message}", path, line)
        return error("invalid", message, path, line)
    message, hint = _explain(problem)
    if loc and loc[-1] in TIME_FIELDS and isinstance(problem.get("input"), int):
        minutes = problem["input"]
        hint = (
            f'put times in quotes, like "{minutes // 60:02d}:{minutes % 60:02d}": '
            "unquoted, YAML reads 12:00 as a number of minutes"
        )
    hint = hint or value_hint(kind, loc, problem.get("input"))
    return error(_code(kind), f"{field_name(loc)}: {message}", path, line, hint)


def _misspelt_required(found: list[Diagnostic]) -> list[Diagnostic]:
    """`sumary:` is both an unknown field and a missing `summary`: say it once, at the typo."""
    missing = {d.message.split(":", 1)[0] for d in found if d.code == "missing-field"}
    typos: dict[int, tuple[str, str]] = {}  # id(unknown-key diagnostic) → (wanted, written)
    for d in found:
        if d.code != "unknown-key" or not d.hint.startswith(DID_YOU_MEAN):
            continue
        written = d.message.split(":", 1)[0]
        parent, _, short = written.rpartition(".")
        suggestion = d.hint.removeprefix(DID_YOU_MEAN).removesuffix("'?")
        wanted = f"{parent}.{suggestion}" if parent else suggestion
        if wanted in missing:
            typos[id(d)] = (wanted, short)
    merged = {wanted for wanted, _ in typos.values()}
    result = []
    for d in found:
        if id(d) in typos:
            wanted, short = typos[id(d)]
            message = f"{wanted}: required field is missing; this line has '{short}' instead"
            hint = f"rename '{short}' to '{wanted.rpartition('.')[2]}'"
            result.append(error("missing-field", message, d.location.path, d.location.line, hint))
        elif not (d.code == "missing-field" and d.message.split(":", 1)[0] in merged):
            result.append(d)
    return result


DID_YOU_MEAN = "did you mean '"


def _code(kind: str) -> str:
    if kind.startswith(("int", "string_type", "bool", "date", "float", "tuple", "model", "dict")):
        return "type"
    if kind == "literal_error":
        return "enum"
    return "invalid"


_TYPE_WORDS = {
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "string_type": "text",
    "bool_type": "true or false",
    "date_type": "a date like 2026-01-31",
    "date_parsing": "a date like 2026-01-31",
    "date_from_datetime_inexact": "a date like 2026-01-31 (without a time)",
    "tuple_type": "a list",
    "model_type": "a group of 'key: value' fields",
    "model_attributes_type": "a group of 'key: value' fields",
    "dict_type": "a group of 'key: value' fields",
}


def _explain(problem: Any) -> tuple[str, str]:
    kind = problem["type"]
    got = _show(problem.get("input"))
    ctx = problem.get("ctx") or {}
    if kind in _TYPE_WORDS:
        return f"must be {_TYPE_WORDS[kind]} (got {got})", _quoting_hint(kind, problem.get("input"))
    if kind == "literal_error":
        choices = [
            c.strip().strip("'")
            for c in str(ctx.get("expected", "")).replace(" or ", ", ").split(",")
        ]
        choices = [c for c in choices if c]
        hint = did_you_mean(str(problem.get("input")), choices) or loose_choice(
            problem.get("input"), choices
        )
        return f"must be one of: {', '.join(choices)} (got {got})", hint
    if kind == "too_short":
        if ctx.get("min_length") == 1 and isinstance(problem.get("input"), str):
            return "must not be empty", ""
        return (
            f"must have at least {ctx.get('min_length')} item(s) (got {ctx.get('actual_length')})",
            "",
        )
    if kind == "too_long":
        return (
            f"must have at most {ctx.get('max_length')} items (got {ctx.get('actual_length')})",
            "",
        )
    if kind == "string_too_short":
        return "must not be empty", ""
    if kind == "string_pattern_mismatch":
        return f"is not in the expected format (got {got})", _pattern_hint(ctx.get("pattern", ""))
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        bound = next(iter(ctx.values()), "")
        word = {
            "greater_than_equal": "at least",
            "less_than_equal": "at most",
            "greater_than": "more than",
            "less_than": "less than",
        }[kind]
        return f"must be {word} {bound} (got {got})", ""
    if kind == "value_error":
        return str(problem["msg"]).removeprefix("Value error, "), ""
    return f"{problem['msg']} (got {got})", ""


def _quoting_hint(kind: str, value: Any) -> str:
    """YAML reads unquoted 17:00, 90012, NO or 2026-01-31 as numbers, booleans or dates."""
    if (
        kind == "string_type"
        and isinstance(value, int)
        and not isinstance(value, bool)
        and 0 < value < 24 * 60 + 1
        and value % 60 < 60
    ):
        return (
            f'if you meant a time or a code, put it in quotes, e.g. "{value // 60:02d}:'
            f'{value % 60:02d}" (unquoted times are read as minutes)'
        )
    if kind == "string_type" and isinstance(value, int | float | bool | dt.date):
        return "put the value in quotes so it is read as text"
    return ""


def _pattern_hint(pattern: str) -> str:
    if pattern == r"^[a-z][a-z0-9_-]*$":
        return "a field name: lowercase letters, digits, '-' or '_', like 'website'"
    if "a-z0-9" in pattern:
        return "use lowercase letters, digits and single hyphens, like 'knee-to-chest'"
    if "https" in pattern:
        return "a web address starting with https://"
    if ":[0-5]" in pattern:
        return 'use 24-hour time in quotes, like "08:30"'
    if pattern.startswith("^[a-z]{2,3}"):
        return "a language code, like en or es"
    if "A-Z]{2}" in pattern:
        return "a two-letter country code, like US"
    return ""


def _show(value: Any) -> str:
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return "a list"
    if isinstance(value, dict):
        return "a group of fields"
    return repr(value)


def _drop_unknown_keys(
    model: type[BaseModel], doc: YamlDoc, path: str
) -> tuple[Any, list[Diagnostic]]:
    """Remove keys the model does not know (reporting each) so the rest can still be checked."""
    diagnostics: list[Diagnostic] = []

    def clean(value: Any, model: type[BaseModel] | None, loc: KeyPath) -> Any:
        if model is None:
            return value
        if isinstance(value, dict):
            known = model.model_fields
            result = {}
            for key, item in value.items():
                if key not in known:
                    diagnostics.append(
                        warning(
                            "unknown-key",
                            f"{field_name((*loc, key))}: unknown field",
                            path,
                            doc.line_of((*loc, key)),
                            hint=did_you_mean(key, known)
                            or "check the spelling; a field the build does not know is ignored",
                        )
                    )
                    continue
                annotation = known[key].annotation
                sub = submodel(annotation)
                if typing.get_origin(annotation) is dict and isinstance(item, dict):
                    # a mapping of names to models (e.g. languages: {es: {...}}): keys are free
                    result[key] = {k: clean(v, sub, (*loc, key, k)) for k, v in item.items()}
                else:
                    result[key] = quoted_date(annotation, clean(item, sub, (*loc, key)))
            return result
        if isinstance(value, tuple):
            return tuple(clean(item, model, (*loc, i)) for i, item in enumerate(value))
        return value

    return clean(doc.data, model, ()), diagnostics
