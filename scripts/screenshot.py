"""Regenerate docs/screenshot.png: the sample site's bridge exercise on a desktop, and on a
phone a search for "knee" (the first result and the call button on the first screen) and a
routine of exercises kept in the browser.

.venv/bin/python scripts/screenshot.py   (after building the sample site into site/)
"""

from __future__ import annotations

import base64
import sys
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.helpers import CHROMIUM, CHROMIUM_ARGS, serve_folder  # noqa: E402

DESKTOP = {"width": 1024, "height": 844}
PHONE = {"width": 390, "height": 844}


def shot(browser: Browser, url: str, viewport: dict[str, int], routine: list[str] = ()) -> str:
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    for exercise in routine:
        page.goto(exercise)
        page.get_by_role("button", name="Add to my routine").click()
    page.goto(url)
    if "search/" in url:
        page.locator("#search-results li").first.wait_for()
    if "routine/" in url:
        page.locator(".routine-item .dose").nth(len(routine) - 1).wait_for()
    page.wait_for_timeout(300)
    png = page.screenshot()
    context.close()
    return base64.b64encode(png).decode()


def main() -> None:
    server, root = serve_folder(ROOT / "site")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            shots = [
                shot(browser, root + "exercises/bridge/", DESKTOP),
                shot(browser, root + "search/?q=knee", PHONE),
                shot(
                    browser,
                    root + "routine/",
                    PHONE,
                    [root + f"exercises/{slug}/" for slug in ("bridge", "clamshell")],
                ),
            ]
            board = browser.new_page(viewport={"width": 1900, "height": 890})
            images = "".join(
                f'<img src="data:image/png;base64,{data}" style="box-shadow:0 2px 8px #0004">'
                for data in shots
            )
            board.set_content(
                '<body style="margin:0;background:#e5e7eb;display:flex;gap:24px;'
                f'padding:22px 24px;align-items:flex-start">{images}</body>'
            )
            board.screenshot(path=str(ROOT / "docs/screenshot.png"))
            browser.close()
    finally:
        server.terminate()


if __name__ == "__main__":
    main()
