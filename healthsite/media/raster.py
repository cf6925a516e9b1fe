"""Photos and other raster pictures, through Pillow: read what a file is, then make the sizes
and formats a page offers, upright, in sRGB, with every piece of metadata left behind.

A phone photo carries where it was taken (GPS), the phone, the time, often a thumbnail of the
uncropped picture, and its rotation as an EXIF flag. What we publish is made from the pixels
alone: the rotation applied (`ImageOps.exif_transpose`), the colours converted to sRGB when the
file has another profile (phones shoot Display P3), and nothing else copied.

Pictures come in as bytes the build read through the site's rule (`inputs.SiteFiles`): what is
checked is what is decoded, with no second open of the file in between.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError, features

#: The EXIF orientations that turn the picture by a quarter: width and height swap.
QUARTER_TURNS = frozenset({5, 6, 7, 8})
ORIENTATION = 0x0112
#: Formats Pillow reads that an editor may reasonably drop in.
READABLE = frozenset({"JPEG", "MPO", "PNG", "WEBP", "GIF", "AVIF", "TIFF", "BMP"})
#: AVIF effort: 8 of 10 makes files within a few per cent of the default (6) in a third of
#: the time (docs/benchmarks.md).
AVIF_SPEED = 8


@dataclass(frozen=True, slots=True)
class RasterFacts:
    """What a picture file is, read from its header: enough to plan its sizes."""

    format: str
    width: int
    """Width as shown, after the EXIF rotation."""
    height: int
    animated: bool
    transparent: bool
    graphic: bool = False
    """A drawing saved as PNG or GIF (a palette of colours): its fallback stays PNG, sharp."""


@dataclass(frozen=True, slots=True)
class EncodeSpec:
    """How to make a picture's renditions; part of the cache key."""

    widths: tuple[int, ...]
    """Widths to make, each no wider than the picture."""
    modern: str
    """`AVIF` or `WEBP`."""
    quality: int
    fallback_quality: int


@dataclass(frozen=True, slots=True)
class Encoded:
    """One rendition: its format's file extension, size and bytes."""

    ext: str
    width: int
    height: int
    content: bytes


class PictureError(ValueError):
    """A file Pillow cannot read safely: not a picture, damaged, or far too many pixels."""


def modern_format(setting: str) -> str:
    """`AVIF` when asked for (or `auto`) and this Pillow can write it; else `WEBP`."""
    if setting in ("auto", "avif") and features.check("avif"):
        return "AVIF"
    return "WEBP"


def probe(data: bytes) -> RasterFacts:
    """Read a picture's header (not its pixels); raise `PictureError` if it is not one we can use.

    A decompression bomb (more pixels than Pillow's `MAX_IMAGE_PIXELS`) is refused here, before
    any memory is spent on it.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format not in READABLE:
                    raise PictureError(f"{image.format} pictures are not supported")
                width, height = image.size
                if image.getexif().get(ORIENTATION) in QUARTER_TURNS:
                    width, height = height, width
                return RasterFacts(
                    image.format,
                    width,
                    height,
                    getattr(image, "n_frames", 1) > 1,
                    _transparent(image),
                    image.format in ("PNG", "GIF") and image.mode in ("P", "1", "L", "LA", "PA"),
                )
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise PictureError(
            f"it has more than {Image.MAX_IMAGE_PIXELS:,} pixels: too large to open safely"
        ) from None
    except UnidentifiedImageError:
        raise PictureError("it is not a picture Pillow can read (or it is damaged)") from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise PictureError(f"it could not be read ({exc})") from None


def _transparent(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA", "La", "RGBa") or "transparency" in image.info


def encode(data: bytes, facts: RasterFacts, spec: EncodeSpec) -> list[Encoded]:
    """Every rendition of one picture: the modern format and the fallback at each width.

    Raises `PictureError` when the pixels cannot be decoded (a truncated or damaged file).
    """
    try:
        base = _upright_srgb(data, facts, max(spec.widths))
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise PictureError(f"its pixels could not be decoded ({exc})") from None
    fallback = "PNG" if facts.transparent or facts.graphic else "JPEG"
    made = []
    for width in spec.widths:
        height = max(1, round(base.height * width / base.width))
        sized = (
            base
            if width == base.width
            else base.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        )
        made.append(_save(sized, spec.modern, spec.quality))
        made.append(_save(sized, fallback, spec.fallback_quality))
    return made


def _upright_srgb(data: bytes, facts: RasterFacts, widest: int) -> Image.Image:
    """The pixels, turned upright, in sRGB, RGB(A) or L: a new image with no metadata at all."""
    with Image.open(io.BytesIO(data)) as image:
        if image.format == "JPEG" and widest < facts.width:
            # let libjpeg decode at 1/2, 1/4 or 1/8 scale: much faster, never smaller than needed
            scale = widest / facts.width
            image.draft("RGB", (round(image.width * scale), round(image.height * scale)))
        image.load()
        icc = image.info.get("icc_profile")
        upright = ImageOps.exif_transpose(image)
    mode = "RGBA" if facts.transparent else ("L" if upright.mode in ("L", "1") else "RGB")
    if icc and mode != "L":
        upright = _to_srgb(upright, icc, mode)
    pixels = upright.convert(mode)
    clean = Image.new(mode, pixels.size)  # a fresh image: no EXIF, XMP, ICC or comments
    clean.paste(pixels)
    return clean


def _to_srgb(image: Image.Image, icc: bytes, mode: str) -> Image.Image:
    """Convert from the file's colour profile to sRGB, so dropping the profile keeps colours."""
    if image.mode not in ("RGB", "RGBA", "CMYK"):
        image = image.convert(mode)
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        converted = ImageCms.profileToProfile(
            image, source, ImageCms.createProfile("sRGB"), outputMode=mode
        )
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image  # an unreadable profile: the pixels as they are
    return converted if converted is not None else image


EXTENSIONS = {"AVIF": "avif", "WEBP": "webp", "JPEG": "jpg", "PNG": "png"}


def _save(image: Image.Image, fmt: str, quality: int) -> Encoded:
    out = io.BytesIO()
    if fmt == "AVIF":
        # one thread each: pictures are encoded side by side, one per core
        image.save(out, fmt, quality=quality, speed=AVIF_SPEED, max_threads=1)
    elif fmt == "WEBP":
        image.save(out, fmt, quality=quality, method=4)
    elif fmt == "JPEG":
        image.save(out, fmt, quality=quality, optimize=True, progressive=True)
    else:
        image.save(out, fmt, optimize=True)
    return Encoded(EXTENSIONS[fmt], image.width, image.height, out.getvalue())
