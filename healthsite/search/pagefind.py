"""The `index` stage: Pagefind indexes the written site, in the browser nothing leaves the device.

Templates decide what is found: main content carries `data-pagefind-body`, boilerplate
(disclaimer, review block, sources) `data-pagefind-ignore`, and exercises their facets as
`data-pagefind-filter`. Each page is cut down to that (`searchable`) and handed to Pagefind
from memory as it is rendered (`pagefind_service.py`); Pagefind writes a chunked index that
the browser fetches piece by piece.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cbor2

from healthsite.site.routes import SEARCH_BUNDLE

BUNDLE_FOLDER = SEARCH_BUNDLE
#: Pagefind's ready-made UIs: our search page uses its JavaScript API, so these never load.
UNUSED_BUNDLE_FILES = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)


class SearchIndexError(Exception):
    """Pagefind could not index the site; the message says why."""


@dataclass(frozen=True, slots=True)
class SearchIndex:
    """What the index stage did."""

    pages: int
    seconds: float


def index_site(folder: Path) -> SearchIndex:
    """Index the HTML files in `folder` into `folder/pagefind/`, with Pagefind's command line.

    The build itself hands its pages to Pagefind from memory, cut down with `searchable`, as
    they are rendered (`pagefind_service.py`); this is for a folder of pages already written.
    """
    start = time.perf_counter()
    bundle = folder / BUNDLE_FOLDER
    _run_pagefind(folder, bundle)
    finish_bundle(bundle)
    return SearchIndex(indexed_pages(bundle), time.perf_counter() - start)


def finish_bundle(bundle: Path) -> None:
    """What Pagefind wrote, made ready to publish: without the UIs nobody loads, its filter
    files in a stable order, without the search code of a language no page has."""
    for name in UNUSED_BUNDLE_FILES:
        (bundle / name).unlink(missing_ok=True)
    make_filters_deterministic(bundle)
    _drop_unused_languages(bundle)


def pagefind_executable() -> Path:
    """The Pagefind binary to run.

    `PAGEFIND_BINARY_PATH` (Pagefind's own setting) wins; then a `pagefind_extended` or
    `pagefind` beside this Python, where `scripts/setup.sh` puts Pagefind 1.6 (its browser
    search is about three times faster than 1.5's); then the `pagefind-bin` wheel's binary.
    """
    chosen = os.environ.get("PAGEFIND_BINARY_PATH")
    if chosen:
        return Path(chosen)
    beside = Path(sys.executable).parent
    for name in ("pagefind_extended", "pagefind"):
        if os.access(beside / name, os.X_OK):
            return beside / name
    try:
        from pagefind_bin import get_executable
    except ImportError as exc:  # pragma: no cover - pagefind-bin is a dependency
        raise SearchIndexError("no Pagefind binary: install the 'pagefind-bin' package") from exc
    return Path(get_executable())


def pagefind_environment() -> dict[str, str]:
    """This process's environment less PAGEFIND_* variables: a stray setting must not change
    what the site's search does."""
    return {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")}


def _run_pagefind(source: Path, bundle: Path) -> None:
    """Pagefind's command line over `source`, writing the bundle to `bundle`. It runs in that
    folder with no PAGEFIND_* variables, so a stray `pagefind.yml` or environment setting
    cannot change what the site's search does."""
    executable = pagefind_executable()
    command = [str(executable), "--site", ".", "--output-path", str(bundle.resolve())]
    try:
        done = subprocess.run(
            command,
            cwd=source,
            env=pagefind_environment(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
            check=False,
        )
    except OSError as exc:
        raise SearchIndexError(f"Pagefind could not be started ({executable}: {exc})") from exc
    if done.returncode != 0:
        said = [line.strip() for line in done.stdout.splitlines() if line.strip()][-3:]
        raise SearchIndexError(
            f"Pagefind failed (exit {done.returncode}): {' '.join(said) or 'no message'}"
        )


def indexed_pages(bundle: Path) -> int:
    """How many pages a Pagefind bundle holds, every language together (0 with no bundle)."""
    entry = bundle / "pagefind-entry.json"
    if not entry.is_file():
        return 0
    languages = json.loads(entry.read_text(encoding="utf-8"))["languages"].values()
    return sum(int(language.get("page_count", 0)) for language in languages)


def _drop_unused_languages(bundle: Path) -> None:
    """Pagefind always writes the 'unknown' language's search code (68 kB); it is only ever
    loaded by pages without `<html lang>`, so it goes when every indexed page had one."""
    entry = bundle / "pagefind-entry.json"
    if entry.is_file() and "unknown" not in json.loads(entry.read_text())["languages"]:
        (bundle / "wasm.unknown.pagefind").unlink(missing_ok=True)


def searchable(html: str) -> str | None:
    """A page cut down to what Pagefind reads: `<html lang>`, the title and the element with
    `data-pagefind-body` (meta and filters live inside it). None for a page not to be found."""
    marker = html.find(" data-pagefind-body")
    if marker < 0:
        return None
    start = html.rfind("<", 0, marker)
    tag = re.match(r"<([a-zA-Z][a-zA-Z0-9-]*)", html[start:])
    if tag is None:
        return None
    end = _closing(html, start, tag.group(1))
    lang = re.search(r"<html\b[^>]*>", html)
    title = re.search(r"<title>.*?</title>", html, re.S)
    return (
        f'<!doctype html>{lang.group(0) if lang else "<html>"}<head><meta charset="utf-8">'
        f"{title.group(0) if title else ''}</head><body>{_without_ignored(html[start:end])}"
        "</body></html>"
    )


_VALUE = r"""(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?"""
_ATTRIBUTE = rf"""\s+[^\s"'>/=]+{_VALUE}"""
#: A start tag with a data-pagefind-ignore attribute, read attribute by attribute, so that the
#: words inside another attribute's value (a title) are not taken for it.
_IGNORED = re.compile(
    rf"<([a-zA-Z][a-zA-Z0-9-]*)(?:{_ATTRIBUTE})*?\s+data-pagefind-ignore{_VALUE}(?:{_ATTRIBUTE})*\s*/?>"
)
_KEPT_INSIDE_IGNORED = re.compile(r"data-pagefind-(?:filter|meta|sort)\b")
#: Elements with no closing tag.
_VOID = frozenset(
    ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr")
)


def _without_ignored(html: str) -> str:
    """`html` less the elements Pagefind would skip anyway (a third of a page's bytes), unless
    they hold filters, metadata or sort keys, which Pagefind still reads inside them."""
    kept = []
    position = 0
    for match in _IGNORED.finditer(html):
        if match.start() < position:
            continue  # inside an element already dropped
        name = match.group(1).lower()
        end = match.end() if name in _VOID else _closing(html, match.start(), name)
        if _KEPT_INSIDE_IGNORED.search(html, match.start(), end):
            continue
        kept.append(html[position : match.start()])
        position = end
    kept.append(html[position:])
    return "".join(kept)


def _closing(html: str, start: int, tag: str) -> int:
    """End of the element that starts at `start`, counting nested elements of the same name."""
    pattern = re.compile(rf"<(/?){tag}\b[^>]*>", re.I)
    depth = 0
    for match in pattern.finditer(html, start):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            return match.end()
    return len(html)


def make_filters_deterministic(bundle: Path) -> None:
    """Rewrite Pagefind's filter indexes in a stable order, so the same site gives the same bytes.

    Pagefind writes each filter's values, and the list of filters in its metadata, in hash-map
    order, which changes from run to run (Pagefind issue #638: its fragments were made stable,
    "the filter/metadata indexes" were not). The files are gzipped CBOR after a signature; we
    sort them, re-encode them, and rename them by the hash of their new content, then point the
    metadata and the entry file at the new names. The data itself is unchanged.
    """
    entry_path = bundle / "pagefind-entry.json"
    if not entry_path.is_file():
        return
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language in entry["languages"].values():
        meta_path = bundle / f"pagefind.{language['hash']}.pf_meta"
        meta = _read(meta_path)
        prefix = language["hash"].split("_", 1)[0]
        filters = []
        for name, file_hash in meta[3]:
            old = bundle / "filter" / f"{file_hash}.pf_filter"
            key, values = _read(old)
            content = _encode([key, sorted(values, key=lambda item: item[0])])
            new_hash = f"{prefix}_{hashlib.sha256(content).hexdigest()[:7]}"
            old.unlink()
            (bundle / "filter" / f"{new_hash}.pf_filter").write_bytes(content)
            filters.append([name, new_hash])
        meta[3] = sorted(filters)
        content = _encode(meta)
        language["hash"] = f"{prefix}_{hashlib.sha256(content).hexdigest()[:10]}"
        meta_path.unlink()
        (bundle / f"pagefind.{language['hash']}.pf_meta").write_bytes(content)
    entry["languages"] = dict(sorted(entry["languages"].items()))  # hash-map order too
    entry_path.write_text(
        json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )


_SIGNATURE = b"pagefind_dcd"


def _read(path: Path) -> Any:
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(_SIGNATURE):
        raise SearchIndexError(f"unexpected Pagefind file format: {path.name}")
    return cbor2.loads(raw[len(_SIGNATURE) :])


def _encode(value: Any) -> bytes:
    return gzip.compress(_SIGNATURE + cbor2.dumps(value), mtime=0)
