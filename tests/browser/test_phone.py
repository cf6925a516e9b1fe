"""On a 390 x 844 phone and a 1280 x 900 screen, in English and Spanish, measured in Chromium:
the answer and the phone number come first, the header stays small, every target is big
enough to tap, the search results start on the first screen."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.helpers import add_to_routine, box, small_targets

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
NUMBER = "(213) 369-4583"
#: One page of each type, in each language ("" is English, the main language).
PAGE_TYPES = [
    "",
    "articles/",
    "articles/manage-chronic-back-pain-with-exercise/",
    "exercises/",
    "exercises/bridge/",
    "privacy/",
    "search/?q={query}",
    "contact/",
    "routine/",
    "offline/",
]
LANGUAGES = {"": "en", "es/": "es"}
QUERY = {"": "knee", "es/": "rodilla"}
WORDS = {
    "en": {"call": "Call", "menu": "Menu", "search": "Search", "other": "Español"},
    "es": {"call": "Llamar", "menu": "Menú", "search": "Buscar", "other": "English"},
}


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE)
    yield context.new_page()
    context.close()


@pytest.fixture
def desktop(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=DESKTOP)
    yield context.new_page()
    context.close()


def open_page(page: Page, url: str) -> None:
    page.goto(url)
    if "search/" in url:
        expect(page.locator("#search-results li").first).to_be_visible()


def check_phone_header(page: Page, lang: str, path: str) -> None:
    """At most a fifth of the first screen; a labelled call button, the other language and
    search on it."""
    header = box(page, ".site-header")
    assert header["bottom"] <= 0.20 * PHONE["height"], f"{path}: header ends at {header['bottom']}"
    call = page.locator(".site-header a[href^='tel:']")
    expect(call).to_have_attribute("href", "tel:+12133694583")
    name = re.compile(rf"^{WORDS[lang]['call']}\b.*{re.escape(NUMBER)}")
    expect(call).to_have_accessible_name(name)
    expect(call).to_be_in_viewport(ratio=1)
    assert call.bounding_box()["height"] >= 44  # type: ignore[index]
    languages = page.get_by_role("navigation", name=re.compile("^(Language|Idioma)$"))
    expect(languages.get_by_role("link", name=WORDS[lang]["other"])).to_be_in_viewport()
    if "search/" in path:
        expect(page.locator("#search-input")).to_be_in_viewport()
    else:
        search = page.locator(".site-header").get_by_role("link", name=WORDS[lang]["search"])
        expect(search).to_be_in_viewport(ratio=1)
        expect(search).to_have_attribute("href", re.compile(r"/search/$"))


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_phone_menu_opens_and_closes(phone: Page, site_url: str, prefix: str) -> None:
    lang = LANGUAGES[prefix]
    open_page(phone, site_url + prefix + "exercises/bridge/")
    nav = phone.get_by_role("navigation", name=re.compile("^(Main|Principal)$"))
    toggle = phone.get_by_role("button", name=WORDS[lang]["menu"])
    expect(nav).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(nav.get_by_role("link")).to_have_count(5)
    for link in nav.get_by_role("link").all():
        expect(link).to_be_in_viewport()
    assert small_targets(phone, strict=True) == []
    phone.keyboard.press("Escape")
    expect(nav).to_be_hidden()
    expect(toggle).to_be_focused()


def test_without_javascript_the_phone_menu_is_simply_open(browser: Browser, site_url: str) -> None:
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "exercises/bridge/")
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Exercises")
    ).to_be_visible()
    context.close()


def test_desktop_header_shows_everything_on_two_rows(desktop: Page, site_url: str) -> None:
    open_page(desktop, site_url + "exercises/bridge/")
    header = box(desktop, ".site-header")
    assert header["bottom"] <= 130, header
    call = desktop.locator(".site-header a[href^='tel:']")
    expect(call).to_have_text(re.compile(rf"Call\s*{re.escape(NUMBER)}"))
    expect(call).to_be_in_viewport(ratio=1)
    expect(desktop.get_by_role("button", name="Menu")).to_be_hidden()
    expect(desktop.get_by_role("navigation", name="Main")).to_be_visible()
    expect(desktop.get_by_role("search", name="Site").get_by_role("searchbox")).to_be_visible()


@pytest.mark.parametrize("prefix", LANGUAGES)
@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_every_page_type_has_a_small_header_and_targets_big_enough_to_tap(
    browser: Browser, site_url: str, prefix: str, size: dict[str, int]
) -> None:
    """On every page type: on a phone, the header (see `check_phone_header`); on both, WCAG
    2.5.8 by measurement, and stricter: no target outside a sentence is under 24 x 24, even
    where spacing would allow it."""
    context = browser.new_context(viewport=size)
    page = context.new_page()
    add_to_routine(page, site_url, prefix, ["bridge", "clamshell"])
    failures = {}
    paths = PAGE_TYPES if prefix else [*PAGE_TYPES, "404.html"]  # one 404 page, in English
    for path in paths:
        open_page(page, site_url + prefix + path.format(query=QUERY[prefix]))
        if size is PHONE:
            check_phone_header(page, LANGUAGES[prefix], path)
        if "search/" in path:  # the filters open
            if size is PHONE:
                page.locator("#search-filters > summary").click()
            expect(page.locator("#search-filters fieldset").first).to_be_visible()
        if "routine/" in path:
            expect(page.locator(".routine-item .dose")).to_have_count(2)
            page.locator(".routine-item__steps > summary").first.click()
        found = small_targets(page, strict=True)
        if found:
            failures[path or "/"] = found
    context.close()
    assert failures == {}


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_phone_search_results_start_on_the_first_screen(
    phone: Page, site_url: str, prefix: str
) -> None:
    query = QUERY[prefix]
    open_page(phone, f"{site_url}{prefix}search/?q={query}")
    first = box(phone, "#search-results li h2 a")
    assert first["bottom"] <= PHONE["height"], f"first result ends at {first['bottom']}px"
    expect(phone.locator(".site-header a[href^='tel:']")).to_be_in_viewport(ratio=1)
    # the filters are one closed button, above the results, never in the way
    filters = phone.locator("#search-filters")
    expect(filters).not_to_have_attribute("open", "")
    assert box(phone, "#search-filters")["height"] <= 56
    expect(filters.locator("summary")).not_to_contain_text("(")

    # ticked filters: the button says how many, and the results still come first
    open_page(phone, f"{site_url}{prefix}search/?q={query}&category=stretching&flare_up=yes")
    chosen = {"": "(2 chosen)", "es/": "(2 elegidos)"}[prefix]
    expect(filters.locator("summary")).to_contain_text(chosen)
    assert box(phone, "#search-results li h2 a")["bottom"] <= PHONE["height"]
    filters.locator("summary").click()
    expect(filters.get_by_role("checkbox").first).to_be_visible()
    filters.get_by_role("checkbox").first.check()
    expect(filters.locator("summary")).to_contain_text(
        {"": "(3 chosen)", "es/": "(3 elegidos)"}[prefix]
    )


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_filter_counts_never_wrap_apart(
    browser: Browser, site_url: str, size: dict[str, int]
) -> None:
    context = browser.new_context(viewport=size)
    page = context.new_page()
    for prefix in LANGUAGES:
        open_page(page, f"{site_url}{prefix}search/?q={ {'': 'back', 'es/': 'espalda'}[prefix] }")
        filters = page.locator("#search-filters")
        if size is PHONE:
            filters.locator("summary").click()
        else:
            expect(filters).to_have_attribute("open", "")  # beside the results on a wide screen
        expect(page.locator(".count[data-facet]").first).to_have_text(re.compile(r"^\(\d+\)$"))
        lines = page.evaluate(
            """() => [...document.querySelectorAll('.count[data-facet]')]
                .filter(c => c.textContent).map(c => c.getClientRects().length)"""
        )
        assert lines and set(lines) == {1}, lines  # "(12)" is one piece on one line
    context.close()


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_home_leads_with_exercises_articles_and_how_to_call(
    phone: Page, site_url: str, prefix: str
) -> None:
    open_page(phone, site_url + prefix)
    heading = phone.get_by_role("heading", level=1)
    expect(heading).not_to_have_text("Southern California Brain & Spine Surgery")
    call = phone.locator("main a[href^='tel:']").first
    expect(call).to_be_in_viewport(ratio=1)
    first_exercise = box(phone, "#home-exercises ~ .category-group .link-card a")
    assert first_exercise["y"] < PHONE["height"], first_exercise
    order = phone.evaluate(
        "[...document.querySelectorAll('main h2')].map(h => h.id).filter(Boolean)"
    )
    assert order.index("home-exercises") < order.index("home-articles") < order.index("home-about")


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_exercise_page_stop_box_is_plain_and_the_picture_large(
    browser: Browser, site_url: str, prefix: str
) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    open_page(page, f"{site_url}{prefix}exercises/bridge/")
    weights = page.evaluate(
        "[...document.querySelectorAll('.stop-if li')].map(li => +getComputedStyle(li).fontWeight)"
    )
    assert weights and max(weights) <= 400, weights
    content = box(page, "main .wrap")["width"] - 32
    assert box(page, ".exercise-figures img")["width"] >= content - 1
    page.set_viewport_size(DESKTOP)
    picture = box(page, ".exercise-figures img")
    assert picture["width"] >= 560 and picture["height"] >= 280, picture
    context.close()


def test_add_button_needs_javascript_and_the_routine_page_says_so(
    browser: Browser, site_url: str
) -> None:
    context: BrowserContext = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    for prefix in LANGUAGES:
        page.goto(f"{site_url}{prefix}exercises/bridge/")
        expect(page.locator("[data-routine-add]")).to_be_hidden()
        assert page.get_by_role("button", name=re.compile("routine|rutina")).count() == 0
    page.goto(site_url + "routine/")
    fallback = page.locator("#routine-fallback")
    expect(fallback).to_be_visible()
    expect(fallback).to_contain_text("needs JavaScript")
    expect(fallback).to_contain_text("print each exercise on its own")
    expect(page.locator("#routine-app")).to_be_hidden()
    page.goto(site_url + "es/routine/")
    expect(page.locator("#routine-fallback")).to_contain_text("necesita JavaScript")
    context.close()
