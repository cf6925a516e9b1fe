#!/usr/bin/env python3
"""Do two Pagefind bundles find the same? Compares what they hold, not their bytes.

    .venv/bin/python bench/same_search.py OLD/site/pagefind NEW/site/pagefind

Pagefind numbers pages in the order it was given them, and its index and filter files (and
their hashed names) hold those numbers; the per-page fragment files do not. Two bundles of the
same pages given in another order differ in those files' bytes and find exactly the same.
This reads both bundles (gzipped CBOR, as `healthsite/search/pagefind.py` reads the filter
files) and compares, per language: every page's fragment, and for every word, each page it
is found on with the positions and weights, and for every filter value, its pages, all by URL.
Exit 0 when they match.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from healthsite.search.pagefind import _read  # noqa: E402 - the engine's own reading

SIGNATURE = b"pagefind_dcd"


def contents(bundle: Path) -> dict[str, Any]:
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    found: dict[str, Any] = {}
    for lang, info in sorted(entry["languages"].items()):
        meta = _read(bundle / f"pagefind.{info['hash']}.pf_meta")
        urls = []
        fragments = {}
        for page in meta[1]:
            raw = gzip.decompress((bundle / "fragment" / f"{page[0]}.pf_fragment").read_bytes())
            fragment = json.loads(raw[len(SIGNATURE) :])
            urls.append(fragment["url"])
            fragments[fragment["url"]] = fragment
        words: dict[str, dict[str, Any]] = {}
        for chunk in meta[2]:
            for word_entry in _read(bundle / "index" / f"{chunk[2]}.pf_index")[0]:
                word, pages = word_entry[0], word_entry[1]
                number = 0
                for page in pages:
                    number += page[0]
                    words.setdefault(word, {})[urls[number]] = page[1:]
        filters: dict[str, dict[str, list[str]]] = {}
        for _name, file_hash in meta[3]:
            key, values = _read(bundle / "filter" / f"{file_hash}.pf_filter")
            filters[key] = {value: sorted(urls[n] for n in pages) for value, pages in values}
        found[lang] = {"fragments": fragments, "words": words, "filters": filters}
    return found


def main(argv: list[str]) -> int:
    old, new = (contents(Path(p)) for p in argv[1:3])
    if old == new:
        pages = sum(len(v["fragments"]) for v in new.values())
        words = sum(len(v["words"]) for v in new.values())
        print(f"same search: {pages} pages, {words} words, languages {', '.join(new)}")
        return 0
    for lang in sorted(set(old) | set(new)):
        for part in ("fragments", "words", "filters"):
            a, b = old.get(lang, {}).get(part), new.get(lang, {}).get(part)
            if a != b:
                a, b = a or {}, b or {}
                keys = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
                print(f"{lang} {part} differ: {len(keys)} keys, e.g. {keys[:5]}")
    return 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
