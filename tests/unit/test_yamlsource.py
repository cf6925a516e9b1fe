"""Front matter and YAML parsing keep line numbers and never lose data silently."""

from healthsite.content.yaml_lines import parse_yaml, split_front_matter


def test_lines_of_nested_keys_and_list_items():
    doc, problems = parse_yaml(
        "name: A\ndose:\n  sets: 1\n  reps: 5\nsteps:\n  - one\n  - two\n", "x"
    )
    assert problems == []
    assert doc is not None
    assert doc.line_of(("dose", "reps")) == 4
    assert doc.line_of(("steps", 1)) == 7
    assert doc.line_of(("dose", "missing")) == 2  # falls back to the parent


def test_sequences_become_tuples():
    doc, _ = parse_yaml("steps: [a, b]\n", "x")
    assert doc is not None and doc.data["steps"] == ("a", "b")


def test_duplicate_key_is_an_error_not_an_overwrite():
    doc, problems = parse_yaml("name: A\nname: B\n", "x.md", first_line=2)
    assert [p.headline() for p in problems] == [
        "x.md:3: error[duplicate-key]: name: key appears twice"
    ]
    assert doc is not None and doc.data["name"] == "A"


def test_impossible_date_is_kept_as_text_for_the_schema_to_report():
    doc, problems = parse_yaml("last_reviewed: 2026-13-01\n", "x")
    assert problems == []
    assert doc is not None and doc.data["last_reviewed"] == "2026-13-01"


def test_malformed_yaml_names_the_line():
    _, problems = parse_yaml("a: 1\nb: [unclosed\n", "x.md", first_line=2)
    assert len(problems) == 1
    assert problems[0].code == "yaml"
    assert problems[0].location.line == 3


def test_front_matter_split_and_body_line():
    split, problems = split_front_matter("---\ntitle: T\n---\nBody\n", "a.md")
    assert problems == []
    assert split is not None
    assert split.body == "Body\n"
    assert split.body_first_line == 4
    assert split.meta.line_of(("title",)) == 2


def test_missing_or_unclosed_front_matter():
    _, problems = split_front_matter("title: T\n", "a.md")
    assert problems[0].code == "front-matter"
    _, problems = split_front_matter("---\ntitle: T\n", "a.md")
    assert "not closed" in problems[0].message


def test_top_level_must_be_a_mapping():
    doc, problems = parse_yaml("- a\n- b\n", "x")
    assert doc is None and problems[0].code == "yaml"
