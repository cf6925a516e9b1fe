"""What Decap CMS sends, shaped to a content model: empty optional fields left out, dates as
dates, a main-language file without a translation record, a translation with only its words;
and values compared as data (`plain`), whatever library read them."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from pydantic import BaseModel
from ruamel.yaml.scalarstring import ScalarString

from healthsite.content.models import ExerciseTranslation, ImageText


def shape(data: dict[str, Any], model: type[BaseModel], *, translation: bool) -> dict[str, Any]:
    """Decap's values as the model takes them.

    An empty optional field is left out (Decap writes `""`, `null` or `[]` for a field nobody
    filled in, which the model would reject as the wrong type); `YYYY-MM-DD` text is a date;
    a translation's pictures are words only, and a page in the main language has no
    translation record.
    """
    fields = model.model_fields
    shaped: dict[str, Any] = {}
    for key, value in data.items():
        if key not in fields:
            if key == "translation" and not translation:
                continue  # the record is shown, empty, beside a main-language page
            shaped[key] = value  # unknown keys reach validation, which names them
            continue
        info = fields[key]
        value = _shaped_value(value, info.annotation, key, model)
        if empty(value) and not info.is_required():
            continue
        shaped[key] = value
    return shaped


def _shaped_value(value: Any, annotation: Any, key: str, model: type[BaseModel]) -> Any:
    nested = model_in(annotation)
    if nested is not None:
        if model is ExerciseTranslation and key == "images":
            nested = ImageText
        if isinstance(value, dict):
            return shape(value, nested, translation=False)
        if isinstance(value, list | tuple):
            return [
                shape(item, nested, translation=False) if isinstance(item, dict) else item
                for item in value
            ]
    if isinstance(value, str) and "date" in str(annotation) and _ISO_DATE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, tuple):
        return list(value)
    return value


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def model_in(annotation: Any) -> type[BaseModel] | None:
    candidates = [annotation, *getattr(annotation, "__args__", ())]
    for candidate in candidates:
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def plain(value: Any) -> Any:
    """Values compared as data: tuples and lists alike, ruamel's types as plain ones."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, ScalarString):
        return str(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.date(value.year, value.month, value.day)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return value
