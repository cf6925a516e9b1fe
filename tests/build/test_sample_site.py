"""The sample clinic site builds strict: every page, link and piece of structured data right."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from tests.helpers import graph, html_pages, node, parse

BASE = "https://www.socalbrainspine.example/"
EXERCISES = [
    "bird-dog-hip-extension",
    "bridge",
    "clamshell",
    "seated-spinal-twist",
    "single-knee-to-chest",
]
ARTICLE = "articles/manage-chronic-back-pain-with-exercise/index.html"


def test_every_page_type_is_built(sample_site: Path) -> None:
    one_language = [
        "index.html",
        "articles/index.html",
        ARTICLE,
        "exercises/index.html",
        "privacy/index.html",
        "accessibility/index.html",
        "search/index.html",
        "contact/index.html",
        "routine/index.html",
        "offline/index.html",
        *[f"exercises/{slug}/index.html" for slug in EXERCISES],
    ]
    one_language.append("404.html")  # a 404 page per language
    expected = [*one_language, *(f"es/{path}" for path in one_language)]
    assert sorted(p.relative_to(sample_site).as_posix() for p in html_pages(sample_site)) == sorted(
        expected
    )
    for name in ("sitemap.xml", "feed.xml", "robots.txt", "_headers", "clinic.vcf", "sw.js"):
        assert (sample_site / name).is_file()


def test_every_internal_link_and_resource_resolves(sample_site: Path) -> None:
    for path in html_pages(sample_site):
        page = parse(path)
        url = urljoin(BASE, path.relative_to(sample_site).as_posix().replace("index.html", ""))
        for href in page.links + page.resources:
            target = urlsplit(urljoin(url, href))
            if target.scheme in ("tel", "mailto") or f"{target.scheme}://{target.netloc}/" != BASE:
                continue
            rel = target.path.lstrip("/")
            file = (
                sample_site / rel / "index.html"
                if rel.endswith("/") or not rel
                else sample_site / rel
            )
            assert file.is_file(), f"{path}: broken link {href}"
            if target.fragment and file.suffix == ".html":
                assert target.fragment in parse(file).ids, f"{path}: no #{target.fragment}"


def test_no_resource_from_another_host_and_no_executable_script(sample_site: Path) -> None:
    for path in html_pages(sample_site):
        page = parse(path)
        for src in page.resources:
            assert not re.match(r"^(https?:)?//", src), f"{path}: third-party resource {src}"
        scripts = [(s.get("type"), s.get("src")) for s in page.scripts]
        # every page: site.js, deferred (the phone menu, the routine's button, the offline
        # worker; nothing a page needs to be read), then the structured data; search (Pagefind),
        # the contact form and the routine run their own file too; no inline script anywhere
        assert scripts[0][0] is None and scripts[0][1].startswith("/static/js/site."), path
        assert "defer" in page.scripts[0]
        assert scripts[1] == ("application/ld+json", None), path
        own_code = {
            "search": ("module", "/static/js/search."),
            "contact": ("module", "/static/js/contact."),
            "routine": (None, "/static/js/routine."),
        }
        if path.parent.name in own_code:
            kind, start = own_code[path.parent.name]
            assert scripts[2][0] == kind and scripts[2][1].startswith(start), path
            assert len(scripts) == 3
        else:
            assert len(scripts) == 2, path
        assert page.style_attributes == 0, f"{path}: inline style blocked by the CSP"
        csp = page.meta["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp
        assert "unsafe-inline" not in csp and "frame-ancestors" not in csp
        assert " 'unsafe-eval'" not in csp  # 'wasm-unsafe-eval' (search page only) is not eval
        assert ("wasm-unsafe-eval" in csp) == (path.parent.name == "search")


def test_pages_have_title_description_canonical_and_open_graph(sample_site: Path) -> None:
    for path in html_pages(sample_site):
        page = parse(path)
        assert page.h1 == 1, f"{path}: one h1"
        assert page.meta["description"], path
        rel = path.relative_to(sample_site).as_posix().replace("index.html", "")
        if path.name == "404.html" or rel.endswith("offline/"):
            # shown in place of another address: no address of its own, not to be indexed
            assert "og:url" not in page.meta and 'rel="canonical"' not in path.read_text()
            assert page.meta["robots"] == "noindex", path
            continue
        assert page.meta["og:url"] == BASE + rel
        assert f'<link rel="canonical" href="{BASE + rel}">' in path.read_text()
        assert page.meta["og:title"] and page.meta["og:description"]


def test_health_pages_show_disclaimer_review_and_click_to_call(sample_site: Path) -> None:
    health = [sample_site / ARTICLE] + [
        sample_site / f"exercises/{s}/index.html" for s in EXERCISES
    ]
    for path in health:
        text = path.read_text()
        assert "does not replace advice from your own doctor" in text, path
        assert "Dr. Moksha Ranasinghe" in text
        assert re.search(r"Next review due", text, re.I), path
        assert 'href="tel:+12133694583"' in text, path
        assert "(213) 369-4583" in text


def test_exercise_page_shows_stop_if_before_the_steps(sample_site: Path) -> None:
    for slug in EXERCISES:
        text = (sample_site / f"exercises/{slug}/index.html").read_text()
        stop = text.find('class="stop-if')
        steps = text.find('class="steps')
        assert 0 < stop < steps, f"{slug}: stop-if block must come before the steps"


def test_article_embeds_all_five_exercise_cards(sample_site: Path) -> None:
    text = (sample_site / ARTICLE).read_text()
    assert "HSEMBED" not in text
    for slug in EXERCISES:
        assert f'href="/exercises/{slug}/"' in text
        assert f'id="ex-{slug}"' in text


def test_article_json_ld(sample_site: Path) -> None:
    nodes = graph(parse(sample_site / ARTICLE))
    page = node(nodes, "MedicalWebPage")
    assert page["lastReviewed"] == "2026-11-02"
    reviewer = next(n for n in nodes if n["@id"] == page["reviewedBy"]["@id"])
    assert reviewer["name"] == "Dr. Moksha Ranasinghe"
    article = node(nodes, "Article")
    assert article["headline"] == "How to manage chronic back pain with exercise"
    assert page["mainEntity"]["@id"] == article["@id"]
    clinic = node(nodes, "MedicalClinic")
    assert clinic["telephone"] == "+12133694583"


def test_exercise_json_ld_mirrors_the_visible_steps(sample_site: Path) -> None:
    path = sample_site / "exercises/bridge/index.html"
    nodes = graph(parse(path))
    plan = node(nodes, "ExercisePlan")
    assert "HowTo" in plan["@type"]
    assert plan["category"] == "https://schema.org/StrengthTraining"
    text = path.read_text()
    assert len(plan["step"]) >= 2
    for step in plan["step"]:
        assert step["@type"] == "HowToStep"
        assert step["text"].replace("'", "&#39;") in text
    assert node(nodes, "MedicalWebPage")["lastReviewed"]


def test_sitemap_lists_public_pages_only(sample_site: Path) -> None:
    text = (sample_site / "sitemap.xml").read_text()
    locs = re.findall(r"<loc>(.*?)</loc>", text)
    assert BASE in locs and f"{BASE}exercises/bridge/" in locs
    assert not any("404" in loc for loc in locs)
    assert not any("/search/" in loc for loc in locs)
    # all but the 404 pages and, in each language, search, routine and offline
    assert len(locs) == len(html_pages(sample_site)) - 8
    assert not any(part in loc for loc in locs for part in ("/routine/", "/offline/"))
    assert f"{BASE}es/exercises/bridge/" in locs
    assert f"Sitemap: {BASE}sitemap.xml" in (sample_site / "robots.txt").read_text()


def test_static_files_are_fingerprinted(sample_site: Path) -> None:
    names = [p.name for p in (sample_site / "static").rglob("*") if p.is_file()]
    assert names
    # pictures made in several widths carry theirs after the fingerprint: share.<hash>-800.avif
    assert all(re.search(r"\.[0-9a-f]{10}(-\d+)?\.\w+$", n) for n in names), names


@pytest.mark.parametrize("slug", EXERCISES)
def test_each_exercise_has_an_illustration_with_alt_text(sample_site: Path, slug: str) -> None:
    text = (sample_site / f"exercises/{slug}/index.html").read_text()
    match = re.search(rf'<img[^>]*src="/static/img/exercises/{slug}\.[0-9a-f]+\.svg"[^>]*>', text)
    assert match, slug
    assert re.search(r'alt="[^"]{20,}"', match.group(0))


def test_the_index_types_every_page_but_articles(sample_site: Path) -> None:
    """Articles are found as "no type" (the search page says which type that is): a type on
    every page made Pagefind's biggest filter file and slowed every search's counting."""
    out = sample_site

    def types(path: str) -> list[str]:
        html = (out / path / "index.html").read_text(encoding="utf-8")
        return re.findall(r'data-pagefind-filter="type:([^"]*)"', html)

    assert types("articles/manage-chronic-back-pain-with-exercise") == []
    assert types("exercises/bridge") == ["exercise"]
    assert types("contact") == ["page"]
    search = (out / "search" / "index.html").read_text(encoding="utf-8")
    assert 'data-implicit-type="article"' in search
    # before any search, the counts are the build's: no filter files to download
    totals = dict(re.findall(r'data-facet="type" data-value="(\w+)"\s+data-total="(\d+)"', search))
    assert totals == {
        "article": "1",
        "exercise": "5",
        "page": "3",
    }  # privacy, accessibility, contact
