"""Real photos for the tests, made with Pillow: textured like a phone's, with the EXIF a phone
writes (rotation, camera, GPS position) and XMP, so tests can check none of it is published."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from PIL import Image, ImageDraw

MEDIA = Path(__file__).resolve().parent / "media"
#: Where the tests' phone photos were "taken": Los Angeles.
GPS = {1: "N", 2: (34.0, 3.0, 7.5), 3: "W", 4: (118.0, 14.0, 37.2), 5: 0, 6: 71.0}
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-'
    b'syntax-ns#"><rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" '
    b'exif:GPSLatitude="34,3.125N" exif:GPSLongitude="118,14.62W"/></rdf:RDF></x:xmpmeta>'
)
ORIENTATION = 0x0112
GPS_IFD = 0x8825


def texture(width: int, height: int, seed: int = 1) -> Image.Image:
    """A picture with detail at every scale (noise octaves, shapes, sensor grain): it costs
    about as many bytes as a photo of the same size, unlike a flat test pattern."""
    rnd = random.Random(seed)
    image = Image.new("RGB", (width, height), (128, 128, 128))
    for cells, weight in ((8, 0.5), (32, 0.3), (128, 0.2), (512, 0.12)):
        size = (max(2, cells), max(2, cells * height // width))
        noise = Image.merge("RGB", [Image.effect_noise(size, 60 + 10 * c) for c in range(3)])
        image = Image.blend(image, noise.resize((width, height), Image.Resampling.BICUBIC), weight)
    draw = ImageDraw.Draw(image)
    for _ in range(60):
        x, y = rnd.randrange(width), rnd.randrange(height)
        r = rnd.randrange(max(2, width // 60), max(3, width // 6))
        colour = (rnd.randrange(256), rnd.randrange(256), rnd.randrange(256))
        draw.ellipse((x - r, y - r, x + r, y + r // 2), fill=colour)
    grain = Image.effect_noise((width, height), 18).convert("RGB")
    return Image.blend(image, grain, 0.2)


def phone_photo(
    path: Path, width: int = 4000, height: int = 3000, *, orientation: int = 6, seed: int = 1
) -> Path:
    """A JPEG as a phone saves it: stored sideways with an EXIF rotation flag, camera make and
    model, the GPS position and XMP. `width` x `height` is the stored (sideways) size."""
    image = texture(width, height, seed)
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "Healthphone"
    exif[0x0110] = "Model 5"
    exif[GPS_IFD] = GPS
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "JPEG", quality=96, exif=exif, xmp=XMP)
    return path


def copy_video(name: str, target: Path) -> Path:
    """One of the tiny committed videos (`tiny.mp4`, `tiny.webm`: 1 second, a few kB)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(MEDIA / name, target)
    return target


CAPTIONS = "WEBVTT\n\n00:00.000 --> 00:01.000\nLift your hips slowly, then lower them.\n"
PHOTO_EXERCISE = """images:
  - src: photos/bridge-top.jpg
    alt: A person lying on their back with their hips lifted off a mat.
    caption: The top of the bridge.
  - src: img/pose.svg
    alt: Drawing of the bridge position.
videos:
  - src: video/bridge.mp4
    webm: video/bridge.webm
    poster: photos/bridge-top.jpg
    title: The bridge, from start to finish
    speech: true
    captions: video/bridge.en.vtt
"""
ARTICLE_VIDEO = """tags: [back]
videos:
  - src: video/bridge.mp4
    poster: photos/bridge-top.jpg
    title: A bridge, slowly
    speech: false
    transcript: A person lies on a mat, lifts their hips slowly, holds, and lowers them.
"""
DIAGRAM_PAGE = """---
title: Pictures
summary: A page with a diagram in its text.
---
How the spine curves:

![The spine from the side, its three curves marked](img/curves.png "The three natural curves")
"""


def diagram(path: Path, width: int = 900, height: int = 600) -> Path:
    """A flat drawing saved as a palette PNG (as a diagram tool saves one)."""
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    for i in range(3):
        draw.arc((100 + i * 200, 100, 300 + i * 200, 500), 60, 300, fill=(0, 86, 107), width=12)
    path.parent.mkdir(parents=True, exist_ok=True)
    image.quantize(colors=8).save(path, optimize=True)
    return path


def add_media(site: Path, photo: Path) -> Path:
    """Give the valid fixture site a phone photo and a video on its bridge exercise, and a
    page with a diagram in its text. `photo` is copied (make it once: it takes seconds)."""
    (site / "static/photos").mkdir(parents=True, exist_ok=True)
    shutil.copy(photo, site / "static/photos/bridge-top.jpg")
    copy_video("tiny.mp4", site / "static/video/bridge.mp4")
    copy_video("tiny.webm", site / "static/video/bridge.webm")
    (site / "static/video/bridge.en.vtt").write_text(CAPTIONS, encoding="utf-8")
    diagram(site / "static/img/curves.png")
    exercise = site / "content/exercises/bridge.md"
    text = exercise.read_text(encoding="utf-8")
    start, end = text.index("images:\n"), text.index("sources:\n")
    exercise.write_text(text[:start] + PHOTO_EXERCISE + text[end:], encoding="utf-8")
    (site / "content/pages/pictures.md").write_text(DIAGRAM_PAGE, encoding="utf-8")
    article = site / "content/articles/back-care.md"
    article.write_text(
        article.read_text(encoding="utf-8").replace("tags: [back]\n", ARTICLE_VIDEO, 1),
        encoding="utf-8",
    )
    return site
