"""Discover content files and parse each one on its own (pure: same bytes, same result).

The folder decides the kind (`articles/`, `exercises/`, `pages/`); the file name decides the
slug. Nothing here looks at other files: cross-references are checked in `assemble`.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from babel.core import Locale, UnknownLocaleError

from healthsite.diagnostics import Diagnostic, error, warning


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


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A content file found on disk."""

    kind: Kind
    src_path: str
    """Path relative to the site folder, with '/' separators: what diagnostics print."""
    abs_path: Path
    slug: str
    """URL name derived from the file name (`Knee to chest.md` → `knee-to-chest`)."""
    lang: str
    """The page's language: the site's main language, or the `.es` of `bridge.es.md`."""
    is_translation: bool = False


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


def discover(
    content_dir: Path, site_root: Path, languages: tuple[str, ...] = ("en",)
) -> tuple[list[SourceFile], list[Diagnostic]]:
    """Every Markdown file under the content folders, sorted, plus warnings for strays."""
    found: list[SourceFile] = []
    diagnostics: list[Diagnostic] = []
    if not content_dir.is_dir():
        return [], [error("content", "content folder not found", _rel(content_dir, site_root))]
    base = _rel(content_dir, site_root)
    for parts in _files_under(content_dir):
        if parts[0] == "data":
            continue
        rel = f"{base}/{'/'.join(parts)}"
        path = content_dir.joinpath(*parts)
        stem, suffix_md = os.path.splitext(parts[-1])
        kind = FOLDERS.get(parts[0]) if len(parts) == 2 else None
        if kind is None or suffix_md != ".md":
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
        lang = languages[0]
        suffix = LANGUAGE_SUFFIX.search(stem)
        if suffix and _is_language(suffix[1]):
            if suffix[1] not in languages[1:]:
                diagnostics.append(
                    error(
                        "language",
                        f"language '{suffix[1]}' in the file name is not one of the site's "
                        "languages",
                        rel,
                        hint=f"add it under 'languages:' in site.yaml, or rename the file "
                        f"(languages now: {', '.join(languages)})",
                    )
                )
                continue
            stem, lang = stem[: suffix.start()], suffix[1]
        slug = slugify(stem)
        if not slug:
            diagnostics.append(error("slug", "file name has no letters or digits", rel))
            continue
        found.append(SourceFile(kind, rel, path, slug, lang, lang != languages[0]))
    return found, diagnostics


def _files_under(folder: Path) -> list[tuple[str, ...]]:
    """Every file below `folder` as its path parts, sorted; hidden files and folders left out.

    `os.walk` and plain strings: at ten thousand files, `Path.rglob` and sorting `Path`s cost
    more than the rest of a rebuild.
    """
    found = []
    for current, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        where = os.path.relpath(current, folder)
        prefix = () if where == "." else tuple(where.split(os.sep))
        found += [(*prefix, name) for name in files if not name.startswith(".")]
    return sorted(found)


def _rel(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
