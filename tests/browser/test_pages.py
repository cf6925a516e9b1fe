"""Every page type in real Chromium: no errors, no other hosts, accessible, readable, printable."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.helpers import AXE_TAGS, watch

PAGES = [
    "",
    "articles/",
    "articles/manage-chronic-back-pain-with-exercise/",
    "exercises/",
    "exercises/bridge/",
    "exercises/clamshell/",
    "exercises/bird-dog-hip-extension/",
    "exercises/single-knee-to-chest/",
    "exercises/seated-spinal-twist/",
    "privacy/",
    "accessibility/",
    "404.html",
    "search/",
    "contact/",
    "routine/",
    "offline/",
    "es/",
    "es/articles/manage-chronic-back-pain-with-exercise/",
    "es/exercises/",
    "es/exercises/bridge/",
    "es/exercises/seated-spinal-twist/",
    "es/contact/",
    "es/search/",
    "es/privacy/",
    "es/routine/",
    "es/offline/",
]
EXERCISES = [p for p in PAGES if "exercises/" in p and not p.endswith("exercises/")]


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_clean_and_passes_axe(page: Page, site_url: str, path: str) -> None:
    seen = watch(page, site_url)
    page.goto(site_url + path, wait_until="networkidle")
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    assert results.violations_count == 0, results.generate_report()
    seen.assert_clean()


@pytest.mark.parametrize("path", PAGES)
def test_reflows_at_320_px_without_sideways_scrolling(page: Page, site_url: str, path: str) -> None:
    page.set_viewport_size({"width": 320, "height": 700})
    page.goto(site_url + path)
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= 320, f"{path}: page is {overflow}px wide at a 320px viewport"


def test_everything_is_readable_without_javascript(browser, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "exercises/")
    for name in (
        "Bridge",
        "Clamshell",
        "Bird dog hip extension",
        "Single knee to chest",
        "Seated spinal twist",
    ):
        expect(page.get_by_role("link", name=name, exact=True).first).to_be_visible()
    page.get_by_role("link", name="Bridge", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bridge")
    expect(page.locator(".steps li").first).to_be_visible()
    context.close()


def test_skip_link_is_first_and_moves_focus_to_main(page: Page, site_url: str) -> None:
    page.goto(site_url + "exercises/bridge/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert re.search(r"skip to (main )?content", focused, re.I)
    expect(page.locator(":focus")).to_be_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_focus_is_clearly_visible(page: Page, site_url: str) -> None:
    page.goto(site_url + "exercises/bridge/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    outline = page.evaluate("""() => {
        const s = getComputedStyle(document.activeElement);
        return [s.outlineStyle, parseFloat(s.outlineWidth)];
    }""")
    assert outline[0] != "none" and outline[1] >= 2, outline


def test_body_text_is_at_least_16px_and_controls_at_least_24px(page: Page, site_url: str) -> None:
    page.goto(site_url + "exercises/bridge/")
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('main p')).fontSize)")
    assert size >= 16
    small = page.evaluate("""() => [...document.querySelectorAll(
            'header a, nav a, footer a, .speak-with-us a, button')]
        .map(e => [e.textContent.trim(), e.getBoundingClientRect()])
        .filter(([t, r]) => r.width > 0 && (r.height < 24 || r.width < 24))
        .map(([t, r]) => `${t}: ${r.width}x${r.height}`)""")
    assert small == []


def test_call_link_dials_the_clinic_in_international_form(page: Page, site_url: str) -> None:
    page.goto(site_url + "exercises/bridge/")
    call = page.locator('a[href^="tel:"]').first
    expect(call).to_have_attribute("href", "tel:+12133694583")
    expect(call).to_contain_text("(213) 369-4583")
    box = call.bounding_box()
    assert box is not None and box["height"] >= 44
