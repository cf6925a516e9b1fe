"""Which pictures and videos the site shows, where, and what each becomes when published.

The values here are plain and frozen: the media stage (`build/media.py`) fills them from files
and its cache; templates read them to write `<picture>` and `<video>` markup. The slots say how
wide a picture is shown, so `sizes` and the "too small" check agree with the stylesheet.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from healthsite.content.documents import Document
from healthsite.content.models import ArticleMeta, ExerciseMeta, Video

RASTER_SUFFIXES = frozenset(
    {".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif", ".tif", ".tiff", ".bmp", ".heic", ".heif"}
)
#: Phones' own formats that Pillow cannot read: the editor gets a hint about exporting.
PHONE_ONLY_SUFFIXES = frozenset({".heic", ".heif"})


def is_raster(path: str) -> bool:
    return PurePosixPath(path).suffix.lower() in RASTER_SUFFIXES


def is_svg(path: str) -> bool:
    return PurePosixPath(path).suffix.lower() == ".svg"


@dataclass(frozen=True, slots=True)
class Slot:
    """A place pictures are shown in, as the theme's stylesheet lays it out."""

    name: str
    css_width: int
    """The widest the picture is shown there, in CSS pixels."""
    sizes: str
    """The `sizes` attribute: how wide the picture is shown at each screen width."""
    stretched: bool
    """Shown at the slot's full width (a smaller picture is blown up and looks blurry)."""


#: The exercise illustration (the width of the text column, at most 45rem; two side by side
#: when the column is wide), a picture in an article's text, and a video's poster frame.
COLUMN = "(min-width: 48em) 45rem, calc(100vw - 2rem)"
SLOTS = {
    "figure": Slot("figure", 720, COLUMN, True),
    "body": Slot("body", 720, COLUMN, False),
    "poster": Slot("poster", 720, COLUMN, True),
}


@dataclass(frozen=True, slots=True)
class Rendition:
    """One published file of a picture."""

    dest_path: str
    width: int
    height: int
    mime: str


@dataclass(frozen=True, slots=True)
class Picture:
    """A picture as published: its renditions, smallest first, in the modern format (AVIF or
    WebP) and as a fallback every browser shows (JPEG, PNG, or the sanitised SVG)."""

    src_path: str
    modern: tuple[Rendition, ...]
    fallback: tuple[Rendition, ...]

    @property
    def largest(self) -> Rendition:
        return self.fallback[-1]

    @property
    def width(self) -> int:
        return self.largest.width

    @property
    def height(self) -> int:
        return self.largest.height

    def at_least(self, width: int) -> Rendition:
        """The smallest fallback at least `width` wide (or the largest): for a poster, a share."""
        return next((r for r in self.fallback if r.width >= width), self.largest)


@dataclass(frozen=True, slots=True)
class MediaPlan:
    """Every picture the site publishes, by the path editors write (`img/knee.jpg`)."""

    pictures: Mapping[str, Picture] = field(default_factory=dict)

    def picture(self, src: str) -> Picture | None:
        return self.pictures.get(src.lstrip("/"))


@dataclass(frozen=True, slots=True)
class PictureUse:
    """A picture shown by a page: where it is written, so problems point there."""

    src: str
    slot: str
    path: str
    line: int
    alt: str = ""
    caption: str = ""
    alt_field: tuple[str | int, ...] = ()
    """Where the alt text is written in front matter (empty for a Markdown image)."""
    alt_line: int = 0
    """The line of that alt text, where its problems are reported."""


@dataclass(frozen=True, slots=True)
class VideoUse:
    """A video listed in a page's front matter, with the line of each of its fields."""

    video: Video
    path: str
    index: int
    lines: Mapping[str, int]


def picture_uses(doc: Document) -> Iterator[PictureUse]:
    """Every picture a page shows: front-matter illustrations, posters, Markdown images."""
    meta = doc.meta
    line_of = doc.source.line_of
    if isinstance(meta, ExerciseMeta):
        for i, image in enumerate(meta.images):
            yield PictureUse(
                image.src,
                "figure",
                doc.src_path,
                line_of(("images", i, "src")),
                image.alt,
                image.caption,
                ("images", i, "alt"),
                line_of(("images", i, "alt")),
            )
    if isinstance(meta, ExerciseMeta | ArticleMeta):
        for i, video in enumerate(meta.videos):
            yield PictureUse(video.poster, "poster", doc.src_path, line_of(("videos", i, "poster")))
    for body_image in doc.body.images:
        yield PictureUse(
            body_image.src,
            "body",
            doc.src_path,
            body_image.line,
            body_image.alt,
            body_image.caption,
        )


VIDEO_FIELDS = (
    "src",
    "webm",
    "poster",
    "title",
    "speech",
    "captions",
    "descriptions",
    "transcript",
)


def video_uses(doc: Document) -> Iterator[VideoUse]:
    """Every video a page lists, with where each of its fields is written."""
    meta = doc.meta
    if not isinstance(meta, ExerciseMeta | ArticleMeta):
        return
    for i, video in enumerate(meta.videos):
        lines = {name: doc.source.line_of(("videos", i, name)) for name in VIDEO_FIELDS}
        yield VideoUse(video, doc.src_path, i, lines)
