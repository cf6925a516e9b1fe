"""Pictures and video in real Chromium: a phone downloads a small size of a 4.5 MB photo, the
page never jumps while pictures load, the video costs nothing until played, print shows its
poster, and an accessibility engine finds nothing wrong."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser

from tests.helpers import serve_folder, watch

PHONE = {"width": 390, "height": 844}
#: Layout shifts, as the browser counts them for Core Web Vitals (CLS), and the largest paint.
VITALS = """() => new Promise(resolve => {
  let shift = 0, lcp = null;
  new PerformanceObserver(list => { for (const e of list.getEntries())
    if (!e.hadRecentInput) shift += e.value; }).observe({type: "layout-shift", buffered: true});
  new PerformanceObserver(list => { const all = list.getEntries();
    lcp = all[all.length - 1]; }).observe({type: "largest-contentful-paint", buffered: true});
  setTimeout(() => resolve({shift, lcp: lcp && lcp.startTime,
    element: lcp && lcp.element && lcp.element.tagName}), 1500);
})"""


@pytest.fixture(scope="module")
def media_url(media_site: Path) -> Iterator[str]:
    proc, url = serve_folder(media_site / "site")
    yield url
    proc.terminate()
    proc.wait()


@pytest.mark.parametrize(("scale", "width"), [(1, 480), (2, 800), (3, 1200)])
def test_a_phone_downloads_a_small_size_of_the_photo(
    browser: Browser, media_url: str, phone_jpeg: Path, scale: int, width: int
) -> None:
    context = browser.new_context(viewport=PHONE, device_scale_factor=scale)
    page = context.new_page()
    pictures: dict[str, int] = {}
    page.on(
        "requestfinished",
        lambda r: (
            pictures.__setitem__(r.url, r.sizes()["responseBodySize"])
            if "/static/photos/" in r.url
            else None
        ),
    )
    page.goto(media_url + "exercises/bridge/", wait_until="networkidle")
    page.locator(".illustration img").first.scroll_into_view_if_needed()
    page.wait_for_load_state("networkidle")
    chosen = [url for url in pictures if url.endswith((".avif", ".webp"))]
    # one AVIF (or WebP) of the width that fits 358 CSS pixels at this pixel density
    assert len(chosen) == 1, pictures
    assert chosen[0].endswith(f"-{width}.avif") or chosen[0].endswith(f"-{width}.webp")
    assert pictures[chosen[0]] <= 80_000, pictures
    assert pictures[chosen[0]] * 50 < phone_jpeg.stat().st_size
    # the one JPEG is the video's poster (the video itself waits until someone presses play)
    assert [url[-8:] for url in pictures if url.endswith(".jpg")] == ["-800.jpg"]
    context.close()


def test_no_layout_shift_while_pictures_load(browser: Browser, media_url: str) -> None:
    context = browser.new_context(viewport=PHONE, device_scale_factor=2)
    page = context.new_page()
    seen = watch(page, media_url)
    videos: list[str] = []
    page.on("request", lambda r: videos.append(r.url) if "/static/video/" in r.url else None)
    page.goto(media_url + "exercises/bridge/", wait_until="networkidle")
    vitals = page.evaluate(VITALS)
    assert vitals["shift"] == 0, vitals
    figure = page.locator(".illustration img").first.bounding_box()
    assert figure is not None and figure["width"] == pytest.approx(358, abs=1)
    assert figure["height"] == pytest.approx(358 * 2133 / 1600, abs=1)  # sized before loading
    player = page.locator(".video video").bounding_box()
    assert player is not None and player["height"] > 100
    # preload="none": nothing of the video until it is played (only its small captions file)
    assert [url for url in videos if not url.endswith(".vtt")] == []
    seen.assert_clean()
    assert Axe().run(page).violations_count == 0
    context.close()


def test_print_shows_the_poster_not_an_empty_player(
    browser: Browser, media_url: str, tmp_path: Path
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    # an article's video: on paper, its poster frame. Printed straight away, as a visitor
    # prints: the picture hidden on screen must already be loaded (a lazy one is not)
    page.goto(media_url + "articles/back-care/", wait_until="networkidle")
    (tmp_path / "article.pdf").write_bytes(page.pdf(format="A4"))
    listed = subprocess.run(
        ["pdfimages", "-list", str(tmp_path / "article.pdf")],
        capture_output=True,
        check=True,
        text=True,
    ).stdout.splitlines()[2:]
    page.emulate_media(media="print")
    assert not page.locator(".video video").is_visible()
    still = page.locator(".video__print")
    assert still.is_visible()
    assert still.evaluate("img => img.naturalWidth") == 800
    # every raster picture shown on paper is in the PDF (an empty box would have none)
    shown = page.evaluate(
        """[...document.images].filter(i => i.getClientRects().length
            && !i.currentSrc.endsWith('.svg')).length"""
    )
    assert shown >= 2  # the poster, and the bridge's photo in the exercise list
    assert len(listed) == shown, listed
    # an exercise with illustrations keeps its one-sheet handout: the illustrations, no player
    page.goto(media_url + "exercises/bridge/", wait_until="networkidle")
    page.emulate_media(media="print")
    assert page.locator(".illustration img").first.is_visible()
    assert not page.locator(".exercise-videos").is_visible()
    assert not page.locator(".video video").is_visible()
    context.close()
