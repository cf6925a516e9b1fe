"""Discover content files and parse each one on its own (pure: same bytes, same result).

The folder decides the kind (`articles/`, `exercises/`, `pages/`); the file name decides the
slug. Nothing here looks at other files: cross-references are checked in `assemble`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from babel.core import Locale, UnknownLocaleError
from pydantic import BaseModel

from .diagnostics import Diagnostic, error, warning
from .markdown_render import RenderedBody, render_markdown
from .models import ArticleMeta, ExerciseMeta, PageMeta
from .schema import validate
from .yamlsource import YamlDoc, split_front_matter


class Kind(StrEnum):
    """What a content file is, decided by its folder."""

    ARTICLE = "article"
    EXERCISE = "exercise"
    PAGE = "page"


FOLDERS: dict[str, Kind] = {
    "articles": Kind.ARTICLE,
    "exercises": Kind.EXERCISE,
    "pages": Kind.PAGE,
}
META_MODELS: dict[Kind, type[BaseModel]] = {
    Kind.ARTICLE: ArticleMeta,
    Kind.EXERCISE: ExerciseMeta,
    Kind.PAGE: PageMeta,
}


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A content file found on disk."""

    kind: Kind
    src_path: str
    """Path relative to the site folder, with '/' separators: what diagnostics print."""
    abs_path: Path
    slug: str
    """URL name derived from the file name (`Knee to chest.md` → `knee-to-chest`)."""


@dataclass(frozen=True, slots=True)
class Document:
    """A parsed, validated content file."""

    kind: Kind
    src_path: str
    slug: str
    meta: ArticleMeta | ExerciseMeta | PageMeta
    body: RenderedBody
    source: YamlDoc
    """The front matter as written, kept for the line numbers of later checks."""

    @property
    def title(self) -> str:
        return self.meta.name if isinstance(self.meta, ExerciseMeta) else self.meta.title

    @property
    def is_draft(self) -> bool:
        return self.meta.draft


#: `bridge.es.md`: a two- or three-letter language code before `.md`.
LANGUAGE_SUFFIX = re.compile(r"\.([a-z]{2,3})$")


def slugify(name: str) -> str:
    """ASCII, lowercase, hyphen-separated: `Bird Dog (hip)` → `bird-dog-hip`.

    Any punctuation separates words, dashes of every kind included.
    """
    words = re.sub(r"[^\w]+|_", " ", name)  # any punctuation, dashes included, separates words
    ascii_name = unicodedata.normalize("NFKD", words).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def _is_language(code: str) -> bool:
    try:
        Locale.parse(code)
    except (ValueError, UnknownLocaleError):
        return False
    return True


def discover(content_dir: Path, site_root: Path) -> tuple[list[SourceFile], list[Diagnostic]]:
    """Every Markdown file under the content folders, sorted, plus warnings for strays."""
    found: list[SourceFile] = []
    diagnostics: list[Diagnostic] = []
    if not content_dir.is_dir():
        return [], [error("content", "content folder not found", _rel(content_dir, site_root))]
    for path in sorted(content_dir.rglob("*")):
        if path.is_dir() or path.name.startswith("."):
            continue
        rel = _rel(path, site_root)
        parts = path.relative_to(content_dir).parts
        if parts[0] == "data":
            continue
        kind = FOLDERS.get(parts[0]) if len(parts) == 2 else None
        if kind is None or path.suffix != ".md":
            diagnostics.append(
                warning(
                    "stray-file",
                    "not a content file; ignored",
                    rel,
                    hint="content goes in content/articles/, content/exercises/ or content/pages/ "
                    "as .md files",
                )
            )
            continue
        stem = path.stem
        language = LANGUAGE_SUFFIX.search(stem)
        if language and _is_language(language[1]):
            diagnostics.append(
                error(
                    "language",
                    f"language '{language[1]}' in the file name is not configured",
                    rel,
                    hint="translations are not enabled for this site; rename the file",
                )
            )
            continue
        slug = slugify(stem)
        if not slug:
            diagnostics.append(error("slug", "file name has no letters or digits", rel))
            continue
        found.append(SourceFile(kind, rel, path, slug))
    return found, diagnostics


def parse(source: SourceFile) -> tuple[Document | None, list[Diagnostic]]:
    """Front matter validated against the kind's schema, body rendered to safe HTML."""
    try:
        text = source.abs_path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None, [error("encoding", "file is not UTF-8 text", source.src_path)]
    split, diagnostics = split_front_matter(text, source.src_path)
    if split is None:
        return None, diagnostics
    meta, problems = validate(META_MODELS[source.kind], split.meta, source.src_path)
    diagnostics += problems
    body, problems = render_markdown(split.body, source.src_path, split.body_first_line)
    diagnostics += problems
    if meta is None:
        return None, diagnostics
    slug = getattr(meta, "slug", None) or source.slug
    assert isinstance(meta, ArticleMeta | ExerciseMeta | PageMeta)
    return Document(source.kind, source.src_path, slug, meta, body, split.meta), diagnostics


def _rel(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
