"""What `new exercise` fills in from the name: only what the name settles, the rest left marked."""

from __future__ import annotations

import pytest

from healthsite.scaffold.guess import guess


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "Wall push-up",
            {
                "category": "strengthening",
                "position": "standing",
                "sides": "both-together",
                "equipment": "wall",
            },
        ),
        (
            "Side plank",
            {
                "category": "strengthening",
                "position": "lying-on-side",
                "sides": "each-side",
                "equipment": "mat",
            },
        ),
        ("Seated march", {"position": "sitting", "equipment": "chair"}),
        ("Hamstring stretch with towel", {"category": "stretching", "equipment": "towel"}),
        # a back extension, not a push-up: its category is left to the editor
        (
            "Prone press-up",
            {"position": "lying-on-front", "sides": "both-together", "equipment": "mat"},
        ),
        ("Chin tuck", {}),  # the name says nothing certain: every field is the editor's
        ("Stretcher bearer", {}),  # whole words only: not "stretch"
    ],
)
def test_a_name_settles_only_what_it_says(name: str, expected: dict[str, str]) -> None:
    assert guess(name).values == expected
