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
from healthsite.inputs import TEXT_LIMIT, SiteFiles, decode_text


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
    site: SiteFiles | None = None
    """The site's files, through which the file is read (None: its own folder's)."""

    def read_bytes(self) -> bytes:
        """The file's bytes, read by `SiteFiles`' rule; raises `Refused`."""
        site = self.site or SiteFiles.of(self.abs_path.parent)
        return site.read_bytes(self.abs_path, TEXT_LIMIT)

    def read_text(self) -> str:
        """The file's text (UTF-8, a byte-order mark dropped); raises `Refused`."""
        return decode_text(self.read_bytes(), self.src_path)


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
    content_dir: Path, site: SiteFiles, languages: tuple[str, ...] = ("en",)
) -> tuple[list[SourceFile], list[Diagnostic]]:
    """Every Markdown file under the content folders, sorted, plus warnings for strays.

    The folder is walked by `SiteFiles`' rule: links out of the site, pipes and the like are
    reported and left out.
    """
    found: list[SourceFile] = []
    base = site.rel(content_dir)
    if not os.path.lexists(content_dir):
        return [], [error("content", "content folder not found", base)]
    files, diagnostics = site.walk(content_dir)
    for parts in files:
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
        found.append(SourceFile(kind, rel, path, slug, lang, lang != languages[0], site))
    return found, diagnostics
