"""Printed handouts, measured: the print style's font sizes, the picture's size on paper, and
the PDF Chromium prints, read back as text (pdftotext) and as pixels (pdftoppm)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.helpers import add_to_routine

CM = 96 / 2.54  # CSS pixels in a centimetre
#: Letter's width less the print style's side margins (1.3 cm each), in CSS pixels.
PRINTABLE_WIDTH = round(8.5 * 96 - 2 * 1.3 * CM)
#: What a patient reads on the sheet: body text, 12 pt (16 CSS px) or more.
BODY_TEXT = (
    ".page-header .lead, .stop-if li, .steps li, .dose, .dose-note, .one-rep, .key-points li,"
    " .flare-up p, .check-first li, .exercise-more p, .routine-item__text li,"
    " .routine-week p:not(.print-only)"
)
EXERCISES = ["exercises/bridge/", "exercises/seated-spinal-twist/", "es/exercises/bridge/"]


def tools() -> None:
    for tool in ("pdftotext", "pdftoppm"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} not found: install poppler-utils (scripts/setup.sh browser)")


def pdf_pages_text(pdf: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "print.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    return text.split("\f")[:-1]


def inked_fraction(pdf: bytes, page: int, tmp_path: Path) -> float:
    """How far down a printed page its last printed row is (0 to 1)."""
    path = tmp_path / "fill.pdf"
    path.write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "30",
            "-gray",
            "-f",
            str(page),
            "-l",
            str(page),
            str(path),
            str(tmp_path / "fill"),
        ],
        check=True,
    )
    image = next(tmp_path.glob("fill*.pgm")).read_bytes()
    _magic, width_height, _maxval, pixels = image.split(b"\n", 3)
    width, height = map(int, width_height.split())
    rows = [pixels[y * width : (y + 1) * width] for y in range(height)]
    last = max((y for y, row in enumerate(rows) if min(row) < 200), default=0)
    for leftover in tmp_path.glob("fill*"):
        leftover.unlink()
    return last / height


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def print_font_sizes(page: Page) -> dict[str, float]:
    page.emulate_media(media="print")
    sizes = page.evaluate(
        """(selector) => Object.fromEntries([...document.querySelectorAll(selector)]
            .filter(e => e.getClientRects().length && e.textContent.trim())
            .map(e => [e.className + ': ' + e.textContent.trim().slice(0, 30),
                       parseFloat(getComputedStyle(e).fontSize)]))""",
        BODY_TEXT,
    )
    assert sizes, "no body text found"
    return sizes


@pytest.mark.parametrize("path", EXERCISES)
def test_exercise_handout_is_12pt_with_a_large_picture(page: Page, site_url: str, path: str):
    page.set_viewport_size({"width": PRINTABLE_WIDTH, "height": 1000})
    page.goto(site_url + path)
    small = {text: px for text, px in print_font_sizes(page).items() if px < 16}
    assert small == {}, small  # 16 CSS px = 12 pt
    picture = page.locator(".exercise-figures img").first.bounding_box()
    assert picture is not None
    assert picture["width"] >= 10.5 * CM and picture["height"] >= 5 * CM, picture
    expect(page.get_by_role("navigation", name=re.compile("Main|Principal"))).to_be_hidden()
    expect(page.locator(".routine-add")).to_be_hidden()


@pytest.mark.parametrize("path", EXERCISES)
@pytest.mark.parametrize("paper", ["Letter", "A4"])
def test_exercise_handout_fills_its_first_page_with_what_matters(
    page: Page, site_url: str, path: str, paper: str, tmp_path: Path
) -> None:
    """One sheet (printed on both sides if long): the first page holds the picture, the stop-if
    rules, every step and the dose, and is full; anything else follows on the back."""
    tools()
    page.goto(site_url + path)
    steps = page.locator(".steps li").all_inner_texts()
    dose = page.locator(".dose-block .dose").inner_text()
    stop = page.locator(".stop-if li").all_inner_texts()
    page.emulate_media(media="print")
    pdf = page.pdf(format=paper)
    pages = pdf_pages_text(pdf, tmp_path)
    assert 1 <= len(pages) <= 2, f"{path} prints on {len(pages)} pages"
    first = squeeze(pages[0])
    for text in [*steps, dose, *stop]:
        assert squeeze(text) in first, f"not on the first page: {text}"
    assert inked_fraction(pdf, 1, tmp_path) >= 0.85  # the page is used, not a third empty
    assert "(213) 369-4583" in pages[-1]


def test_routine_of_five_prints_as_one_handout_with_a_week_sheet(
    browser: Browser, site_url: str, tmp_path: Path
) -> None:
    tools()
    context = browser.new_context(viewport={"width": PRINTABLE_WIDTH, "height": 1000})
    page = context.new_page()
    slugs = [
        "bridge",
        "clamshell",
        "bird-dog-hip-extension",
        "single-knee-to-chest",
        "seated-spinal-twist",
    ]
    add_to_routine(page, site_url, "", slugs)
    page.goto(site_url + "routine/")
    expect(page.locator(".routine-item .dose")).to_have_count(5)
    titles = page.locator(".routine-item__title a").all_inner_texts()
    doses = page.locator(".routine-item .dose").all_inner_texts()
    assert all(dose.startswith("Do ") for dose in doses)
    small = {text: px for text, px in print_font_sizes(page).items() if px < 16}
    assert small == {}, small
    box = page.locator(".week-sheet__box").first.bounding_box()
    assert box is not None and box["width"] >= 0.6 * CM  # room for a tick
    pdf = page.pdf(format="Letter")
    pages = pdf_pages_text(pdf, tmp_path)
    assert len(pages) <= 6, len(pages)
    everything = squeeze("".join(pages))
    for text in [*titles, *doses]:
        assert squeeze(text) in everything
    sheet = pages[-1]
    assert "Your week" in sheet and "Name:" in pages[0]
    for title in titles:
        assert squeeze(title) in squeeze(sheet)
    assert re.search(r"Mon\b.*Tue\b.*Wed\b", sheet)
    # the steps fold away on screen, and are all printed
    assert page.locator(".routine-item__steps[open]").count() == 0
    assert squeeze(page.locator(".routine-item .steps li").first.inner_text()) in everything
    context.close()


def test_spanish_routine_is_in_spanish(browser: Browser, site_url: str, tmp_path: Path) -> None:
    tools()
    context = browser.new_context()
    page = context.new_page()
    add_to_routine(page, site_url, "es/", ["bridge", "clamshell"])
    page.goto(site_url + "es/routine/")
    expect(page.locator(".routine-item .dose")).to_have_count(2)
    expect(page.get_by_role("status")).to_have_text("Su rutina tiene 2 ejercicios.")
    expect(page.locator(".routine-item__title a")).to_have_text(["Puente", "Almeja"])
    expect(page.locator(".routine-item .dose").first).to_contain_text("Haga")
    page.emulate_media(media="print")
    sheet = pdf_pages_text(page.pdf(format="A4"), tmp_path)[-1]
    assert "Su semana" in sheet and re.search(r"lun\.?.*mar\.?.*mié", sheet), sheet
    # an exercise added from its English page shows in Spanish here too
    page.emulate_media(media="screen")
    add_to_routine(page, site_url, "", ["single-knee-to-chest"])
    page.goto(site_url + "es/routine/")
    expect(page.locator(".routine-item__title a")).to_have_count(3)
    expect(page.locator(".routine-item__title a").nth(2)).to_have_attribute(
        "href", "/es/exercises/single-knee-to-chest/"
    )
    context.close()
