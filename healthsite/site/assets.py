"""Static files (CSS, illustrations, icons) with content-hash fingerprints.

A fingerprinted name (`site.3f2a9c1e.css`) changes whenever the bytes do, so hosts can cache
assets forever and visitors never see a stale stylesheet. The theme's files come first; a site's
own `static/` folder overrides any file of the same path.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from healthsite.theme import THEME_STATIC

OUTPUT_FOLDER = "static"


@dataclass(frozen=True, slots=True)
class Asset:
    """One static file: where it comes from and where it goes."""

    src_path: str
    """Path inside the static folder, e.g. `img/exercises/bridge.svg`: what content refers to."""
    abs_path: Path
    dest_path: str
    """Fingerprinted path in the output, e.g. `static/img/exercises/bridge.1a2b3c4d.svg`."""


@dataclass(frozen=True, slots=True)
class AssetMap:
    """All static files of a site, by the path editors and templates use."""

    assets: dict[str, Asset]

    @property
    def sources(self) -> list[str]:
        return sorted(self.assets)

    @property
    def dests(self) -> list[str]:
        """Every output path, sorted."""
        return sorted(a.dest_path for a in self.assets.values())

    def dest(self, src_path: str) -> str | None:
        asset = self.assets.get(src_path.lstrip("/"))
        return asset.dest_path if asset else None


def collect_assets(site_static: Path) -> AssetMap:
    """Theme assets overlaid with the site's own; every file hashed by its bytes."""
    files: dict[str, Path] = {}
    for folder in (THEME_STATIC, site_static):
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    files[path.relative_to(folder).as_posix()] = path
    assets = {}
    for rel, path in sorted(files.items()):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
        pure = PurePosixPath(rel)
        dest = PurePosixPath(OUTPUT_FOLDER) / pure.parent / f"{pure.stem}.{digest}{pure.suffix}"
        assets[rel] = Asset(rel, path, dest.as_posix())
    return AssetMap(assets)
