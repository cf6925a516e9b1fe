"""`site.yaml`: the validated settings of one site, loaded once per build.

Every field is documented in `docs/configuration.md`; unknown keys are warnings with a hint.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Literal
from urllib.parse import urlsplit

from babel.core import Locale, UnknownLocaleError
from pydantic import Field, ValidationError, field_validator, model_validator

from healthsite.content.clinic import Clinic, load_clinic
from healthsite.content.models import _Strict
from healthsite.content.placeholders import diagnostics as placeholder_problems
from healthsite.content.placeholders import find_in_meta, without_others
from healthsite.content.schema import validate
from healthsite.content.web import plain_web_address
from healthsite.content.yaml_lines import parse_yaml
from healthsite.diagnostics import Diagnostic, error, warning
from healthsite.inputs import Refused, SiteFiles
from healthsite.today import build_today

CONFIG_FILE = "site.yaml"
#: Where `serve` builds: apart from the real output folder.
PREVIEW_DIR = ".healthsite-preview"

DEFAULT_DISCLAIMER = (
    "This information is general. It does not replace advice from your own doctor or "
    "physical therapist, who knows your health history."
)


class ReviewSettings(_Strict):
    """When an overdue review becomes an error (NHS pattern: review dates on every page)."""

    overdue_error_days: int = Field(default=90, ge=0)


class ReadabilitySettings(_Strict):
    """How hard a page may be to read (patient materials: US school grade 6 to 8)."""

    max_grade: float = Field(default=8, ge=1, le=18)
    """A page whose text reads above this grade gets a `readability` warning."""
    long_sentence_words: int = Field(default=25, ge=8, le=80)
    """A sentence of more words than this is pointed out on a page above `max_grade`."""


class SearchSettings(_Strict):
    """Site search (Pagefind): a static index searched in the visitor's browser."""

    enabled: bool = True


class EditorSettings(_Strict):
    """Editing in the browser (Decap CMS): on the editor's computer it is always offered."""

    published: bool = False
    """The editing page is published with the site under `/admin/` (`export-editor`): the
    `_headers` file then gives `/admin/` a policy of its own (see `render/security.py`)."""


class MediaSettings(_Strict):
    """Pictures and videos: the sizes made of each photo, their formats, and the limits an
    editor hears about."""

    widths: tuple[int, ...] = (480, 800, 1200, 1600)
    """Widths in pixels made of each photo (never wider than the photo itself)."""
    format: Literal["auto", "avif", "webp"] = "auto"
    """The modern format offered first: `auto` is AVIF when this Pillow can write it, else WebP.
    A JPEG (or, for pictures with transparency, PNG) copy is always made for older browsers."""
    quality: int = Field(default=55, ge=1, le=100)
    """Quality of the modern format (AVIF 55 looks like JPEG 80 at about half the bytes)."""
    fallback_quality: int = Field(default=80, ge=1, le=100)
    """Quality of the JPEG copies."""
    max_image_mb: float = Field(default=25, gt=0)
    """A picture file larger than this is refused (a phone photo is 3 to 6 MB)."""
    max_video_mb: float = Field(default=50, gt=0)
    """A video file larger than this is refused: patients watch on phones, on mobile data."""
    share_image: str = ""
    """The picture shared with a link (Open Graph `og:image`) when a page has none of its own:
    a path in the static folder, 1200 x 630 pixels is best. Empty: the theme's."""

    @field_validator("widths")
    @classmethod
    def _sensible_widths(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        if not value or any(w < 64 or w > 4096 for w in value):
            raise ValueError("must list widths between 64 and 4096 pixels, like [480, 800, 1200]")
        return tuple(sorted(set(value)))


class LanguageSettings(_Strict):
    """site.yaml text in another language; a field left out stays as in the main language."""

    title: str = ""
    tagline: str = ""
    description: str = ""
    disclaimer: str = ""


class TranslationSettings(_Strict):
    """The translation hook that drafts translations for people to review."""

    hook: str = ""
    """`package.module:function`, or the name of an entry point in `healthsite.translators`
    (the built-in `pseudo` pseudo-localises, to check layouts for longer text)."""
    glossary: tuple[str, ...] = ()
    """Words never to translate (drug names...); clinic and people names and numbers are
    always added."""
    publish_unreviewed_safety_text: bool = False
    """Publish machine-translated safety text (steps, dose, stop-if) before a person reviews it."""


class SiteSettings(_Strict):
    """The fields an editor or maintainer may write in `site.yaml`."""

    title: str = Field(min_length=1)
    tagline: str = ""
    description: str = Field(min_length=1)
    base_url: str = Field(pattern=r"^https?://[^\s/]+(/\S*)?$")
    language: str = Field(default="en", pattern=r"^[a-z]{2,3}(-[A-Z]{2})?$")
    """BCP 47 code of the site's language, e.g. `en` or `en-US`."""
    disclaimer: str = DEFAULT_DISCLAIMER
    languages: dict[str, LanguageSettings] = Field(default_factory=dict)
    """Other languages of the site (e.g. `es: {tagline: ...}`); pages live under `/<code>/`."""
    translation: TranslationSettings = TranslationSettings()
    review: ReviewSettings = ReviewSettings()
    readability: ReadabilitySettings = ReadabilitySettings()
    search: SearchSettings = SearchSettings()
    editor: EditorSettings = EditorSettings()
    media: MediaSettings = MediaSettings()
    content_dir: str = "content"
    templates_dir: str = "templates"
    static_dir: str = "static"
    output_dir: str = "site"
    """Replaced whole on every build: it must be a folder of its own, never a source folder."""

    @field_validator("content_dir", "templates_dir", "static_dir", "output_dir")
    @classmethod
    def _folder_inside_site(cls, value: str) -> str:
        path = PurePosixPath(value)
        if (
            not value.strip()
            or path.is_absolute()
            or ".." in path.parts
            or path == PurePosixPath(".")
        ):
            raise ValueError(
                f"must be a folder inside the site folder, like 'site' (got '{value}')"
            )
        return value

    @field_validator("language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        try:
            Locale.parse(value.replace("-", "_"))
        except (ValueError, UnknownLocaleError):
            raise ValueError(f"unknown language code '{value}'") from None
        return value

    @field_validator("languages")
    @classmethod
    def _known_languages(cls, value: dict[str, LanguageSettings]) -> dict[str, LanguageSettings]:
        for code in value:
            if not re.fullmatch(r"[a-z]{2,3}(-[A-Z]{2})?", code):
                raise ValueError(f"'{code}' is not a language code like es or pt-BR")
            try:
                Locale.parse(code.replace("-", "_"))
            except (ValueError, UnknownLocaleError):
                raise ValueError(f"unknown language code '{code}'") from None
        return value

    @model_validator(mode="after")
    def _main_language_not_repeated(self) -> SiteSettings:
        if self.language in self.languages:
            raise ValueError(
                f"languages lists the main language '{self.language}'; list only the others"
            )
        return self

    def in_language(self, code: str) -> SiteSettings:
        """These settings as a page in `code` sees them (its own tagline, description...)."""
        if code == self.language:
            return self
        own = self.languages[code]
        update = {k: v for k, v in own.model_dump().items() if v}
        return self.model_copy(update=update)

    @model_validator(mode="after")
    def _output_apart_from_sources(self) -> SiteSettings:
        output = PurePosixPath(self.output_dir)
        for name in ("content_dir", "templates_dir", "static_dir"):
            source = PurePosixPath(getattr(self, name))
            if output == source or source.is_relative_to(output) or output.is_relative_to(source):
                raise ValueError(
                    f"output_dir must be a folder of its own: it is replaced on every build, "
                    f"and '{self.output_dir}' overlaps {name} '{source}'"
                )
        return self

    @field_validator("base_url")
    @classmethod
    def _plain_address(cls, value: str) -> str:
        """Only a plain address: it is written into HTML, XML, JSON, robots.txt and a vCard."""
        value = plain_web_address(value)
        return value if value.endswith("/") else value + "/"


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """A site folder and its settings, with everything derived from them computed once."""

    root: Path
    settings: SiteSettings
    today: dt.date
    strict: bool = False
    drafts: bool = False

    @property
    def files(self) -> SiteFiles:
        """What the build may read (see `inputs`): the site folder, less the output folders."""
        return SiteFiles.of(self.root, (Path(self.settings.output_dir), Path(PREVIEW_DIR)))

    @property
    def content_dir(self) -> Path:
        return self.root / self.settings.content_dir

    @property
    def templates_dir(self) -> Path:
        return self.root / self.settings.templates_dir

    @property
    def static_dir(self) -> Path:
        return self.root / self.settings.static_dir

    @property
    def output_dir(self) -> Path:
        return self.root / self.settings.output_dir

    @property
    def url_prefix(self) -> str:
        """Path part of `base_url` (`/` or `/clinic/`): every internal link starts with it."""
        return urlsplit(self.settings.base_url).path or "/"

    @property
    def languages(self) -> tuple[str, ...]:
        """Every language of the site, the main one first."""
        return (self.settings.language, *sorted(self.settings.languages))

    @property
    def locale(self) -> str:
        """The language as Babel writes it: `en-US` → `en_US`."""
        return self.settings.language.replace("-", "_")

    @property
    def config_hash(self) -> str:
        """Digest of the settings: part of every output's fingerprint."""
        blob = json.dumps(self.settings.model_dump(mode="json"), sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]


def load_config(
    root: Path,
    *,
    strict: bool = False,
    drafts: bool = False,
    today: dt.date | None = None,
    preview_url: str | None = None,
) -> tuple[SiteConfig | None, list[Diagnostic]]:
    """Read and validate `site.yaml`; problems are reported, never raised.

    Only a missing file gives no settings. In a file with errors, each wrong setting is
    replaced by its default so the build can go on checking everything else: a caller that
    acts on the settings must first look for errors among the diagnostics.
    `preview_url` makes a preview build: the site is built for that address (so links work
    whatever path the real site lives under) into `PREVIEW_DIR`, never into the real output,
    which therefore can never be published with the preview's addresses.
    """
    path = root / CONFIG_FILE
    if not os.path.lexists(path):
        return None, [
            error(
                "config",
                f"no {CONFIG_FILE} in {root}",
                CONFIG_FILE,
                hint="run the command in a site folder, pass --site DIR, or create one "
                "with 'init DIR'",
            )
        ]
    settings, diagnostics, base_url_line = _settings(SiteFiles.of(root), path)
    if preview_url is None:
        diagnostics += _example_address(settings.base_url, base_url_line)
    else:
        settings = settings.model_copy(update={"base_url": preview_url, "output_dir": PREVIEW_DIR})
    return SiteConfig(root, settings, today or build_today(), strict, drafts), diagnostics


#: What stands in for a required setting that is missing or wrong, so that the rest of the site
#: can still be checked: the build fails all the same, on the setting's own error.
PLACEHOLDERS = {
    "title": "(site.yaml has errors)",
    "description": "(site.yaml has errors)",
    "base_url": "https://example.invalid/",
}


def _settings(files: SiteFiles, path: Path) -> tuple[SiteSettings, list[Diagnostic], int]:
    """The settings, with every problem in `site.yaml` reported.

    One wrong setting must not hide the problems in content and `clinic.yaml`: a setting that
    is wrong is replaced by its default (or a placeholder), so the build goes on checking, and
    fails at the end with every error. An unreadable file means defaults for every setting.
    """
    try:
        doc, diagnostics = parse_yaml(files.read_text(path), CONFIG_FILE)
    except Refused as refused:
        doc, diagnostics = None, [refused.at(CONFIG_FILE)]
    if doc is None:
        return SiteSettings.model_validate(PLACEHOLDERS), diagnostics, 0
    settings, problems = validate(SiteSettings, doc, CONFIG_FILE)
    diagnostics += problems
    left = find_in_meta(doc)  # what `init` asked for and nobody wrote yet: never published
    if left:
        found = placeholder_problems(left, CONFIG_FILE, can_be_draft=False)
        diagnostics = without_others(diagnostics + found, left)
    line = doc.line_of(("base_url",))
    if settings is not None:
        return settings, diagnostics, line
    return _fallback(doc.data), diagnostics, line


def _fallback(data: dict[str, Any]) -> SiteSettings:
    """The settings that are right, with defaults or placeholders for the rest."""
    known = {key: value for key, value in data.items() if key in SiteSettings.model_fields}
    try:
        SiteSettings.model_validate({**PLACEHOLDERS, **known})
    except ValidationError as exc:
        wrong = {error["loc"][0] for error in exc.errors() if error["loc"]}
        if not wrong:  # a rule across settings (output_dir inside content_dir...)
            return SiteSettings.model_validate(PLACEHOLDERS)
        known = {key: value for key, value in known.items() if key not in wrong}
    try:
        return SiteSettings.model_validate({**PLACEHOLDERS, **known})
    except ValidationError:
        return SiteSettings.model_validate(PLACEHOLDERS)


#: The example address `init` writes (RFC 2606): a site published with it has wrong links.
EXAMPLE_HOSTS = re.compile(r"^(?:www\.)?example\.(?:org|com|net)$")


def _example_address(base_url: str, line: int) -> list[Diagnostic]:
    host = urlsplit(base_url).hostname or ""
    if not EXAMPLE_HOSTS.match(host):
        return []
    return [
        warning(
            "example-address",
            f"base_url: {base_url} is an example address, not the site's own",
            CONFIG_FILE,
            line,
            hint="set base_url to the address the site will be published at, like "
            "https://www.your-clinic.org/ (the preview works without it)",
        )
    ]


def load_site_clinic(config: SiteConfig) -> tuple[Clinic | None, list[Diagnostic]]:
    """The clinic file as a build reads it: the site's folder, language, date and input rule."""
    return load_clinic(
        config.content_dir,
        config.settings.content_dir,
        language=config.settings.language,
        today=config.today,
        files=config.files,
    )
