"""Live editing in real Chromium: a save shows by itself, a broken save shows why, a fix clears it.

The page is never reloaded by the test: livereload's websocket does it. The page's own
Content-Security-Policy stays on, so anything it blocks (an inline script or style) shows up as a
console error.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, WebSocket, expect

from tests.helpers import AXE_TAGS, Served, serving, watch

ARTICLE = "content/articles/back-care.md"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    with serving(tmp_path) as server:
        yield server


def open_live(page: Page, url: str) -> list[float]:
    """Open `url` and wait until livereload's websocket has said hello; returns load times."""
    said_hello: list[str] = []

    def on_websocket(socket: WebSocket) -> None:
        socket.on("framesent", lambda frame: said_hello.append(str(frame)))

    page.on("websocket", on_websocket)
    loads: list[float] = []
    page.on("load", lambda _: loads.append(time.monotonic()))
    page.goto(url)
    for _ in range(100):  # the server counts a page as open once it has sent 'info'
        if any('"command":"info"' in frame for frame in said_hello):
            break
        page.wait_for_timeout(50)
    else:
        pytest.fail("livereload.js did not connect")
    return loads


def loaded(page: Page, loads: list[float], count: int) -> int:
    """How many loads there were, once the `count`th has finished (text shows before it does)."""
    for _ in range(40):
        if len(loads) >= count:
            break
        page.wait_for_timeout(50)
    page.wait_for_timeout(200)  # and no other reload follows
    return len(loads)


def test_a_save_shows_by_itself_and_a_broken_save_shows_its_problem(
    page: Page, served: Served
) -> None:
    seen = watch(page, served.url)
    loads = open_live(page, served.url + "articles/back-care/")
    main = page.locator("main")
    expect(main).to_contain_text("Stay active.")

    start = time.monotonic()
    served.edit(ARTICLE, "Stay active.", "Stay active every day.")
    expect(main).to_contain_text("Stay active every day.", timeout=5000)
    print(f"edit to new text in Chromium: {time.monotonic() - start:.2f} s")
    assert loaded(page, loads, 2) == 2  # opened once, reloaded once by the server

    served.edit(ARTICLE, "title: Caring for your back", "title: [Caring for your back")
    alert = page.get_by_role("alertdialog", name="The site could not be rebuilt")
    expect(alert).to_contain_text(f"{ARTICLE}:", timeout=5000)
    expect(alert).to_contain_text("Fix the file and save: this page reloads by itself.")
    expect(main).to_contain_text("Stay active every day.")  # the last good page, under it
    expect(alert).to_be_focused()  # screen readers announce it
    # styled by the overlay's own stylesheet: the policy blocks inline styles
    expect(alert).to_have_css("position", "fixed")
    expect(alert).to_have_css("border-top-color", "rgb(164, 0, 15)")
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    assert results.violations_count == 0, results.generate_report()

    served.edit(ARTICLE, "title: [Caring for your back", "title: Caring for your back")
    expect(page.get_by_role("alertdialog")).to_have_count(0, timeout=5000)
    expect(main).to_contain_text("Stay active every day.")
    assert loaded(page, loads, 4) == 4  # every save reached the page without a manual reload
    assert seen.console_errors == []  # no Content-Security-Policy violation, no script error
    assert seen.foreign == []
