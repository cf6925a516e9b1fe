"""What a new exercise's name says about it, when it says it clearly.

"Wall push-up" is done standing, against a wall, with both arms together; "Bridge" lying on
the back. A name that says nothing certain about a field leaves that field to the editor (a
`[REPLACE: …]` placeholder): a wrong guess would be published as a fact, a placeholder cannot be.
Each rule is a whole word or phrase of the name, never part of a word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: field → (value, words of the name that mean it), first match wins.
RULES: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "category": (
        ("stretching", ("stretch", "stretches", "stretching")),
        ("balance", ("balance", "single leg stand", "heel to toe")),
        ("aerobic", ("walk", "walking", "cycling", "swimming", "aerobic")),
        # not "press-up": a push-up in British English, but a "prone press-up" is a back
        # extension, done for mobility
        ("strengthening", ("push-up", "push up", "bridge", "squat", "plank", "lunge")),
    ),
    "position": (
        ("standing", ("wall", "standing", "stand", "squat", "lunge", "calf raise")),
        ("sitting", ("seated", "sitting", "chair")),
        ("lying-on-side", ("side-lying", "side lying", "clamshell", "clam", "side plank")),
        ("lying-on-front", ("prone", "cobra", "lying on your front")),
        ("hands-and-knees", ("bird dog", "cat", "camel", "all fours", "quadruped")),
        ("lying-on-back", ("bridge", "knee to chest", "knees to chest", "pelvic tilt", "supine")),
    ),
    "sides": (
        ("alternating", ("bird dog", "alternating", "marching", "dead bug")),
        (
            "each-side",
            ("single", "one leg", "one-leg", "one arm", "clamshell", "clam", "side plank"),
        ),
        ("both-together", ("push-up", "push up", "press-up", "bridge", "squat", "cat", "camel")),
    ),
    "equipment": (
        ("wall", ("wall",)),
        ("chair", ("chair", "seated")),
        ("resistance-band", ("band", "resistance band")),
        ("towel", ("towel",)),
        ("pillow", ("pillow",)),
    ),
}
#: Positions on the floor: a mat is what a patient needs there.
FLOOR = frozenset({"lying-on-back", "lying-on-front", "lying-on-side", "hands-and-knees"})


@dataclass(frozen=True, slots=True)
class Guess:
    """Values the name settles; a field that is not here is left for the editor."""

    values: dict[str, str]

    def get(self, field: str) -> str | None:
        return self.values.get(field)


def guess(name: str) -> Guess:
    """The fields that the exercise's name settles beyond doubt."""
    words = " " + re.sub(r"[^a-z0-9'-]+", " ", name.lower()).strip() + " "
    found: dict[str, str] = {}
    for field, rules in RULES.items():
        for value, phrases in rules:
            if any(f" {phrase} " in words for phrase in phrases):
                found[field] = value
                break
    if "equipment" not in found and found.get("position") in FLOOR:
        found["equipment"] = "mat"
    return Guess(found)
