"""Placeholders are found wherever a scaffold or an editor leaves one, and nowhere else."""

from __future__ import annotations

from healthsite.content.models import ExerciseMeta
from healthsite.content.placeholders import find_in_body, find_in_meta, with_stand_ins
from healthsite.content.schema import validate
from healthsite.content.yaml_lines import parse_yaml


def test_found_in_fields_quoted_or_not_and_in_lists() -> None:
    doc, _ = parse_yaml(
        'summary: "[REPLACE: what it is for]"\nsteps:\n  - [REPLACE: a step]\n  - Fine.\n'
        "note: a [todo] in passing\n",
        "f.md",
    )
    assert doc is not None
    found = find_in_meta(doc)
    assert [(p.field, p.line, p.request) for p in found] == [
        (("summary",), 1, "what it is for"),
        (("steps", 0), 3, "a step"),
        (("note",), 5, ""),
    ]


def test_body_placeholders_outside_comments_and_code_only() -> None:
    body = (
        "Text [TODO: add a picture].\n<!-- [REPLACE: a note] -->\n```\n[REPLACE: code]\n```\n"
        "<!--\n[REPLACE: in a comment]\n-->\nDone. `[REPLACE: inline code]`\n"
    )
    assert [(p.line, p.text) for p in find_in_body(body, 10)] == [(10, "[TODO: add a picture]")]


def test_a_draft_with_unchosen_choices_is_read_with_stand_ins() -> None:
    text = (
        "name: Wall push-up\nsummary: x\ncategory: strengthening\n"
        'body_areas: "[REPLACE: areas]"\nposition: "[REPLACE: one of sitting or standing]"\n'
        "equipment: [wall]\nlevel: beginner\nsides: both-together\n"
        "steps: [a, b]\ndose: {sets: 1, reps: '[REPLACE: a number]', times_per_day: 1}\n"
        "flare_up_advice: x\nstop_if: [x]\nauthor: a\nreviewer: b\n"
        'last_reviewed: 2026-01-01\nnext_review_due: "[REPLACE: a date]"\ndraft: true\n'
    )
    doc, _ = parse_yaml(text, "f.md")
    assert doc is not None
    found = find_in_meta(doc)
    readable = doc.__class__(with_stand_ins(ExerciseMeta, doc.data, found), doc.lines)
    meta, problems = validate(ExerciseMeta, readable, "f.md")
    assert problems == [] and meta is not None
    assert meta.position == "lying-on-back" and meta.dose.reps == 1
    assert meta.next_review_due > meta.last_reviewed
