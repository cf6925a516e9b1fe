"""Take the screenshots of docs/editing-in-the-browser.md (Chromium, on a copy of the sample).

    .venv/bin/python scripts/cms_screenshots.py

Starts `build.py serve` on a copy of the sample site, walks through what the guide describes
and writes docs/img/cms-*.png. Nothing in the repository's own content changes.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.helpers import CHROMIUM, CHROMIUM_ARGS, copy_sample_sources, serving  # noqa: E402

OUT = REPO / "docs" / "img"


def shot(page: Page, name: str) -> None:
    page.wait_for_timeout(600)
    page.screenshot(path=str(OUT / f"cms-{name}.png"))
    print(f"docs/img/cms-{name}.png")


def choose(page: Page, label: str, option: str) -> None:
    box = page.get_by_label(label, exact=True).first
    box.click()
    box.fill(option)
    page.keyboard.press("Enter")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        source = copy_sample_sources(Path(folder) / "source")
        with serving(Path(folder), source) as served, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 860})
            page.on("dialog", lambda dialog: dialog.accept())  # "leave unsaved changes?"
            admin = served.url + "admin/#/"
            page.goto(admin + "collections/exercises")
            page.get_by_text("Bird dog hip extension").wait_for()
            shot(page, "collections")

            page.goto(admin + "collections/exercises/entries/bridge")
            page.get_by_label("Name", exact=True).first.wait_for()
            shot(page, "languages")
            page.get_by_role("button", name="Toggle i18n").click()
            page.get_by_role("button", name="Toggle preview").click()
            page.locator("iframe").first.wait_for()
            page.wait_for_timeout(1500)
            shot(page, "preview")
            record = page.get_by_text("About this translation")
            page.get_by_role("button", name="Toggle preview").click()
            page.get_by_role("button", name="Toggle i18n").click()
            record.last.scroll_into_view_if_needed()
            shot(page, "translation-record")

            page.goto(admin + "collections/exercises/new")
            page.get_by_label("Name", exact=True).first.wait_for()
            page.get_by_role("button", name="Toggle i18n").click()
            page.get_by_label("Name", exact=True).first.fill("Wall slide")
            page.get_by_label("What it is for", exact=True).first.fill(
                "Strengthens the muscles between your shoulder blades."
            )
            choose(page, "Type of exercise", "Strengthening")
            shot(page, "new-exercise")
            page.get_by_role("button", name="Publish", exact=True).click()
            page.get_by_text("Publish now").click()
            page.get_by_text("Oops, you've missed a required field").wait_for()
            page.get_by_text("Body areas is required.").first.scroll_into_view_if_needed()
            shot(page, "required")

            page.close()
            page = browser.new_page(viewport={"width": 1280, "height": 860})
            page.goto(admin + "collections/exercises/entries/clamshell")
            page.get_by_label("Name", exact=True).first.wait_for()
            page.get_by_role("button", name="Toggle i18n").click()
            page.get_by_label("Repetitions in each set", exact=True).first.fill("12")
            page.get_by_role("button", name="Publish", exact=True).click()
            page.get_by_text("Publish now").click()
            page.locator("#hs-status").get_by_text("The site is up to date").wait_for()
            shot(page, "saved")

            phone = browser.new_page(viewport={"width": 390, "height": 844})
            phone.goto(admin + "collections/exercises/entries/bridge")
            phone.get_by_label("Name", exact=True).first.wait_for()
            shot(phone, "phone")
            browser.close()


if __name__ == "__main__":
    main()
