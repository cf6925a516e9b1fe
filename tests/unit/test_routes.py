"""The route table: every output path decided in one place, the same way every time."""

from __future__ import annotations

from pathlib import Path

from healthsite.site.routes import (
    LANGUAGE_NEUTRAL,
    RESERVED_URLS,
    SEARCH_BUNDLE,
    FileKind,
    dest_for,
    is_reserved,
    plan,
    url_for,
)
from tests.helpers import WriteTree, assembled

SPANISH = "languages:\n  es: {}\n"


def test_each_kind_has_its_pretty_url_in_every_language(valid_site: Path) -> None:
    site, _ = assembled(valid_site)
    docs = {doc.src_path: doc for doc in site.main.documents}
    assert url_for(docs["content/articles/back-care.md"], "en") == "/articles/back-care/"
    assert url_for(docs["content/exercises/bridge.md"], "en") == "/exercises/bridge/"
    assert url_for(docs["content/pages/privacy.md"], "en") == "/privacy/"
    # a page not in the site's main language lives under its own language's prefix
    assert url_for(docs["content/pages/privacy.md"], "es") == "/en/privacy/"


def test_pretty_urls_are_written_as_index_files() -> None:
    assert dest_for("/") == "index.html"
    assert dest_for("/es/exercises/bridge/") == "es/exercises/bridge/index.html"
    assert dest_for("/404.html") == "404.html"
    assert dest_for("/sitemap.xml") == "sitemap.xml"


def test_the_plan_has_every_page_once_sorted_by_output_path(valid_site: Path) -> None:
    site, _ = assembled(valid_site)
    routes = plan(site.models)
    pages = routes.pages["en"]
    dests = [job.dest_path for job in pages]
    assert dests == sorted(dests) and len(set(dests)) == len(dests)
    assert dests == [
        "404.html",
        "articles/back-care/index.html",
        "articles/index.html",
        "contact/index.html",
        "exercises/bridge/index.html",
        "exercises/index.html",
        "exercises/knee-hug/index.html",
        "index.html",
        "offline/index.html",
        "privacy/index.html",
        "routine/index.html",
        "search/index.html",
    ]
    by_dest = {job.dest_path: job for job in pages}
    assert by_dest["articles/back-care/index.html"].template == "article.html"
    assert by_dest["articles/back-care/index.html"].doc is not None
    assert not by_dest["404.html"].in_sitemap and not by_dest["search/index.html"].in_sitemap
    assert not by_dest["routine/index.html"].in_sitemap  # the patient's own page


def test_site_files_each_have_one_path_and_browse_lists_follow_search(
    write_tree: WriteTree,
) -> None:
    root = write_tree({})
    (root / "site.yaml").write_text((root / "site.yaml").read_text() + SPANISH)
    site, _ = assembled(root)
    files = {(f.kind, f.lang): f.dest_path for f in plan(site.models).files}
    assert files == {
        (FileKind.SITEMAP, ""): "sitemap.xml",
        (FileKind.FEED, "en"): "feed.xml",
        (FileKind.FEED, "es"): "es/feed.xml",
        (FileKind.ROBOTS, ""): "robots.txt",
        (FileKind.HEADERS, ""): "_headers",
        (FileKind.VCARD, ""): "clinic.vcf",
        (FileKind.SERVICE_WORKER, ""): "sw.js",
        (FileKind.BROWSE, "en"): "search/browse.json",
        (FileKind.BROWSE, "es"): "es/search/browse.json",
    }
    spanish = plan(site.models).pages["es"]
    assert "es/index.html" in [job.dest_path for job in spanish]
    assert "es/404.html" in [job.dest_path for job in spanish]  # a 404 page per language

    (root / "site.yaml").write_text(
        (root / "site.yaml").read_text() + "search:\n  enabled: false\n"
    )
    site, _ = assembled(root)
    routes = plan(site.models)
    assert FileKind.BROWSE not in {f.kind for f in routes.files}
    assert "search/index.html" not in [job.dest_path for job in routes.pages["en"]]


def test_reserved_urls_are_every_url_the_engine_makes() -> None:
    for path in ("/", "/search/", "/contact/", "/404.html", "/sitemap.xml", "/_headers", "/sw.js"):
        assert path in RESERVED_URLS
    assert LANGUAGE_NEUTRAL <= RESERVED_URLS and "/feed.xml" in RESERVED_URLS
    assert "/feed.xml" not in LANGUAGE_NEUTRAL  # each language has its own feed
    assert is_reserved("/contact/", "en", ("es",))
    assert is_reserved("/es/contact/", "es", ("es",))  # the same page in another language
    assert is_reserved("/es/", "es", ("es",))  # a language's home
    assert is_reserved(f"/{SEARCH_BUNDLE}/x/", "en", ())
    assert is_reserved("/static/x/", "en", ())
    assert not is_reserved("/contact-us/", "en", ("es",))
    assert not is_reserved("/es/contact/", "en", ())  # no Spanish: an ordinary page name
