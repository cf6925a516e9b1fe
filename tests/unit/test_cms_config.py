"""The editing form is made from the content models: every field is there, in editors' words."""

from __future__ import annotations

import datetime as dt
import typing
from typing import Any

import pytest
from pydantic import BaseModel

from healthsite.cms.config import decap_config
from healthsite.cms.fields import SiteFacts, field_order
from healthsite.content.clinic_models import ClinicMeta, Person
from healthsite.content.documents import META_MODELS, TRANSLATION_MODELS
from healthsite.content.models import BodyArea, Category, Equipment, Position, Provenance
from healthsite.content.sources import Kind

PEOPLE = (
    Person(key="moksha-ranasinghe", name="Dr. Moksha Ranasinghe", credentials="MD", role="Lead"),
    Person(key="patient-education-team", name="Patient Education Team"),
)
FACTS = SiteFacts("content", "static", ("en", "es"), PEOPLE, dt.date(2026, 6, 1))
COLLECTION = {Kind.EXERCISE: "exercises", Kind.ARTICLE: "articles", Kind.PAGE: "pages"}


def collection(config: dict[str, Any], name: str) -> dict[str, Any]:
    return next(c for c in config["collections"] if c["name"] == name)


def by_name(fields: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {f["name"]: f for f in fields}


def nested_models(model: type[BaseModel]) -> dict[str, type[BaseModel]]:
    """Field name → the model its value (or each item) is, for fields holding models."""
    found = {}
    for name, info in model.model_fields.items():
        for candidate in [info.annotation, *typing.get_args(info.annotation)]:
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                found[name] = candidate
    return found


def assert_covers(model: type[BaseModel], fields: list[dict[str, Any]], where: str) -> None:
    """Every field of `model` (and of the models inside it) has a form field with words."""
    named = by_name(fields)
    for name in model.model_fields:
        assert name in named, f"{where}: {model.__name__}.{name} has no field in the form"
        field = named[name]
        assert field.get("label"), f"{where}.{name} has no label"
        assert field.get("hint") or field["widget"] == "hidden", f"{where}.{name} has no hint"
        inner = nested_models(model).get(name)
        if inner is None or field["widget"] not in ("object", "list"):
            continue
        if typing.get_origin(model.model_fields[name].annotation) is dict:
            for group in field["fields"]:  # one group per key: per language of the site
                assert_covers(inner, group["fields"], f"{where}.{name}.{group['name']}")
        else:
            assert_covers(inner, field["fields"], f"{where}.{name}")


@pytest.mark.parametrize("kind", list(COLLECTION))
def test_every_field_of_every_page_model_has_a_form_field(kind: Kind) -> None:
    config = decap_config(FACTS)
    fields = collection(config, COLLECTION[kind])["fields"]
    assert_covers(META_MODELS[kind], fields, COLLECTION[kind])
    # a translation's fields are the same fields (Decap shows them side by side)...
    named = by_name(fields)
    for name in TRANSLATION_MODELS[kind].model_fields:
        assert name in named, f"{TRANSLATION_MODELS[kind].__name__}.{name} is not in the form"
    # ...plus its record, whose every part the record widget labels
    record = named["translation"]
    assert record["widget"] == "provenance"
    assert {f["name"] for f in record["fields"]} == set(Provenance.model_fields)
    assert all(f["label"] and f["hint"] for f in record["fields"])
    assert named["body"]["widget"] == "markdown"
    assert named["body"]["modes"] == ["raw"]  # the rich-text editor rewrites [[exercise x]]


def test_every_field_of_the_clinic_file_has_a_form_field() -> None:
    config = decap_config(FACTS)
    clinic = collection(config, "clinic")["files"][0]
    assert clinic["file"] == "content/data/clinic.yaml"
    assert_covers(ClinicMeta, clinic["fields"], "clinic")
    spanish = by_name(by_name(clinic["fields"])["translations"]["fields"])["es"]
    roles = by_name(by_name(spanish["fields"])["roles"]["fields"])
    assert set(roles) == {p.key for p in PEOPLE}


def test_a_field_without_words_fails_loudly() -> None:
    class Extra(BaseModel):
        new_field: str

    from healthsite.cms import fields

    with pytest.raises(LookupError, match=r"Extra\.new_field has no words"):
        fields.form_field(Extra, "new_field", FACTS, set())


def test_allowed_values_come_from_the_models_with_patients_labels() -> None:
    fields = by_name(collection(decap_config(FACTS), "exercises")["fields"])
    for name, alias in (
        ("category", Category),
        ("position", Position),
        ("body_areas", BodyArea),
        ("equipment", Equipment),
    ):
        values = [o["value"] for o in fields[name]["options"]]
        assert values == list(typing.get_args(alias)), name
    assert fields["body_areas"]["multiple"] is True and fields["body_areas"]["min"] == 1
    labels = {o["value"]: o["label"] for o in fields["body_areas"]["options"]}
    assert labels["glutes"] == "Buttocks (glutes)"


def test_safety_fields_are_required_lists_with_the_models_limits() -> None:
    fields = by_name(collection(decap_config(FACTS), "exercises")["fields"])
    assert fields["steps"]["widget"] == "list"
    assert (fields["steps"]["min"], fields["steps"]["max"]) == (2, 10)
    assert fields["stop_if"]["required"] is True and fields["stop_if"]["min"] == 1
    assert fields["not_suitable_if"]["required"] is False
    assert fields["flare_up_advice"]["required"] is True
    dose = by_name(fields["dose"]["fields"])
    assert (dose["reps"]["min"], dose["reps"]["max"], dose["reps"]["value_type"]) == (1, 50, "int")
    assert dose["hold_seconds"]["required"] is False
    images = by_name(fields["images"]["fields"])
    assert images["alt"]["required"] is True and images["src"]["widget"] == "image"


def test_people_are_chosen_from_the_clinic_file_and_reviews_start_dated() -> None:
    fields = by_name(collection(decap_config(FACTS), "articles")["fields"])
    for name in ("author", "reviewer"):
        assert fields[name]["widget"] == "select"
        assert [o["value"] for o in fields[name]["options"]] == [p.key for p in PEOPLE]
    assert fields["last_reviewed"]["default"] == "2026-06-01"
    assert fields["next_review_due"]["default"] == "2028-06-01"
    assert fields["draft"]["default"] is True  # a new page starts unpublished
    assert fields["exercises"]["widget"] == "relation"


def test_languages_make_translatable_exactly_the_translation_models_fields() -> None:
    config = decap_config(FACTS)
    assert config["i18n"] == {
        "structure": "multiple_files",
        "locales": ["en", "es"],
        "default_locale": "en",
    }
    fields = by_name(collection(config, "exercises")["fields"])
    translatable = {name for name, f in fields.items() if f.get("i18n")}
    expected = set(TRANSLATION_MODELS[Kind.EXERCISE].model_fields) | {"body"}
    assert translatable == expected
    one_language = decap_config(SiteFacts("content", "static", ("en",), PEOPLE, FACTS.today))
    assert "i18n" not in one_language
    names = {f["name"] for f in collection(one_language, "exercises")["fields"]}
    assert "translation" not in names


def test_fields_are_in_the_order_an_editor_fills_them() -> None:
    order = field_order(META_MODELS[Kind.EXERCISE])
    assert order[:3] == ["name", "alternate_names", "summary"]
    assert order[-2:] == ["slug", "draft"]
    assert order.index("stop_if") < order.index("author")
