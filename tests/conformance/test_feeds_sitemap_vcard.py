"""What feed readers, search engines and phones read: each read by a real parser."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest
import vobject

BASE = "https://www.socalbrainspine.example/"
SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def page_for(site: Path, url: str) -> Path:
    assert url.startswith(BASE), url
    path = urlsplit(url).path.lstrip("/")
    return site / path / "index.html" if path.endswith("/") or not path else site / path


@pytest.mark.parametrize(("lang", "feed"), [("en", "feed.xml"), ("es", "es/feed.xml")])
def test_a_feed_per_language_with_articles_and_exercises(
    sample_site: Path, lang: str, feed: str
) -> None:
    parsed = feedparser.parse((sample_site / feed).read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.feed.language == lang
    assert parsed.feed.links[0].href == BASE + feed  # rel=self
    kinds = [entry.tags[0].term for entry in parsed.entries]
    assert kinds.count("article") >= 1 and kinds.count("exercise") >= 5
    stamps = [entry.updated_parsed for entry in parsed.entries]
    assert stamps == sorted(stamps, reverse=True)  # newest first
    for entry in parsed.entries:
        page = page_for(sample_site, entry.link)
        assert page.is_file(), entry.link
        html = page.read_text(encoding="utf-8")
        assert f'<html lang="{lang}"' in html
        assert entry.title in html.replace("&#39;", "'")
        assert entry.summary and entry.author
    # every page of the language points feed readers at its own feed
    home = (sample_site / feed).parent / "index.html"
    assert f'type="application/atom+xml" href="/{feed}"' in home.read_text(encoding="utf-8")


def test_sitemap_alternates_are_reciprocal_with_x_default(sample_site: Path) -> None:
    root = ET.parse(sample_site / "sitemap.xml").getroot()
    entries: dict[str, dict[str, str]] = {}
    for url in root.findall("s:url", SITEMAP):
        loc = url.findtext("s:loc", namespaces=SITEMAP) or ""
        links = url.findall("x:link", SITEMAP)
        assert all(link.get("rel") == "alternate" for link in links)
        entries[loc] = {link.get("hreflang") or "": link.get("href") or "" for link in links}
        assert page_for(sample_site, loc).is_file(), loc
    with_alternates = {loc: alt for loc, alt in entries.items() if alt}
    assert len(with_alternates) >= 20
    for loc, alternates in with_alternates.items():
        assert set(alternates) == {"en", "es", "x-default"}, loc
        assert alternates["x-default"] == alternates["en"]
        assert loc in alternates.values(), f"{loc} does not name itself"
        for lang, other in alternates.items():
            assert entries[other] == alternates, f"{other} ({lang}) does not name {loc} back"
        # the page says the same as the sitemap
        html = page_for(sample_site, loc).read_text(encoding="utf-8")
        on_page = dict(
            re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html)
        )
        assert on_page == alternates, loc


def test_vcard_parses_as_the_contact_page_says(sample_site: Path) -> None:
    raw = (sample_site / "clinic.vcf").read_bytes()
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")  # RFC 6350 line ends
    card = vobject.readOne(raw.decode("utf-8"))
    assert card.version.value == "3.0"
    contact = (sample_site / "contact/index.html").read_text(encoding="utf-8")
    assert card.fn.value.replace("&", "&amp;") in contact
    phones = [tel.value for tel in card.contents["tel"]]
    assert phones and all(f'href="tel:{number}"' in contact for number in phones)
    assert card.url.value == BASE
    assert card.adr.value.city and card.adr.value.city in contact
