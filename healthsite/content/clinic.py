"""`content/data/clinic.yaml`: loaded and checked once; every page shows how to reach the clinic.

The file is the single source of the clinic's name, numbers, address, hours and people: the
"Speak with us" block, the contact page, its structured data and the vCard all read this one
validated value, so they can never disagree.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import zoneinfo
from dataclasses import dataclass, replace
from pathlib import Path

import phonenumbers
from babel.core import Locale, UnknownLocaleError
from babel.dates import get_timezone_name
from email_validator import EmailNotValidError, validate_email

from healthsite.content.clinic_models import ClinicMeta, Person
from healthsite.content.placeholders import diagnostics as placeholder_problems
from healthsite.content.placeholders import find_in_meta, without_others
from healthsite.content.schema import validate
from healthsite.content.yaml_lines import YamlDoc, parse_yaml
from healthsite.diagnostics import Diagnostic, did_you_mean, error, warning
from healthsite.inputs import Refused, SiteFiles

CLINIC_FILE = "data/clinic.yaml"
PHONE_LABELS = {"main": "Main", "appointments": "Appointments", "fax": "Fax"}


@dataclass(frozen=True, slots=True)
class Phone:
    """A phone number in the two forms a page needs."""

    e164: str
    """`+12133694583`: what a `tel:` link dials from anywhere."""
    display: str
    """`(213) 369-4583`: how people in the clinic's country write it."""

    @property
    def tel_href(self) -> str:
        return f"tel:{self.e164}"


@dataclass(frozen=True, slots=True)
class Clinic:
    """The clinic, validated: numbers parsed, people indexed by key, names made readable."""

    meta: ClinicMeta
    phones: dict[str, Phone]
    """`main`, then `appointments` and `fax` when the clinic has them."""
    people: dict[str, Person]
    src_path: str
    timezone_name: str
    """The time zone as people say it, e.g. "Pacific Time"."""
    language_names: tuple[str, ...]
    """Languages spoken, in the site's language, e.g. ("English", "Spanish")."""

    @property
    def name(self) -> str:
        return self.meta.name

    @property
    def phone(self) -> Phone:
        """The main number: the one every page shows."""
        return self.phones["main"]

    @property
    def has_form(self) -> bool:
        return self.meta.form.enabled

    def in_language(self, code: str) -> Clinic:
        """The clinic as a page in `code` shows it: its emergency text and roles translated."""
        localized = replace(
            self,
            timezone_name=timezone_label(zoneinfo.ZoneInfo(self.meta.timezone), code),
            language_names=tuple(language_label(c, code) for c in self.meta.languages),
        )
        words = self.meta.translations.get(code)
        if words is None:
            return localized
        people = tuple(
            p.model_copy(update={"role": words.roles.get(p.key, p.role)}) for p in self.meta.people
        )
        closures = tuple(
            c.model_copy(update={"note": note}) if note else c
            for c, note in zip(self.meta.closures, (*words.closures, *[""] * 99), strict=False)
        )
        meta = self.meta.model_copy(
            update={
                "emergency": words.emergency or self.meta.emergency,
                "people": people,
                "closures": closures,
            }
        )
        return replace(localized, meta=meta, people={p.key: p for p in people})

    @property
    def specialty_names(self) -> tuple[str, ...]:
        """schema.org names made readable: `PlasticSurgery` → "Plastic surgery"."""
        return tuple(_words(s) for s in self.meta.specialties)


def load_clinic(
    content_dir: Path,
    content_rel: str,
    *,
    language: str = "en",
    today: dt.date | None = None,
    files: SiteFiles | None = None,
) -> tuple[Clinic | None, list[Diagnostic]]:
    """Read and validate the clinic file; every problem reported with its line.

    The file is read through `files` (the site's, by default the content folder's parent).
    """
    rel = f"{content_rel}/{CLINIC_FILE}"
    path = content_dir / CLINIC_FILE
    if not os.path.lexists(path):
        return None, [
            error(
                "clinic",
                "clinic data file is missing",
                rel,
                hint=f"every page shows how to reach the clinic; create {rel} "
                "(see docs/content-guide.md)",
            )
        ]
    try:
        text = (files or SiteFiles.of(content_dir.parent)).read_text(path)
    except Refused as refused:
        return None, [refused.at(rel)]
    return check_clinic(text, rel, language=language, today=today)


def check_clinic(
    text: str, rel: str, *, language: str = "en", today: dt.date | None = None
) -> tuple[Clinic | None, list[Diagnostic]]:
    """The clinic file's text validated, as `load_clinic` does (the editing UI checks a save)."""
    doc, diagnostics = parse_yaml(text, rel)
    if doc is None:
        return None, diagnostics
    meta, problems = validate(ClinicMeta, doc, rel)
    diagnostics += problems
    # checked even when other fields are wrong, so every problem shows in one run
    phones, problems = _phones(doc, rel)
    diagnostics += problems
    diagnostics += _email(doc, rel)
    timezone, problems = _timezone(doc, rel, language)
    diagnostics += problems
    languages, problems = _languages(doc, rel, language)
    diagnostics += problems
    diagnostics += _duplicate_people(doc, rel) + _past_closures(doc, rel, today)
    left = find_in_meta(doc)  # what `init` asked the clinic to fill in: never published
    if left:
        found = placeholder_problems(left, rel, can_be_draft=False)
        diagnostics = without_others(diagnostics + found, left)
    if meta is None or any(d.is_error for d in diagnostics):
        return None, diagnostics
    people = {person.key: person for person in meta.people}
    if any(d.is_error for d in diagnostics):
        return None, diagnostics
    return Clinic(meta, phones, people, rel, timezone, languages), diagnostics


def _duplicate_people(doc: YamlDoc, rel: str) -> list[Diagnostic]:
    seen: set[str] = set()
    found = []
    for index, person in enumerate(doc.data.get("people") or ()):
        key = person.get("key") if isinstance(person, dict) else None
        if isinstance(key, str) and key in seen:
            found.append(
                error(
                    "duplicate-key",
                    f"people[{index + 1}].key: '{key}' is used twice",
                    rel,
                    doc.line_of(("people", index, "key")),
                )
            )
        seen.add(str(key))
    return found


def _past_closures(doc: YamlDoc, rel: str, today: dt.date | None) -> list[Diagnostic]:
    found = []
    for index, closure in enumerate(doc.data.get("closures") or ()):
        last = closure.get("last_day") if isinstance(closure, dict) else None
        if today is not None and isinstance(last, dt.date) and last < today:
            found.append(
                warning(
                    "closure-past",
                    f"closures[{index + 1}]: this closure ended on {last.isoformat()}",
                    rel,
                    doc.line_of(("closures", index)),
                    hint="remove it so patients only see closures to come",
                )
            )
    return found


def parse_phone(text: str, country: str) -> Phone | None:
    """Parse with the clinic's country as the default region; None when it is not a real number."""
    try:
        number = phonenumbers.parse(text, country)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    display = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return Phone(e164, display)


def _phones(doc: YamlDoc, rel: str) -> tuple[dict[str, Phone], list[Diagnostic]]:
    raw = doc.data.get("phones")
    address = doc.data.get("address")
    country = str(address.get("country", "")) if isinstance(address, dict) else ""
    phones: dict[str, Phone] = {}
    found: list[Diagnostic] = []
    if not isinstance(raw, dict):
        return phones, found  # the schema reports a missing or malformed `phones`
    for label in PHONE_LABELS:
        text = raw.get(label)
        if not isinstance(text, str) or not text.strip():
            continue
        phone = parse_phone(text, country)
        if phone is None:
            found.append(
                error(
                    "phone",
                    f"phones.{label}: not a valid phone number (got '{text}')",
                    rel,
                    doc.line_of(("phones", label)),
                    hint="write it as people dial it, e.g. (213) 555-0100, or with "
                    "a country code, e.g. +1 213 555 0100",
                )
            )
        else:
            phones[label] = phone
    return phones, found


def _email(doc: YamlDoc, rel: str) -> list[Diagnostic]:
    email = doc.data.get("email")
    if not isinstance(email, str) or not email:
        return []
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as exc:
        return [
            error(
                "email",
                f"email: not a valid email address (got '{email}'): {exc}",
                rel,
                doc.line_of(("email",)),
            )
        ]
    return []


def _timezone(doc: YamlDoc, rel: str, language: str) -> tuple[str, list[Diagnostic]]:
    name = doc.data.get("timezone")
    if not isinstance(name, str) or not name:
        return "", []
    try:
        zone = zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):  # "Pacific" is a folder
        hint = did_you_mean(name, _zone_names()) or "use a name like America/Los_Angeles"
        return "", [
            error(
                "timezone",
                f"timezone: unknown time zone '{name}'",
                rel,
                doc.line_of(("timezone",)),
                hint=hint,
            )
        ]
    return timezone_label(zone, language), []


def _languages(doc: YamlDoc, rel: str, language: str) -> tuple[tuple[str, ...], list[Diagnostic]]:
    codes = doc.data.get("languages")
    if not isinstance(codes, tuple):
        return (), []
    names: list[str] = []
    found: list[Diagnostic] = []
    for index, code in enumerate(codes):
        try:
            names.append(language_label(str(code), language))
        except (ValueError, UnknownLocaleError):
            found.append(
                error(
                    "language",
                    f"languages[{index + 1}]: unknown language code '{code}'",
                    rel,
                    doc.line_of(("languages", index)),
                    hint="use codes like en, es, zh, vi",
                )
            )
    return tuple(names), found


def timezone_label(zone: zoneinfo.ZoneInfo, language: str) -> str:
    """A time zone as people say it in `language`: "Pacific Time", "hora del Pacífico"."""
    return get_timezone_name(zone, "long", zone_variant="generic", locale=_locale(language))


def language_label(code: str, language: str) -> str:
    """A language's name in `language`: `es` → "Spanish" in English, "español" in Spanish."""
    return Locale.parse(_locale(code)).get_display_name(_locale(language)) or code


def _locale(language: str) -> str:
    return language.replace("-", "_")


def _zone_names() -> set[str]:
    return zoneinfo.available_timezones()


def _words(camel: str) -> str:
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", camel).split()
    return " ".join([words[0], *(w.lower() for w in words[1:])])
