"""Search facets: what a visitor can filter by, decided once for the index and the search page.

The same function gives each page its `data-pagefind-filter` values and the search page its
checkboxes, so a filter shown is always a filter indexed. Values are the content's own keys
(`lower-back`), which keeps URLs stable; labels are for people.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from healthsite.content.documents import Document
from healthsite.content.models import LABELS, N_, ExerciseMeta
from healthsite.content.sources import Kind
from healthsite.site.site_model import SiteModel

FLARE_UP_VALUE = "yes"
#: The type a page has when the index gives it none. Every page's type made Pagefind's biggest
#: filter file (21 kB of 32 kB at 10,000 pages) and cost every search about 0.1 s of counting;
#: articles, the bulk of a site, are told apart as "no type" instead (search.js).
IMPLICIT_TYPE = "article"
TYPE_LABELS = {"exercise": N_("Exercises"), "article": N_("Articles"), "page": N_("Other pages")}


@dataclass(frozen=True, slots=True)
class Facet:
    """One filter group on the search page."""

    key: str
    legend: str
    values: tuple[tuple[str, str], ...]
    """(value, label) pairs in display order."""
    totals: tuple[int, ...] = ()
    """How many indexed pages have each value, in the same order: the counts the search page
    shows before any search, so it need not download Pagefind's filter files to show them."""


#: (filter key, legend, ExerciseMeta attribute) in the order the search page shows them.
EXERCISE_FACETS = (
    ("category", N_("Type of exercise"), "category"),
    ("body_area", N_("Body area"), "body_areas"),
    ("position", N_("Starting position"), "position"),
    ("level", N_("Level"), "level"),
    ("equipment", N_("Equipment"), "equipment"),
)


def page_filters(doc: Document) -> dict[str, list[str]]:
    """The filter values one page is indexed with."""
    filters = {"type": [doc.kind.value]}
    meta = doc.meta
    if isinstance(meta, ExerciseMeta):
        for key, _, attribute in EXERCISE_FACETS:
            value = getattr(meta, attribute)
            filters[key] = list(value) if isinstance(value, tuple) else [value]
        if meta.flare_up_friendly:
            filters["flare_up"] = [FLARE_UP_VALUE]
    return filters


def indexed_filters(doc: Document) -> dict[str, list[str]]:
    """The filter values Pagefind gets for a page: `page_filters` less the implicit type."""
    filters = page_filters(doc)
    if filters["type"] == [IMPLICIT_TYPE]:
        del filters["type"]
    return filters


def site_facets(documents: tuple[Document, ...]) -> list[Facet]:
    """Every filter group with the values some page actually has, in a stable order."""
    counts: dict[str, dict[str, int]] = {}
    for doc in documents:
        for key, values in page_filters(doc).items():
            for value in values:
                counts.setdefault(key, {})[value] = counts.get(key, {}).get(value, 0) + 1
    if "page" in counts.get("type", {}):
        counts["type"]["page"] += 1  # the contact page, which contact.html indexes as a page
    facets = []

    def add(key: str, legend: str, values: list[tuple[str, str]]) -> None:
        found = counts.get(key, {})
        facets.append(Facet(key, legend, tuple(values), tuple(found[v] for v, _ in values)))

    kinds = [k.value for k in Kind if k.value in counts.get("type", {})]
    if kinds:
        add("type", N_("Show"), [(k, TYPE_LABELS[k]) for k in kinds])
    if FLARE_UP_VALUE in counts.get("flare_up", {}):
        add("flare_up", N_("Flare-ups"), [(FLARE_UP_VALUE, N_("Gentle during flare-ups"))])
    for key, legend, _ in EXERCISE_FACETS:
        found = counts.get(key, {})
        if found:
            ordered = [v for v in LABELS if v in found]  # the schema's own order
            add(key, legend, [(v, LABELS[v]) for v in ordered])
    return facets


def browse_index(model: SiteModel) -> bytes:
    """Every exercise with its filter values, for browsing by filters without a search word.

    Pagefind 1.5 answers a filter-only search by downloading its whole word index (12 MB at
    10,000 pages); exercises are the only pages with facets beyond their type, so a small list
    of them answers those searches instead.
    """
    items = [
        {
            "url": model.config.url_prefix + model.url(doc).lstrip("/"),
            "title": doc.title,
            "summary": doc.meta.summary,
            "filters": page_filters(doc),
        }
        for doc in model.exercises
    ]
    blob = json.dumps({"items": items}, ensure_ascii=False, separators=(",", ":"))
    return blob.encode()
