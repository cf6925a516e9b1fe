"""Pictures and videos: a phone photo becomes small upright files with no metadata, pages
write `<picture>`/`<video>` markup with sizes known, and editors hear about every mistake."""

from __future__ import annotations

import re
import shutil
import zlib
from pathlib import Path

import pytest
from PIL import Image, features

from healthsite.diagnostics import BuildFailed
from tests.helpers import VALID_SITE, build_site
from tests.photos import GPS_IFD, copy_video, diagram, phone_photo

MODERN = "avif" if features.check("avif") else "webp"
PHOTO = re.compile(r"bridge-top\.[0-9a-f]{10}-(\d+)\.(\w+)$")


def published_photos(root: Path) -> dict[tuple[int, str], Path]:
    found = {}
    for path in (root / "site/static/photos").iterdir():
        match = PHOTO.search(path.name)
        assert match, path.name
        found[(int(match[1]), match[2])] = path
    return found


def test_a_phone_photo_becomes_upright_sizes_in_two_formats(media_site: Path) -> None:
    photos = published_photos(media_site)
    assert sorted(photos) == sorted((w, f) for w in (480, 800, 1200, 1600) for f in (MODERN, "jpg"))
    for (width, fmt), path in photos.items():
        with Image.open(path) as image:
            assert image.format == {"avif": "AVIF", "webp": "WEBP", "jpg": "JPEG"}[fmt]
            # stored sideways 4032 x 3024 with EXIF orientation 6: published upright, 3:4
            assert image.size == (width, round(width * 4032 / 3024))
    # a phone reaches for the 800-pixel size (390 CSS px at 2x): far under the 4.5 MB original
    assert photos[(800, MODERN)].stat().st_size <= 80_000
    assert photos[(1200, MODERN)].stat().st_size <= 80_000


def test_nothing_published_carries_metadata_or_the_original(
    media_site: Path, phone_jpeg: Path
) -> None:
    original = phone_jpeg.read_bytes()
    pictures = [
        p
        for p in (media_site / "site/static").rglob("*")
        if p.suffix in (".jpg", ".png", ".avif", ".webp")
    ]
    assert len(pictures) > 8
    for path in pictures:
        data = path.read_bytes()
        assert data != original
        assert b"Healthphone" not in data and b"GPSLatitude" not in data, path
        with Image.open(path) as image:
            assert not image.getexif(), path
            assert not image.getexif().get_ifd(GPS_IFD), path
            kept = set(image.info) & {"exif", "xmp", "XML:com.adobe.xmp", "icc_profile", "comment"}
            assert not kept, (path, kept)


def test_pages_write_pictures_with_sizes_and_priority(media_site: Path) -> None:
    html = (media_site / "site/exercises/bridge/index.html").read_text()
    first, drawing = re.findall(r"<picture>.*?</picture>", html, re.S)[:2]
    source = re.search(r'<source type="image/(\w+)" srcset="([^"]+)" sizes="([^"]+)">', first)
    assert source and source[1] == MODERN
    assert [w for w in re.findall(r" (\d+)w", source[2])] == ["480", "800", "1200", "1600"]
    assert source[3].endswith("calc(100vw - 2rem)")
    img = re.search(r"<img [^>]+>", first)
    assert img
    assert 'width="1600" height="2133"' in img[0]
    assert 'fetchpriority="high"' in img[0] and "loading=" not in img[0]  # the first: eager
    assert re.search(r'src="/static/img/pose\.[0-9a-f]{10}\.svg"', drawing)
    assert 'loading="lazy"' in drawing  # every later one waits
    # a Markdown picture alone in its paragraph: a figure, captioned by its title
    page = (media_site / "site/pictures/index.html").read_text()
    assert re.search(
        r'<figure class="figure">\s*<picture>.*?width="900" height="600".*?</picture>\s*'
        r"<figcaption>The three natural curves</figcaption>",
        page,
        re.S,
    )


def test_a_video_plays_from_the_site_with_captions_and_a_poster(media_site: Path) -> None:
    html = (media_site / "site/exercises/bridge/index.html").read_text()
    video = re.search(r"<video [^>]*>.*?</video>", html, re.S)
    assert video
    tag = video[0]
    assert 'controls preload="none"' in tag
    assert re.search(r'poster="/static/photos/bridge-top\.[0-9a-f]{10}-800\.jpg"', tag)
    assert tag.index('type="video/webm"') < tag.index('type="video/mp4"')
    assert re.search(
        r'<track kind="captions" src="/static/video/bridge\.en\.[0-9a-f]{10}\.vtt" '
        r'srclang="en" label="Captions" default>',
        tag,
    )
    assert "<iframe" not in html
    # on paper, the poster frame stands in for the player
    assert re.search(
        r'<img class="video__print" src="/static/photos/bridge-top\.[^"]+-800\.jpg"', html
    )
    print_css = next((media_site / "site/static/css").glob("print.*.css")).read_text()
    assert re.search(r"\.video video \{\s*display: none !important;", print_css)
    assert re.search(r"\.video__print \{\s*display: block !important;", print_css)


def test_every_page_shares_a_picture(media_site: Path) -> None:
    exercise = (media_site / "site/exercises/bridge/index.html").read_text()
    assert re.search(
        r'<meta property="og:image" content="https://clinic\.test/static/photos/'
        r'bridge-top\.[0-9a-f]{10}-1200\.jpg">\s*'
        r'<meta property="og:image:type" content="image/jpeg">\s*'
        r'<meta property="og:image:width" content="1200">\s*'
        r'<meta property="og:image:height" content="1600">\s*'
        r'<meta property="og:image:alt" content="A person lying on their back',
        exercise,
    )
    home = (media_site / "site/index.html").read_text()  # no picture of its own: the theme's
    assert re.search(
        r'og:image" content="https://clinic\.test/static/img/share\.[0-9a-f]{10}-1200\.png"', home
    )
    assert 'og:image:width" content="1200"' in home and 'og:image:height" content="630"' in home


def test_a_rebuild_takes_pictures_from_the_cache(media_site: Path, tmp_path: Path) -> None:
    site = tmp_path / "again"
    shutil.copytree(media_site, site, ignore=shutil.ignore_patterns("site"))
    cache = site / ".healthsite-cache/media"
    before = {p: p.stat().st_mtime_ns for p in cache.rglob("*") if p.is_file()}
    assert any(p.suffix == ".avif" for p in before)
    build_site(site)
    after = {p: p.stat().st_mtime_ns for p in cache.rglob("*") if p.is_file()}
    assert after == before  # nothing encoded again
    assert published_photos(site).keys() == published_photos(media_site).keys()


def test_a_cache_entry_is_keyed_by_the_settings_too(media_site: Path, tmp_path: Path) -> None:
    site = tmp_path / "narrow"
    shutil.copytree(media_site, site, ignore=shutil.ignore_patterns("site"))
    config = site / "site.yaml"
    config.write_text(config.read_text() + "media:\n  widths: [320, 640]\n")
    build_site(site)
    assert sorted(published_photos(site)) == sorted(
        [(320, "jpg"), (320, MODERN), (640, "jpg"), (640, MODERN)]
    )


# -- what editors hear --------------------------------------------------------------------------


@pytest.fixture
def small_site(tmp_path: Path) -> Path:
    root = tmp_path / "site-src"
    shutil.copytree(VALID_SITE, root)
    return root


def headlines(site: Path) -> list[str]:
    with pytest.raises(BuildFailed) as failure:
        build_site(site, strict_mode=True)
    return [d.headline() for d in failure.value.diagnostics]


def set_images(site: Path, yaml: str) -> None:
    path = site / "content/exercises/bridge.md"
    text = path.read_text()
    start, end = text.index("images:\n"), text.index("sources:\n")
    path.write_text(text[:start] + yaml + text[end:])


def test_pictures_too_small_too_large_or_badly_described(small_site: Path) -> None:
    phone_photo(small_site / "static/photos/tiny.jpg", 300, 200, orientation=1)
    phone_photo(small_site / "static/photos/big.jpg", 1200, 900, orientation=1)
    (small_site / "site.yaml").write_text(
        (small_site / "site.yaml").read_text() + "media:\n  max_image_mb: 0.1\n"
    )
    set_images(
        small_site,
        "images:\n"
        "  - src: photos/tiny.jpg\n    alt: Photo\n"
        "  - src: photos/big.jpg\n    alt: IMG_2041.JPG\n"
        "  - src: img/pose.svg\n    alt: Knees bent, hips up.\n    caption: knees bent, hips up\n",
    )
    found = headlines(small_site)
    path = "content/exercises/bridge.md"
    assert (
        f"{path}:28: error[image-small]: picture 'photos/tiny.jpg' is 300 pixels wide: too small for where it is shown (stretched to 720 pixels, it looks blurry or tiny)"
        in found
    )
    assert (
        f"{path}:29: error[image-alt]: images[1].alt: the alt text does not describe the picture: 'Photo' names the kind of file, not what it shows"
        in found
    )
    assert (
        f"{path}:31: error[image-alt]: images[2].alt: the alt text does not describe the picture: 'IMG_2041.JPG' is a file name"
        in found
    )
    assert any(
        h.startswith(f"{path}:30: error[file-too-large]: picture 'photos/big.jpg' is 0.")
        for h in found
    )
    assert (
        f"{path}:33: error[caption-repeats-alt]: images[3].alt: the caption repeats the alt text"
        in found
    )


def test_broken_pictures_are_clean_errors(small_site: Path) -> None:
    phone_photo(small_site / "static/photos/whole.jpg", 1200, 900, orientation=1)
    data = (small_site / "static/photos/whole.jpg").read_bytes()
    (small_site / "static/photos/cut.jpg").write_bytes(data[: len(data) // 3])
    (small_site / "static/photos/bomb.png").write_bytes(_png_claiming(30000, 30000))
    (small_site / "static/photos/phone.heic").write_bytes(
        b"\x00\x00\x00\x18ftypheic" + b"\x00" * 64
    )
    set_images(
        small_site,
        "images:\n"
        "  - src: photos/cut.jpg\n    alt: A person on a mat.\n"
        "  - src: photos/bomb.png\n    alt: A person on a mat.\n"
        "  - src: photos/phone.heic\n    alt: A person on a mat.\n",
    )
    found = headlines(small_site)
    path = "content/exercises/bridge.md"
    assert any(
        h.startswith(
            f"{path}:28: error[image-unreadable]: picture 'photos/cut.jpg': its pixels could not be decoded"
        )
        for h in found
    ), found
    assert (
        f"{path}:30: error[image-unreadable]: picture 'photos/bomb.png': it has more than {Image.MAX_IMAGE_PIXELS:,} pixels: too large to open safely"
        in found
    )
    assert any(
        h.startswith(f"{path}:32: error[image-unreadable]: picture 'photos/phone.heic'")
        for h in found
    )
    assert not (small_site / "site").exists()  # nothing published


def _png_claiming(width: int, height: int) -> bytes:
    """A 1-pixel PNG whose header claims `width` x `height`: a decompression bomb's header."""
    import io

    out = io.BytesIO()
    Image.new("L", (1, 1)).save(out, "PNG")
    data = bytearray(out.getvalue())
    header = b"IHDR" + width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes(data[24:29])
    data[12:29] = header
    data[29:33] = zlib.crc32(header).to_bytes(4, "big")
    return bytes(data)


VIDEO = """videos:
  - src: video/demo.mp4
    poster: img/pose.svg
    title: The bridge, from start to finish
{extra}"""


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            "    speech: true\n",
            ":35: error[video-captions]: videos[1]: captions are required: someone speaks in this video (speech: true)",
        ),
        (
            "    speech: false\n",
            ":35: error[video-alternative]: videos[1]: a video whose steps are only shown, not said, needs them in words",
        ),
        (
            "    speech: true\n    captions: video/demo.srt\n",
            ":36: error[captions-invalid]: videos[1].captions: 'video/demo.srt': it does not start with WEBVTT (is it an .srt file? convert it to WebVTT)",
        ),
        (
            "    speech: true\n    captions: video/demo.vtt\n    webm: video/demo.mov\n",
            ":37: error[video-format]: videos[1].webm: 'video/demo.mov': it is a QuickTime movie (.mov), which most browsers cannot play",
        ),
        (
            "    speech: false\n    transcript: Lie down. Lift. Lower.\n    descriptions: video/gone.vtt\n",
            ":37: error[missing-file]: videos[1].descriptions: no file 'video/gone.vtt' in the static folder",
        ),
    ],
)
def test_videos_need_captions_or_words_and_real_files(
    small_site: Path, extra: str, expected: str
) -> None:
    copy_video("tiny.mp4", small_site / "static/video/demo.mp4")
    (small_site / "static/video/demo.vtt").write_text("WEBVTT\n\n00:00.000 --> 00:01.000\nLift.\n")
    (small_site / "static/video/demo.srt").write_text("1\n00:00:00,000 --> 00:00:01,000\nLift.\n")
    (small_site / "static/video/demo.mov").write_bytes(
        b"\x00\x00\x00\x14ftypqt  \x00\x00\x02\x00qt  "
    )
    path = small_site / "content/exercises/bridge.md"
    text = path.read_text()
    path.write_text(text.replace("sources:\n", VIDEO.format(extra=extra) + "sources:\n", 1))
    assert headlines(small_site) == [f"content/exercises/bridge.md{expected}"]


def test_a_drawing_is_published_without_scripts_and_the_editor_is_told(small_site: Path) -> None:
    svg = small_site / "static/img/pose.svg"
    svg.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 20" onload="alert(1)">'
        '<script>alert(2)</script><rect width="40" height="20" fill="#00566b"/></svg>'
    )
    found = headlines(small_site)
    assert found == [
        "static/img/pose.svg: error[svg-unsafe]: removed from the published drawing: <script>, onload="
    ]
    report = build_site(small_site)  # a warning only, without --strict
    assert [d.code for d in report.diagnostics] == ["svg-unsafe"]
    [published] = (small_site / "site/static/img").glob("pose.*.svg")
    text = published.read_text()
    assert "script" not in text and "onload" not in text and "<rect" in text


def test_a_video_in_markdown_and_a_placeholder_alt_are_refused(small_site: Path) -> None:
    copy_video("tiny.mp4", small_site / "static/video/demo.mp4")
    diagram(small_site / "static/img/curves.png")
    (small_site / "content/pages/pictures.md").write_text(
        "---\ntitle: Pictures\nsummary: Pictures.\n---\n![A demo](video/demo.mp4)\n\n![image](img/curves.png)\n"
    )
    assert headlines(small_site) == [
        "content/pages/pictures.md:5: error[video-in-body]: 'video/demo.mp4' is a video: it cannot be shown as a picture",
        "content/pages/pictures.md:7: error[image-alt]: the alt text of 'img/curves.png' does not describe it: 'image' names the kind of file, not what it shows",
    ]


def test_the_same_picture_twice_is_reported_at_each_line(small_site: Path) -> None:
    diagram(small_site / "static/img/curves.png")
    (small_site / "content/pages/pictures.md").write_text(
        "---\ntitle: Pictures\nsummary: Pictures.\n---\n"
        '![The spine from the side](img/curves.png "Its three curves")\n\n'
        "![](img/curves.png)\n\nSee ![image](img/curves.png) and ![photo](img/curves.png).\n\n"
        '![The spine](img/curves.png "The spine")\n'
    )
    path = "content/pages/pictures.md"
    assert headlines(small_site) == [
        f"{path}:7: error[image-alt]: an image in the body has no alt text",
        f"{path}:9: error[image-alt]: the alt text of 'img/curves.png' does not describe it: 'image' names the kind of file, not what it shows",
        f"{path}:9: error[image-alt]: the alt text of 'img/curves.png' does not describe it: 'photo' names the kind of file, not what it shows",
        f"{path}:11: error[caption-repeats-alt]: the caption of 'img/curves.png' repeats its alt text",
    ]


def test_pictures_the_pages_do_not_show_are_published_clean_too(small_site: Path) -> None:
    """A photo only a template uses (a logo, a team picture) is stripped like the others."""
    phone_photo(small_site / "static/img/team.jpg", 1000, 750, orientation=8)
    build_site(small_site)
    team = sorted((small_site / "site/static/img").glob("team.*.jpg"))
    # no page shows it: one size only, its own (750 x 1000 upright), never upscaled to 800
    assert [p.name.rsplit("-", 1)[1] for p in team] == ["750.jpg"]
    for path in team:
        with Image.open(path) as image:
            assert not image.getexif()
            assert image.height > image.width


def test_an_article_shows_its_video_before_its_text(small_site: Path) -> None:
    copy_video("tiny.mp4", small_site / "static/video/walk.mp4")
    path = small_site / "content/articles/back-care.md"
    path.write_text(
        path.read_text().replace(
            "tags: [back]\n",
            "tags: [back]\nvideos:\n  - src: video/walk.mp4\n    poster: img/pose.svg\n"
            "    title: Walking with a straight back\n    speech: false\n"
            "    transcript: A person walks across a room, head up, shoulders relaxed.\n",
        )
    )
    build_site(small_site, strict_mode=True)
    html = (small_site / "site/articles/back-care/index.html").read_text()
    assert html.index('<figure class="video">') < html.index('<div class="prose">')
    assert re.search(r'<video controls preload="none" playsinline poster="/static/img/pose\.', html)
    assert "<track" not in html  # no speech: no captions needed, the transcript says it
    assert re.search(
        r"<summary>What the video shows, in words</summary>\s*<p>A person walks across a room",
        html,
    )
