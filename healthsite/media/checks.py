"""What an editor hears about pictures and videos, at the line that shows them.

Each check takes what is known about a file (its facts, its size, why it could not be read) and
one place it is used, and says in plain words what to do. Nothing here reads pixels.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from healthsite.config import MediaSettings
from healthsite.content.alt_text import caption_repeats_alt, placeholder_alt
from healthsite.content.schema import field_name
from healthsite.diagnostics import Diagnostic, did_you_mean, error, warning
from healthsite.inputs import TEXT_LIMIT
from healthsite.media.plan import PHONE_ONLY_SUFFIXES, SLOTS, PictureUse, VideoUse
from healthsite.media.raster import RasterFacts
from healthsite.media.video import HEAD_BYTES, Reader, check_video, check_vtt

MB = 1024 * 1024
TRACK_TOO_LARGE = f"it is over {TEXT_LIMIT // MB} MB: captions are text, a few kB a minute"


def megabytes(size: int) -> str:
    return f"{size / MB:.1f} MB"


def words_checks(use: PictureUse) -> list[Diagnostic]:
    """Front-matter alt text that does not describe, a caption that repeats it (Markdown
    images are checked when the body is read)."""
    if not use.alt_field:
        return []
    found = []
    where = field_name(use.alt_field)
    line = use.alt_line or use.line
    why = placeholder_alt(use.alt, use.src)
    if why:
        found.append(
            error(
                "image-alt",
                f"{where}: the alt text does not describe the picture: {why}",
                use.path,
                line,
                hint="say what the picture shows, as you would to a patient on the phone",
            )
        )
    if caption_repeats_alt(use.alt, use.caption):
        found.append(
            warning(
                "caption-repeats-alt",
                f"{where}: the caption repeats the alt text",
                use.path,
                line,
                hint="screen readers read both: let the alt say what the picture shows and the "
                "caption add something (or leave the caption out)",
            )
        )
    return found


def unreadable(use: PictureUse, why: str) -> Diagnostic:
    """A picture Pillow could not read: damaged, not a picture, a decompression bomb."""
    hint = "open it on your computer and save it again as JPEG or PNG"
    if PurePosixPath(use.src).suffix.lower() in PHONE_ONLY_SUFFIXES:
        hint = (
            "HEIC is an iPhone format browsers cannot show: export the photo as JPEG (or set "
            "the iPhone's Settings > Camera > Formats to Most Compatible)"
        )
    return error("image-unreadable", f"picture '{use.src}': {why}", use.path, use.line, hint=hint)


def picture_checks(
    use: PictureUse, facts: RasterFacts, size: int, settings: MediaSettings
) -> list[Diagnostic]:
    """A photo too large a file, too small for where it is shown, or animated."""
    found = []
    slot = SLOTS[use.slot]
    if size > settings.max_image_mb * MB:
        found.append(
            error(
                "file-too-large",
                f"picture '{use.src}' is {megabytes(size)}, over the limit of "
                f"{settings.max_image_mb:g} MB",
                use.path,
                use.line,
                hint="save a smaller copy (a phone photo is 3 to 6 MB), or raise "
                "media.max_image_mb in site.yaml",
            )
        )
    if facts.animated:
        found.append(
            error(
                "image-animated",
                f"picture '{use.src}' is animated: visitors cannot pause it",
                use.path,
                use.line,
                hint="moving pictures that cannot be stopped distract and can make people "
                "unwell (WCAG 2.2.2): show it as a video, or use a still picture",
            )
        )
    if facts.width < slot.css_width:
        shown = "stretched to" if slot.stretched else "shown smaller than the space of"
        make = error if slot.stretched else warning
        found.append(
            make(
                "image-small",
                f"picture '{use.src}' is {facts.width} pixels wide: too small for where it is "
                f"shown ({shown} {slot.css_width} pixels, it looks blurry or tiny)",
                use.path,
                use.line,
                hint=f"use a picture at least {slot.css_width * 2} pixels wide (a phone photo "
                "is fine: the site makes the smaller sizes itself)",
            )
        )
    return found


def video_checks(
    use: VideoUse, read: Reader, sources: list[str], settings: MediaSettings
) -> list[Diagnostic]:
    """A video's files exist and are what they say; captions or a text alternative are given.
    `read` gives a static file's size and first bytes, as the build read them."""
    video, found = use.video, []
    where = f"videos[{use.index + 1}]"
    files = [("src", video.src, "mp4"), ("webm", video.webm, "webm")]
    for name, src, kind in files:
        if not src:
            continue
        file = read(src, HEAD_BYTES)
        line = use.lines[name]
        if file is None:
            found.append(_missing(f"{where}.{name}", src, use.path, line, sources))
            continue
        why = file.problem or check_video(file.data, kind)
        if why:
            found.append(
                error(
                    "video-format",
                    f"{where}.{name}: '{src}': {why}",
                    use.path,
                    line,
                    hint="export it as MP4 (H.264 video, AAC sound): every phone and computer "
                    "can do this, e.g. with the Photos app's Export or HandBrake",
                )
            )
        size = file.size
        if size > settings.max_video_mb * MB:
            found.append(
                error(
                    "file-too-large",
                    f"{where}.{name}: '{src}' is {megabytes(size)}, over the limit of "
                    f"{settings.max_video_mb:g} MB",
                    use.path,
                    line,
                    hint="patients watch on phones, often on mobile data: export a shorter "
                    "clip or a smaller size (720p is plenty), or raise media.max_video_mb",
                )
            )
    found += _track_checks(use, read, sources)
    return found


def _track_checks(use: VideoUse, read: Reader, sources: list[str]) -> list[Diagnostic]:
    video, found = use.video, []
    where = f"videos[{use.index + 1}]"
    if video.speech and not video.captions.strip():
        found.append(
            error(
                "video-captions",
                f"{where}: captions are required: someone speaks in this video (speech: true)",
                use.path,
                use.lines["speech"],
                hint="add 'captions: video/name.vtt', a WebVTT file of everything said, so "
                "people who cannot hear it can follow",
            )
        )
    if not video.speech and not (video.transcript.strip() or video.descriptions.strip()):
        found.append(
            error(
                "video-alternative",
                f"{where}: a video whose steps are only shown, not said, needs them in words",
                use.path,
                use.lines["speech"],
                hint="add a 'transcript:' that says what the video shows (or 'descriptions:', "
                "a WebVTT file of audio descriptions), for people who cannot see it",
            )
        )
    for name in ("captions", "descriptions"):
        src = getattr(video, name)
        if not src:
            continue
        track = read(src, TEXT_LIMIT)
        if track is None:
            found.append(_missing(f"{where}.{name}", src, use.path, use.lines[name], sources))
            continue
        too_large = track.size > TEXT_LIMIT
        why = track.problem or (TRACK_TOO_LARGE if too_large else check_vtt(track.data))
        if why:
            found.append(
                error(
                    "captions-invalid",
                    f"{where}.{name}: '{src}': {why}",
                    use.path,
                    use.lines[name],
                    hint="captions are a WebVTT file: the line WEBVTT, a blank line, then "
                    "cues like '00:00.000 --> 00:04.000' followed by the words",
                )
            )
    return found


def _missing(what: str, src: str, path: str, line: int, sources: list[str]) -> Diagnostic:
    return error(
        "missing-file",
        f"{what}: no file '{src}' in the static folder",
        path,
        line,
        hint=did_you_mean(src, sources) or "put the file in the static folder and give its path",
    )
