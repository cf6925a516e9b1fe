"""Every JSON-LD block the engine writes is valid against the schema.org vocabulary itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import build_site, require_file
from tests.schemaorg import VOCABULARY, Vocabulary, check, check_page, vocabulary


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    require_file(VOCABULARY, "the schema.org vocabulary")
    return vocabulary()


def site_problems(site: Path, vocab: Vocabulary) -> dict[str, tuple[int, list[str]]]:
    return {
        p.relative_to(site).as_posix(): check_page(p, vocab) for p in sorted(site.rglob("*.html"))
    }


def test_sample_site_in_both_languages(sample_site: Path, vocab: Vocabulary) -> None:
    results = site_problems(sample_site, vocab)
    assert {page: problems for page, (_, problems) in results.items() if problems} == {}
    spanish = [page for page in results if page.startswith("es/")]
    assert len(spanish) >= 10
    assert all(blocks == 1 for blocks, _ in results.values())


def test_every_clinic_field_in_the_fixture_site(valid_site: Path, vocab: Vocabulary) -> None:
    """The small fixture has what the sample lacks (fax, hours, closures, a map link)."""
    build_site(valid_site)
    contact = (valid_site / "site/contact/index.html").read_text(encoding="utf-8")
    for term in ("faxNumber", "specialOpeningHoursSpecification", "openingHoursSpecification"):
        assert f'"{term}"' in contact
    results = site_problems(valid_site / "site", vocab)
    assert {page: problems for page, (_, problems) in results.items() if problems} == {}


CLINIC = {"@context": "https://schema.org", "@type": "MedicalClinic", "name": "A clinic"}


@pytest.mark.parametrize(
    ("extra", "finding"),
    [
        ({"availableLanguage": ["en"]}, "MedicalClinic.availableLanguage: not a property"),
        ({"openingHour": "9"}, "'openingHour' is not a schema.org property"),
        (
            {"subjectOf": {"@type": "CreativeWork", "publisher": "NHS"}},
            "publisher: the text 'NHS' (expected Organization or Person)",
        ),
        (
            {"openingHoursSpecification": {"@type": "OpeningHoursSpecification", "opens": "9am"}},
            "opens: the text '9am'",
        ),
        (
            {
                "openingHoursSpecification": {
                    "@type": "OpeningHoursSpecification",
                    "dayOfWeek": "https://schema.org/Physiotherapy",
                }
            },
            "dayOfWeek: 'Physiotherapy', a MedicalSpecialty",
        ),
        ({"employee": {"@type": "Persn", "name": "X"}}, "'Persn' is not a schema.org type"),
        ({"employee": {"@type": "Place", "name": "X"}}, "employee: a Place"),
        ({"telephone": 2135550100}, "telephone: the number 2135550100"),
        ({"url": "clinic.example"}, "url: the text 'clinic.example'"),
    ],
)
def test_the_checker_finds_what_the_vocabulary_forbids(
    vocab: Vocabulary, extra: dict[str, object], finding: str
) -> None:
    problems = check({**CLINIC, **extra}, "page", vocab)
    assert problems and all(p.startswith("page: MedicalClinic") for p in problems)
    assert any(finding in p for p in problems), problems


def test_the_checker_accepts_what_the_vocabulary_allows(vocab: Vocabulary) -> None:
    block = {
        "@context": "https://schema.org",
        "@graph": [
            {
                **CLINIC,
                "@id": "https://clinic.example/#clinic",
                "medicalSpecialty": ["https://schema.org/Physiotherapy"],
                "employee": [{"@id": "https://clinic.example/#person-a"}],
                "openingHoursSpecification": {
                    "@type": "OpeningHoursSpecification",
                    "dayOfWeek": "https://schema.org/Monday",
                    "opens": "09:00",
                    "validFrom": "2026-12-24",
                },
            },
            {"@type": "Person", "@id": "https://clinic.example/#person-a", "name": "A"},
            {
                "@type": ["ExercisePlan", "HowTo"],
                "repetitions": 10,
                "activityDuration": "PT30S",
                "step": [{"@type": "HowToStep", "position": 1, "text": "Lie down."}],
            },
        ],
    }
    assert check(block, "page", vocab) == []
    # a reference to a node of the wrong type in the same graph is found too
    block["@graph"][1]["@type"] = "Place"
    assert any("employee: a Place" in p for p in check(block, "page", vocab))
