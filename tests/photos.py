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
    model, the GPS position and XMP. `width` × `height` is the stored (sideways) size."""
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
