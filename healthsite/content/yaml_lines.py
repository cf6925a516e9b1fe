"""YAML and front matter with line numbers, so every error can name the line an editor must fix.

PyYAML's `compose` keeps each node's position; we build plain Python values from the nodes and
remember the line of every key path (`("dose", "reps") -> 14`). Duplicate keys, which PyYAML
silently overwrites, are reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from healthsite.content.yaml_hints import cut_by_comment, explain
from healthsite.diagnostics import Diagnostic, error, warning

try:  # the C loader is several times faster; fall back where libyaml is missing
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

KeyPath = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class YamlDoc:
    """A parsed YAML mapping with the source line of every key path."""

    data: dict[str, Any]
    lines: dict[KeyPath, int] = field(default_factory=dict)
    first_line: int = 1

    def line_of(self, path: KeyPath) -> int:
        """The line of the deepest known part of `path` (or the document start)."""
        for end in range(len(path), 0, -1):
            line = self.lines.get(tuple(path[:end]))
            if line:
                return line
        return self.first_line


@dataclass(frozen=True, slots=True)
class FrontMatterFile:
    """A Markdown file split into its YAML front matter and its body."""

    meta: YamlDoc
    body: str
    body_first_line: int


def parse_yaml(
    text: str, path: str, first_line: int = 1
) -> tuple[YamlDoc | None, list[Diagnostic]]:
    """Parse a YAML mapping; malformed YAML or a non-mapping is one clear error."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except RecursionError:  # only without libyaml, whose parser stops at 1000 levels itself
        return None, [_too_deep(path, first_line, ())]
    except yaml.MarkedYAMLError as exc:
        said = explain(exc, text)  # the parser's words made plain, with what to type
        last_line = first_line + max(text.count("\n") - 1, 0)
        line = min(first_line + said.line, last_line)
        return None, [error("yaml", said.message, path, line, hint=said.hint)]
    except yaml.YAMLError as exc:
        return None, [error("yaml", f"malformed YAML: {exc}", path, first_line)]
    if node is None:
        return YamlDoc({}, {}, first_line), []
    if not isinstance(node, yaml.MappingNode):
        line = first_line + node.start_mark.line
        return None, [error("yaml", "expected 'key: value' pairs at the top level", path, line)]
    builder = _Builder(path, first_line)
    try:
        data = builder.build(node, ())
    except _OverLimit as over:
        return None, [over.diagnostic]
    return YamlDoc(data, builder.lines, first_line), builder.diagnostics + _cut_short(
        text, path, first_line
    )


def _cut_short(text: str, path: str, first_line: int) -> list[Diagnostic]:
    """`summary: Exercise #1 of 5` keeps only "Exercise": the rest is a comment to YAML."""
    return [
        warning(
            "yaml-comment",
            "the text after ' #' is read as a comment and left out",
            path,
            first_line + index,
            hint=f"put the whole text in quotes: {fixed.strip()}",
        )
        for index, fixed in cut_by_comment(text)
    ]


def split_front_matter(text: str, path: str) -> tuple[FrontMatterFile | None, list[Diagnostic]]:
    """Split `---` front matter from the Markdown body; a missing fence is an error."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return None, [
            error(
                "front-matter",
                "file must start with front matter between '---' lines",
                path,
                1,
                hint="put '---' on the first line, the fields, then '---' again",
            )
        ]
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            meta_text = "".join(lines[1:index])
            body = "".join(lines[index + 1 :])
            meta, diagnostics = parse_yaml(meta_text, path, first_line=2)
            if meta is None:
                return None, diagnostics
            return FrontMatterFile(meta, body, index + 2), diagnostics
    return None, [
        error(
            "front-matter",
            "front matter is not closed with '---'",
            path,
            1,
            hint="put a line with only '---' after the last field, before the text of the page",
        )
    ]


#: Deeper than any file of the site needs (a clinic's hours are three levels deep).
MAX_DEPTH = 20


class _OverLimit(Exception):
    """The document breaks one of the limits below; carries the diagnostic."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def _too_deep(path: str, line: int, where: KeyPath) -> Diagnostic:
    prefix = f"{_field(where)}: " if where else ""
    return error(
        "yaml",
        f"{prefix}values nested more than {MAX_DEPTH} levels deep",
        path,
        line,
        hint="no field needs lists or groups this deep: check the indentation and brackets",
    )


def _field(where: KeyPath) -> str:
    return "".join(f"[{p + 1}]" if isinstance(p, int) else f".{p}" for p in where).lstrip(".")


class _Builder:
    """Turns YAML nodes into Python values, recording lines and duplicate keys.

    Two limits keep a small file from becoming a huge value: nesting depth, and aliases.
    PyYAML's composer shares the node of an anchor (`&a`) with each alias (`*a`), so a few
    lines of aliases of aliases (a "billion laughs") stand for billions of values once
    built. Aliases are refused outright: editors never need them, and copying the value out
    is always possible.
    """

    def __init__(self, path: str, first_line: int) -> None:
        self.path = path
        self.first_line = first_line
        self.lines: dict[KeyPath, int] = {}
        self.diagnostics: list[Diagnostic] = []
        self._constructor = yaml.SafeLoader("")
        self._seen: set[int] = set()

    def build(self, node: yaml.Node, path: KeyPath) -> Any:
        if id(node) in self._seen:  # an alias: its node's mark is the anchor's, so use the key's
            known = [
                self.lines[path[:end]]
                for end in range(len(path), 0, -1)
                if path[:end] in self.lines
            ]
            line = known[0] if known else self.first_line
            raise _OverLimit(
                error(
                    "yaml",
                    f"{_field(path) or 'the document'}: YAML aliases ('*name') are not allowed",
                    self.path,
                    line,
                    hint="write the value out in full instead of repeating it with '&name' "
                    "and '*name'",
                )
            )
        self._seen.add(id(node))
        if len(path) > MAX_DEPTH:
            line = self.first_line + node.start_mark.line
            raise _OverLimit(_too_deep(self.path, line, path[:1]))
        self.lines.setdefault(path, self.first_line + node.start_mark.line)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            # tuples, not lists: values from content are immutable, like every stage's output
            return tuple(self.build(item, (*path, i)) for i, item in enumerate(node.value))
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode, path: KeyPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = self._scalar(key_node)
            line = self.first_line + key_node.start_mark.line
            if not isinstance(key, str):
                key = str(key)
            if key in result:
                where = ".".join(str(p) for p in (*path, key))
                first = self.lines.get((*path, key), line)
                self.diagnostics.append(
                    error(
                        "duplicate-key",
                        f"{where}: key appears twice",
                        self.path,
                        line,
                        hint=f"keep one of the two '{key}' lines (lines {first} and {line}) "
                        "and delete the other",
                    )
                )
                continue
            self.lines[(*path, key)] = line
            result[key] = self.build(value_node, (*path, key))
        return result

    def _scalar(self, node: yaml.Node) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            return None
        try:
            return self._constructor.construct_object(node, deep=True)
        except (ValueError, yaml.constructor.ConstructorError):
            # e.g. 2025-13-01 looks like a date but is not one: keep the text so the
            # schema can say "must be a date" with the editor's own value.
            return node.value
