"""What a save from the CMS writes: the editor's changes, checked, in the file's own layout.

Decap CMS sends each file whole, as it would write it: every front-matter key in an order of its
own, long lines folded, flow lists turned into blocks, comments gone. Written as sent, a
one-word change would rewrite the whole file and lose what the editor's colleagues wrote in
comments. So a save here:

1. reads Decap's text and shapes it to the content model: empty optional fields are left out,
   dates are dates, a main-language file has no translation record, a translation keeps only
   its words (its pictures are the source's);
2. checks it with the build's own validation (`content.schema`, the Markdown renderer, the
   clinic checks): an error refuses the save, and the CMS shows the message with the field named;
3. leaves the file's bytes alone when nothing changed;
4. otherwise applies the changes to the file as it is (ruamel.yaml's round trip): keys keep their
   order, untouched values their quoting and flow style, comments stay where they were.

Checks across files (an exercise an article names, a translation's item counts, review dates
against today, readability) stay with the build: they need the whole site.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import yaml
from pydantic import BaseModel
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import ScalarString

from healthsite.cms.backend import BackendError
from healthsite.cms.config import field_order, words
from healthsite.content.clinic import check_clinic, language_label
from healthsite.content.documents import META_MODELS, TRANSLATION_MODELS
from healthsite.content.markdown_body import render_markdown
from healthsite.content.models import ExerciseTranslation, ImageText
from healthsite.content.schema import validate
from healthsite.content.sources import FOLDERS, LANGUAGE_SUFFIX, Kind
from healthsite.content.yaml_lines import parse_yaml, split_front_matter
from healthsite.diagnostics import Diagnostic

#: Layouts of block lists tried when reading a file: the one that writes it back unchanged
#: is used for the save (`key:\n  - item`, then `key:\n- item`).
INDENTS = ((2, 4, 2), (2, 2, 0))
#: Lists of short words written on one line, as the scaffold and the sample write them.
INLINE_LISTS = frozenset(
    {"alternate_names", "body_areas", "equipment", "tags", "exercises", "days", "specialties"}
)
INLINE_WIDTH = 80
_RESOLVER = yaml.resolver.Resolver()


@dataclass(frozen=True, slots=True)
class FileKind:
    """What a saved file is: which model checks it, and in which language."""

    model: type[BaseModel]
    kind: Kind | None
    """None for the clinic file."""
    translation: bool


class Writer:
    """Writes the files Decap saves into one site folder (`LocalBackend`'s `write_entry`)."""

    def __init__(
        self, root: Path, *, content_dir: str, languages: Sequence[str], today: dt.date
    ) -> None:
        self.root = root
        self.content_dir = PurePosixPath(content_dir)
        self.languages = tuple(languages)
        self.today = today

    def text_to_write(self, path: str, raw: str) -> str | None:
        """The file's new text, or None to leave the file as it is (or unwritten).

        Raises `BackendError` (422) naming every problem when the result would not build.
        """
        kind = self.kind_of(path)
        if kind is None:
            raise BackendError(422, f"{path}: not a page or the clinic file")
        front, body = _split(raw, path, front_matter=kind.kind is not None)
        data = shape(front, kind.model, translation=kind.translation)
        target = self.root / path
        old_text = target.read_text(encoding="utf-8") if target.is_file() else None
        if kind.translation and old_text is None and not _started(data, body, kind.model):
            return None  # a language nobody has started: no file
        problems = self.problems(path, kind, data, body)
        if problems:
            raise BackendError(422, self._explain(path, kind, problems))
        return merged_text(old_text, data, body, kind)

    def kind_of(self, path: str) -> FileKind | None:
        """The model of a site-relative path, from its folder and language suffix."""
        relative = PurePosixPath(path)
        if relative == self.content_dir / "data" / "clinic.yaml":
            from healthsite.content.models import ClinicMeta

            return FileKind(ClinicMeta, None, False)
        if relative.parent.parent != self.content_dir or relative.suffix != ".md":
            return None
        kind = FOLDERS.get(relative.parent.name)
        if kind is None:
            return None
        suffix = LANGUAGE_SUFFIX.search(relative.stem)
        translation = bool(suffix and suffix[1] in self.languages[1:])
        models = TRANSLATION_MODELS if translation else META_MODELS
        return FileKind(models[kind], kind, translation)

    def draft(self, path: str, data: dict[str, Any]) -> tuple[str, list[Diagnostic]]:
        """The text a save of Decap's `data` (its `body` included) would write to a new file,
        and the errors that would refuse it: the editing page's preview."""
        kind = self.kind_of(path)
        if kind is None:
            raise BackendError(422, f"{path}: not a page or the clinic file")
        fields = {k: v for k, v in data.items() if k != "body"}
        body = data.get("body") if isinstance(data.get("body"), str) else ""
        shaped = shape(fields, kind.model, translation=kind.translation)
        text = _join(_dump_new(shaped, kind.model, indent=INDENTS[0]), body or "", True)
        return text, self.problems(path, kind, shaped, body or "")

    def _explain(self, path: str, kind: FileKind, problems: Sequence[Diagnostic]) -> str:
        """The refusal, naming the language when a translation is refused."""
        text = _refusal(problems, kind.model)
        suffix = LANGUAGE_SUFFIX.search(PurePosixPath(path).stem) if kind.translation else None
        if suffix:
            name = language_label(suffix[1], self.languages[0])
            text = text.replace("Not saved. ", f"Not saved. In {name}: ", 1)
        return text

    def problems(
        self, path: str, kind: FileKind, data: dict[str, Any], body: str
    ) -> list[Diagnostic]:
        """The errors the build would find in this one file (not across files)."""
        text = _dump_new(data, kind.model, indent=INDENTS[0])
        if kind.kind is None:
            _, found = check_clinic(text, path, language=self.languages[0], today=self.today)
            return [d for d in found if d.is_error]
        doc, found = parse_yaml(text, path, first_line=2)
        assert doc is not None  # we just wrote it
        found = found + validate(kind.model, doc, path)[1]
        found += render_markdown(body, path, 1)[1]
        return [d for d in found if d.is_error]


def _started(data: dict[str, Any], body: str, model: type[BaseModel]) -> bool:
    """Has anyone written this translation? Its title (or name) or its text says so.

    Decap sends every language of an entry, filled with the form's defaults (a draft switch)
    even where nobody typed a word: such a file is not written.
    """
    name = "name" if "name" in model.model_fields else "title"
    return bool(str(data.get(name) or "").strip() or body.strip())


def shape(data: dict[str, Any], model: type[BaseModel], *, translation: bool) -> dict[str, Any]:
    """Decap's values as the model takes them.

    An empty optional field is left out (Decap writes `""`, `null` or `[]` for a field nobody
    filled in, which the model would reject as the wrong type); `YYYY-MM-DD` text is a date;
    a translation's pictures are words only, and a page in the main language has no
    translation record.
    """
    fields = model.model_fields
    shaped: dict[str, Any] = {}
    for key, value in data.items():
        if key not in fields:
            if key == "translation" and not translation:
                continue  # the record is shown, empty, beside a main-language page
            shaped[key] = value  # unknown keys reach validation, which names them
            continue
        info = fields[key]
        value = _shaped_value(value, info.annotation, key, model)
        if _empty(value) and not info.is_required():
            continue
        shaped[key] = value
    return shaped


def _shaped_value(value: Any, annotation: Any, key: str, model: type[BaseModel]) -> Any:
    nested = _model_in(annotation)
    if nested is not None:
        if model is ExerciseTranslation and key == "images":
            nested = ImageText
        if isinstance(value, dict):
            return shape(value, nested, translation=False)
        if isinstance(value, list | tuple):
            return [
                shape(item, nested, translation=False) if isinstance(item, dict) else item
                for item in value
            ]
    if isinstance(value, str) and "date" in str(annotation) and _ISO_DATE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, tuple):
        return list(value)
    return value


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _model_in(annotation: Any) -> type[BaseModel] | None:
    candidates = [annotation, *getattr(annotation, "__args__", ())]
    for candidate in candidates:
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def merged_text(
    old_text: str | None, data: dict[str, Any], body: str, kind: FileKind
) -> str | None:
    """The file with `data` and `body`; None when that is what it already says."""
    front_matter = kind.kind is not None
    if old_text is not None:
        old = _read(old_text, front_matter)
        if old is not None:
            old_front, old_body, old_data = old
            same_body = body.strip("\n") == old_body.strip("\n")
            as_saved = shape(old_data, kind.model, translation=kind.translation)
            if _plain(as_saved) == _plain(data) and (not front_matter or same_body):
                return None
            yaml_text = _merge_yaml(old_front, data, kind.model)
            body = old_body if same_body else body
            return _join(yaml_text, body, front_matter)
    return _join(_dump_new(data, kind.model, indent=INDENTS[0]), body, front_matter)


def _read(text: str, front_matter: bool) -> tuple[str, str, dict[str, Any]] | None:
    """The file's YAML text, its body and its values; None if it does not parse now."""
    if not front_matter:
        doc, _ = parse_yaml(text, "old")
        return (text, "", doc.data) if doc is not None else None
    split, _ = split_front_matter(text, "old")
    if split is None:
        return None
    lines = text.splitlines(keepends=True)
    end = next(i for i in range(1, len(lines)) if lines[i].strip() in ("---", "..."))
    return "".join(lines[1:end]), split.body, split.meta.data


def _join(yaml_text: str, body: str, front_matter: bool) -> str:
    if not front_matter:
        return yaml_text
    if body and not body.endswith("\n"):
        body += "\n"
    return f"---\n{yaml_text}---\n{body}"


def _refusal(problems: Sequence[Diagnostic], model: type[BaseModel] | None = None) -> str:
    return "Not saved. " + " · ".join(explain(p, model) for p in problems)


def _split(raw: str, path: str, *, front_matter: bool) -> tuple[dict[str, Any], str]:
    """Decap's text as values and Markdown; text that is not YAML is refused."""
    if not front_matter:
        doc, found = parse_yaml(raw, path)
        if doc is None:
            raise BackendError(422, _refusal(found))
        return doc.data, ""
    if not raw.strip():
        return {}, ""
    split, found = split_front_matter(raw, path)
    if split is None:
        raise BackendError(422, _refusal(found))
    return split.meta.data, split.body


def explain(problem: Diagnostic, model: type[BaseModel] | None) -> str:
    """'Label > Label: what is wrong (what to do)', with the form's labels for the fields."""
    field, sep, rest = problem.message.partition(": ")
    text = problem.message
    if sep and model is not None and _FIELD_PATH.fullmatch(field):
        text = f"{labelled(model, field)}: {rest}"
    return f"{text} ({problem.hint})" if problem.hint else text


_FIELD_PATH = re.compile(r"[a-z_]+(\[\d+\]|\.[a-z_]+)*")


def labelled(model: type[BaseModel], path: str) -> str:
    """`dose.reps` → `How much to do > Repetitions in each set`; `steps[2]` → `Steps > 2`."""
    parts: list[str] = []
    current: type[BaseModel] | None = model
    for name, index in re.findall(r"([a-z_]+)((?:\[\d+\])*)", path):
        found = words(current, name) if current is not None else None
        parts.append(found.label if found else name)
        parts += re.findall(r"\d+", index)
        if current is not None and name in current.model_fields:
            current = _model_in(current.model_fields[name].annotation)
        else:
            current = None
    return " > ".join(parts)


# -- YAML ------------------------------------------------------------------------------------


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


def _dump_new(data: dict[str, Any], model: type[BaseModel], *, indent: tuple[int, int, int]) -> str:
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
                _model_in(model.model_fields[k].annotation)
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


def _merge_yaml(old_front: str, data: dict[str, Any], model: type[BaseModel]) -> str:
    """`data` written over the file's own YAML, keeping what did not change as it was."""
    indent = _layout(old_front)
    emitter = _yaml(indent)
    tree = emitter.load(old_front) if old_front.strip() else CommentedMap()
    if not isinstance(tree, CommentedMap):
        return _dump_new(data, model, indent=indent)
    _merge_map(tree, data, model)
    out = io.StringIO()
    emitter.dump(tree, out)
    text = out.getvalue()
    check, _ = parse_yaml(text, "merged")
    if check is None or _plain(shape(check.data, model, translation=True)) != _plain(
        shape(data, model, translation=True)
    ):  # never expected: be safe
        return _dump_new(data, model, indent=indent)
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
    for key in [k for k in tree if k not in data and not _empty(_plain(tree[k]))]:
        del tree[key]  # an empty value the form leaves out stays as the file wrote it
    order = field_order(model) if model is not None else list(data)
    for key, value in data.items():
        nested = None
        if model is not None and key in model.model_fields:
            nested = _model_in(model.model_fields[key].annotation)
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
        if _plain(list(old)) == _plain(list(new)):
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
    if _plain(old) == _plain(new):
        return old  # its quoting and style as written
    if isinstance(old, ScalarString) and isinstance(new, str):
        return type(old)(new)  # a changed folded or literal block stays one
    return _commented(new, model, key)


def _plain(value: Any) -> Any:
    """Values compared as data: tuples and lists alike, ruamel's types as plain ones."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, ScalarString):
        return str(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.date(value.year, value.month, value.day)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return value
