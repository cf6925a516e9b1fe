"""Editing in the browser, in real Chromium: Decap CMS at /admin/ of `build.py serve`.

One server for the module (a copy of the sample site). An editor creates an exercise through
the form, is stopped when a required field is empty, edits an article's text, and sees the
pages the site rebuilt. Every request the editing page makes goes to this computer.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from markupsafe import escape
from playwright.sync_api import Page, expect

from healthsite.cms.handlers import ADMIN_POLICY
from healthsite.cms.vendor import installed
from healthsite.render.security import CONTENT_SECURITY_POLICY
from tests.helpers import AXE_TAGS, Served, copy_sample_sources, fetch, serving, wait_for

ARTICLE = "content/articles/manage-chronic-back-pain-with-exercise.md"
FIRST_LINE = "Back pain that lasts for more than about 3 months is called chronic back pain."


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    if not installed():
        pytest.fail("Decap CMS is not installed: run scripts/setup.sh")
    source = copy_sample_sources(tmp_path_factory.mktemp("cms-source"))
    with serving(tmp_path_factory.mktemp("cms"), source) as server:
        yield server


class Requests:
    """Every request a page made, and any that went elsewhere than the server."""

    def __init__(self, page: Page, origin: str) -> None:
        self.origin = origin
        self.seen: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda r: self.seen.append(r.url))
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def elsewhere(self) -> list[str]:
        return [
            url
            for url in self.seen
            if urlsplit(url).scheme in ("http", "https", "ws", "wss")
            and urlsplit(url).netloc != self.origin
        ]


def open_editor(page: Page, served: Served, route: str) -> None:
    page.goto(served.url + "admin/#/" + route)
    expect(
        page.get_by_label("Name", exact=True).or_(page.get_by_label("Title", exact=True)).first
    ).to_be_visible(timeout=20000)


def choose(page: Page, label: str, *options: str) -> None:
    """Pick from a Decap select: type the option's words, press Enter."""
    for option in options:
        box = page.get_by_label(label, exact=True).first
        box.click()
        box.fill(option)
        page.keyboard.press("Enter")


def add_items(page: Page, button: str, label: str, texts: list[str]) -> None:
    for index, text in enumerate(texts):
        page.get_by_role("button", name=button).first.click()
        page.get_by_label(label, exact=True).nth(index).fill(text)


def publish(page: Page) -> None:
    page.get_by_role("button", name="Publish", exact=True).click()
    page.get_by_text("Publish now").click()


def test_an_editor_creates_an_exercise_and_cannot_skip_a_required_field(
    page: Page, served: Served
) -> None:
    requests = Requests(page, urlsplit(served.url).netloc)
    start = time.monotonic()
    open_editor(page, served, "collections/exercises/new")

    # everything but the name: refused in the form, and nothing reaches the site folder
    page.get_by_label("What it is for", exact=True).first.fill(
        "Strengthens the muscles between your shoulder blades and helps you sit up straight."
    )
    choose(page, "Type of exercise", "Strengthening")
    choose(page, "Body areas", "Upper back", "Shoulders")
    choose(page, "Starting position", "Standing")
    choose(page, "Equipment", "Wall")
    choose(page, "Level", "Beginner")
    choose(page, "Sides of the body", "Both sides together")
    add_items(
        page,
        "Add steps",
        "Step",
        [
            "Stand with your back against a wall, your feet a small step away from it.",
            "Slide your arms slowly up the wall as far as is comfortable, then back down.",
        ],
    )
    page.get_by_label("Sets", exact=True).first.fill("2")
    page.get_by_label("Repetitions in each set", exact=True).first.fill("8")
    page.get_by_label("Times a day", exact=True).first.fill("1")
    page.get_by_label("During a flare-up", exact=True).first.fill(
        "Make the movement smaller, or skip it until the pain settles."
    )
    add_items(
        page,
        "Add stop and get advice if",
        "Stop and get advice if…",
        ["It causes sharp or severe pain."],
    )
    choose(page, "Written by", "Patient Education Team")
    choose(page, "Checked by (clinician)", "Dr. Moksha Ranasinghe")
    page.get_by_label("Draft (keep off the site)").first.click()  # publish it
    publish(page)
    expect(page.get_by_text("Oops, you've missed a required field")).to_be_visible()
    expect(page.get_by_text("Name is required.")).to_be_visible()
    assert not (served.site / "content/exercises/wall-slide.md").exists()
    # Decap rejects its own save promise with `undefined` when its form refuses: its error
    assert set(requests.errors) <= {"undefined"}
    requests.errors.clear()

    page.get_by_label("Name", exact=True).first.fill("Wall slide")
    publish(page)
    status = page.locator("#hs-status")
    expect(status).to_contain_text("Saved. The site is up to date.", timeout=15000)
    link = status.get_by_role("link", name="Open the page on the site")
    expect(link).to_have_attribute("href", "/exercises/wall-slide/")
    print(f"new exercise through the form, to its page built: {time.monotonic() - start:.1f} s")

    saved = (served.site / "content/exercises/wall-slide.md").read_text(encoding="utf-8")
    assert "reviewer: moksha-ranasinghe\n" in saved and "draft: false\n" in saved
    assert not (served.site / "content/exercises/wall-slide.es.md").exists()
    html = fetch(served.url + "exercises/wall-slide/")
    assert "<h1>Wall slide</h1>" in html
    assert f'content="{escape(CONTENT_SECURITY_POLICY)}"' in html  # the site's policy, unchanged

    page.goto(served.url + "exercises/wall-slide/")
    expect(page.get_by_role("heading", name="Stop and get advice if")).to_be_visible()
    results = Axe().run(page, options={"runOnly": AXE_TAGS})
    assert results.violations_count == 0, results.generate_report()
    assert requests.elsewhere() == []
    assert requests.errors == []


def test_an_edit_to_an_articles_text_shows_on_its_page(page: Page, served: Served) -> None:
    requests = Requests(page, urlsplit(served.url).netloc)
    before = (served.site / ARTICLE).read_text(encoding="utf-8")
    open_editor(page, served, "collections/articles/entries/manage-chronic-back-pain-with-exercise")
    # Decap's Markdown box has no accessible name (its label points nowhere): found by class
    text = page.locator(".cms-editor-raw [role=textbox]").first
    text.get_by_text(FIRST_LINE).click()
    page.keyboard.press("End")
    page.keyboard.type(" It is common and it can get better.")
    publish(page)
    expect(page.locator("#hs-status")).to_contain_text("The site is up to date", timeout=15000)

    after = (served.site / ARTICLE).read_text(encoding="utf-8")
    changed = [
        (old, new)
        for old, new in zip(before.splitlines(), after.splitlines(), strict=True)
        if old != new
    ]
    assert len(changed) == 1  # the front matter, its flow lists and the rest: as they were
    assert wait_for(
        lambda: (
            "It is common and it can get better."
            in fetch(served.url + "articles/manage-chronic-back-pain-with-exercise/")
        )
    )
    assert requests.elsewhere() == []


def test_the_editing_page_has_its_own_policy_and_its_accessibility_is_reported(
    page: Page, served: Served
) -> None:
    with urllib.request.urlopen(served.url + "admin/", timeout=5) as response:
        assert response.headers["Content-Security-Policy"] == ADMIN_POLICY
        assert "livereload" not in response.read().decode()  # a save must not reload the form
    open_editor(page, served, "collections/exercises/entries/bridge")
    results = Axe().run(page, options={"runOnly": AXE_TAGS})
    # Decap's own interface is not ours to fix: its count is reported (docs), not required
    print(f"axe on /admin/ (Decap CMS's editor): {results.violations_count} violation(s)")
    for violation in results.response["violations"]:
        print(f"  {violation['id']} ({violation['impact']}): {len(violation['nodes'])} node(s)")


def test_only_the_editing_page_itself_can_write(served: Served) -> None:
    """Another web page open in the editor's browser cannot post to the local backend."""
    info = b'{"action": "info"}'

    def post(headers: dict[str, str]) -> int:
        request = urllib.request.Request(served.url + "api/v1", data=info, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.status
        except urllib.error.HTTPError as refused:
            return refused.code

    json_type = {"Content-Type": "application/json"}
    assert post(json_type) == 200
    assert post({**json_type, "Origin": served.url.rstrip("/")}) == 200
    assert post({**json_type, "Origin": "https://elsewhere.example"}) == 403
    assert post({"Content-Type": "text/plain"}) == 415  # what a plain form can send
    assert post({**json_type, "Host": "attacker.example"}) == 403  # DNS rebinding
