"""Offline in real Chromium: after one visit, the exercises a patient read and their routine
open with no connection at all (the browser offline and the server stopped); a page never read
gives the offline page with the number to call; a rebuild brings the kept pages up to date."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from healthsite.build.pipeline import build
from tests.helpers import copy_sample_sources, serve_folder

FIVE = [
    "bridge",
    "clamshell",
    "bird-dog-hip-extension",
    "single-knee-to-chest",
    "seated-spinal-twist",
]


class Server:
    """A static server for one test's own copy of the site, which the test can stop."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.proc: subprocess.Popen[bytes] | None = None
        self.url = ""

    def start(self) -> str:
        self.proc, self.url = serve_folder(self.folder)
        return self.url

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait()
            self.proc = None


@pytest.fixture
def own_site(sample_site: Path, tmp_path: Path) -> Iterator[Server]:
    """The built sample site, copied: the rebuild test changes it."""
    server = Server(tmp_path / "site")
    shutil.copytree(sample_site, server.folder)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def context(browser, own_site: Server) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    yield context
    context.close()


def poll(page: Page, script: str, arg: object = None, timeout: float = 15.0) -> None:
    """Wait until an async script in the page returns true (Playwright's wait_for_function
    takes a returned promise for a true value)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(script, arg):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s: {script}")
        page.wait_for_timeout(100)


KEPT = "async (url) => !!(await caches.match(new URL(url, location.href).href))"


def wait_until_kept(page: Page, *paths: str) -> None:
    """The service worker controls the page and has kept these addresses."""
    poll(page, "() => navigator.serviceWorker.controller !== null")
    for path in paths:
        poll(page, KEPT, path)


def go_offline(context: BrowserContext, server: Server) -> None:
    context.set_offline(True)
    server.stop()  # nothing answers: not only the browser's idea of being offline


def test_read_exercises_and_the_routine_open_offline(context: BrowserContext, own_site: Server):
    page = context.new_page()
    root = own_site.url
    for slug in FIVE:  # a routine of five, added from each exercise's page
        page.goto(f"{root}exercises/{slug}/")
        page.get_by_role("button", name="Add to my routine").click()
        expect(page.get_by_role("status")).to_contain_text(re.compile("in your routine", re.I))
        wait_until_kept(page, f"/exercises/{slug}/")
    wait_until_kept(page, "/routine/", "/offline/")
    page.goto(root + "routine/")
    expect(page.locator(".routine-item .dose")).to_have_count(5)

    go_offline(context, own_site)
    page.goto(f"{root}exercises/bridge/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bridge")
    expect(page.locator(".stop-if li").first).to_be_visible()
    # the stylesheet came from the cache too: the header is styled
    assert page.evaluate("getComputedStyle(document.querySelector('.site-header')).display") == (
        "block"
    )
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bridge")

    page.goto(root + "routine/")
    items = page.locator(".routine-item")
    expect(items).to_have_count(5)
    expect(page.locator(".routine-item .dose")).to_have_count(5)
    for i in range(5):
        expect(items.nth(i).locator(".dose")).to_have_text(re.compile(r"^Do \d+ sets?"))
        expect(items.nth(i).locator(".stop-if li").first).to_be_visible()
    assert page.locator(".routine-item__problem:visible").count() == 0
    page.wait_for_function(  # the pictures came from the cache
        "() => [...document.querySelectorAll('.routine-item img')]"
        ".every(i => i.complete && i.naturalWidth > 0)",
        timeout=5_000,
    )


def test_a_page_never_read_offline_says_how_to_call(context: BrowserContext, own_site: Server):
    page = context.new_page()
    root = own_site.url
    page.goto(root + "exercises/bridge/")  # the first visit: kept once the worker runs
    wait_until_kept(page, "/exercises/bridge/")
    page.goto(root + "es/exercises/bridge/")
    wait_until_kept(page, "/es/exercises/bridge/")

    go_offline(context, own_site)
    page.goto(root + "exercises/clamshell/")
    expect(page.get_by_role("heading", level=1)).to_have_text("No internet connection")
    call = page.locator("main a[href^='tel:']")
    expect(call).to_have_attribute("href", "tel:+12133694583")
    expect(call).to_be_in_viewport()
    saved = page.locator("#offline-saved a")
    expect(saved.filter(has_text="Bridge")).to_have_attribute(
        "href", re.compile("/exercises/bridge/$")
    )
    expect(saved.filter(has_text="Puente")).to_have_count(0)  # only this language's pages

    page.goto(root + "es/exercises/clamshell/")
    expect(page.get_by_role("heading", level=1)).to_have_text("No hay conexión a internet")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("#offline-saved a").filter(has_text="Puente")).to_be_visible()


def test_a_rebuild_updates_the_kept_pages(
    context: BrowserContext, own_site: Server, tmp_path: Path
) -> None:
    """The clinic changes a dose and rebuilds: the worker's version changes, and once the
    patient has been online again, the kept page offline shows the new dose."""
    source = copy_sample_sources(tmp_path / "src")
    build(source)
    shutil.rmtree(own_site.folder)
    shutil.copytree(source / "site", own_site.folder)
    page = context.new_page()
    root = own_site.url
    page.goto(root + "exercises/bridge/")
    wait_until_kept(page, "/exercises/bridge/")
    version = page.evaluate("async () => (await caches.keys()).join()")

    exercise = source / "content/exercises/bridge.md"
    exercise.write_text(exercise.read_text().replace("reps: 5", "reps: 6", 1))
    build(source)
    shutil.rmtree(own_site.folder)
    shutil.copytree(source / "site", own_site.folder)
    page.goto(root + "articles/")  # any visit online: the browser finds the new worker
    poll(
        page,
        """async (old) => {
            const keys = await caches.keys();
            return keys.length === 1 && keys[0] !== old;
        }""",
        version,
    )

    go_offline(context, own_site)
    page.goto(root + "exercises/bridge/")
    expect(page.locator(".dose-block .dose")).to_contain_text("6 repetitions")
