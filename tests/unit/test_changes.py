"""The re-render decision: an output is made again exactly when something it read changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from healthsite.build.changes import Changes, changes_since
from healthsite.build.digests import Values
from healthsite.build.manifest import Manifest, OutputRecord
from tests.helpers import WriteTree, assembled

ARTICLE = "content/articles/back-care.md"
PAGE = "articles/back-care/index.html"  # reads the article's body
LIST = "articles/index.html"  # reads the article's title only
FEED = "feed.xml"
BODY = ("doc", "en", ARTICLE, "body")
META = ("doc", "en", ARTICLE, "meta")


def last_build(root: Path, output: Path) -> Manifest:
    """A manifest as a build of `root` would leave it, and the files it lists."""
    site, _ = assembled(root)
    values = Values(site.models)
    records = {
        PAGE: OutputRecord("page", 10, frozenset({BODY, META}), frozenset({"article.html"}), "en"),
        LIST: OutputRecord("list", 10, frozenset({META}), frozenset({"articles.html"}), "en"),
        FEED: OutputRecord("feed", 10, frozenset({META}), content="bytes-digest"),
    }
    for dest in records:
        (output / dest).parent.mkdir(parents=True, exist_ok=True)
        (output / dest).write_text("made")
    digests = {dep: values.digest(dep) for r in records.values() for dep in r.deps}
    templates = {"article.html": "t1", "articles.html": "t1"}
    return Manifest(records, {}, {"en": "global"}, digests, templates)


def changes(
    root: Path,
    output: Path,
    before: Manifest,
    templates: dict[str, str] | None = None,
    globals_now: dict[str, str] | None = None,
) -> Changes:
    """What changed in `root` since `before`, with these template and global digests now."""
    site, _ = assembled(root)
    digests = {**before.template_digests, **(templates or {})}
    languages = globals_now or {"en": "global"}
    return changes_since(before, Values(site.models), digests.__getitem__, languages, output)


@pytest.fixture
def output(tmp_path: Path) -> Path:
    return tmp_path / "site"


def test_nothing_changed_keeps_every_record(valid_site: Path, output: Path) -> None:
    before = last_build(valid_site, output)
    now = changes(valid_site, output, before)
    assert now.dirty == frozenset() and now.dirty_templates == frozenset()
    assert now.current_page("en", PAGE, "page") is before.outputs[PAGE]
    assert now.current_page("en", LIST, "list") is before.outputs[LIST]
    assert now.current_file(FEED, "feed") is before.outputs[FEED]


def test_a_body_edit_remakes_what_read_the_body_only(
    write_tree: WriteTree, valid_site: Path, output: Path
) -> None:
    before = last_build(valid_site, output)
    text = (valid_site / ARTICLE).read_text()
    write_tree({ARTICLE: text.replace("Stay active.", "Stay active, daily.")})
    now = changes(valid_site, output, before)
    assert now.dirty == {BODY}
    assert now.current_page("en", PAGE, "page") is None
    assert now.current_page("en", LIST, "list") is before.outputs[LIST]
    assert now.current_file(FEED, "feed") is before.outputs[FEED]


def test_a_title_edit_remakes_everything_that_shows_it(
    write_tree: WriteTree, valid_site: Path, output: Path
) -> None:
    before = last_build(valid_site, output)
    text = (valid_site / ARTICLE).read_text()
    write_tree({ARTICLE: text.replace("title: Caring for your back", "title: Back care")})
    now = changes(valid_site, output, before)
    assert now.dirty == {META}
    assert now.current_page("en", PAGE, "page") is None
    assert now.current_page("en", LIST, "list") is None
    assert now.current_file(FEED, "feed") is None


def test_a_template_a_language_an_identity_or_a_missing_file_each_remake(
    valid_site: Path, output: Path
) -> None:
    before = last_build(valid_site, output)
    template = changes(valid_site, output, before, templates={"article.html": "t2"})
    assert template.dirty_templates == {"article.html"}
    assert template.current_page("en", PAGE, "page") is None
    assert template.current_page("en", LIST, "list") is before.outputs[LIST]
    language = changes(valid_site, output, before, globals_now={"en": "settings changed"})
    assert language.current_page("en", LIST, "list") is None
    same = changes(valid_site, output, before)
    assert same.current_page("en", LIST, "another job") is None
    (output / LIST).unlink()
    assert same.current_page("en", LIST, "list") is None


def test_a_site_file_made_again_is_written_only_if_its_bytes_changed(
    valid_site: Path, output: Path
) -> None:
    before = last_build(valid_site, output)
    now = changes(valid_site, output, before)
    assert not now.must_write(FEED, OutputRecord("feed", 10, content="bytes-digest"))
    assert now.must_write(FEED, OutputRecord("feed", 11, content="other bytes"))
    assert now.must_write("sitemap.xml", OutputRecord("sitemap", 5, content="new"))


def test_a_first_build_has_nothing_current(valid_site: Path, output: Path) -> None:
    site, _ = assembled(valid_site)
    now = changes_since(None, Values(site.models), lambda name: "t", {"en": "g"}, output)
    assert now.current_page("en", PAGE, "page") is None
    assert now.current_file(FEED, "feed") is None
