"""`translate --to es`: draft missing or stale translations through a translation hook.

A hook is any function `translate(fields, source_lang, target_lang, glossary) -> fields`,
named in site.yaml (`translation: {hook: "package.module:function"}`) or installed as an entry
point in the `healthsite.translators` group (`pseudo` is built in). It receives Markdown text,
never HTML, and a glossary of words to keep as they are. Its drafts are written as
`<slug>.<lang>.md`, marked `method: machine` and unreviewed: they are published with a notice,
kept out of search engines, and their safety text waits for a person (see translations.py).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import yaml

from healthsite.config import SiteConfig
from healthsite.content.clinic import Clinic, load_clinic
from healthsite.content.documents import Document, TranslationDoc, parse
from healthsite.content.sources import discover
from healthsite.content.translations import safety_digest, source_digest, text_fields
from healthsite.inputs import Refused

ENTRY_POINT_GROUP = "healthsite.translators"
#: Translators that ship with healthsite (also registered as entry points when installed).
BUILT_IN = {"pseudo": "healthsite.i18n.pseudo:translate"}
Hook = Callable[[dict[str, Any], str, str, list[str]], dict[str, Any]]


class TranslateError(Exception):
    """The hook could not be found or did not do its job; the message says what to fix."""


@dataclass(frozen=True, slots=True)
class Drafted:
    """One translation file the command wrote."""

    path: Path
    reason: str
    """"missing" or "out of date"."""


def load_hook(spec: str) -> Hook:
    """`package.module:function`, or the name of an entry point in `healthsite.translators`."""
    if not spec:
        raise TranslateError(
            "no translation hook: set translation.hook in site.yaml "
            '(e.g. "pseudo" or "package.module:function")'
        )
    spec_name = spec
    spec = BUILT_IN.get(spec, spec)
    if ":" in spec:
        module_name, _, attribute = spec.partition(":")
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            raise TranslateError(
                f"translation hook '{spec}': cannot import {module_name} ({exc})"
            ) from None
        hook = getattr(module, attribute, None)
    else:
        found = [ep for ep in entry_points(group=ENTRY_POINT_GROUP) if ep.name == spec]
        if not found:
            names = sorted(ep.name for ep in entry_points(group=ENTRY_POINT_GROUP))
            raise TranslateError(
                f"no translator named '{spec_name}' (installed: {', '.join(names) or 'none'})"
            )
        hook = found[0].load()
    if not callable(hook):
        raise TranslateError(f"translation hook '{spec}' is not a function")
    return hook


def glossary(clinic: Clinic, extra: tuple[str, ...]) -> list[str]:
    """Words a translator must leave alone: names, numbers, and the site's own list."""
    words = [clinic.name, *(p.name for p in clinic.meta.people)]
    words += [p.display for p in clinic.phones.values()]
    words += [p.e164 for p in clinic.phones.values()]
    return sorted(set(words) | set(extra), key=lambda w: (-len(w), w))


def draft_translations(
    config: SiteConfig, target: str, slugs: tuple[str, ...] = ()
) -> list[Drafted]:
    """Write a draft for every source page (or the named ones) lacking a current translation."""
    if target not in config.settings.languages:
        raise TranslateError(
            f"'{target}' is not one of the site's other languages "
            f"({', '.join(config.languages[1:]) or 'none configured'})"
        )
    hook = load_hook(config.settings.translation.hook)
    clinic, _ = load_clinic(config.content_dir, config.settings.content_dir, files=config.files)
    if clinic is None:
        raise TranslateError("content/data/clinic.yaml has errors: run a build to see them")
    words = glossary(clinic, config.settings.translation.glossary)
    sources, translations = _parsed(config)
    existing = {t.src_path: t for t in translations if t.lang == target}
    drafted = []
    for doc in sources:
        if slugs and doc.slug not in slugs:
            continue
        path = doc.src_path.removesuffix(".md") + f".{target}.md"
        current = existing.get(path)
        if current is None and (config.root / path).exists():
            continue  # a file the build cannot read (it reports why): never overwrite it
        if current is not None and current.meta.translation.source_digest == source_digest(doc):
            continue
        provenance = current.meta.translation if current is not None else None
        if provenance is not None and (provenance.method == "human" or provenance.reviewed):
            continue  # never overwrite a person's work; the build reports it as out of date
        fields = text_fields(doc)
        translated = hook(fields, config.settings.language, target, words)
        _check_shape(fields, translated)
        (config.root / path).write_text(
            render_translation(doc, translated, config.settings.translation.hook),
            encoding="utf-8",
        )
        drafted.append(Drafted(config.root / path, "missing" if current is None else "out of date"))
    return drafted


def render_translation(doc: Document, fields: dict[str, Any], translator: str) -> str:
    """A translation file: provenance first, then the words, then the body."""
    meta: dict[str, Any] = {
        "translation": {
            "method": "machine",
            "translator": translator,
            "reviewed_by": "",
            "source_digest": source_digest(doc),
            **({"safety_digest": digest} if (digest := safety_digest(doc)) else {}),
        }
    }
    for name, value in fields.items():
        if name == "body" or value in ("", [], None):
            continue
        meta[name] = value
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=100)
    return f"---\n{front}---\n{fields.get('body', '')}"


def stamp(config: SiteConfig, paths: list[Path]) -> list[Path]:
    """Record that translations match their sources now (after a person checked them)."""
    sources, translations = _parsed(config)
    by_path = {d.src_path: d for d in sources}
    stamped = []
    for path in paths:
        try:
            rel = path.resolve().relative_to(config.root.resolve()).as_posix()
        except ValueError:
            raise TranslateError(f"{path} is not inside the site folder {config.root}") from None
        translation = next((t for t in translations if t.src_path == rel), None)
        source = by_path.get(rel.replace(f".{translation.lang}.md", ".md")) if translation else None
        if translation is None or source is None:
            raise TranslateError(
                f"{rel} is not a translation of a published page; run a build to see why"
            )
        try:
            text = config.files.read_text(path)
        except Refused as refused:
            raise TranslateError(refused.diagnostic.headline()) from None
        text = _set_field(text, "source_digest", source_digest(source))
        if digest := safety_digest(source):
            text = _set_field(text, "safety_digest", digest)
        path.write_text(text, encoding="utf-8")
        stamped.append(path)
    return stamped


def _set_field(text: str, name: str, value: str) -> str:
    """Set `translation.<name>` in front matter, keeping everything else as written.

    The value is quoted: a digest of digits alone would otherwise be read as a number."""
    value = f'"{value}"'
    pattern = re.compile(rf"^(  {name}:).*$", re.M)
    if pattern.search(text):
        return pattern.sub(rf"\1 {value}", text, count=1)
    after = re.compile(r"^  source_digest:.*\n", re.M)
    if after.search(text):  # keep the two digests together
        return after.sub(lambda m: f"{m.group(0)}  {name}: {value}\n", text, count=1)
    return re.sub(r"^(translation:\n)", rf"\1  {name}: {value}\n", text, count=1, flags=re.M)


def _parsed(config: SiteConfig) -> tuple[list[Document], list[TranslationDoc]]:
    files, _ = discover(config.content_dir, config.files, config.languages)
    sources: list[Document] = []
    translations: list[TranslationDoc] = []
    for source in files:
        parsed, _ = parse(source)
        if isinstance(parsed, TranslationDoc):
            translations.append(parsed)
        elif isinstance(parsed, Document) and not parsed.is_draft:
            sources.append(parsed)
    return sources, translations


def _check_shape(fields: dict[str, Any], translated: Any) -> None:
    if not isinstance(translated, dict) or set(translated) != set(fields):
        raise TranslateError("the translation hook must return the same fields it was given")
    for name, value in fields.items():
        if isinstance(value, list) and len(translated[name]) != len(value):
            raise TranslateError(f"the translation hook changed the number of items in {name}")
