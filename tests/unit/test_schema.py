"""Validation explains problems in an editor's words, with the field and the line."""

import datetime as dt

from healthsite.content.models import ArticleMeta, ExerciseMeta
from healthsite.content.schema import field_name, validate
from healthsite.content.yaml_lines import parse_yaml

EXERCISE = """\
name: Bridge
summary: Strengthens your back.
category: strengthening
body_areas: [lower-back]
position: lying-on-back
equipment: [mat]
level: beginner
sides: both-together
steps: [Lie down., Lift your hips.]
dose: {sets: 1, reps: 5, times_per_day: 2}
flare_up_advice: Go gently.
stop_if: [It hurts.]
author: a
reviewer: b
last_reviewed: 2026-01-01
next_review_due: 2027-01-01
"""


def check(text: str, model=ExerciseMeta):
    doc, problems = parse_yaml(text, "e.md")
    assert doc is not None and problems == []
    return validate(model, doc, "e.md")


def headlines(problems):
    return [p.headline() for p in problems]


def test_valid_exercise():
    meta, problems = check(EXERCISE)
    assert problems == []
    assert meta is not None
    assert meta.dose.reps == 5 and meta.steps == ("Lie down.", "Lift your hips.")
    assert meta.last_reviewed == dt.date(2026, 1, 1)


def test_wrong_type_names_field_line_and_value():
    meta, problems = check(EXERCISE.replace("reps: 5", "reps: ten"))
    assert meta is None
    assert headlines(problems) == [
        "e.md:10: error[type]: dose.reps: must be a whole number (got 'ten')"
    ]


def test_quoted_number_is_not_a_number():
    _, problems = check(EXERCISE.replace("sets: 1", "sets: '1'"))
    assert problems[0].code == "type"


def test_unknown_enum_value_suggests_the_closest():
    _, problems = check(EXERCISE.replace("category: strengthening", "category: strech"))
    assert problems[0].code == "enum"
    assert "must be one of: strengthening, stretching" in problems[0].message
    assert problems[0].hint == "did you mean 'stretching'?"


def test_missing_required_field_points_where_it_belongs():
    _, problems = check(EXERCISE.replace("stop_if: [It hurts.]\n", ""))
    assert headlines(problems) == [
        "e.md:11: error[missing-field]: stop_if: required field is missing"
    ]
    assert problems[0].hint == "add the line 'stop_if: [...]' after the 'flare_up_advice' line"


def test_bad_date():
    _, problems = check(EXERCISE.replace("2027-01-01", "2027-02-30"))
    assert headlines(problems) == [
        "e.md:16: error[type]: next_review_due: must be a date like 2026-01-31 (got '2027-02-30')"
    ]


def test_too_few_steps_and_empty_stop_if():
    _, problems = check(
        EXERCISE.replace("steps: [Lie down., Lift your hips.]", "steps: [Lie.]").replace(
            "stop_if: [It hurts.]", "stop_if: []"
        )
    )
    assert headlines(problems) == [
        "e.md:9: error[invalid]: steps: must have at least 2 item(s) (got 1)",
        "e.md:12: error[invalid]: stop_if: must have at least 1 item(s) (got 0)",
    ]


def test_unknown_key_is_a_warning_with_hint_and_the_rest_still_validates():
    meta, problems = check(EXERCISE + "flare_up_frendly: true\n")
    assert meta is not None
    assert headlines(problems) == ["e.md:17: warning[unknown-key]: flare_up_frendly: unknown field"]
    assert problems[0].hint == "did you mean 'flare_up_friendly'?"


def test_unknown_nested_key():
    meta, problems = check(EXERCISE.replace("times_per_day: 2}", "times_per_day: 2, rests: 3}"))
    assert meta is not None
    assert problems[0].message == "dose.rests: unknown field"


def test_each_side_needs_a_definition_of_one_repetition():
    _, problems = check(EXERCISE.replace("sides: both-together", "sides: each-side"))
    assert problems[0].message.startswith("one_repetition_is: ")


def test_review_due_must_follow_last_review():
    _, problems = check(EXERCISE.replace("2027-01-01", "2025-01-01"))
    assert headlines(problems) == [
        "e.md:16: error[invalid]: next_review_due: must be after last_reviewed"
    ]


def test_every_problem_is_reported_at_once():
    text = (
        EXERCISE.replace("reps: 5", "reps: x")
        .replace("level: beginner", "level: expert")
        .replace("author: a\n", "")
    )
    _, problems = check(text)
    assert sorted(p.code for p in problems) == ["enum", "missing-field", "type"]


def test_article_slug_format():
    text = (
        "title: T\nsummary: S\nauthor: a\nreviewer: b\nlast_reviewed: 2026-01-01\n"
        "next_review_due: 2027-01-01\nslug: Not A Slug\n"
    )
    _, problems = check(text, ArticleMeta)
    assert problems[0].hint.startswith("use lowercase letters")


def test_field_name_counts_from_one():
    assert field_name(("steps", 0)) == "steps[1]"
    assert field_name(("images", 1, "alt")) == "images[2].alt"
