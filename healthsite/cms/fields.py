"""One Decap CMS field from one pydantic field: its widget, its words, its default, its limits.

Every field of the form is made here from the content models (`content/models.py`,
`content/clinic_models.py`): types, required flags, limits, patterns and allowed values, with
their labels and hints from `cms.words`. `config.py` puts them together into collections.
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from babel.core import Locale
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from healthsite.cms.uploads import IMAGE_WIDGET
from healthsite.cms.words import ITEM_WORDS, WORDS, Words
from healthsite.content.clinic import language_label
from healthsite.content.clinic_models import ClinicMeta, ClinicText, Hours, Person
from healthsite.content.documents import META_MODELS, TRANSLATION_MODELS
from healthsite.content.models import (
    LABELS,
    ArticleMeta,
    Image,
    ImageText,
    PageMeta,
    Provenance,
)
from healthsite.render.jsonld import DAY_CODES
from healthsite.scaffold.new import two_years_after

#: The Markdown text after the front matter: a field of every page, but of no model.
BODY = "body"


#: Each translation model, and the model whose words it translates.
TRANSLATED: dict[type[BaseModel], type[BaseModel]] = {
    **{TRANSLATION_MODELS[kind]: META_MODELS[kind] for kind in META_MODELS},
    ImageText: Image,
}


#: Fields that come last, in this order: the evidence, who wrote and checked the page and when,
#: then the rarely needed web address name and the draft switch (the scaffold's order).
LAST = (
    "sources",
    "author",
    "reviewer",
    "published",
    "last_reviewed",
    "next_review_due",
    "slug",
    "draft",
)


#: Fields people are chosen for, from the clinic file's `people`.
PERSON_FIELDS = frozenset({"author", "reviewer"})


#: Text that takes more than a line: a text area instead of a one-line box.
LONG_TEXT = frozenset(
    {
        "summary",
        "flare_up_advice",
        "dose_note",
        "emergency",
        "alt",
        "one_repetition_is",
        "steps",
        "stop_if",
        "not_suitable_if",
        "key_points",
    }
)


#: Where pictures are kept, inside the static folder.
IMAGE_FOLDER = "img/exercises"


@dataclass(frozen=True, slots=True)
class SiteFacts:
    """What the form offers that depends on the site, not on the models."""

    content_dir: str
    """The content folder, relative to the site folder: `content`."""
    static_dir: str
    languages: tuple[str, ...]
    """Every language of the site, the main one first."""
    people: tuple[Person, ...]
    """From the clinic file (empty when it cannot be read: keys are typed in then)."""
    today: dt.date


def words(model: type[BaseModel], name: str) -> Words | None:
    """The label and hint of `model.name`, from the class that declares the field.

    A translation's field has the words of the field it translates (the form shows one field
    for both languages).
    """
    for cls in model.__mro__:
        found = WORDS.get(f"{cls.__name__}.{name}")
        if found is not None:
            return found
    source = TRANSLATED.get(model)
    if source is not None and name in source.model_fields:
        return words(source, name)
    return WORDS.get(f"*.{name}")


def field_order(model: type[BaseModel]) -> list[str]:
    """The model's own fields first, then inherited ones (the review fields), `draft` last.

    An editor fills in what the page says before who checked it and when; files the editor
    creates list their fields in the same order (the scaffold's).
    """
    own = [name for name in model.__annotations__ if name in model.model_fields]
    names = own + [name for name in model.model_fields if name not in own]
    names.sort(key=lambda name: (name in LAST, LAST.index(name) if name in LAST else 0))
    return names


def form_field(
    model: type[BaseModel], name: str, facts: SiteFacts, translatable: set[str]
) -> dict[str, Any]:
    info = model.model_fields[name]
    found = words(model, name)
    if found is None:
        raise LookupError(f"{model.__name__}.{name} has no words in healthsite/cms/words.py")
    field = with_words({"name": name, **_widget(model, name, info, facts)}, found)
    # the translation record checks itself, and only for a translation
    field["required"] = info.is_required() and field["widget"] != "provenance"
    if name in translatable:
        field["i18n"] = True
    default = _default(model, name, info, facts)
    if default is not None:
        field["default"] = default
    return field


def with_words(field: dict[str, Any], found: Words) -> dict[str, Any]:
    field["label"] = found.label
    if found.hint:
        field["hint"] = found.hint
    return field


def _widget(model: type[BaseModel], name: str, info: FieldInfo, facts: SiteFacts) -> dict[str, Any]:
    """The Decap widget for one field, from its type and constraints."""
    if model is Provenance or (name == "translation" and info.annotation is Provenance):
        return _provenance(facts)
    if name in PERSON_FIELDS and facts.people:
        return {"widget": "select", "options": _people(facts.people)}
    if model is Person and name == "key":
        return {"widget": "string", **_pattern(info, "lowercase letters, digits and hyphens")}
    if model is ClinicMeta and name == "translations":
        return _clinic_translations(facts)
    if model is ClinicText and name == "roles":
        return _roles(facts)
    if model is Image and name == "src":
        return dict(IMAGE_WIDGET)
    if model is Hours and name in ("opens", "closes"):
        return {"widget": "string", **_pattern(info, "a 24-hour time such as 08:30")}
    if name == "timezone":
        return {"widget": "select", "options": sorted(zoneinfo.available_timezones())}
    if name == "country":
        return {"widget": "select", "options": _countries()}
    if model is ArticleMeta and name == "exercises":
        return {
            "widget": "relation",
            "collection": "exercises",
            "value_field": "{{slug}}",
            "search_fields": ["name", "alternate_names.*"],
            "display_fields": ["name"],
            "multiple": True,
            "options_length": 200,
        }
    return _from_type(name, _plain(info.annotation), info)


def _from_type(name: str, annotation: Any, info: FieldInfo) -> dict[str, Any]:
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is tuple:  # tuple[X, ...]: a list
        return _list(name, args[0], info)
    if origin is Literal:
        return {"widget": "select", "options": _options(args)}
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return {
            "widget": "object",
            "collapsed": False,
            "fields": [_nested(annotation, n) for n in annotation.model_fields],
        }
    if annotation is bool:
        return {"widget": "boolean"}
    if annotation is int:
        return {"widget": "number", "value_type": "int", **_limits(info)}
    if annotation is dt.date:
        return {
            "widget": "datetime",
            "format": "YYYY-MM-DD",
            "date_format": "YYYY-MM-DD",
            "time_format": False,
            "picker_utc": True,
        }
    return {"widget": "text" if name in LONG_TEXT else "string", **_pattern(info)}


def _list(name: str, item: Any, info: FieldInfo) -> dict[str, Any]:
    limits = _lengths(info)
    if typing.get_origin(item) is Literal:
        options = _options(typing.get_args(item))
        return {"widget": "select", "multiple": True, "options": options, **limits}
    if isinstance(item, type) and issubclass(item, BaseModel):
        fields = [_nested(item, n) for n in item.model_fields]
        first = next(iter(item.model_fields))
        return {
            "widget": "list",
            "collapsed": False,
            "summary": f"{{{{fields.{first}}}}}",
            "fields": fields,
            **limits,
        }
    one = {
        "name": "item",
        "label": ITEM_WORDS.get(name, "Item"),
        "widget": "text" if name in LONG_TEXT else "string",
    }
    return {
        "widget": "list",
        "collapsed": False,
        "summary": "{{fields.item}}",
        "field": one,
        **limits,
    }


def _nested(model: type[BaseModel], name: str) -> dict[str, Any]:
    info = model.model_fields[name]
    found = words(model, name)
    if found is None:
        raise LookupError(f"{model.__name__}.{name} has no words in healthsite/cms/words.py")
    field = with_words({"name": name, **_from_type(name, _plain(info.annotation), info)}, found)
    if model is Image and name == "src":
        field.update(IMAGE_WIDGET)
    if model is Hours and name == "days":
        field["options"] = [{"label": DAY_CODES[d], "value": d} for d in DAY_CODES]
    field["required"] = info.is_required()
    if model is Image:
        field["i18n"] = name != "src"
    return field


def _default(model: type[BaseModel], name: str, info: FieldInfo, facts: SiteFacts) -> Any:
    """Values a new entry starts with: the scaffold's, so a new page is valid sooner."""
    if name == "last_reviewed":
        return facts.today.isoformat()
    if name == "next_review_due":
        return two_years_after(facts.today).isoformat()
    if name == "draft" and model is not PageMeta:
        return True
    return None  # the model's own default applies to a field left empty


def _plain(annotation: Any) -> Any:
    """`str | None` → `str`: emptiness is what `required` says."""
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        rest = [a for a in typing.get_args(annotation) if a is not type(None)]
        return rest[0] if len(rest) == 1 else annotation
    return annotation


def _options(values: Iterable[str]) -> list[dict[str, str]]:
    return [{"label": LABELS.get(v, _spaced(v)), "value": v} for v in values]


def _spaced(value: str) -> str:
    """`PrimaryCare` → `Primary care`; `lying-on-back` → `Lying on back`."""
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", value).replace("-", " ").split()
    return " ".join([words[0], *(w.lower() for w in words[1:])]) if words else value


def _people(people: Sequence[Person]) -> list[dict[str, str]]:
    def label(p: Person) -> str:
        name = f"{p.name}, {p.credentials}" if p.credentials else p.name
        return f"{name} ({p.role})" if p.role else name

    return [{"label": label(p), "value": p.key} for p in people]


def _countries() -> list[dict[str, str]]:
    names = Locale.parse("en").territories
    codes = [code for code in names if isinstance(code, str) and re.fullmatch("[A-Z]{2}", code)]
    options = [{"label": f"{names[code]} ({code})", "value": code} for code in codes]
    return sorted(options, key=lambda option: option["label"])


def _pattern(info: FieldInfo, meaning: str | None = None) -> dict[str, Any]:
    for item in info.metadata:
        pattern = getattr(item, "pattern", None)
        if pattern:
            return {"pattern": [pattern, f"Must be {meaning or _pattern_words(pattern)}."]}
    return {}


def _pattern_words(pattern: str) -> str:
    if "https" in pattern:
        return "a web address starting with https://"
    if "a-z0-9" in pattern:
        return "lowercase letters, digits and single hyphens, e.g. knee-hug"
    if "A-Z]{2}" in pattern:
        return "a two-letter code in capitals, e.g. US"
    return "in the expected form"


def _limits(info: FieldInfo) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for item in info.metadata:
        if getattr(item, "ge", None) is not None:
            found["min"] = item.ge
        if getattr(item, "le", None) is not None:
            found["max"] = item.le
    return found


def _lengths(info: FieldInfo) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for item in info.metadata:
        if getattr(item, "min_length", None) is not None:
            found["min"] = item.min_length
        if getattr(item, "max_length", None) is not None:
            found["max"] = item.max_length
    return found


def _provenance(facts: SiteFacts) -> dict[str, Any]:
    """The translation record: a widget of admin.js that only a translation shows."""
    return {
        "widget": "provenance",
        "people": _people(facts.people),
        "methods": [
            {"label": "A person", "value": "human"},
            {"label": "A machine, checked by a person", "value": "machine"},
        ],
        "fields": [
            {"name": n, **with_words({}, WORDS[f"Provenance.{n}"])} for n in Provenance.model_fields
        ],
    }


def _clinic_translations(facts: SiteFacts) -> dict[str, Any]:
    """`translations: {es: {...}}`: one group per other language of the site."""
    main = facts.languages[0]
    groups = []
    for code in facts.languages[1:]:
        fields = [_clinic_text_field(n, facts) for n in ClinicText.model_fields]
        groups.append(
            {
                "name": code,
                "label": language_label(code, main),
                "widget": "object",
                "required": False,
                "collapsed": True,
                "fields": fields,
            }
        )
    return {"widget": "object", "collapsed": True, "fields": groups or [_no_languages()]}


def _clinic_text_field(name: str, facts: SiteFacts) -> dict[str, Any]:
    info = ClinicText.model_fields[name]
    found = words(ClinicText, name)
    assert found is not None
    widget = _roles(facts) if name == "roles" else _from_type(name, _plain(info.annotation), info)
    return {**with_words({"name": name, **widget}, found), "required": False}


def _roles(facts: SiteFacts) -> dict[str, Any]:
    fields = [
        {"name": p.key, "label": p.name, "widget": "string", "required": False}
        for p in facts.people
    ]
    return {"widget": "object", "collapsed": False, "fields": fields or [_no_languages()]}


def _no_languages() -> dict[str, Any]:
    return {
        "name": "none",
        "label": "Nothing to fill in",
        "widget": "hidden",
        "required": False,
    }
