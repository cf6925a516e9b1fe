"""What the media stage tells editors: pictures and videos checked where pages use them (at the
line that shows them), and the static files' own problems (an unreadable picture no page
shows, unsafe parts removed from a drawing).

The rules and their words are in `media/checks.py`; this module finds the uses and the files.
Videos and captions are read here, through the site's rule (`Asset.files`), as much as a check
needs (a video's first bytes, a caption file whole).
"""

from __future__ import annotations

from healthsite.build.media_cache import PictureMade
from healthsite.config import MediaSettings, SiteConfig
from healthsite.content.alt_text import VIDEO_FILE
from healthsite.diagnostics import Diagnostic, error, warning
from healthsite.inputs import STATIC_LIMIT, Refused
from healthsite.media import checks
from healthsite.media.plan import PictureUse, picture_uses, video_uses
from healthsite.media.raster import RasterFacts
from healthsite.media.video import Reader, StaticRead
from healthsite.site.assets import Asset, AssetMap
from healthsite.site.site_model import SiteModel


def static_problems(
    config: SiteConfig, assets: AssetMap, made: dict[str, PictureMade], used: set[str]
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


def use_problems(
    config: SiteConfig,
    models: dict[str, SiteModel],
    assets: AssetMap,
    published: AssetMap,
    made: dict[str, PictureMade],
) -> list[Diagnostic]:
    """Every use of a picture or video by a page, checked at its line."""
    media = config.settings.media
    main = config.settings.language
    read = _reader(published)
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
                    found += checks.video_checks(video, read, published.sources, media)
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
    made: dict[str, PictureMade],
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
    return checks.picture_checks(use, facts, assets.assets[outcome.src].size, media)


def _reader(published: AssetMap) -> Reader:
    """Read a static file's first `count` bytes through its folder's rule (None: no such
    file); a refusal comes back in words."""

    def read(src: str, count: int) -> StaticRead | None:
        asset = published.find(src)
        if asset is None:
            return None
        try:
            with asset.files.open(asset.abs_path, STATIC_LIMIT) as stream:
                return StaticRead(asset.size, stream.read(count))
        except Refused as refused:
            return StaticRead(asset.size, problem=refused.diagnostic.message)
        except OSError as exc:
            return StaticRead(asset.size, problem=f"it could not be read ({exc.strerror})")

    return read
