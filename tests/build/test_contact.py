"""The contact page and everything made from clinic.yaml agree with each other."""

from __future__ import annotations

import re
from pathlib import Path

import vobject

from tests.helpers import WriteTree, build_site, graph, html_pages, node, parse


def contact(site: Path) -> str:
    return (site / "site/contact/index.html").read_text()


def test_json_ld_matches_what_the_page_shows(valid_site: Path) -> None:
    build_site(valid_site)
    html = contact(valid_site)
    visible = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.split("<main", 1)[1]))
    nodes = graph(parse(valid_site / "site/contact/index.html"))
    clinic = node(nodes, "MedicalClinic")
    assert clinic["telephone"] == "+12135550100"
    assert 'href="tel:+12135550100"' in html and "(213) 555-0100" in visible
    assert clinic["faxNumber"] == "+12135550102" and "(213) 555-0102" in visible
    assert clinic["email"] in visible
    assert clinic["address"]["addressLocality"] in visible
    assert (
        f"{clinic['address']['addressLocality']}, {clinic['address']['addressRegion']}" in visible
    )
    [hours] = clinic["openingHoursSpecification"]
    assert (hours["opens"], hours["closes"]) == ("09:00", "17:00")
    assert "9:00 am" in visible and "5:00 pm" in visible
    assert [d.rsplit("/", 1)[1] for d in hours["dayOfWeek"]] == ["Monday", "Tuesday", "Wednesday"]
    assert "Monday to Wednesday" in visible
    [closure] = clinic["specialOpeningHoursSpecification"]
    assert closure["validFrom"] == "2026-12-24" and "December 24, 2026" in visible
    assert clinic["medicalSpecialty"] == ["https://schema.org/Musculoskeletal"]
    assert "Musculoskeletal" in visible
    contact_point = clinic["contactPoint"]
    assert contact_point["availableLanguage"] == ["en", "es"] and "English, Spanish" in visible
    assert contact_point["telephone"] == clinic["telephone"]
    assert clinic["employee"]
    for ref in clinic["employee"]:
        person = next(n for n in nodes if n["@id"] == ref["@id"])
        assert person["name"] in visible
    assert node(nodes, "ContactPage")["url"] == "https://clinic.test/contact/"


def test_emergency_notice_comes_first(valid_site: Path) -> None:
    build_site(valid_site)
    html = contact(valid_site)
    main = html.split('<main id="main">', 1)[1]
    assert (
        main.index("In an emergency, call 911.")
        < main.index("Call us")
        < main.index("Send us a message")
    )


def test_vcard_is_made_from_the_same_data(valid_site: Path) -> None:
    build_site(valid_site)
    card = vobject.readOne((valid_site / "site/clinic.vcf").read_text())
    assert card.fn.value == "Test Clinic"
    assert sorted(t.value for t in card.contents["tel"]) == [
        "+12135550100",
        "+12135550101",
        "+12135550102",
    ]
    assert card.email.value == "office@example.org"
    assert card.adr.value.city == "Los Angeles"
    assert 'href="/clinic.vcf"' in contact(valid_site)


def test_without_a_form_the_page_offers_phone_contact_only(valid_site: Path) -> None:
    build_site(valid_site)
    html = contact(valid_site)
    assert '<form id="contact-form"' not in html and "contact." not in html.split("</head>")[0]
    assert "To reach us, please call" in html
    csp = parse(valid_site / "site/contact/index.html").meta["Content-Security-Policy"]
    assert "form-action 'self';" in csp + ";" and "connect-src 'self';" in csp


def test_with_a_form_only_the_contact_page_may_send_to_the_endpoint(
    write_tree: WriteTree, valid_site: Path
) -> None:
    clinic = (valid_site / "content/data/clinic.yaml").read_text()
    site = write_tree(
        {
            "content/data/clinic.yaml": clinic
            + (
                "form:\n  enabled: true\n  endpoint: https://forms.example.org/clinic/contact\n"
                "  honeypot: bot-field\n"
            )
        }
    )
    build_site(site)
    html = contact(site)
    assert (
        '<form id="contact-form" class="contact-form" action="https://forms.example.org/'
        'clinic/contact" method="post"' in html
    )
    assert 'name="bot-field"' in html
    for path in html_pages(site / "site"):
        csp = parse(path).meta["Content-Security-Policy"]
        allowed = "forms.example.org" in csp
        assert allowed == (path.parent.name == "contact"), path
    csp = parse(site / "site/contact/index.html").meta["Content-Security-Policy"]
    assert "form-action 'self' https://forms.example.org" in csp
    assert "connect-src 'self' https://forms.example.org;" in csp
    assert "https://forms.example.org" in (site / "site/_headers").read_text()


def test_speak_with_us_is_the_same_on_every_page(valid_site: Path) -> None:
    build_site(valid_site)
    blocks = set()
    for path in html_pages(valid_site / "site"):
        html = path.read_text()
        block = re.search(r'<aside class="speak-with-us".*?</aside>', html, re.S)
        assert block, path
        blocks.add(block.group(0))
        assert html.index("</main>") < block.start() < html.index("<footer")
    [block] = blocks
    assert 'href="tel:+12135550100"' in block and 'href="/contact/"' in block


def references(value: object) -> set[str]:
    """Every `{"@id": ...}` reference in a JSON-LD value, however deep."""
    if isinstance(value, dict):
        found = {value["@id"]} if set(value) == {"@id"} else set()
        return found.union(*(references(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(references(v) for v in value))
    return set()


def test_json_ld_is_valid_json_on_every_page(valid_site: Path) -> None:
    report = build_site(valid_site)
    pages = html_pages(valid_site / "site")
    assert len(pages) == report.pages > 0  # every page the build made, and some
    home = {n["@id"] for n in graph(parse(valid_site / "site/index.html"))}
    for path in pages:
        nodes = graph(parse(path))  # one block that parses as JSON, with a schema.org @graph
        assert nodes and all(n.get("@type") and n.get("@id") for n in nodes), path
        ids = {n["@id"] for n in nodes}
        assert len(ids) == len(nodes), f"{path}: two nodes share an @id"
        # every reference is to a node on the page, or a site-wide one on the home page
        assert references(nodes) <= ids | home, path
