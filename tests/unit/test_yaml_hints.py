"""The YAML parser's complaints, in an editor's words, each with what to type."""

from __future__ import annotations

import pytest

from healthsite.content.yaml_lines import parse_yaml

CASES = [
    (
        "name: x\nsummary: Note: keep it.\n",
        2,
        "the text after 'summary:' has ': ' in it, which YAML reads as the start of another field",
        'put the text in quotes: summary: "Note: keep it."',
    ),
    (
        "dose:\n  sets: 1\n\treps: 8\n",
        3,
        "a tab character is used to indent this line; YAML only accepts spaces",
        "delete the tab and indent with spaces instead (two spaces per level, as on the lines "
        "around it)",
    ),
    (
        # after a comment libyaml says only "found character that cannot start any token"
        "name: x\n# One of: beginner, advanced\n\tlevel: beginner\n",
        3,
        "a tab character is used to indent this line; YAML only accepts spaces",
        "delete the tab and indent with spaces instead (two spaces per level, as on the lines "
        "around it)",
    ),
    (
        "dose:\n  sets: 1\n   reps: 8\n",
        3,
        "this line is indented by 3 spaces, but 'sets' above starts after 2 spaces",
        "remove 1 space at the start of this line, to line it up with 'sets'",
    ),
    (
        "dose:\n  sets: 1\n reps: 8\n",
        3,
        "this line is indented by 1 space, but 'sets' above starts after 2 spaces",
        "line it up with 'sets' (2 spaces) if it belongs in 'dose', or with 'dose' (no spaces) "
        "if it does not",
    ),
    (
        'name: x\nsummary: "Makes it.\nlevel: a\n',
        2,
        'the text in quotes that starts on this line has no closing "',
        'add " at the end of the text: summary: "Makes it."',
    ),
    (
        # the text runs on to the next quote: the parser stops lines further down
        'name: "Wall push-up\n# Other names\naliases: []\nsummary: "Pushes away."\n',
        1,
        'the text in quotes that starts on this line has no closing "',
        'add " at the end of the text: name: "Wall push-up"',
    ),
    (
        # back at the left edge after a group's fields is right: the apostrophe is the mistake
        "dose:\n  sets: 1\ndose_note: 'Don't rush.'\n",
        3,
        "an apostrophe inside the text ends the quoted text early",
        'put the whole text in the other kind of quotes: dose_note: "Don\'t rush."',
    ),
    (
        "tags: [a, b\nlevel: a\n",
        1,
        "the list that starts with '[' on this line is never closed",
        "add ']' at its end: tags: [a, b]",
    ),
    (
        "name: x\nsummary:Makes it.\n",
        2,
        "no space after the ':' of 'summary'",
        "put a space after the colon: summary: Makes it.",
    ),
    (
        "email: @clinic\n",
        1,
        "a value that starts with '@' must be in quotes",
        'put the text in quotes: email: "@clinic"',
    ),
    (
        "summary: 'It's easy'\n",
        1,
        "an apostrophe inside the text ends the quoted text early",
        'put the whole text in the other kind of quotes: summary: "It\'s easy"',
    ),
]


@pytest.mark.parametrize(("text", "line", "message", "hint"), CASES)
def test_each_common_mistake_says_what_to_type(
    text: str, line: int, message: str, hint: str
) -> None:
    doc, problems = parse_yaml(text, "f.md")
    assert doc is None
    assert [(p.code, p.location.line, p.message, p.hint) for p in problems] == [
        ("yaml", line, message, hint)
    ]


def test_a_quote_closed_on_a_later_line_is_not_called_open() -> None:
    text = 'summary: "First line\n  goes on."\nsteps:\n  - "a" b\n'
    _, problems = parse_yaml(text, "f.md")
    assert problems and all("no closing" not in p.message for p in problems), problems
    assert problems[0].location.line == 4


def test_anything_else_keeps_the_parsers_words_with_general_advice() -> None:
    _, problems = parse_yaml("a: b: c: [\n", "f.md")
    assert problems[0].code == "yaml" and problems[0].hint


def test_text_cut_short_by_a_hash_is_a_warning() -> None:
    doc, problems = parse_yaml("summary: Step #1 first\nnote: fine # a comment\n", "f.md")
    assert doc is not None and doc.data["summary"] == "Step"
    assert [(p.code, p.location.line, p.hint) for p in problems] == [
        ("yaml-comment", 1, 'put the whole text in quotes: summary: "Step #1 first"')
    ]
