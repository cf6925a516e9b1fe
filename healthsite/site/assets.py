"""Static files (CSS, illustrations, icons) with content-hash fingerprints.

A fingerprinted name (`site.3f2a9c1e.css`) changes whenever the bytes do, so hosts can cache
assets forever and visitors never see a stale stylesheet. The theme's files come first; a site's
own `static/` folder overrides any file of the same path.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from healthsite.diagnostics import Diagnostic
from healthsite.inputs import STATIC_LIMIT, Refused, SiteFiles
from healthsite.theme import THEME_STATIC

OUTPUT_FOLDER = "static"
#: What an earlier build learned of static files: absolute path → (size, modification time in
#: ns, SHA-256 of the bytes).
KnownDigests = Mapping[str, tuple[int, int, str]]
#: Hex digits of the content digest in a fingerprinted name (`site.3f2a9c1e0b.css`).
FINGERPRINT_LENGTH = 10


@dataclass(frozen=True, slots=True)
class Asset:
    """One static file: where it comes from and where it goes."""

    src_path: str
    """Path inside the static folder, e.g. `img/exercises/bridge.svg`: what content refers to."""
    abs_path: Path
    dest_path: str
    """Fingerprinted path in the output, e.g. `static/img/exercises/bridge.1a2b3c4d.svg`."""
    origin: SiteFiles | None = None
    """The files it is read through (the site's, or the theme's), by their rule."""
    size: int = 0
    digest: str = ""
    """SHA-256 of the file's bytes (hex): what the media cache knows a picture by."""
    mtime_ns: int = 0
    """Its modification time when its digest was taken (0: not known)."""

    @property
    def files(self) -> SiteFiles:
        """What it is read through: its origin's rule (a file the build made, in the cache
        folder, by its own folder's)."""
        return self.origin or SiteFiles.of(self.abs_path.parent)


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

    def find(self, src_path: str) -> Asset | None:
        """The file at a path as editors write it (`/img/x.jpg`, a Mac's decomposed `é`)."""
        return self.assets.get(unicodedata.normalize("NFC", src_path.lstrip("/")))

    def dest(self, src_path: str) -> str | None:
        asset = self.find(src_path)
        return asset.dest_path if asset else None


def collect_assets(
    site_static: Path, site: SiteFiles, known: KnownDigests | None = None
) -> tuple[AssetMap, list[Diagnostic]]:
    """Theme assets overlaid with the site's own; every file hashed by its bytes.

    The site's folder is walked and read by `SiteFiles`' rule; a file refused is reported and
    left out. Names are compared in Unicode's composed form (NFC): a picture saved on a Mac
    (which decomposes `é`) is found by the name an editor types. A file whose size and time
    are those `known` has (an earlier build's) keeps its digest without being read again: a
    site with a thousand phone photos is not read whole on every build.
    """
    files: dict[str, tuple[Path, SiteFiles]] = {}
    diagnostics: list[Diagnostic] = []
    theme = SiteFiles.of(THEME_STATIC)
    for folder, origin in ((THEME_STATIC, theme), (site_static, site)):
        found, problems = origin.walk(folder)
        diagnostics += problems
        for parts in found:
            rel = unicodedata.normalize("NFC", "/".join(parts))
            files[rel] = (folder.joinpath(*parts), origin)
    assets = {}
    for rel, (path, origin) in sorted(files.items()):
        try:
            digest, size, mtime_ns = _fingerprint(origin, path, known or {})
        except Refused as refused:
            diagnostics.append(refused.diagnostic)
            continue
        pure = PurePosixPath(rel)
        name = f"{pure.stem}.{digest[:FINGERPRINT_LENGTH]}{pure.suffix}"
        dest = PurePosixPath(OUTPUT_FOLDER) / pure.parent / name
        assets[rel] = Asset(rel, path, dest.as_posix(), origin, size, digest, mtime_ns)
    return AssetMap(assets), diagnostics


def _fingerprint(origin: SiteFiles, path: Path, known: KnownDigests) -> tuple[str, int, int]:
    """A static file's digest, size and modification time: the digest `known` has while the
    size and time are the same, else read now through `origin`'s rule (time 0 if the file
    changed while it was read). The walk has already refused links out of the site and files
    that are not ordinary ones; every later read (the copy, the media stage) checks again."""
    try:
        info = os.stat(path)
    except OSError:
        info = None  # the read below says why, in words
    if info is not None:
        was = known.get(str(path))
        if was is not None and was[:2] == (info.st_size, info.st_mtime_ns):
            return was[2], info.st_size, info.st_mtime_ns
    digest, size = origin.digest(path, STATIC_LIMIT)
    same = info is not None and info.st_size == size
    return digest, size, info.st_mtime_ns if same and info is not None else 0
