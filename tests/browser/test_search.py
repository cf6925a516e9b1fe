"""Site search in real Chromium: relevance, filters, shareable URLs, keyboard use, accessibility."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from healthsite.build.pipeline import build
from tests.helpers import AXE_TAGS, RESULT_LINKS, VALID_SITE, results, serve_folder, watch


def search_for(page: Page, site_url: str, query: str) -> list[str]:
    page.goto(site_url + "search/")
    page.get_by_label("Search exercises and articles").fill(query)
    return results(page)


def test_bridge_puts_the_bridge_exercise_first(page: Page, site_url: str) -> None:
    seen = watch(page, site_url)
    found = search_for(page, site_url, "bridge")
    assert found[0] == "/exercises/bridge/"
    seen.assert_clean()  # the CSP lets Pagefind's WebAssembly and worker run; nothing else


def test_lay_words_find_the_clinical_name(page: Page, site_url: str) -> None:
    assert search_for(page, site_url, "glute bridge")[0] == "/exercises/bridge/"
    assert "/exercises/single-knee-to-chest/" in search_for(page, site_url, "knee hug")


def test_stretching_filter_with_knee_finds_only_knee_to_chest(page: Page, site_url: str) -> None:
    page.goto(site_url + "search/")
    page.get_by_role("group", name="Type of exercise").get_by_label("Stretching").check()
    page.get_by_label("Search exercises and articles").fill("knee")
    expect(page.locator(RESULT_LINKS)).to_have_count(1)
    assert results(page) == ["/exercises/single-knee-to-chest/"]


def test_filters_combine_any_within_a_group_and_all_across(page: Page, site_url: str) -> None:
    page.goto(site_url + "search/?category=strengthening&category=stretching")
    assert len(results(page)) == 5
    page.goto(site_url + "search/?category=strengthening&category=stretching&flare_up=yes")
    assert sorted(results(page)) == [
        "/exercises/bridge/",
        "/exercises/clamshell/",
        "/exercises/single-knee-to-chest/",
    ]
    counts = page.locator('.count[data-facet="category"]').all_inner_texts()
    assert any(re.fullmatch(r"\(\d+\)", c) for c in counts)


def test_filter_only_browsing_with_an_empty_query(page: Page, site_url: str) -> None:
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(site_url + "search/?position=lying-on-back&flare_up=yes")
    assert sorted(results(page)) == ["/exercises/bridge/", "/exercises/single-knee-to-chest/"]
    expect(page.get_by_label("Lying on your back")).to_be_checked()
    expect(page.locator('.count[data-facet="position"][data-value="sitting"]')).to_have_text("(0)")
    expect(page.locator('.count[data-facet="position"][data-value="lying-on-back"]')).to_have_text(
        "(2)"
    )
    # answered from the small list of exercises, not by downloading Pagefind's word index
    assert any(url.endswith("/search/browse.json") for url in fetched)
    assert not any("/pagefind/index/" in url for url in fetched)


def test_the_url_holds_the_search_and_the_back_button_works(page: Page, site_url: str) -> None:
    page.goto(site_url + "search/")
    box = page.get_by_label("Search exercises and articles")
    box.fill("knee")
    box.press("Enter")
    results(page)
    page.get_by_role("group", name="Type of exercise").get_by_label("Stretching").check()
    expect(page.locator(RESULT_LINKS)).to_have_count(1)
    params = parse_qs(urlsplit(page.url).query)
    assert params == {"q": ["knee"], "category": ["stretching"]}

    page.reload()  # a bookmark or a shared link gives the same page
    expect(box).to_have_value("knee")
    expect(page.get_by_label("Stretching")).to_be_checked()
    assert results(page) == ["/exercises/single-knee-to-chest/"]

    page.go_back()  # before the filter was ticked
    expect(page.get_by_label("Stretching")).not_to_be_checked()
    expect(box).to_have_value("knee")
    assert len(results(page)) > 1


def test_articles_show_matching_sections(page: Page, site_url: str) -> None:
    search_for(page, site_url, "walking")
    article = page.locator(
        ".search-result",
        has=page.locator('a[href="/articles/manage-chronic-back-pain-with-exercise/"]'),
    )
    expect(article.locator(".search-result__sections a").first).to_have_attribute(
        "href", re.compile(r"^/articles/manage-chronic-back-pain-with-exercise/#")
    )
    expect(article.locator("mark").first).to_be_visible()


def test_nothing_found_says_so_and_offers_a_way_on(page: Page, site_url: str) -> None:
    page.goto(site_url + "search/?q=xylophone")
    expect(page.locator("#search-status")).to_have_text("No results for “xylophone”.")
    help_box = page.locator("#search-empty")
    expect(help_box).to_be_visible()
    expect(help_box.get_by_role("link", name="All exercises, grouped by type")).to_be_visible()


def test_keyboard_only_from_any_page_to_an_exercise(page: Page, site_url: str) -> None:
    page.goto(site_url + "articles/")
    for _ in range(10):  # tab from the top of the page to the header search box
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "site-search-q":
            break
    else:
        pytest.fail("the header search box cannot be reached with Tab")
    page.keyboard.type("bridge")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q=bridge$"))
    assert results(page)[0] == "/exercises/bridge/"
    page.locator(RESULT_LINKS).first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/exercises/bridge/$"))


def test_results_are_announced_to_screen_readers(page: Page, site_url: str) -> None:
    page.goto(site_url + "search/?q=bridge")
    status = page.get_by_role("status")
    expect(status).to_have_text(re.compile(r"^\d+ results? for “bridge”\.$"))


def test_search_page_passes_axe_with_results_and_filters(page: Page, site_url: str) -> None:
    page.goto(site_url + "search/?q=knee&category=stretching")
    results(page)
    report = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    assert report.violations_count == 0, report.generate_report()
    page.goto(site_url + "search/?q=xylophone")
    expect(page.locator("#search-empty")).to_be_visible()
    report = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    assert report.violations_count == 0, report.generate_report()


def test_works_in_a_narrow_phone_viewport(page: Page, site_url: str) -> None:
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(site_url + "search/?q=stretch")
    results(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_without_javascript_search_leads_to_the_lists(browser, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "exercises/bridge/")
    page.get_by_role("search", name="Site").get_by_role("searchbox").fill("knee")
    page.get_by_role("search", name="Site").get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"/search/\?q=knee$"))
    fallback = page.locator("#search-fallback")
    expect(fallback).to_be_visible()
    fallback.get_by_role("link", name="All exercises, grouped by type").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Exercises")
    context.close()


def test_a_search_that_cannot_load_says_so_and_offers_the_lists(page: Page, site_url: str) -> None:
    page.route("**/pagefind/**", lambda route: route.abort())
    page.goto(site_url + "search/?q=bridge")
    expect(page.locator("#search-status")).to_have_text(re.compile(r"not available"))
    expect(page.locator("#search-empty").get_by_role("link").first).to_be_visible()


@pytest.fixture(scope="module")
def many_pages_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A small site with 25 plain pages about walking, to page through results."""
    root = tmp_path_factory.mktemp("many")
    shutil.copytree(VALID_SITE, root, dirs_exist_ok=True)
    for n in range(25):
        (root / f"content/pages/walking-{n:02d}.md").write_text(
            f"---\ntitle: Walking tip {n}\nsummary: Walking.\n---\nWalking helps, tip {n}.\n"
        )
    build(root)
    proc, url = serve_folder(root / "site")
    yield url
    proc.terminate()
    proc.wait()


def test_more_results_are_fetched_on_request(page: Page, many_pages_url: str) -> None:
    page.goto(many_pages_url + "search/?q=walking")
    expect(page.locator("#search-status")).to_have_text(re.compile(r"^26 results.*first 10"))
    expect(page.locator(RESULT_LINKS)).to_have_count(10)
    page.get_by_role("button", name="Show more results").click()
    expect(page.locator(RESULT_LINKS)).to_have_count(20)
    expect(page.locator(RESULT_LINKS).nth(10)).to_be_focused()
    expect(page.get_by_role("status")).to_have_text("Showing 20 of 26 results.")
    page.get_by_role("button", name="Show more results").click()
    expect(page.locator(RESULT_LINKS)).to_have_count(26)  # the article mentions walking too
    expect(page.get_by_role("button", name="Show more results")).to_be_hidden()


def test_the_type_filter_finds_articles_though_the_index_gives_them_no_type(
    page: Page, site_url: str
) -> None:
    page.goto(site_url + "search/")
    articles = page.locator('.count[data-facet="type"][data-value="article"]')
    exercises = page.locator('.count[data-facet="type"][data-value="exercise"]')
    expect(articles).to_have_text("(1)")  # counted by the build
    expect(exercises).to_have_text("(5)")
    page.get_by_label("Search exercises and articles").fill("bridge")
    expect(exercises).to_have_text("(1)")  # counted by Pagefind, after the results

    page.goto(site_url + "search/?q=back")  # as from the header box: counts come after
    everything = results(page)
    in_articles = [url for url in everything if url.startswith("/articles/")]
    assert in_articles and len(in_articles) < len(everything)
    expect(articles).to_have_text(f"({len(in_articles)})")

    page.goto(site_url + "search/?q=back&type=article")
    assert results(page) == in_articles
    page.goto(site_url + "search/?q=back&type=exercise")
    assert sorted(results(page)) == sorted(u for u in everything if u.startswith("/exercises/"))
    page.goto(site_url + "search/?type=article")  # no word: "not any other type", by Pagefind
    assert results(page) == ["/articles/manage-chronic-back-pain-with-exercise/"]
