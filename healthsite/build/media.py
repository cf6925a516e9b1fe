"""The media stage: every picture in the static folder made ready to publish, from the cache
when it was made before, side by side on every core when it was not.

Raster pictures (JPEG, PNG, WebP, AVIF, GIF, TIFF) become renditions at a few widths in a modern
format and a fallback, with no metadata; SVG drawings are sanitised. What the site publishes
for a picture is only ever these: the original file (a phone photo with GPS in it) never is.
The stage returns the published files as an `AssetMap` and the pictures as a `MediaPlan`, and
checks every picture and video where pages use it.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import PIL

from healthsite.build.media_cache import MediaCache
from healthsite.build.workers import cores
from healthsite.config import MediaSettings, SiteConfig
from healthsite.content.markdown_body import VIDEO_FILE
from healthsite.diagnostics import Diagnostic, error, warning
from healthsite.media import checks
from healthsite.media.plan import (
    MediaPlan,
    Picture,
    PictureUse,
    Rendition,
    is_raster,
    is_svg,
    picture_uses,
    video_uses,
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
from healthsite.site.site_model import SiteModel
from healthsite.site.assets import Asset, AssetMap

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


@dataclass(frozen=True, slots=True)
class _Made:
    """One picture's outcome: its entry in the cache, or why it could not be made."""

    src: str
    folder: Path | None = None
    info: dict[str, Any] | None = None
    problem: str = ""


def make_media(
    config: SiteConfig, models: dict[str, SiteModel], assets: AssetMap, *, clean: bool = False
) -> tuple[MediaResult, list[Diagnostic]]:
    """Make (or take from the cache) every picture's published files, and check every use."""
    cache = _writable(MediaCache.for_site(config.root))
    spec = _spec_key(config)
    shown = _shown(models)
    made: dict[str, _Made] = {}
    todo: list[tuple[Asset, RasterFacts, str, bool]] = []
    for asset in assets.assets.values():
        ladder = asset.src_path in shown
        key = _key(spec, asset, ladder)
        hit = None if clean else cache.load(key)
        if hit is not None:
            made[asset.src_path] = _Made(asset.src_path, cache.entry(key), hit)
        elif is_svg(asset.src_path):
            made[asset.src_path] = _sanitise(cache, key, asset)
        elif is_raster(asset.src_path):
            try:
                facts = probe(asset.abs_path)
            except PictureError as problem:
                made[asset.src_path] = _Made(asset.src_path, problem=str(problem))
                continue
            if facts.animated:  # published as it is; pages may not show it (checked below)
                made[asset.src_path] = _Made(asset.src_path, info=_as_is(asset, facts))
            else:
                todo.append((asset, facts, key, ladder))
    for outcome in _encode_all(cache, todo, config):
        made[outcome.src] = outcome
    published, pictures = _publish(assets, made)
    diagnostics = _static_problems(config, assets, made, shown)
    diagnostics += _use_problems(config, models, assets, AssetMap(published), made)
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


def _key(spec: str, asset: Asset, ladder: bool) -> str:
    kind = "svg" if is_svg(asset.src_path) else "raster" if ladder else "largest"
    return hashlib.sha256(f"{kind}\n{spec}\n{asset.digest}".encode()).hexdigest()


def _widths(ladder: tuple[int, ...], width: int) -> tuple[int, ...]:
    """The ladder's widths below the picture's, and the picture's own (capped): never upscaled."""
    return tuple(sorted({w for w in ladder if w < width} | {min(width, max(ladder))}))


def _encode_all(
    cache: MediaCache, todo: list[tuple[Asset, RasterFacts, str, bool]], config: SiteConfig
) -> Iterable[_Made]:
    """Encode pictures side by side: Pillow lets go of Python's lock while it decodes, resizes
    and encodes, so threads use every core (and work inside the dev server, where forking is
    unsafe)."""
    media = config.settings.media
    fmt = modern_format(media.format)

    def one(job: tuple[Asset, RasterFacts, str, bool]) -> _Made:
        asset, facts, key, ladder = job
        widths = _widths(media.widths, facts.width)
        spec = EncodeSpec(
            widths if ladder else widths[-1:], fmt, media.quality, media.fallback_quality
        )
        try:
            renditions = encode(asset.abs_path, facts, spec)
        except PictureError as problem:
            return _Made(asset.src_path, problem=str(problem))
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
        return _Made(asset.src_path, cache.store(key, files, info), info)

    if len(todo) < 2:
        return [one(job) for job in todo]
    with ThreadPoolExecutor(max_workers=cores()) as pool:
        return list(pool.map(one, todo))


def _sanitise(cache: MediaCache, key: str, asset: Asset) -> _Made:
    try:
        drawing = sanitise_svg(asset.abs_path.read_bytes())
    except (SvgError, OSError) as problem:
        return _Made(asset.src_path, problem=str(problem))
    info = {
        "svg": list(drawing.removed),
        "files": [{"name": "drawing.svg", "width": drawing.width, "height": drawing.height}],
    }
    return _Made(asset.src_path, cache.store(key, {"drawing.svg": drawing.content}, info), info)


def _as_is(asset: Asset, facts: RasterFacts) -> dict[str, Any]:
    """An animated picture, published unchanged (renditions would lose its frames)."""
    return {
        "facts": [facts.format, facts.width, facts.height, True, facts.transparent, False],
        "files": [],
        "as_is": [asset.dest_path, facts.width, facts.height],
    }


def _publish(
    assets: AssetMap, made: dict[str, _Made]
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
        made_files = []
        for item in outcome.info["files"]:
            name, ext = item["name"], item["name"].rsplit(".", 1)[1]
            dest = _dest(asset, outcome.folder.name, item["width"], ext, "svg" in outcome.info)
            made_files.append((name, Rendition(dest, item["width"], item["height"], MIME[ext])))
        made_files.sort(key=lambda pair: pair[1].width)
        modern = [r for _, r in made_files if r.mime in MODERN]
        fallback = [r for _, r in made_files if r.mime not in MODERN]
        for name, rendition in made_files:
            # the path editors and templates write gives the largest fallback
            key = src if rendition is fallback[-1] else f"{src}@{name}"
            made_file = outcome.folder / name
            published[key] = Asset(
                key,
                made_file,
                rendition.dest_path,
                size=made_file.stat().st_size,
                digest=outcome.folder.name,
            )
        pictures[src] = Picture(src, tuple(modern), tuple(fallback))
    return published, pictures


def _dest(asset: Asset, key: str, width: int, ext: str, drawing: bool) -> str:
    """`static/img/knee.3f2a9c1e0b-800.avif`: the picture's name, a fingerprint, the width."""
    parent = PurePosixPath(asset.dest_path).parent
    stem = PurePosixPath(asset.src_path).stem
    name = f"{stem}.{key[:10]}.svg" if drawing else f"{stem}.{key[:10]}-{width}.{ext}"
    return (parent / name).as_posix()


def _static_problems(
    config: SiteConfig, assets: AssetMap, made: dict[str, _Made], used: set[str]
) -> list[Diagnostic]:
    """Problems of the static files themselves: unreadable pictures no page shows (a page that
    shows one hears about it at its own line), unsafe parts removed from drawings."""
    found = []
    for src, outcome in sorted(made.items()):
        where = _static_path(config, assets.assets[src])
        if outcome.problem and src not in used:
            found.append(
                error(
                    "image-unreadable",
                    f"{src}: {outcome.problem}",
                    where,
                    hint="fix or remove the file: it cannot be published as it is",
                )
            )
        removed = (outcome.info or {}).get("svg") or []
        if removed:
            found.append(
                warning(
                    "svg-unsafe",
                    "removed from the published drawing: " + ", ".join(removed),
                    where,
                    hint="scripts, event handlers, links to other files and embedded web "
                    "pages never run on the site; save the drawing without them "
                    "(e.g. Inkscape's 'Optimized SVG' or 'Plain SVG')",
                )
            )
    return found


def _static_path(config: SiteConfig, asset: Asset) -> str:
    """Where a static file is, as the editor sees it: `static/img/x.jpg` (or the theme's)."""
    try:
        return asset.abs_path.relative_to(config.root).as_posix()
    except ValueError:
        return f"theme/static/{asset.src_path}"


def _use_problems(
    config: SiteConfig,
    models: dict[str, SiteModel],
    assets: AssetMap,
    published: AssetMap,
    made: dict[str, _Made],
) -> list[Diagnostic]:
    """Every use of a picture or video by a page, checked at its line."""
    media = config.settings.media
    main = config.settings.language
    sources = published.sources
    found: list[Diagnostic] = []
    for model in models.values():
        for doc in model.documents:
            for use in picture_uses(doc):
                if use.slot == "poster" and doc.lang != main:
                    continue  # a translation shows its source's videos
                found += checks.words_checks(use)
                found += _picture_problems(use, assets, published, made, media)
            if doc.lang == main:
                for video in video_uses(doc):
                    found += checks.video_checks(video, _finder(published), sources, media)
    if media.share_image and published.dest(media.share_image) is None:
        found.append(
            error(
                "missing-file",
                f"media.share_image: no file '{media.share_image}' in the static folder",
                "site.yaml",
                hint="give the path of a JPEG or PNG picture in the static folder",
            )
        )
    return found


def _picture_problems(
    use: PictureUse,
    assets: AssetMap,
    published: AssetMap,
    made: dict[str, _Made],
    media: MediaSettings,
) -> list[Diagnostic]:
    """One picture where a page shows it: missing, not a picture, unreadable, too large or
    too small a file, animated."""
    outcome = made.get(use.src.lstrip("/"))
    if published.dest(use.src) is None and outcome is None:
        if use.slot != "poster":
            return []  # reported by assemble with the other missing files
        return [
            error(
                "missing-file",
                f"poster: no file '{use.src}' in the static folder",
                use.path,
                use.line,
                hint="the poster is a still picture from the video (JPEG or PNG)",
            )
        ]
    if outcome is None:
        if VIDEO_FILE.search(use.src):
            return []  # "a video cannot be shown as a picture": said when the body was read
        return [
            error(
                "image-format",
                f"'{use.src}' is not a picture (JPEG, PNG, WebP, AVIF, GIF or SVG)",
                use.path,
                use.line,
            )
        ]
    if outcome.problem:
        return [checks.unreadable(use, outcome.problem)]
    assert outcome.info is not None
    if "svg" in outcome.info:
        return []
    facts = RasterFacts(*outcome.info["facts"])
    size = assets.assets[outcome.src].abs_path.stat().st_size
    return checks.picture_checks(use, facts, size, media)


def _finder(published: AssetMap) -> Callable[[str], Path | None]:
    def exists(src: str) -> Path | None:
        asset = published.assets.get(src.lstrip("/"))
        return asset.abs_path if asset is not None else None

    return exists
