"""The line a build prints about its pages' reading grades (`report` lists them page by page).

Kept apart from the report's other modules so that `build` imports nothing more for it."""

from __future__ import annotations

from collections.abc import Sequence


def readability_line(grades: Sequence[tuple[str, float]], program: str) -> list[str]:
    """One line about every page's reading grade; none when no page was measured."""
    if not grades:
        return []
    values = sorted(grade for _, grade in grades)
    hardest = max(grades, key=lambda item: (item[1], item[0]))
    pages = f"{len(values)} page{'' if len(values) == 1 else 's'}"
    return [
        f"Reading level: {pages} from grade {values[0]:g} to {values[-1]:g} "
        f"(hardest: {hardest[0]}); {program} report lists every page."
    ]
