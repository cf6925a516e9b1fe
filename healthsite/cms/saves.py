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
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from pydantic import BaseModel

from healthsite.cms.backend import BackendError
from healthsite.cms.fields import words
from healthsite.cms.files import EditableFiles
from healthsite.cms.shaping import model_in, plain, shape
from healthsite.cms.yaml_layout import INDENTS, dump_new, merge_yaml
from healthsite.content.clinic import check_clinic, language_label
from healthsite.content.documents import META_MODELS, TRANSLATION_MODELS
from healthsite.content.markdown_body import render_markdown
from healthsite.content.schema import validate
from healthsite.content.sources import FOLDERS, LANGUAGE_SUFFIX, Kind
from healthsite.content.yaml_lines import parse_yaml, split_front_matter
from healthsite.diagnostics import Diagnostic
from healthsite.inputs import SiteFiles


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
        self,
        root: Path,
        *,
        content_dir: str,
        languages: Sequence[str],
        today: dt.date,
        files: EditableFiles | None = None,
    ) -> None:
        self.root = root
        self.content_dir = PurePosixPath(content_dir)
        self.languages = tuple(languages)
        self.today = today
        self.files = files or EditableFiles(SiteFiles.of(root), [content_dir])
        """How the file as it is now is read: by the site's input rule (`cms.files`)."""

    def text_to_write(self, path: str, raw: str) -> str | None:
        """The file's new text, or None to leave the file as it is (or unwritten).

        Raises `BackendError` (422) naming every problem when the result would not build.
        """
        kind = self.kind_of(path)
        if kind is None:
            raise BackendError(422, f"{path}: not a page or the clinic file")
        front, body = _split(raw, path, front_matter=kind.kind is not None)
        data = shape(front, kind.model, translation=kind.translation)
        old_text = self.files.read_text(self.files.path(path))
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
            from healthsite.content.clinic_models import ClinicMeta

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
        text = _join(dump_new(shaped, kind.model, indent=INDENTS[0]), body or "", True)
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
        text = dump_new(data, kind.model, indent=INDENTS[0])
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
            if plain(as_saved) == plain(data) and (not front_matter or same_body):
                return None
            yaml_text = merge_yaml(old_front, data, kind.model)
            body = old_body if same_body else body
            return _join(yaml_text, body, front_matter)
    return _join(dump_new(data, kind.model, indent=INDENTS[0]), body, front_matter)


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
            current = model_in(current.model_fields[name].annotation)
        else:
            current = None
    return " > ".join(parts)
