"""Regenerate docs/screenshot.png: the sample site's bridge exercise on a phone and a desktop.

.venv/bin/python scripts/screenshot.py   (after building the sample site into site/)
"""

from __future__ import annotations

import base64
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, serve_folder  # noqa: E402


def main() -> None:
    server, root_url = serve_folder(ROOT / "site")
    url = root_url + "exercises/bridge/"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            shots = []
            for width, height in ((1100, 900), (390, 844)):
                page = browser.new_page(viewport={"width": width, "height": height})
                page.goto(url)
                shots.append(base64.b64encode(page.screenshot()).decode())
                page.close()
            board = browser.new_page(viewport={"width": 1560, "height": 940})
            board.set_content(
                '<body style="margin:0;background:#e5e7eb;display:flex;gap:30px;'
                'padding:20px;align-items:flex-start">'
                f'<img src="data:image/png;base64,{shots[0]}" style="box-shadow:0 2px 8px #0004">'
                f'<img src="data:image/png;base64,{shots[1]}" style="box-shadow:0 2px 8px #0004">'
                "</body>"
            )
            board.screenshot(path=str(ROOT / "docs/screenshot.png"))
            browser.close()
    finally:
        server.terminate()


if __name__ == "__main__":
    main()
