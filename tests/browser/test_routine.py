"""My routine in real Chromium: kept in this browser only, reordered and emptied from the
keyboard, honest about an exercise it cannot open, accessible."""

from __future__ import annotations

import json

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.helpers import AXE_TAGS, add_to_routine, watch


def stored(page: Page) -> list[str]:
    data = page.evaluate("localStorage.getItem('healthsite:routine:/')")
    return [item["slug"] for item in json.loads(data)["items"]]


def test_routine_is_kept_in_the_browser_and_sent_nowhere(page: Page, site_url: str) -> None:
    seen = watch(page, site_url)
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method != "GET" else None)
    add_to_routine(page, site_url, "", ["bridge", "clamshell", "bird-dog-hip-extension"])
    assert stored(page) == ["bridge", "clamshell", "bird-dog-hip-extension"]
    page.get_by_role("button", name="Remove from my routine").click()
    expect(page.get_by_role("status")).to_have_text("Removed from your routine.")
    expect(page.get_by_role("button", name="Add to my routine")).to_be_visible()
    assert stored(page) == ["bridge", "clamshell"]
    page.goto(site_url + "routine/")
    expect(page.locator(".routine-item .dose")).to_have_count(2)
    assert posts == [] and page.context.cookies() == []
    seen.assert_clean()


def test_reorder_and_remove_from_the_keyboard(page: Page, site_url: str) -> None:
    add_to_routine(page, site_url, "", ["bridge", "clamshell", "seated-spinal-twist"])
    page.goto(site_url + "routine/")
    titles = page.locator(".routine-item__title a")
    expect(titles).to_have_text(["Bridge", "Clamshell", "Seated spinal twist"])
    down = page.get_by_role("button", name="Move down (Bridge)")
    down.focus()
    page.keyboard.press("Enter")
    expect(titles).to_have_text(["Clamshell", "Bridge", "Seated spinal twist"])
    expect(page.get_by_role("status")).to_have_text("Bridge is now number 2.")
    expect(page.get_by_role("button", name="Move down (Bridge)")).to_be_focused()
    assert stored(page) == ["clamshell", "bridge", "seated-spinal-twist"]
    expect(page.get_by_role("button", name="Move up (Clamshell)")).to_be_disabled()
    page.get_by_role("button", name="Remove (Bridge)").click()
    expect(titles).to_have_text(["Clamshell", "Seated spinal twist"])
    expect(page.get_by_role("status")).to_have_text("Bridge was removed from your routine.")
    expect(titles.nth(1)).to_be_focused()  # the next exercise, not the top of the page
    rows = page.locator(".week-sheet tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first.locator(".week-sheet__box")).to_have_count(14)  # twice a day, 7 days
    report = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    assert report.violations_count == 0, report.generate_report()

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Remove all exercises").click()
    expect(page.get_by_role("status")).to_have_text("Your routine is empty now.")
    expect(page.locator("#routine-empty")).to_be_visible()
    expect(page.get_by_role("button", name="Print my routine")).to_be_hidden()


def test_an_exercise_taken_off_the_site_says_so(page: Page, site_url: str) -> None:
    page.goto(site_url + "routine/")
    page.evaluate(
        """localStorage.setItem('healthsite:routine:/', JSON.stringify({version: 1, items: [
            {slug: 'gone', title: 'Old stretch', urls: {en: '/exercises/gone/'}},
            {slug: 'bridge', title: 'Bridge', urls: {en: '/exercises/bridge/'}}]}))"""
    )
    page.reload()
    gone = page.locator(".routine-item").first
    expect(gone.locator(".routine-item__title a")).to_have_text("Old stretch")
    expect(gone.locator(".routine-item__problem")).to_contain_text("could not be opened")
    expect(gone.locator(".dose")).to_be_hidden()
    expect(page.locator(".routine-item").nth(1).locator(".dose")).to_contain_text("Do 2 sets")
    gone.get_by_role("button", name="Remove (Old stretch)").click()
    expect(page.locator(".routine-item")).to_have_count(1)


def test_a_damaged_store_is_an_empty_routine(page: Page, site_url: str) -> None:
    page.goto(site_url + "routine/")
    page.evaluate("localStorage.setItem('healthsite:routine:/', '{not json')")
    page.reload()
    expect(page.locator("#routine-empty")).to_be_visible()
    page.goto(site_url + "exercises/bridge/")
    page.get_by_role("button", name="Add to my routine").click()
    assert stored(page) == ["bridge"]
