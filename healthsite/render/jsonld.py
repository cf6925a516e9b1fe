"""schema.org structured data (JSON-LD), built from the same values the page shows.

One `@graph` per page with stable `@id`s: the clinic, the people who wrote and reviewed the page,
the `MedicalWebPage` (with `lastReviewed` and `reviewedBy`), and its main entity: an `Article`, or
an `ExercisePlan` whose steps are `HowToStep`s.
"""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from healthsite.content.clinic_models import Person
from healthsite.content.documents import Document
from healthsite.content.models import LABELS, SCHEMA_CATEGORY, ArticleMeta, ExerciseMeta
from healthsite.content.sources import Kind
from healthsite.site.routes import RenderJob
from healthsite.site.site_model import SiteModel

SCHEMA = "https://schema.org"
DAY_CODES = {
    "Mo": "Monday",
    "Tu": "Tuesday",
    "We": "Wednesday",
    "Th": "Thursday",
    "Fr": "Friday",
    "Sa": "Saturday",
    "Su": "Sunday",
}


def structured_data(model: SiteModel, job: RenderJob) -> dict[str, Any]:
    """The JSON-LD graph for one page."""
    base = model.config.settings.base_url
    page_url = absolute(model, job.url)
    full = job.route in ("/", "/contact/")
    graph: list[dict[str, Any]] = [clinic_node(model, full=full)]
    if full:
        graph += clinic_people(model)
    if job.doc is None:
        graph.append(_plain_page(model, job, page_url))
        if job.route == "/":
            graph.append(
                {
                    "@type": "WebSite",
                    "@id": f"{base}#website",
                    "url": base,
                    "name": model.config.settings.title,
                    "inLanguage": list(model.config.languages),
                    "publisher": {"@id": f"{base}#clinic"},
                }
            )
    elif job.doc.kind is Kind.PAGE:
        graph.append(_plain_page(model, job, page_url))
    else:
        graph += _health_page(model, job.doc, page_url)
    graph.append(_breadcrumbs(model, job, page_url))
    return {"@context": SCHEMA, "@graph": graph}


def script_tag(data: dict[str, Any]) -> Markup:
    """`<script type="application/ld+json">`, escaped so no text can close the element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(f'<script type="application/ld+json">{text}</script>')


def absolute(model: SiteModel, url: str) -> str:
    """`/exercises/bridge/` → `https://clinic.example/exercises/bridge/` (base path included)."""
    return model.config.settings.base_url + url.lstrip("/")


def clinic_node(model: SiteModel, *, full: bool = False) -> dict[str, Any]:
    """The clinic: name, address and number on every page; everything on home and contact."""
    base = model.config.settings.base_url
    clinic = model.clinic
    meta = clinic.meta
    address = meta.address
    node: dict[str, Any] = {
        "@type": "MedicalClinic",
        "@id": f"{base}#clinic",
        "name": clinic.name,
        "url": base,
        "telephone": clinic.phone.e164,
        "address": {
            k: v
            for k, v in {
                "@type": "PostalAddress",
                "streetAddress": address.street,
                "addressLocality": address.locality,
                "addressRegion": address.region,
                "postalCode": address.postal_code,
                "addressCountry": address.country,
            }.items()
            if v
        },
    }
    if full:
        node.update(_clinic_details(model))
    return node


def _clinic_details(model: SiteModel) -> dict[str, Any]:
    """What home and contact pages add: fax, email, map, hours, closures, specialties,
    languages and clinicians (each only when the clinic has one)."""
    clinic = model.clinic
    meta = clinic.meta
    details = {
        "faxNumber": clinic.phones["fax"].e164 if "fax" in clinic.phones else None,
        "email": meta.email,
        "hasMap": meta.map_url,
        "openingHoursSpecification": [
            {
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": [f"{SCHEMA}/{DAY_CODES[d]}" for d in h.days],
                "opens": h.opens,
                "closes": "23:59" if h.closes == "24:00" else h.closes,
            }
            for h in meta.hours
        ],
        # Google's pattern for "closed all day": opens = closes = 00:00
        "specialOpeningHoursSpecification": [
            {
                "@type": "OpeningHoursSpecification",
                "validFrom": c.first_day.isoformat(),
                "validThrough": c.last_day.isoformat(),
                "opens": "00:00",
                "closes": "00:00",
            }
            for c in meta.closures
        ],
        "medicalSpecialty": [f"{SCHEMA}/{s}" for s in meta.specialties],
        # schema.org has languages on a contact point, as BCP 47 codes
        "contactPoint": {
            "@type": "ContactPoint",
            "contactType": "customer service",
            "telephone": clinic.phone.e164,
            "availableLanguage": list(meta.languages),
        }
        if meta.languages
        else None,
        "employee": [{"@id": person_id(model, p.key)} for p in meta.people if p.credentials],
    }
    return {key: value for key, value in details.items() if value}


def clinic_people(model: SiteModel) -> list[dict[str, Any]]:
    """The clinicians the contact page shows (people with credentials)."""
    return [person_node(model, p) for p in model.clinic.meta.people if p.credentials]


def person_node(model: SiteModel, person: Person) -> dict[str, Any]:
    node: dict[str, Any] = {
        "@type": "Person",
        "@id": person_id(model, person.key),
        "name": person.name,
    }
    if person.credentials:
        node["honorificSuffix"] = person.credentials
    if person.role:
        node["jobTitle"] = person.role
    node["worksFor"] = {"@id": f"{model.config.settings.base_url}#clinic"}
    return node


def person_id(model: SiteModel, key: str) -> str:
    return f"{model.config.settings.base_url}#person-{key}"


def _plain_page(model: SiteModel, job: RenderJob, page_url: str) -> dict[str, Any]:
    base = model.config.settings.base_url
    return {
        "@type": "ContactPage" if job.route == "/contact/" else "WebPage",
        "@id": f"{page_url}#webpage",
        "url": page_url,
        "inLanguage": model.lang,
        "isPartOf": {"@id": f"{base}#website"},
        "publisher": {"@id": f"{base}#clinic"},
    }


def _health_page(model: SiteModel, doc: Document, page_url: str) -> list[dict[str, Any]]:
    meta = doc.meta
    assert isinstance(meta, ArticleMeta | ExerciseMeta)
    base = model.config.settings.base_url
    author = model.clinic.people[meta.author]
    reviewer = model.clinic.people[meta.reviewer]
    entity = (
        _article(model, doc, meta, page_url)
        if isinstance(meta, ArticleMeta)
        else _exercise(model, doc, meta, page_url)
    )
    page: dict[str, Any] = {
        "@type": "MedicalWebPage",
        "@id": f"{page_url}#webpage",
        "url": page_url,
        "name": doc.title,
        "description": meta.summary,
        "inLanguage": model.lang,
        "lastReviewed": meta.last_reviewed.isoformat(),
        "reviewedBy": {"@id": person_id(model, reviewer.key)},
        "author": {"@id": person_id(model, author.key)},
        "publisher": {"@id": f"{base}#clinic"},
        "medicalAudience": {"@type": "MedicalAudience", "audienceType": "Patient"},
        "mainEntity": {"@id": entity["@id"]},
    }
    if meta.sources:
        page["citation"] = [
            {
                "@type": "CreativeWork",
                "name": s.title,
                **({"url": s.url} if s.url else {}),
                **(
                    {"publisher": {"@type": "Organization", "name": s.publisher}}
                    if s.publisher
                    else {}
                ),
            }
            for s in meta.sources
        ]
    people = {p.key: person_node(model, p) for p in (author, reviewer)}
    return [page, entity, *people.values()]


def _article(model: SiteModel, doc: Document, meta: ArticleMeta, url: str) -> dict[str, Any]:
    published = meta.published or meta.last_reviewed
    return {
        "@type": "Article",
        "@id": f"{url}#article",
        "headline": doc.title,
        "description": meta.summary,
        "author": {"@id": person_id(model, meta.author)},
        "datePublished": published.isoformat(),
        "dateModified": max(published, meta.last_reviewed).isoformat(),
        "publisher": {"@id": f"{model.config.settings.base_url}#clinic"},
        "mainEntityOfPage": {"@id": f"{url}#webpage"},
        **({"keywords": ", ".join(meta.tags)} if meta.tags else {}),
    }


def _exercise(model: SiteModel, doc: Document, meta: ExerciseMeta, url: str) -> dict[str, Any]:
    dose = meta.dose
    node: dict[str, Any] = {
        "@type": ["ExercisePlan", "HowTo"],
        "@id": f"{url}#exercise",
        "name": doc.title,
        "description": meta.summary,
        "category": f"{SCHEMA}/{SCHEMA_CATEGORY[meta.category]}",
        "exerciseType": LABELS[meta.category],
        "repetitions": dose.reps,
        "activityFrequency": f"{dose.times_per_day} times a day",
        "step": [
            {"@type": "HowToStep", "position": i + 1, "text": step}
            for i, step in enumerate(meta.steps)
        ],
    }
    if meta.alternate_names:
        node["alternateName"] = list(meta.alternate_names)
    if dose.rest_seconds:
        node["restPeriods"] = f"PT{dose.rest_seconds}S"
    if dose.hold_seconds:
        node["activityDuration"] = f"PT{dose.hold_seconds}S"
        node["additionalVariable"] = f"Hold each repetition for {dose.hold_seconds} seconds"
    images = [model.assets.dest(i.src) for i in meta.images]
    if images and images[0]:
        node["image"] = absolute(model, "/" + images[0])
    return node


def _breadcrumbs(model: SiteModel, job: RenderJob, page_url: str) -> dict[str, Any]:
    items = [("Home", "/")]
    if job.doc is not None and job.doc.kind is Kind.ARTICLE:
        items.append(("Articles", "/articles/"))
    elif job.doc is not None and job.doc.kind is Kind.EXERCISE:
        items.append(("Exercises", "/exercises/"))
    if job.url != "/":
        items.append((job.doc.title if job.doc else job.title, job.url))
    return {
        "@type": "BreadcrumbList",
        "@id": f"{page_url}#breadcrumb",
        "itemListElement": [
            {"@type": "ListItem", "position": i + 1, "name": name, "item": absolute(model, url)}
            for i, (name, url) in enumerate(items)
        ],
    }
