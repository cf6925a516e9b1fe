"""serve's search refresh hands Pagefind only what changed, and makes a clean build's bundle."""

from __future__ import annotations

import shutil
from pathlib import Path

from healthsite.build.builder import Builder
from tests.helpers import TODAY, build_site, tree


def clean_bundle(source: Path, tmp_path: Path) -> dict[str, bytes]:
    """The search bundle a clean build of `source`'s content makes."""
    copy = tmp_path / "clean"
    shutil.rmtree(copy, ignore_errors=True)
    skip = shutil.ignore_patterns("site", "site.tmp-*", "site.old-*", ".healthsite-*")
    shutil.copytree(source, copy, ignore=skip)
    build_site(copy, clean=True)
    return tree(copy / "site" / "pagefind")


def test_an_edit_hands_pagefind_one_page_and_the_bundle_is_a_clean_builds(
    valid_site: Path, tmp_path: Path
) -> None:
    builder = Builder(valid_site)
    try:
        refreshes(builder, valid_site, tmp_path)
    finally:
        builder.close()


def refreshes(builder: Builder, valid_site: Path, tmp_path: Path) -> None:
    assert builder.build(today=TODAY, defer_index=True).index_pending
    assert builder.refresh_search() == []
    everything = builder.live_index.handed
    assert everything >= 3  # the first refresh: every page with something to find
    assert tree(valid_site / "site" / "pagefind") == clean_bundle(valid_site, tmp_path)

    article = valid_site / "content" / "articles" / "back-care.md"
    article.write_text(article.read_text() + "\nKeep your shoulders loose while you sit.\n")
    assert builder.build(today=TODAY, defer_index=True, changed=[article]).index_pending
    assert builder.refresh_search() == []
    assert builder.live_index.handed == 1  # only the edited page, parsed again by Pagefind
    assert tree(valid_site / "site" / "pagefind") == clean_bundle(valid_site, tmp_path)

    # a new page changes the order of pages: every page is handed over again, in order
    extra = article.with_name("back-care-at-work.md")
    extra.write_text(article.read_text().replace("Back care", "Back care at work", 1))
    assert builder.build(today=TODAY, defer_index=True, changed=[extra]).index_pending
    assert builder.refresh_search() == []
    assert builder.live_index.handed == everything + 1
    assert tree(valid_site / "site" / "pagefind") == clean_bundle(valid_site, tmp_path)
