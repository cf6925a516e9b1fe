"""Helpers shared by the tests: the one module test files import from (fixtures are in conftest).

Sections: fixture sites and fixed dates; building; reading built pages; HTTP servers; the
`serve` command as a process; third-party checkers; real Chromium.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

from healthsite.build.parse_cache import ParseCache, parse_sources
from healthsite.build.pipeline import BuildReport, build
from healthsite.build.receipt import CACHE_DIR
from healthsite.config import load_config
from healthsite.content.clinic import load_clinic
from healthsite.content.sources import discover
from healthsite.diagnostics import Diagnostic
from healthsite.site.assemble import assemble
from healthsite.site.assets import collect_assets
from healthsite.site.site_model import Site

if TYPE_CHECKING:  # Playwright is imported by the browser tests only
    from playwright.sync_api import Page

# -- fixture sites and fixed dates ------------------------------------------------------------

REPO = Path(__file__).resolve().parent.parent
SITES = Path(__file__).resolve().parent / "sites"
VALID_SITE = SITES / "valid"
#: A fixed "today" for every test build, so review-date checks never depend on the calendar.
TODAY = dt.date(2026, 6, 1)
TODAY_EPOCH = str(int(dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC).timestamp()))

WriteTree = Callable[[dict[str, str]], Path]


def copy_sample_sources(root: Path) -> Path:
    """Copy the repository's sample clinic site (its sources, not its output) into `root`."""
    root.mkdir(parents=True, exist_ok=True)
    for name in ("site.yaml", "content", "templates", "static", "locales"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        elif source.exists():
            shutil.copy(source, root / name)
    return root


# -- building ---------------------------------------------------------------------------------


#: Files of a fixture case that describe it rather than belong to its site.
OVERLAY_SKIP = {"expected.txt", "args.txt"}


def assemble_case(case: Path, target: Path) -> Path:
    """`tests/sites/valid/` copied to `target`, with a case folder's files laid over it."""
    shutil.copytree(VALID_SITE, target)
    for path in sorted(case.rglob("*")):
        rel = path.relative_to(case)
        if (path.is_file() or path.is_symlink()) and rel.as_posix() not in OVERLAY_SKIP:
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            (target / rel).unlink(missing_ok=True)
            shutil.copy(path, target / rel, follow_symlinks=False)  # a link stays a link
    return target


def build_site(root: Path, **options: object) -> BuildReport:
    """Build in-process with the fixed test date."""
    return build(root, today=TODAY, **options)  # type: ignore[arg-type]


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python build.py ...` as an editor would, with the fixed test date."""
    env = {"SOURCE_DATE_EPOCH": TODAY_EPOCH, "PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, str(REPO / "build.py"), *args],
        capture_output=True,
        text=True,
        cwd=cwd or REPO,
        env=env,
        timeout=120,
        check=False,
    )


def assembled(root: Path) -> tuple[Site, list[Diagnostic]]:
    """A site folder taken through the stages up to `assemble`, in-process, with the fixed
    test date; every problem found on the way."""
    config, problems = load_config(root, today=TODAY)
    assert config is not None, problems
    clinic, found = load_clinic(
        config.content_dir, config.settings.content_dir, today=config.today, files=config.files
    )
    assert clinic is not None, found
    sources, more = discover(config.content_dir, config.files, config.languages)
    assets, unread = collect_assets(config.static_dir, config.files)
    parsed = parse_sources(sources, ParseCache(), None, frozenset())
    site, checks = assemble(
        config, clinic, parsed.documents, assets, parsed.broken, parsed.translations
    )
    return site, [*problems, *found, *more, *unread, *parsed.problems, *checks]


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (path relative to it → bytes), sorted by path."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under `folder` (path relative to it → SHA-256 of its bytes)."""
    return {path: hashlib.sha256(data).hexdigest() for path, data in tree(folder).items()}


# -- reading built pages ----------------------------------------------------------------------


def assert_same_as_clean_build(root: Path, tmp_path: Path) -> None:
    """The incremental result in `root` equals a from-scratch build of the same sources."""
    clean = tmp_path / "clean"
    shutil.copytree(
        root, clean, ignore=shutil.ignore_patterns("site", CACHE_DIR, ".healthsite-preview")
    )
    build(clean, today=TODAY, clean=True)
    incremental, scratch = tree(root / "site"), tree(clean / "site")
    assert sorted(incremental) == sorted(scratch)
    different = [path for path in scratch if incremental[path] != scratch[path]]
    assert different == []


class PageParser(HTMLParser):
    """Collects what the assertions need from one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.resources: list[str] = []
        self.scripts: list[dict[str, str | None]] = []
        self.jsonld: list[str] = []
        self.meta: dict[str, str] = {}
        self.ids: list[str] = []
        self.h1 = 0
        self.tags: list[str] = []
        self.style_attributes = 0
        self._in_jsonld = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append(tag)
        if "style" in a:
            self.style_attributes += 1
        if a.get("id"):
            self.ids.append(a["id"] or "")
        if tag == "h1":
            self.h1 += 1
        if tag == "a" and a.get("href"):
            self.links.append(a["href"] or "")
        if tag in ("img", "source", "iframe", "video", "audio") and a.get("src"):
            self.resources.append(a["src"] or "")
        if tag == "link" and a.get("href"):
            if a.get("rel") in ("stylesheet", "icon", "preload", "modulepreload"):
                self.resources.append(a["href"] or "")
            else:
                self.links.append(a["href"] or "")
        if tag == "script":
            self.scripts.append(a)
            self._in_jsonld = a.get("type") == "application/ld+json"
        if tag == "meta":
            key = a.get("name") or a.get("property") or a.get("http-equiv")
            if key:
                self.meta[key] = a.get("content") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_jsonld = False

    def handle_data(self, data: str) -> None:
        if self._in_jsonld:
            self.jsonld.append(data)


def parse(path: Path) -> PageParser:
    parser = PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def graph(page: PageParser) -> list[dict]:
    """The page's one JSON-LD block, parsed: its `@graph` of schema.org nodes."""
    assert len(page.jsonld) == 1
    data = json.loads("".join(page.jsonld))
    assert data["@context"] == "https://schema.org"
    return data["@graph"]


def node(nodes: list[dict], kind: str) -> dict:
    """The one node of a schema.org type in a graph."""
    found = [
        n
        for n in nodes
        if n["@type"] == kind or (isinstance(n["@type"], list) and kind in n["@type"])
    ]
    assert len(found) == 1, f"expected one {kind}"
    return found[0]


def html_pages(site: Path) -> list[Path]:
    """Every HTML page of a built site; a site without any fails the test that asked."""
    pages = sorted(site.rglob("*.html"))
    assert pages, f"no HTML pages in {site}"
    return pages


# -- HTTP servers -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=2) as response:
        return response.read().decode()


def wait_for(predicate: Callable[[], object], timeout: float = 10.0) -> bool:
    """Poll `predicate` until it is true (network errors count as false) or time runs out."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            if predicate():
                return True
        except (OSError, urllib.error.URLError):
            pass
        time.sleep(0.02)
    return False


def serve_folder(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    """A plain static HTTP server on 127.0.0.1, as a static host would serve the site."""
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "http.server",
            str(port),
            "--bind",
            "127.0.0.1",
            "--directory",
            str(folder),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/"
    for _ in range(200):
        try:
            with urllib.request.urlopen(url, timeout=0.5):
                return proc, url
        except OSError:
            time.sleep(0.05)
    proc.terminate()
    raise RuntimeError("the test HTTP server did not start")


# -- `build.py serve` as an editor runs it ----------------------------------------------------

REBUILT = re.compile(r"^Rebuil(t in \d+ ms: \d+ files? written|d failed in \d+ ms)")


@dataclass
class Served:
    """A running `serve` of a copy of a fixture site."""

    site: Path
    url: str
    proc: subprocess.Popen[str]
    lines: list[str] = field(default_factory=list)

    @property
    def port(self) -> int:
        return int(self.url.rstrip("/").rsplit(":", 1)[1])

    def output(self) -> str:
        return "\n".join(self.lines)

    def rebuilds(self) -> int:
        """Rebuilds so far, failed ones included: one terminal line each."""
        return sum(bool(REBUILT.match(line)) for line in self.lines)

    def edit(self, rel: str, old: str, new: str) -> None:
        path = self.site / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} is not in {rel}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def stop(self) -> int:
        """Ctrl+C, as in a terminal; returns the exit status."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGINT)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        return self.proc.returncode


@contextmanager
def serving(tmp_path: Path, source: Path = VALID_SITE, *, edit: bool = False) -> Iterator[Served]:
    """Serve a fresh copy of `source` (`edit`: as `build.py edit` does, without opening a
    browser); stopped (Ctrl+C) at the end."""
    site = tmp_path / "src"
    shutil.copytree(source, site)
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("HEALTHSITE_DEBUG", None)
    command = ["edit", "--no-browser"] if edit else ["serve"]
    proc = subprocess.Popen(
        [
            sys.executable,
            str(REPO / "build.py"),
            *command,
            "--site",
            str(site),
            "--port",
            str(port),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        start_new_session=True,
    )
    served = Served(site, f"http://127.0.0.1:{port}/", proc)

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            served.lines.append(line.rstrip("\n"))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert wait_for(lambda: fetch(served.url), timeout=30), served.output()
        yield served
    finally:
        served.stop()
        reader.join(timeout=5)
        assert proc.stdout is not None
        proc.stdout.close()


# -- third-party checkers: found, or the test fails under CI (skips elsewhere) -----------------

SETUP_HINT = "run scripts/setup.sh browser"


def require_command(name: str, *extra_dirs: str) -> str:
    """The path of a command (also looked for in `extra_dirs`, e.g. /usr/sbin), or no test."""
    found = shutil.which(name) or shutil.which(
        name, path=os.pathsep.join((*extra_dirs, "/usr/sbin", "/usr/bin"))
    )
    if found is None:
        missing(f"'{name}' is not installed")
    return str(found)


def require_file(path: Path, what: str) -> Path:
    if not path.is_file():
        missing(f"{what} is not installed ({path})")
    return path


def missing(message: str) -> None:
    """A checker that is not there fails the run under CI: a skipped check is not a pass."""
    text = f"{message}: {SETUP_HINT}"
    if os.environ.get("CI"):
        pytest.fail(text)
    pytest.skip(text)


# -- real Chromium ----------------------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: axe-core rule tags: WCAG 2.0/2.1/2.2 A and AA, plus axe's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
RESULT_LINKS = "#search-results h2 a"


@dataclass
class PageWatch:
    """Everything a page did that a visitor should never see: errors, failures, other hosts."""

    origin: str
    console_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert self.console_errors == [], self.console_errors
        assert self.failed == [], self.failed
        assert self.foreign == [], self.foreign


def watch(page: Page, site_url: str) -> PageWatch:
    """Start noting console errors, failed requests and requests to other hosts."""
    origin = urlsplit(site_url).netloc
    seen = PageWatch(origin)
    page.on(
        "console",
        lambda m: seen.console_errors.append(m.text) if m.type in ("error", "warning") else None,
    )
    page.on("pageerror", lambda e: seen.console_errors.append(str(e)))
    page.on("requestfailed", lambda r: seen.failed.append(r.url))
    page.on(
        "response",
        lambda r: (
            seen.failed.append(f"{r.status} {r.url}")
            if r.status >= 400 and not r.url.endswith("/404.html")
            else None
        ),
    )

    def on_request(request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.netloc != origin:
            seen.foreign.append(request.url)

    page.on("request", on_request)
    return seen


def results(page: Page) -> list[str]:
    """Search result URLs in order, once the status says the search has finished."""
    from playwright.sync_api import expect

    expect(page.locator("#search-status")).to_have_text(re.compile(r"result"), timeout=10_000)
    return [a.get_attribute("href") or "" for a in page.locator(RESULT_LINKS).all()]


# -- in the page: tap targets, boxes, the patient's routine -----------------------------------

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
