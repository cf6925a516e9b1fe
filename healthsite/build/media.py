"""The media stage: every picture in the static folder made ready to publish, from the cache
when it was made before, side by side on every core when it was not.

Raster pictures (JPEG, PNG, WebP, AVIF, GIF, TIFF) become renditions at a few widths in a modern
format and a fallback, with no metadata; SVG drawings are sanitised. What the site publishes
for a picture is only ever these: the original file (a phone photo with GPS in it) never is.
Every file is read once, through the site's rule (`Asset.files`, a `SiteFiles`), and what is
made comes from those bytes. The stage returns the published files as an `AssetMap` and the
pictures as a `MediaPlan`, and checks every picture and video where pages use it
(`media_uses.py`).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import PIL

from healthsite.build.media_cache import MediaCache, PictureMade
from healthsite.build.media_uses import static_problems, use_problems
from healthsite.build.workers import cores
from healthsite.config import SiteConfig
from healthsite.diagnostics import Diagnostic
from healthsite.inputs import STATIC_LIMIT, Refused
from healthsite.media.plan import (
    MediaPlan,
    Picture,
    Rendition,
    is_raster,
    is_svg,
    picture_uses,
)
from healthsite.media.raster import (
    EncodeSpec,
    PictureError,
    RasterFacts,
    encode,
    modern_format,
    probe,
)
from healthsite.media.svg import SvgError, sanitise_svg
from healthsite.site.assets import Asset, AssetMap
from healthsite.site.site_model import SiteModel

#: Bump when the files made for the same source and settings change.
MEDIA_FORMAT = 1
MIME = {
    "avif": "image/avif",
    "webp": "image/webp",
    "jpg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "svg": "image/svg+xml",
}
MODERN = frozenset({"image/avif", "image/webp"})


@dataclass(frozen=True, slots=True)
class MediaResult:
    """What the later stages publish: every static file, and every picture's renditions."""

    assets: AssetMap
    plan: MediaPlan


def make_media(
    config: SiteConfig, models: dict[str, SiteModel], assets: AssetMap, *, clean: bool = False
) -> tuple[MediaResult, list[Diagnostic]]:
    """Make (or take from the cache) every picture's published files, and check every use."""
    cache = _writable(MediaCache.for_site(config.root))
    spec = _spec_key(config)
    shown = _shown(models)
    made: dict[str, PictureMade] = {}
    todo: list[tuple[Asset, bool]] = []
    for asset in assets.assets.values():
        src = asset.src_path
        if not (is_svg(src) or is_raster(src)):
            continue
        ladder = src in shown
        key = _key(spec, src, asset.digest, ladder)
        hit = None if clean else cache.load(key)
        if hit is not None:
            made[src] = PictureMade(src, cache.entry(key), hit)
        elif is_svg(src):
            made[src] = _sanitise(cache, spec, asset)
        else:
            todo.append((asset, ladder))
    for outcome in _encode_all(cache, spec, todo, config):
        made[outcome.src] = outcome
    published, pictures = _publish(assets, made)
    diagnostics = static_problems(config, assets, made, shown)
    diagnostics += use_problems(config, models, assets, AssetMap(published), made)
    if not clean:
        cache.prune()
    return MediaResult(AssetMap(published), MediaPlan(pictures)), diagnostics


def _writable(cache: MediaCache) -> MediaCache:
    """The site's media cache, or a temporary one when the site folder is read-only."""
    try:
        cache.folder.mkdir(parents=True, exist_ok=True)
        if os.access(cache.folder, os.W_OK):
            return cache
    except OSError:
        pass
    return MediaCache(Path(tempfile.mkdtemp(prefix="healthsite-media-")))


def _spec_key(config: SiteConfig) -> str:
    media = config.settings.media
    return json.dumps(
        [
            MEDIA_FORMAT,
            PIL.__version__,
            media.widths,
            modern_format(media.format),
            media.quality,
            media.fallback_quality,
        ]
    )


def _shown(models: dict[str, SiteModel]) -> set[str]:
    """The pictures pages show: these get every size; one only templates use (a logo, the
    share picture) gets its largest alone, which is all `asset()` gives a template."""
    return {
        use.src.lstrip("/")
        for model in models.values()
        for doc in model.documents
        for use in picture_uses(doc)
    } | {models[next(iter(models))].config.settings.media.share_image}


def _key(spec: str, src: str, digest: str, ladder: bool) -> str:
    """A picture's cache key: the digest of its bytes, the settings, what is made of it."""
    kind = "svg" if is_svg(src) else "raster" if ladder else "largest"
    return hashlib.sha256(f"{kind}\n{spec}\n{digest}".encode()).hexdigest()


def _read(asset: Asset) -> bytes:
    """A picture's bytes, read once through its folder's rule (the check made on the open
    file); `PictureError` when the rule or the system says no."""
    try:
        return asset.files.read_bytes(asset.abs_path, STATIC_LIMIT)
    except Refused as refused:
        raise PictureError(refused.diagnostic.message) from None


def _widths(ladder: tuple[int, ...], width: int) -> tuple[int, ...]:
    """The ladder's widths below the picture's, and the picture's own (capped): never upscaled."""
    return tuple(sorted({w for w in ladder if w < width} | {min(width, max(ladder))}))


def _encode_all(
    cache: MediaCache, spec: str, todo: list[tuple[Asset, bool]], config: SiteConfig
) -> Iterable[PictureMade]:
    """Encode pictures side by side: Pillow lets go of Python's lock while it decodes, resizes
    and encodes, so threads use every core (and work inside the dev server, where forking is
    unsafe)."""
    media = config.settings.media
    fmt = modern_format(media.format)

    def one(job: tuple[Asset, bool]) -> PictureMade:
        asset, ladder = job
        try:
            data = _read(asset)
            facts = probe(data)
            if facts.animated:  # published as it is; pages may not show it (media_uses.py)
                return PictureMade(asset.src_path, info=_as_is(asset, facts))
            widths = _widths(media.widths, facts.width)
            chosen = widths if ladder else widths[-1:]
            encode_spec = EncodeSpec(chosen, fmt, media.quality, media.fallback_quality)
            renditions = encode(data, facts, encode_spec)
        except PictureError as problem:
            return PictureMade(asset.src_path, problem=str(problem))
        files = {f"{r.width}.{r.ext}": r.content for r in renditions}
        info = {
            "facts": [
                facts.format,
                facts.width,
                facts.height,
                facts.animated,
                facts.transparent,
                facts.graphic,
            ],
            "files": [
                {"name": f"{r.width}.{r.ext}", "width": r.width, "height": r.height}
                for r in renditions
            ],
        }
        # keyed by the bytes read, which are what was made (the file may have changed since
        # it was fingerprinted: the next build sees that)
        key = _key(spec, asset.src_path, hashlib.sha256(data).hexdigest(), ladder)
        return PictureMade(asset.src_path, cache.store(key, files, info), info)

    if len(todo) < 2:
        return [one(job) for job in todo]
    with ThreadPoolExecutor(max_workers=cores()) as pool:
        return list(pool.map(one, todo))


def _sanitise(cache: MediaCache, spec: str, asset: Asset) -> PictureMade:
    try:
        data = _read(asset)
        drawing = sanitise_svg(data)
    except (SvgError, PictureError) as problem:
        return PictureMade(asset.src_path, problem=str(problem))
    info = {
        "svg": list(drawing.removed),
        "files": [{"name": "drawing.svg", "width": drawing.width, "height": drawing.height}],
    }
    key = _key(spec, asset.src_path, hashlib.sha256(data).hexdigest(), False)
    folder = cache.store(key, {"drawing.svg": drawing.content}, info)
    return PictureMade(asset.src_path, folder, info)


def _as_is(asset: Asset, facts: RasterFacts) -> dict[str, Any]:
    """An animated picture, published unchanged (renditions would lose its frames)."""
    return {
        "facts": [facts.format, facts.width, facts.height, True, facts.transparent, False],
        "files": [],
        "as_is": [asset.dest_path, facts.width, facts.height],
    }


def _publish(
    assets: AssetMap, made: dict[str, PictureMade]
) -> tuple[dict[str, Asset], dict[str, Picture]]:
    """The published static files (pictures replaced by what was made of them) and pictures."""
    published = {src: a for src, a in assets.assets.items() if src not in made}
    pictures: dict[str, Picture] = {}
    for src, outcome in sorted(made.items()):
        if outcome.info is None:
            continue  # could not be read: not published (the build fails anyway)
        asset = assets.assets[src]
        if "as_is" in outcome.info:
            dest, width, height = outcome.info["as_is"]
            published[src] = asset
            suffix = PurePosixPath(src).suffix.lstrip(".").lower()
            mime = MIME.get(suffix, f"image/{suffix}")
            pictures[src] = Picture(src, (), (Rendition(dest, width, height, mime),))
            continue
        assert outcome.folder is not None
        renditions = _renditions(asset, outcome.folder, outcome.info)
        published.update(_published_files(src, outcome.folder, renditions))
        modern = tuple(r for _, r in renditions if r.mime in MODERN)
        fallback = tuple(r for _, r in renditions if r.mime not in MODERN)
        pictures[src] = Picture(src, modern, fallback)
    return published, pictures


def _renditions(asset: Asset, folder: Path, info: dict[str, Any]) -> list[tuple[str, Rendition]]:
    """A cache entry's files (by their name in it) as renditions, smallest first."""
    found = []
    for item in info["files"]:
        name, ext = item["name"], item["name"].rsplit(".", 1)[1]
        dest = _dest(asset, folder.name, item["width"], ext, "svg" in info)
        found.append((name, Rendition(dest, item["width"], item["height"], MIME[ext])))
    return sorted(found, key=lambda pair: pair[1].width)


def _published_files(
    src: str, folder: Path, renditions: list[tuple[str, Rendition]]
) -> dict[str, Asset]:
    """The files of a picture's renditions, as static files: the path editors and templates
    write gives the largest fallback, the others `path@name`."""
    largest = [r for _, r in renditions if r.mime not in MODERN][-1]
    files = {}
    for name, rendition in renditions:
        key = src if rendition is largest else f"{src}@{name}"
        made_file = folder / name
        files[key] = Asset(
            key,
            made_file,
            rendition.dest_path,
            size=made_file.stat().st_size,
            digest=folder.name,
        )
    return files


def _dest(asset: Asset, key: str, width: int, ext: str, drawing: bool) -> str:
    """`static/img/knee.3f2a9c1e0b-800.avif`: the picture's name, a fingerprint, the width."""
    parent = PurePosixPath(asset.dest_path).parent
    stem = PurePosixPath(asset.src_path).stem
    name = f"{stem}.{key[:10]}.svg" if drawing else f"{stem}.{key[:10]}-{width}.{ext}"
    return (parent / name).as_posix()
