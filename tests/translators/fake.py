"""A translation hook for the tests: marks every text, keeps Markdown syntax and embeds."""

from __future__ import annotations

from typing import Any

CALLS: list[tuple[str, str, list[str]]] = []


def translate(
    fields: dict[str, Any], source: str, target: str, glossary: list[str]
) -> dict[str, Any]:
    """Prefix each line of text with `[es]`, as a stand-in for a real translation service."""
    CALLS.append((source, target, glossary))

    def convert(value: Any) -> Any:
        if isinstance(value, str):
            return "\n".join(
                line
                if not line.strip() or line.lstrip().startswith(("[[", "#", "!!!", "|"))
                else f"[{target}] {line}"
                for line in value.split("\n")
            )
        if isinstance(value, list):
            return [convert(item) for item in value]
        if isinstance(value, dict):
            return {key: convert(item) for key, item in value.items()}
        return value

    return {name: convert(value) for name, value in fields.items()}
