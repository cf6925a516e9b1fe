"""Bounds on YAML and Markdown: a small file never becomes a huge value or a long wait."""

from __future__ import annotations

import threading
import time

import pytest

from healthsite.content import limits
from healthsite.content.limits import TimedOut, line_depths, time_limit
from healthsite.content.markdown_body import render_markdown
from healthsite.content.yaml_lines import MAX_DEPTH, parse_yaml
from healthsite.diagnostics import error, printable

LAUGHS = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
)


def headlines(diagnostics: list) -> list[str]:
    return [d.headline() for d in diagnostics]


def test_an_alias_bomb_is_refused_at_once() -> None:
    start = time.monotonic()
    doc, found = parse_yaml(LAUGHS, "site.yaml")
    assert time.monotonic() - start < 1
    assert doc is None
    assert headlines(found) == [
        "site.yaml:2: error[yaml]: b[1]: YAML aliases ('*name') are not allowed"
    ]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("title: &t Hello\nsummary: *t\n", 3),  # front matter starts on line 2
        ("tags: [&x back, *x]\n", 2),
        ("base: &b {reps: 5}\ndose:\n  <<: *b\n", 4),
    ],
)
def test_every_alias_is_refused_with_the_line_that_uses_it(text: str, line: int) -> None:
    doc, found = parse_yaml(text, "x.md", first_line=2)
    assert doc is None
    assert [(d.code, d.location.line) for d in found] == [("yaml", line)]
    assert "aliases" in found[0].message


def test_an_anchor_alone_is_harmless() -> None:
    doc, found = parse_yaml("title: &t Hello\n", "x.md")
    assert doc is not None and doc.data == {"title": "Hello"} and found == []


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 600, 5000])
def test_deep_nesting_is_an_error_not_a_recursion_error(depth: int) -> None:
    for text in (
        "deep: " + "[" * depth + "]" * depth + "\n",
        "deep:\n" + "".join("  " * i + "-\n" for i in range(1, min(depth, 400))),
    ):
        doc, found = parse_yaml(text, "clinic.yaml")
        assert doc is None
        assert [d.code for d in found] == ["yaml"]
        assert "nest" in found[0].message


def test_nesting_within_the_limit_is_fine() -> None:
    doc, found = parse_yaml("a: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n", "x.yaml")
    assert doc is not None and found == []


@pytest.mark.parametrize(
    ("body", "depth", "index"),
    [
        ("Plain text.\n\n- one\n    - two\n", 2, 3),
        ("> > > quoted\n", 3, 0),
        ("```\n" + "".join("    " * i + "- x\n" for i in range(40)) + "```\n- y\n", 1, 42),
        ("!!! note\n    !!! tip\n        - item\n", 3, 2),
    ],
)
def test_nesting_depth_is_counted_outside_code(body: str, depth: int, index: int) -> None:
    assert max(line_depths(body), key=lambda found: found[0]) == (depth, index)


def test_text_nested_too_deeply_is_refused_at_its_line() -> None:
    body = "Intro.\n\n" + "".join("    " * i + "- item\n" for i in range(300))
    start = time.monotonic()
    rendered, found = render_markdown(body, "content/pages/x.md", 5)
    assert time.monotonic() - start < 1
    assert rendered.html == ""
    # the first line too deep: the 17th level, on the body's 19th line
    assert [(d.code, d.location.line) for d in found] == [("markdown", 5 + 2 + 16)]
    assert "17 levels deep" in found[0].message


def test_text_that_formats_too_slowly_is_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "FORMAT_SECONDS", 0.3)
    monkeypatch.setattr("healthsite.content.markdown_body.FORMAT_SECONDS", 0.3)
    start = time.monotonic()
    _, found = render_markdown("![" * 20_000 + "\n", "content/pages/x.md", 5)
    assert time.monotonic() - start < 3
    assert [(d.code, d.location.line) for d in found] == [("markdown", 5)]
    assert "seconds" in found[0].message
    after, problems = render_markdown("Fine **text**.\n", "content/pages/y.md", 5)
    assert after.html == "<p>Fine <strong>text</strong>.</p>" and problems == []


def slow() -> None:
    end = time.monotonic() + 10
    while time.monotonic() < end:
        pass


def test_the_time_limit_stops_the_main_thread() -> None:
    start = time.monotonic()
    with pytest.raises(TimedOut), time_limit(0.2):
        slow()
    assert time.monotonic() - start < 2
    with time_limit(0.2):  # a block that ends in time is left alone, and so is what follows
        pass
    time.sleep(0.4)


def test_the_time_limit_stops_another_thread_too() -> None:
    outcome: list[str] = []

    def work() -> None:
        try:
            with time_limit(0.2):
                slow()
            outcome.append("finished")
        except TimedOut:
            outcome.append("stopped")
        with time_limit(0.2):
            pass
        time.sleep(0.4)
        outcome.append("carried on")

    thread = threading.Thread(target=work)
    start = time.monotonic()
    thread.start()
    thread.join(10)
    assert outcome == ["stopped", "carried on"]
    assert time.monotonic() - start < 3


def test_diagnostics_print_one_line_per_part_whatever_a_name_holds() -> None:
    diagnostic = error("stray-file", "not\na content file", "content/a\nerror[x]: \x1b[31m.txt")
    assert diagnostic.headline() == (
        "content/a\\nerror[x]: \\x1b[31m.txt: error[stray-file]: not\\na content file"
    )
    assert printable("right\u202eto left\u2028") == "right\\u202eto left\\u2028"
