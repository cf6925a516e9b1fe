"""YAML written back in a file's own layout: ruamel.yaml's round trip, set up so that what the
build reads back (PyYAML, YAML 1.1) is what the editor meant, with keys in the file's order,
quoting and flow lists kept, comments where they were, and new keys in the scaffold's order.
"""

from __future__ import annotations

import io
from typing import Any

import yaml
from pydantic import BaseModel
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import ScalarString

from healthsite.cms.fields import field_order
from healthsite.cms.shaping import empty, model_in, plain, shape
from healthsite.content.yaml_lines import parse_yaml

#: Layouts of block lists tried when reading a file: the one that writes it back unchanged
#: is used for the save (`key:\n  - item`, then `key:\n- item`).
INDENTS = ((2, 4, 2), (2, 2, 0))
#: Lists of short words written on one line, as the scaffold and the sample write them.
INLINE_LISTS = frozenset(
    {"alternate_names", "body_areas", "equipment", "tags", "exercises", "days", "specialties"}
)
INLINE_WIDTH = 80
_RESOLVER = yaml.resolver.Resolver()


def _yaml(indent: tuple[int, int, int]) -> YAML:
    emitter = YAML()
    emitter.width = 4096  # never fold a long sentence over lines
    emitter.preserve_quotes = True
    emitter.indent(mapping=indent[0], sequence=indent[1], offset=indent[2])
    emitter.representer.add_representer(str, _represent_str)
    return emitter


def _represent_str(representer: Any, value: str) -> Any:
    """Quote text that the build's YAML reader would take for something else.

    ruamel writes YAML 1.2, where `08:30`, `yes` and `NO` are text; PyYAML, which the build
    uses, reads YAML 1.1, where they are a number, true and false.
    """
    tag = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))
    style = '"' if tag != "tag:yaml.org,2002:str" or value != value.strip() else None
    return representer.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _dump(value: Any, indent: tuple[int, int, int]) -> str:
    out = io.StringIO()
    _yaml(indent).dump(value, out)
    return out.getvalue()


def dump_new(data: dict[str, Any], model: type[BaseModel], *, indent: tuple[int, int, int]) -> str:
    """A new file's front matter: the model's field order, short word lists on one line."""
    if not data:
        return ""
    return _dump(_commented(data, model), indent)


def _commented(value: Any, model: type[BaseModel] | None, key: str = "") -> Any:
    if isinstance(value, dict):
        order = field_order(model) if model is not None else []
        keys = sorted(value, key=lambda k: order.index(k) if k in order else len(order))
        result = CommentedMap()
        for k in keys:
            nested = (
                model_in(model.model_fields[k].annotation)
                if model and k in model.model_fields
                else None
            )
            result[k] = _commented(value[k], nested, k)
        return result
    if isinstance(value, list | tuple):
        seq = CommentedSeq(_commented(item, model) for item in value)
        words = key in INLINE_LISTS and all(isinstance(i, str) for i in value)
        if words and len(", ".join(value)) < INLINE_WIDTH:
            seq.fa.set_flow_style()
        return seq
    return value


def merge_yaml(old_front: str, data: dict[str, Any], model: type[BaseModel]) -> str:
    """`data` written over the file's own YAML, keeping what did not change as it was."""
    indent = _layout(old_front)
    emitter = _yaml(indent)
    tree = emitter.load(old_front) if old_front.strip() else CommentedMap()
    if not isinstance(tree, CommentedMap):
        return dump_new(data, model, indent=indent)
    _merge_map(tree, data, model)
    out = io.StringIO()
    emitter.dump(tree, out)
    text = out.getvalue()
    check, _ = parse_yaml(text, "merged")
    if check is None or plain(shape(check.data, model, translation=True)) != plain(
        shape(data, model, translation=True)
    ):  # never expected: be safe
        return dump_new(data, model, indent=indent)
    return text


def _layout(text: str) -> tuple[int, int, int]:
    """The list indentation that writes `text` back as it is (else the scaffold's)."""
    for indent in INDENTS:
        try:
            emitter = _yaml(indent)
            if _dump(emitter.load(text), indent) == text:
                return indent
        except YAMLError:  # ruamel cannot read it that way: try the next layout
            continue
    return INDENTS[0]


def _merge_map(tree: CommentedMap, data: dict[str, Any], model: type[BaseModel] | None) -> None:
    for key in [k for k in tree if k not in data and not empty(plain(tree[k]))]:
        del tree[key]  # an empty value the form leaves out stays as the file wrote it
    order = field_order(model) if model is not None else list(data)
    for key, value in data.items():
        nested = None
        if model is not None and key in model.model_fields:
            nested = model_in(model.model_fields[key].annotation)
        if key in tree:
            tree[key] = _merge_value(tree[key], value, nested, key)
        else:
            tree.insert(_position(tree, key, order), key, _commented(value, nested, key))


def _position(tree: CommentedMap, key: str, order: list[str]) -> int:
    """After the last of the fields that come before `key` in the form (else first)."""
    if key not in order:
        return len(tree)
    keys = list(tree)
    earlier = [keys.index(k) for k in order[: order.index(key)] if k in keys]
    return max(earlier) + 1 if earlier else 0


def _merge_value(old: Any, new: Any, model: type[BaseModel] | None, key: str) -> Any:
    if isinstance(old, CommentedMap) and isinstance(new, dict):
        _merge_map(old, new, model)
        return old
    if isinstance(old, CommentedSeq) and isinstance(new, list | tuple):
        if plain(list(old)) == plain(list(new)):
            return old
        merged = CommentedSeq()
        for index, item in enumerate(new):
            if index < len(old):
                merged.append(_merge_value(old[index], item, model, key))
            else:
                merged.append(_commented(item, model))
        if old.fa.flow_style():
            merged.fa.set_flow_style()
        merged.ca.comment = old.ca.comment
        return merged
    if plain(old) == plain(new):
        return old  # its quoting and style as written
    if isinstance(old, ScalarString) and isinstance(new, str):
        return type(old)(new)  # a changed folded or literal block stays one
    return _commented(new, model, key)
