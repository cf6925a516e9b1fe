"""Shared by the browser tests: measurements taken in the page (tap targets by WCAG 2.5.8,
boxes) and the patient's steps the routine tests repeat."""

from __future__ import annotations

from playwright.sync_api import Page

#: WCAG 2.2 "Target Size (Minimum)", 2.5.8: every target at least 24 x 24 CSS pixels, or far
#: enough from the others that a 24 px circle centred on it touches no other target (nor the
#: circle of another small one). The exception for a link inside a sentence is kept narrow: a
#: link in a paragraph with other words; a link that is a list item's only text is a control.
#: Returns one line per target that meets neither; with `strict`, one per target smaller than
#: 24 x 24 however far it is from the others.
SMALL_TARGETS = """(strict) => {
  const MIN = 24;
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary';
  const shown = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.display === 'none' || s.visibility === 'hidden') return false;
    }
    const r = el.getBoundingClientRect();
    return r.width > 1 && r.height > 1 && r.right > 0;
  };
  const inSentence = (el) => {
    if (el.tagName !== 'A' || getComputedStyle(el).display !== 'inline') return false;
    const block = el.closest('p');
    if (!block) return false;
    return block.textContent.replace(el.textContent, '').replace(/[\\s.,:;()]/g, '').length > 3;
  };
  const targets = [...document.querySelectorAll(selector)].filter(shown).map((el) => {
    const rects = [...el.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
    const box = el.getBoundingClientRect();
    const widest = Math.max(...rects.map((r) => r.width));
    const label = (el.textContent || el.value || el.getAttribute('aria-label') || '').trim();
    return {
      el,
      box,
      big: rects.some((r) => r.height >= MIN - 0.01) && widest >= MIN - 0.01,
      exempt: inSentence(el),
      name: `${el.tagName.toLowerCase()} "${label.slice(0, 40)}" `
        + `${box.width.toFixed(1)}x${box.height.toFixed(1)}`,
    };
  });
  const centre = (b) => [b.left + b.width / 2, b.top + b.height / 2];
  const distanceToBox = ([x, y], b) => Math.hypot(
    Math.max(b.left - x, 0, x - b.right), Math.max(b.top - y, 0, y - b.bottom));
  const bad = [];
  for (const t of targets) {
    if (t.big || t.exempt) continue;
    if (strict) {
      bad.push(t.name);
      continue;
    }
    const c = centre(t.box);
    const clash = targets.find((u) => u !== t && !u.el.contains(t.el) && !t.el.contains(u.el) && (
      distanceToBox(c, u.box) < MIN / 2 ||
      (!u.big && Math.hypot(c[0] - centre(u.box)[0], c[1] - centre(u.box)[1]) < MIN)));
    if (clash) bad.push(`${t.name} too close to ${clash.name}`);
  }
  return bad;
}"""


def small_targets(page: Page, *, strict: bool = False) -> list[str]:
    """Targets of the page that fail WCAG 2.5.8, measured as laid out now (`strict`: that are
    under 24 x 24, spacing or not)."""
    return page.evaluate(SMALL_TARGETS, strict)


def box(page: Page, selector: str) -> dict[str, float]:
    """The first match's box in page coordinates (top measured from the top of the page)."""
    found = page.locator(selector).first.bounding_box()
    assert found is not None, f"{selector} is not shown"
    scroll = page.evaluate("window.scrollY")
    return {**found, "y": found["y"] + scroll, "bottom": found["y"] + scroll + found["height"]}


def add_to_routine(page: Page, site_url: str, prefix: str, slugs: list[str]) -> None:
    """Add exercises to the routine from their pages, as a patient does (`prefix`: "" or
    "es/")."""
    words = {"": "Add to my routine", "es/": "Añadir a mi rutina"}[prefix]
    for slug in slugs:
        page.goto(f"{site_url}{prefix}exercises/{slug}/")
        page.get_by_role("button", name=words).click()
