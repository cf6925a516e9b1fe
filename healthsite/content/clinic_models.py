"""The models of `content/data/clinic.yaml`: how patients reach the clinic, and who works there.

Like the front matter models (`models.py`), strict and frozen; `clinic.py` loads and checks the
file against them.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import Field, model_validator

from healthsite.content.models import Text, _Strict
from healthsite.content.web import plain_web_address


class Hours(_Strict):
    """Opening hours for a set of weekdays, as real 24-hour times."""

    days: tuple[Literal["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"], ...] = Field(min_length=1)
    opens: str = Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    closes: str = Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")

    @model_validator(mode="after")
    def _opens_before_closes(self) -> Hours:
        if self.closes != "24:00" and self.closes <= self.opens:
            raise ValueError(f"closes must be later than opens ({self.opens}-{self.closes})")
        return self


class Closure(_Strict):
    """Days the clinic is closed (holidays), shown on the contact page."""

    first_day: dt.date
    last_day: dt.date
    note: str = ""

    @model_validator(mode="after")
    def _in_order(self) -> Closure:
        if self.last_day < self.first_day:
            raise ValueError("last_day must not be before first_day")
        return self


class Address(_Strict):
    """Postal address; only what the clinic has confirmed needs to be filled in."""

    street: str = ""
    locality: str = Text
    region: str = ""
    postal_code: str = ""
    country: str = Field(pattern=r"^[A-Z]{2}$")


class Phones(_Strict):
    """The clinic's numbers, written as people dial them; `main` is the one every page shows."""

    main: str = Text
    appointments: str = ""
    fax: str = ""


class Person(_Strict):
    """Someone who writes or reviews content, or whom patients may see."""

    key: str = Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
    name: str = Text
    credentials: str = ""
    role: str = ""


class ContactForm(_Strict):
    """The contact form: off unless the clinic has an HTTPS endpoint that receives it."""

    enabled: bool = False
    endpoint: str = ""
    """Where the form posts: an https:// address (http:// only for this computer, in tests)."""
    honeypot: str = Field(default="website", pattern=r"^[a-z][a-z0-9_-]*$")
    """Name of the hidden field that people leave empty and spam robots fill in."""

    @model_validator(mode="after")
    def _secure_endpoint(self) -> ContactForm:
        if self.enabled and not SECURE_ENDPOINT.match(self.endpoint):
            raise ValueError(
                "endpoint must be an https:// address when the form is enabled"
                + (f" (got '{self.endpoint}')" if self.endpoint else "")
            )
        if self.enabled:  # it goes into the Content-Security-Policy: nothing that could end it
            try:
                plain_web_address(self.endpoint)
            except ValueError as exc:
                raise ValueError(f"endpoint {exc}") from None
        return self


#: https anywhere; http only on this computer (a local test endpoint).
SECURE_ENDPOINT = re.compile(r"^(https://[^\s/]+|http://(127\.0\.0\.1|localhost)(:\d+)?)(/\S*)?$")

#: schema.org MedicalSpecialty values (https://schema.org/MedicalSpecialty).
MedicalSpecialty = Literal[
    "Anesthesia",
    "Cardiovascular",
    "CommunityHealth",
    "Dentistry",
    "Dermatology",
    "DietNutrition",
    "Emergency",
    "Endocrine",
    "Gastroenterologic",
    "Genetic",
    "Geriatric",
    "Gynecologic",
    "Hematologic",
    "Infectious",
    "LaboratoryScience",
    "Midwifery",
    "Musculoskeletal",
    "Neurologic",
    "Nursing",
    "Obstetric",
    "Oncologic",
    "Optometric",
    "Otolaryngologic",
    "Pathology",
    "Pediatric",
    "PharmacySpecialty",
    "Physiotherapy",
    "PlasticSurgery",
    "Podiatric",
    "PrimaryCare",
    "Psychiatric",
    "PublicHealth",
    "Pulmonary",
    "Radiography",
    "Renal",
    "RespiratoryTherapy",
    "Rheumatologic",
    "SpeechPathology",
    "Surgical",
    "Toxicologic",
    "Urologic",
]


class ClinicText(_Strict):
    """The clinic's own words in another language (numbers and names never change)."""

    emergency: str = ""
    roles: dict[str, str] = Field(default_factory=dict)
    """Person key → their role in this language."""
    closures: tuple[str, ...] = ()
    """The closures' notes in this language, in the same order."""


class ClinicMeta(_Strict):
    """`content/data/clinic.yaml`: the one source of how patients reach the clinic."""

    name: str = Text
    phones: Phones
    email: str = ""
    address: Address
    map_url: str = Field(default="", pattern=r"^(https://\S+)?$")
    """A plain link to the clinic on a map; never an embedded map (it would track visitors)."""
    timezone: str = Text
    hours: tuple[Hours, ...] = ()
    closures: tuple[Closure, ...] = ()
    emergency: str = Text
    people: tuple[Person, ...] = Field(min_length=1)
    specialties: tuple[MedicalSpecialty, ...] = ()
    languages: tuple[str, ...] = ()
    """Languages spoken at the clinic, as codes: en, es, ..."""
    form: ContactForm = ContactForm()
    translations: dict[str, ClinicText] = Field(default_factory=dict)
    """Language code → the clinic's words in that language."""
