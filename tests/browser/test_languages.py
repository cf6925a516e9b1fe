"""The Spanish site in real Chromium: switching language, Spanish search, Spanish forms."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.helpers import results, watch


def test_switching_language_on_an_exercise_lands_on_its_spanish_twin(
    page: Page, site_url: str
) -> None:
    seen = watch(page, site_url)
    page.goto(site_url + "exercises/bridge/")
    switcher = page.get_by_role("navigation", name="Language")
    switcher.get_by_role("link", name="Español").click()
    page.wait_for_url(re.compile(r"/es/exercises/bridge/$"))
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", level=1)).to_have_text("Puente")
    expect(page.get_by_role("navigation", name="Idioma")).to_be_visible()
    # and back
    page.get_by_role("navigation", name="Idioma").get_by_role("link", name="English").click()
    page.wait_for_url(re.compile(r"/exercises/bridge/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Bridge")
    seen.assert_clean()


def test_spanish_pages_keep_numbers_and_names_untranslated(page: Page, site_url: str) -> None:
    page.goto(site_url + "es/exercises/bridge/")
    calls = page.locator('a[href="tel:+12133694583"]')
    assert calls.count() >= 2  # the header's and the one in "Speak with us"
    for call in calls.all():  # the number is never translated, whatever words are around it
        number = call.locator("xpath=self::*[@translate='no'] | .//*[@translate='no']")
        expect(number.first).to_have_text("(213) 369-4583")
    expect(
        page.locator("[translate=no]", has_text="Southern California Brain & Spine Surgery").first
    ).to_be_attached()


def test_spanish_search_uses_the_spanish_index(page: Page, site_url: str) -> None:
    page.goto(site_url + "es/search/")
    page.get_by_label("Buscar ejercicios y artículos").fill("puente")
    assert results(page)[0] == "/es/exercises/bridge/"
    expect(page.get_by_role("status")).to_contain_text("puente")


def test_spanish_dates_and_review_block(page: Page, site_url: str) -> None:
    page.goto(site_url + "es/exercises/bridge/")
    expect(page.locator(".page-review")).to_contain_text("2 de noviembre de 2026")
    expect(page.locator(".translation-notice")).to_contain_text("Traducido por")
