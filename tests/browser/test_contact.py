"""The contact form in real Chromium, posting to a real local endpoint that records what it gets."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from healthsite.build.pipeline import build
from tests.helpers import AXE_TAGS, REPO, free_port, serve_folder, watch

FILLED = {
    "name": "Ana López",
    "phone": "(213) 555-0188",
    "email": "ana@example.org",
    "contact_time": "morning",
    "reason": "existing-patient",
    "message": "Please call me about moving my appointment.",
}


@dataclass
class Endpoint:
    """A form service on this machine: records every POST; answers like Formspree does."""

    url: str
    posts: list[dict[str, list[str]]] = field(default_factory=list)
    status: int = 200


@pytest.fixture(scope="module")
def endpoint() -> Iterator[Endpoint]:
    port = free_port()
    record = Endpoint(f"http://127.0.0.1:{port}/submit")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            body = self.rfile.read(length).decode()
            record.posts.append(parse_qs(body, keep_blank_values=True))
            self.send_response(record.status)
            self.send_header("Access-Control-Allow-Origin", "*")
            wants_json = "json" in self.headers.get("Accept", "")
            self.send_header("Content-Type", "application/json" if wants_json else "text/html")
            self.end_headers()
            self.wfile.write(b'{"ok": true}' if wants_json else b"<p>Thank you</p>")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield record
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def form_site_url(endpoint: Endpoint, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The sample site, with its form pointed at the local endpoint."""
    root = tmp_path_factory.mktemp("form-site")
    for name in ("site.yaml", "content", "templates", "static", "locales"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        else:
            shutil.copy(source, root / name)
    clinic = root / "content/data/clinic.yaml"
    clinic.write_text(
        clinic.read_text().replace("https://forms.socalbrainspine.example/contact", endpoint.url)
    )
    build(root, strict_mode=True)
    proc, url = serve_folder(root / "site")
    yield url
    proc.terminate()
    proc.wait()


@pytest.fixture
def form_page(page: Page, form_site_url: str, endpoint: Endpoint) -> Page:
    endpoint.posts.clear()
    endpoint.status = 200
    page.goto(form_site_url + "contact/")
    return page


def fill(page: Page, values: dict[str, str]) -> None:
    page.get_by_label("Your name").fill(values.get("name", ""))
    page.get_by_label("Phone number").fill(values.get("phone", ""))
    page.get_by_label("Email address").fill(values.get("email", ""))
    page.get_by_label("Best time to contact you").select_option(values.get("contact_time", "any"))
    if values.get("reason"):
        page.locator(f'input[name="reason"][value="{values["reason"]}"]').check()
    page.get_by_label("Your message").fill(values.get("message", ""))


def test_the_endpoint_receives_exactly_the_fields(
    form_page: Page, endpoint: Endpoint, form_site_url: str
) -> None:
    seen = watch(form_page, form_site_url)
    fill(form_page, FILLED)
    form_page.get_by_role("button", name="Send message").click()
    expect(
        form_page.get_by_role("heading", name="Thank you: your message has been sent")
    ).to_be_visible()
    assert endpoint.posts == [{key: [value] for key, value in FILLED.items()}]
    # the one request to another origin is the form itself, which the visitor sent
    assert seen.foreign == [endpoint.url]
    assert seen.console_errors == [] and seen.failed == []


def test_a_missing_field_shows_errors_and_sends_nothing(
    form_page: Page, endpoint: Endpoint
) -> None:
    fill(form_page, {**FILLED, "name": "", "phone": "", "email": ""})
    form_page.get_by_role("button", name="Send message").click()
    summary = form_page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(
        ["Enter your name", "Enter a phone number or an email address"]
    )
    name = form_page.get_by_label("Your name")
    expect(name).to_have_attribute("aria-invalid", "true")
    expect(name).to_have_accessible_description("Error: Enter your name")
    summary.get_by_role("link", name="Enter your name").click()
    expect(name).to_be_focused()
    assert endpoint.posts == []

    name.fill("Ana López")  # fixing the problems sends the message
    form_page.get_by_label("Email address").fill("ana@example.org")
    form_page.get_by_role("button", name="Send message").click()
    expect(form_page.locator("#form-result")).to_contain_text("has been sent")
    assert len(endpoint.posts) == 1 and endpoint.posts[0]["phone"] == [""]


def test_a_filled_honeypot_is_not_sent(form_page: Page, endpoint: Endpoint) -> None:
    fill(form_page, FILLED)
    # a robot fills the field it finds in the HTML, though people never see it
    form_page.locator(".hp input").evaluate("(field) => { field.value = 'https://spam.example/'; }")
    form_page.get_by_role("button", name="Send message").click()
    expect(form_page.locator("#form-result")).to_contain_text("has been sent")
    assert endpoint.posts == []


def test_a_failed_send_says_so_and_gives_the_phone_number(
    form_page: Page, endpoint: Endpoint
) -> None:
    endpoint.status = 500
    fill(form_page, FILLED)
    form_page.get_by_role("button", name="Send message").click()
    result = form_page.locator("#form-result")
    expect(result).to_contain_text("Your message was not sent")
    expect(result).to_contain_text("(213) 369-4583")
    expect(result).to_be_focused()
    expect(form_page.get_by_label("Your name")).to_have_value(FILLED["name"])  # nothing lost


def test_keyboard_only(form_page: Page, endpoint: Endpoint) -> None:
    form_page.get_by_label("Your name").focus()
    keys = form_page.keyboard
    keys.type(FILLED["name"])
    keys.press("Tab")
    keys.type(FILLED["phone"])
    keys.press("Tab")
    keys.type(FILLED["email"])
    keys.press("Tab")
    keys.press("ArrowDown")  # select: Morning
    keys.press("Tab")
    keys.press("ArrowDown")  # radios: the second choice (existing patient)
    keys.press("Tab")
    keys.type(FILLED["message"])
    keys.press("Tab")  # the honeypot is not reachable: straight to the button
    assert form_page.evaluate("document.activeElement.textContent") == "Send message"
    keys.press("Enter")
    expect(form_page.locator("#form-result")).to_be_focused()
    assert endpoint.posts == [{key: [value] for key, value in FILLED.items()}]


def test_contact_page_passes_axe_in_every_state(form_page: Page) -> None:
    def check() -> None:
        report = Axe().run(form_page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        assert report.violations_count == 0, report.generate_report()

    check()
    form_page.get_by_role("button", name="Send message").click()
    expect(form_page.locator("#error-summary")).to_be_visible()
    check()
    fill(form_page, FILLED)
    form_page.get_by_role("button", name="Send message").click()
    expect(form_page.locator("#form-result")).to_be_visible()
    check()


def test_call_links_are_international(form_page: Page) -> None:
    links = form_page.locator('a[href^="tel:"]').all()
    assert len(links) >= 2  # the header's call link and the contact details
    for link in links:
        assert link.get_attribute("href") == "tel:+12133694583"


def test_without_javascript_the_form_posts_straight_to_the_endpoint(
    browser, form_site_url: str, endpoint: Endpoint
) -> None:
    endpoint.posts.clear()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(form_site_url + "contact/")
    fill(page, FILLED)
    page.get_by_role("button", name="Send message").click()
    page.wait_for_url(endpoint.url)
    expected = {key: [value] for key, value in FILLED.items()} | {"website": [""]}
    assert endpoint.posts == [expected]
    context.close()


def test_sample_site_contact_page_is_clean(page: Page, site_url: str) -> None:
    seen = watch(page, site_url)
    page.goto(site_url + "contact/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Contact us")
    report = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    assert report.violations_count == 0, report.generate_report()
    seen.assert_clean()
