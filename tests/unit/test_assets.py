"""Static files and their fingerprints: the name changes exactly when the bytes do."""

from __future__ import annotations

import re
from pathlib import Path

from healthsite.inputs import SiteFiles
from healthsite.site.assets import AssetMap
from healthsite.site.assets import collect_assets as collect
from healthsite.theme import THEME_STATIC


def collect_assets(folder: Path) -> AssetMap:
    """The static files of a site whose static folder is `folder`; none refused."""
    assets, refused = collect(folder, SiteFiles.of(folder.parent))
    assert refused == []
    return assets


def test_every_static_file_gets_a_digest_of_its_bytes_in_its_name(tmp_path: Path) -> None:
    (tmp_path / "img").mkdir()
    (tmp_path / "img/pose.svg").write_text("<svg/>")
    assets = collect_assets(tmp_path)
    dest = assets.dest("img/pose.svg")
    assert dest is not None and re.fullmatch(r"static/img/pose\.[0-9a-f]{10}\.svg", dest)
    assert assets.dest("/img/pose.svg") == dest  # a site path with its leading slash
    assert assets.dest("img/missing.svg") is None
    theme = sorted(p.relative_to(THEME_STATIC).as_posix() for p in THEME_STATIC.rglob("*.*"))
    assert assets.sources == sorted([*theme, "img/pose.svg"])
    assert assets.dests == sorted(a.dest_path for a in assets.assets.values())


def test_same_bytes_same_name_other_bytes_other_name(tmp_path: Path) -> None:
    (tmp_path / "a.css").write_text("body{}")
    first = collect_assets(tmp_path).dest("a.css")
    assert collect_assets(tmp_path).dest("a.css") == first
    (tmp_path / "a.css").write_text("body{color:red}")
    assert collect_assets(tmp_path).dest("a.css") != first


def test_a_site_file_overrides_the_theme_file_of_the_same_path(tmp_path: Path) -> None:
    theme = collect_assets(tmp_path / "none")
    (tmp_path / "css").mkdir()
    (tmp_path / "css/site.css").write_text("/* the site's own */")
    site = collect_assets(tmp_path)
    assert site.assets["css/site.css"].abs_path == tmp_path / "css/site.css"
    assert site.dest("css/site.css") != theme.dest("css/site.css")


def test_hidden_files_are_left_out(tmp_path: Path) -> None:
    (tmp_path / ".DS_Store").write_text("x")
    (tmp_path / "img").mkdir()
    (tmp_path / "img/.pose.svg.swp").write_text("x")
    assets = collect_assets(tmp_path)
    assert not any(".DS_Store" in s or ".swp" in s for s in assets.sources)
