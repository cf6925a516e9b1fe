"""`content/data/clinic.yaml`: loaded and checked once, shown on every page ("Speak with us")."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import phonenumbers

from .diagnostics import Diagnostic, error
from .models import ClinicMeta, Person
from .schema import validate
from .yamlsource import parse_yaml

CLINIC_FILE = "data/clinic.yaml"


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
    """The clinic, validated: phone parsed, people indexed by key."""

    meta: ClinicMeta
    phone: Phone
    people: dict[str, Person]
    src_path: str

    @property
    def name(self) -> str:
        return self.meta.name


def load_clinic(content_dir: Path, content_rel: str) -> tuple[Clinic | None, list[Diagnostic]]:
    """Read and validate the clinic file; every problem reported with its line."""
    rel = f"{content_rel}/{CLINIC_FILE}"
    path = content_dir / CLINIC_FILE
    if not path.is_file():
        return None, [
            error(
                "clinic",
                "clinic data file is missing",
                rel,
                hint="every page shows how to reach the clinic; create "
                f"{rel} (see docs/content-guide.md)",
            )
        ]
    doc, diagnostics = parse_yaml(path.read_text(encoding="utf-8"), rel)
    if doc is None:
        return None, diagnostics
    meta, problems = validate(ClinicMeta, doc, rel)
    diagnostics += problems
    # the phone is checked even when other fields are wrong: every problem in one run
    phone_text = doc.data.get("phone")
    address = doc.data.get("address")
    country = address.get("country", "") if isinstance(address, dict) else ""
    phone = parse_phone(phone_text, str(country)) if isinstance(phone_text, str) else None
    if isinstance(phone_text, str) and phone is None:
        diagnostics.append(
            error(
                "phone",
                f"phone: not a valid phone number (got '{phone_text}')",
                rel,
                doc.line_of(("phone",)),
                hint="write it as people dial it, e.g. (213) 555-0100, "
                "or with a country code, e.g. +1 213 555 0100",
            )
        )
    if meta is None or phone is None:
        return None, diagnostics
    people: dict[str, Person] = {}
    for index, person in enumerate(meta.people):
        if person.key in people:
            diagnostics.append(
                error(
                    "duplicate-key",
                    f"people[{index + 1}].key: '{person.key}' is used twice",
                    rel,
                    doc.line_of(("people", index, "key")),
                )
            )
        people[person.key] = person
    if any(d.is_error for d in diagnostics):
        return None, diagnostics
    return Clinic(meta, phone, people, rel), diagnostics


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
