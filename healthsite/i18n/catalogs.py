"""Template strings in other languages: gettext catalogs, extracted and updated with Babel.

Catalogs live in the site (`locales/<lang>/LC_MESSAGES/messages.po`), where translators' tools
expect them, and are compiled in memory at build time (no `.mo` files are committed). A string
a template uses but the catalog does not translate is a warning naming the template and line.
"""

from __future__ import annotations

import gettext
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path

from babel.messages import extract as babel_extract
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po, write_po

from healthsite import __version__
from healthsite.diagnostics import Diagnostic, error, warning
from healthsite.inputs import CATALOG_LIMIT, Refused, SiteFiles
from healthsite.theme import THEME_TEMPLATES

LOCALES_DIR = "locales"
#: The language the theme's own text is written in: every other language needs a catalog.
SOURCE_LANGUAGE = "en"
DOMAIN = "messages"
PROJECT = "healthsite"
PACKAGE_DIR = Path(__file__).parents[1]
"""The engine's own code, where `N_()` labels are written."""
#: How Babel finds strings: `_()`/`{% trans %}` in templates, `N_()` labels in the engine.
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
JINJA_OPTIONS = {"extensions": "jinja2.ext.i18n"}  # syntax errors are reported by the build


@dataclass(frozen=True, slots=True)
class Message:
    """A string the site shows, and where it is written."""

    msgid: str | tuple[str, ...]
    path: str
    line: int
    comments: tuple[str, ...] = ()


def catalog_path(site_root: Path, lang: str) -> Path:
    return site_root / LOCALES_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def messages(
    site_templates: Path, site_root: Path, files: SiteFiles | None = None
) -> list[Message]:
    """Every translatable string of the theme, the site's templates and the engine's labels.

    The site's templates are found and read by `files`' rule (a template it refuses is
    reported by the build, and has no strings here).
    """
    found: list[Message] = []
    sources = [
        (THEME_TEMPLATES, [("**.html", "jinja2")], "theme/templates"),
        (
            PACKAGE_DIR,
            [
                ("content/models.py", "python"),
                ("search/facets.py", "python"),
                ("site/routes.py", "python"),
            ],
            "healthsite",
        ),
    ]
    for folder, method_map, label in sources:
        options = {"**.html": JINJA_OPTIONS}
        for filename, line, msgid, comments, _context in extract_from_dir(
            str(folder), method_map, options, KEYWORDS, ("TRANSLATORS:",), strip_comment_tags=True
        ):
            # the theme's strings are all kept, even those of templates a site overrides:
            # a catalog then serves any site that uses the theme
            found.append(Message(msgid, f"{label}/{filename}", line, tuple(comments)))
    return found + _site_messages(site_templates, files or SiteFiles.of(site_root))


def _site_messages(folder: Path, files: SiteFiles) -> list[Message]:
    found: list[Message] = []
    for parts in files.walk(folder)[0]:
        if not parts[-1].endswith(".html"):
            continue
        path = folder.joinpath(*parts)
        try:
            text = files.read_text(path)
        except Refused:
            continue
        for line, msgid, comments, _context in babel_extract.extract(
            "jinja2",
            io.BytesIO(text.encode("utf-8")),
            KEYWORDS,
            ("TRANSLATORS:",),
            JINJA_OPTIONS,
            strip_comment_tags=True,
        ):
            found.append(Message(msgid, files.rel(path), line, tuple(comments)))
    return found


def load_translations(
    site_root: Path, lang: str, used: list[Message], files: SiteFiles | None = None
) -> tuple[gettext.NullTranslations, list[Diagnostic]]:
    """The language's catalog, compiled in memory, and a warning for each string it lacks."""
    path = catalog_path(site_root, lang)
    rel = path.relative_to(site_root).as_posix()
    if not os.path.lexists(path):
        return gettext.NullTranslations(), [
            warning(
                "catalog",
                f"no catalog for '{lang}': template text stays in the main language",
                rel,
                hint="run: python build.py i18n update",
            )
        ]
    try:
        catalog = read_catalog(files or SiteFiles.of(site_root), path, lang)
    except Refused as refused:
        return gettext.NullTranslations(), [refused.at(rel)]
    found: list[Diagnostic] = []
    for message in used:
        entry = catalog.get(message.msgid)
        translated = (
            entry is not None
            and not entry.fuzzy
            and (
                all(entry.string) if isinstance(entry.string, tuple | list) else bool(entry.string)
            )
        )
        if not translated:
            text = message.msgid[0] if isinstance(message.msgid, tuple) else message.msgid
            found.append(
                warning(
                    "catalog",
                    f"not translated into '{lang}': \"{text}\"",
                    message.path,
                    message.line,
                    hint=f"add it to {rel} (python build.py i18n update)",
                )
            )
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer), found


def read_catalog(files: SiteFiles, path: Path, lang: str) -> Catalog:
    """One `.po` file, read by `files`' rule; raises `Refused` for a file that is not a
    readable UTF-8 catalog."""
    text = files.read_text(path, CATALOG_LIMIT)
    try:
        return read_po(io.StringIO(text), locale=lang.replace("-", "_"))
    except (PoFileError, ValueError) as exc:
        raise Refused(
            error(
                "catalog",
                f"the catalog could not be read: {exc}",
                files.rel(path),
                hint="check the file with 'msgfmt --check', or make it again with "
                "'python build.py i18n update'",
            )
        ) from None


def extract(site_root: Path, site_templates: Path) -> Path:
    """Write `locales/messages.pot`: every string, with where it is used.

    The template has a full header (gettext's tools, Poedit and Weblate need its charset), and
    is rewritten only when its strings or their places change, so its date means something.
    """
    template = Catalog(domain=DOMAIN, project=PROJECT, version=__version__, charset="utf-8")
    for message in messages(site_templates, site_root):
        existing = template.get(message.msgid)
        if existing is not None:
            existing.locations.append((message.path, message.line))
            continue
        template.add(
            message.msgid, locations=[(message.path, message.line)], auto_comments=message.comments
        )
    target = site_root / LOCALES_DIR / f"{DOMAIN}.pot"
    target.parent.mkdir(parents=True, exist_ok=True)
    if not _same_messages(target, template):
        temporary = target.with_name(f".{target.name}.tmp-{os.getpid()}")
        temporary.write_bytes(_po_bytes(template))
        os.replace(temporary, target)  # replaces a link or a pipe, never writes through it
    return target


def update(site_root: Path, site_templates: Path, languages: tuple[str, ...]) -> list[Path]:
    """Merge new strings into each language's catalog (created when missing)."""
    pot = extract(site_root, site_templates)
    with pot.open("rb") as handle:
        template = read_po(handle)
    written = []
    files = SiteFiles.of(site_root)
    for lang in languages:
        path = catalog_path(site_root, lang)
        locale = lang.replace("-", "_")
        if os.path.lexists(path):
            catalog = read_catalog(files, path, lang)  # raises Refused: never written through
        else:
            catalog = Catalog(locale=locale, domain=DOMAIN, project=PROJECT, version=__version__)
        _revive(catalog, template)
        catalog.update(template)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        temporary.write_bytes(_po_bytes(catalog, include_previous=True))
        os.replace(temporary, path)  # replaces a link, never writes where it points
        written.append(path)
    return written


def _revive(catalog: Catalog, template: Catalog) -> None:
    """Bring back obsolete (`#~`) entries whose string is in use again, translation and all.

    Babel's update matches only active entries, and keeps every obsolete entry it read: a string
    that came back would lose its translation and be defined twice, which gettext's tools reject
    ("duplicate message definition"). msgmerge reuses obsolete entries the same way.
    """
    for key, message in list(catalog.obsolete.items()):
        if template.get(message.id, message.context) is not None:
            del catalog.obsolete[key]
            if catalog.get(message.id, message.context) is None:
                catalog[message.id] = message


def _po_bytes(catalog: Catalog, *, include_previous: bool = False) -> bytes:
    buffer = io.BytesIO()
    write_po(
        buffer,
        catalog,
        width=100,
        sort_by_file=True,
        include_previous=include_previous,
    )
    return buffer.getvalue()


def _same_messages(path: Path, catalog: Catalog) -> bool:
    """Whether the file at `path` has a header and the same messages (dates aside)."""
    if not path.is_file():
        return False
    text = path.read_bytes()
    if re.search(rb'^msgid ""\r?\nmsgstr ""\r?\n"Project-Id-Version:', text, re.M) is None:
        return False  # no header: translators' tools cannot tell its charset
    previous = read_po(io.BytesIO(text))
    return _message_set(previous) == _message_set(catalog)


def _message_set(catalog: Catalog) -> set[tuple[object, ...]]:
    """What a template says, whatever order a reader gives its entries and places in."""
    return {
        (
            str(m.id),
            m.context,
            tuple(sorted((str(f), int(n or 0)) for f, n in m.locations)),
            " ".join(" ".join(m.auto_comments).split()),  # written wrapped, read as lines
        )
        for m in catalog
        if m.id
    }
