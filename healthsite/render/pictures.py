"""Pictures as templates write them: `srcset` lists, the `sizes` of their slot, which one loads
first, and the picture a page shares (Open Graph). Plain values; the markup is the templates'."""

from __future__ import annotations

from dataclasses import dataclass

from healthsite.content.documents import Document
from healthsite.content.models import ArticleMeta, ExerciseMeta
from healthsite.media.plan import SLOTS, Picture, Rendition
from healthsite.site.site_model import SiteModel

#: The theme's picture for links shared from pages without one of their own.
DEFAULT_SHARE_IMAGE = "img/share.png"
#: What Facebook, LinkedIn and messaging apps show best: 1200 pixels wide.
SHARE_WIDTH = 1200
#: A video's poster: sharp enough on a phone, a quarter of the bytes of the largest size.
STILL_WIDTH = 800


@dataclass(frozen=True, slots=True)
class PictureSource:
    """One `<source>` of a `<picture>`: a format and its sizes."""

    type: str
    srcset: str


@dataclass(frozen=True, slots=True)
class PictureView:
    """Everything a template needs to write one picture."""

    src: str
    """The fallback every browser shows (the largest JPEG or PNG, or the SVG)."""
    width: int
    height: int
    srcset: str
    """The fallback's sizes, for browsers without the modern format (empty: one size only)."""
    sizes: str
    sources: tuple[PictureSource, ...]
    still: str
    """One file for places that take a single address (a video's poster): the fallback at
    `STILL_WIDTH` pixels, or the largest under it."""
    priority: bool
    """The first picture of the page: loaded at once, first (the likely largest paint); every
    other one waits until it is about to scroll into view."""


@dataclass(frozen=True, slots=True)
class ShareImage:
    """The picture a shared link shows: `og:image` and its size, type and description."""

    url: str
    width: int
    height: int
    type: str
    alt: str


def picture_view(picture: Picture, slot: str, prefix: str, priority: bool) -> PictureView:
    """A picture's renditions as attributes, URLs under the site's base path `prefix`."""

    def srcset(renditions: tuple[Rendition, ...]) -> str:
        if len(renditions) < 2:
            return ""
        return ", ".join(f"{prefix}{r.dest_path} {r.width}w" for r in renditions)

    sources = []
    if picture.modern:
        modern = picture.modern
        whole = srcset(modern) or f"{prefix}{modern[0].dest_path} {modern[0].width}w"
        sources.append(PictureSource(modern[0].mime, whole))
    return PictureView(
        prefix + picture.largest.dest_path,
        picture.width,
        picture.height,
        srcset(picture.fallback),
        SLOTS[slot].sizes,
        tuple(sources),
        prefix + picture.at_least(STILL_WIDTH).dest_path,
        priority,
    )


def share_image(model: SiteModel, doc: Document | None, absolute: str) -> ShareImage | None:
    """The page's first photo (an illustration, a video's poster, a picture in the text), else
    the site's share picture; drawings (SVG) are skipped: social sites do not show them.
    `absolute` is the site's address, which `og:image` needs in full."""
    for src, alt in _pictures_of(doc):
        picture = model.media.picture(src)
        if picture is not None and picture.modern:
            return _share(picture, alt, absolute)
    settings = model.config.settings
    src = settings.media.share_image or DEFAULT_SHARE_IMAGE
    picture = model.media.picture(src)
    if picture is None:
        return None
    return _share(picture, settings.title, absolute)


def _share(picture: Picture, alt: str, absolute: str) -> ShareImage:
    rendition = picture.at_least(SHARE_WIDTH)
    return ShareImage(
        absolute + rendition.dest_path, rendition.width, rendition.height, rendition.mime, alt
    )


def _pictures_of(doc: Document | None) -> list[tuple[str, str]]:
    if doc is None:
        return []
    meta = doc.meta
    found = []
    if isinstance(meta, ExerciseMeta):
        found += [(image.src, image.alt) for image in meta.images]
    if isinstance(meta, ExerciseMeta | ArticleMeta):
        found += [(video.poster, video.title) for video in meta.videos]
    found += [(image.src, image.alt) for image in doc.body.images]
    return found
