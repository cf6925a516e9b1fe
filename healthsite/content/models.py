"""The health content model: what an editor may write in front matter, and what it means.

These schemas are the single definition of every field; the docs (`docs/content-guide.md`), the
scaffolds (`new article|exercise`) and validation all follow them. Models are frozen: no stage
fills in fields of an earlier stage's values.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Category = Literal["strengthening", "stretching", "mobility", "balance", "aerobic"]
BodyArea = Literal[
    "neck",
    "upper-back",
    "lower-back",
    "core",
    "glutes",
    "hips",
    "hamstrings",
    "thighs",
    "shoulders",
    "knees",
]
Position = Literal[
    "lying-on-back",
    "lying-on-front",
    "lying-on-side",
    "hands-and-knees",
    "sitting",
    "standing",
]
Equipment = Literal["none", "mat", "chair", "pillow", "towel", "resistance-band", "wall"]
Level = Literal["beginner", "intermediate", "advanced"]
Sides = Literal["both-together", "each-side", "alternating"]


def N_(text: str) -> str:
    """Mark a string for translation where it is defined; templates translate it when shown."""
    return text


#: Human labels for enum values, used by templates and scaffold comments.
LABELS: dict[str, str] = {
    "strengthening": N_("Strengthening"),
    "stretching": N_("Stretching"),
    "mobility": N_("Mobility"),
    "balance": N_("Balance"),
    "aerobic": N_("Aerobic"),
    "neck": N_("Neck"),
    "upper-back": N_("Upper back"),
    "lower-back": N_("Lower back"),
    "core": N_("Core"),
    "glutes": N_("Buttocks (glutes)"),
    "hips": N_("Hips"),
    "hamstrings": N_("Back of thighs (hamstrings)"),
    "thighs": N_("Thighs"),
    "shoulders": N_("Shoulders"),
    "knees": N_("Knees"),
    "lying-on-back": N_("Lying on your back"),
    "lying-on-front": N_("Lying on your front"),
    "lying-on-side": N_("Lying on your side"),
    "hands-and-knees": N_("On hands and knees"),
    "sitting": N_("Sitting"),
    "standing": N_("Standing"),
    "none": N_("No equipment"),
    "mat": N_("Mat"),
    "chair": N_("Chair"),
    "pillow": N_("Pillow"),
    "towel": N_("Towel"),
    "resistance-band": N_("Resistance band"),
    "wall": N_("Wall"),
    "beginner": N_("Beginner"),
    "intermediate": N_("Intermediate"),
    "advanced": N_("Advanced"),
    "both-together": N_("Both sides together"),
    "each-side": N_("Each side in turn"),
    "alternating": N_("Alternating sides"),
}

#: schema.org PhysicalActivityCategory for each exercise category.
SCHEMA_CATEGORY: dict[str, str] = {
    "strengthening": "StrengthTraining",
    "stretching": "Flexibility",
    "mobility": "Flexibility",
    "balance": "Balance",
    "aerobic": "AerobicActivity",
}

CATEGORY_ORDER: tuple[str, ...] = ("strengthening", "stretching", "mobility", "balance", "aerobic")

Text = Field(min_length=1)


class _Strict(BaseModel):
    """Strict and frozen: '10' is not a number, and nothing changes a value after validation."""

    model_config = ConfigDict(strict=True, frozen=True, extra="forbid")


class Source(_Strict):
    """Evidence behind a page (NHS standard: keep a record of evidence sources)."""

    title: str = Text
    publisher: str = ""
    url: str = Field(default="", pattern=r"^(https?://\S+)?$")
    accessed: dt.date | None = None


class Image(_Strict):
    """An illustration; alt text is required because many patients use screen readers."""

    src: str = Text
    alt: str = Text
    caption: str = ""


class Video(_Strict):
    """A self-hosted video (never a player from another website): like a picture's alt text,
    captions are required when someone speaks, and a text alternative when it shows steps
    without saying them (WCAG 1.2.1 and 1.2.2)."""

    src: str = Text
    """The video file in the static folder: MP4 (H.264), played everywhere."""
    webm: str = ""
    """The same video as WebM, offered first to browsers that play it (often smaller)."""
    poster: str = Text
    """A still picture from the video: shown before it plays, printed, and shared."""
    title: str = Text
    """What the video shows, in a few words: shown under it and read by screen readers."""
    speech: bool
    """Does anyone speak in it? Then `captions` are required."""
    captions: str = ""
    """WebVTT captions (.vtt) of everything said, in the page's language."""
    descriptions: str = ""
    """WebVTT audio descriptions (.vtt): what is shown and not said."""
    transcript: str = ""
    """Everything the video shows and says, as text: the alternative for those who cannot
    watch or hear it."""


class Dose(_Strict):
    """A usual starting dose: the numbers a patient counts while exercising."""

    sets: int = Field(ge=1, le=10)
    reps: int = Field(ge=1, le=50)
    hold_seconds: int | None = Field(default=None, ge=1, le=300)
    rest_seconds: int | None = Field(default=None, ge=0, le=600)
    times_per_day: int = Field(ge=1, le=10)


class Reviewed(_Strict):
    """Fields every health page carries: who wrote and checked it, and when to check it again."""

    author: str = Text
    reviewer: str = Text
    last_reviewed: dt.date
    next_review_due: dt.date
    sources: tuple[Source, ...] = ()
    draft: bool = False

    @model_validator(mode="after")
    def _review_order(self) -> Reviewed:
        if self.next_review_due <= self.last_reviewed:
            raise ValueError("next_review_due must be after last_reviewed")
        return self


class ArticleMeta(Reviewed):
    """Front matter of `content/articles/*.md`."""

    title: str = Text
    summary: str = Text
    published: dt.date | None = None
    tags: tuple[str, ...] = ()
    exercises: tuple[str, ...] = ()
    videos: tuple[Video, ...] = ()
    slug: str | None = Field(default=None, pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


#: An exercise's fields a patient reads as prose, in page order: what readability measures and
#: (after the name) what a translation translates.
EXERCISE_PROSE_FIELDS = (
    "summary",
    "one_repetition_is",
    "steps",
    "key_points",
    "dose_note",
    "flare_up_advice",
    "stop_if",
    "not_suitable_if",
)


class ExerciseMeta(Reviewed):
    """Front matter of `content/exercises/*.md`: a structured, printable exercise entry."""

    name: str = Text
    alternate_names: tuple[str, ...] = ()
    summary: str = Text
    category: Category
    body_areas: tuple[BodyArea, ...] = Field(min_length=1)
    position: Position
    equipment: tuple[Equipment, ...] = Field(min_length=1)
    level: Level
    sides: Sides
    one_repetition_is: str = ""
    steps: tuple[str, ...] = Field(min_length=2, max_length=10)
    key_points: tuple[str, ...] = ()
    dose: Dose
    dose_note: str = "This is a usual starting dose. Your physical therapist may change it."
    flare_up_friendly: bool = False
    flare_up_advice: str = Text
    stop_if: tuple[str, ...] = Field(min_length=1)
    not_suitable_if: tuple[str, ...] = ()
    images: tuple[Image, ...] = ()
    videos: tuple[Video, ...] = ()
    slug: str | None = Field(default=None, pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

    @model_validator(mode="after")
    def _repetition_defined(self) -> ExerciseMeta:
        if self.sides != "both-together" and not self.one_repetition_is.strip():
            raise ValueError(
                "one_repetition_is is required when sides is 'each-side' or 'alternating'"
            )
        return self


class PageMeta(_Strict):
    """Front matter of `content/pages/*.md`: plain pages such as privacy or accessibility."""

    title: str = Text
    summary: str = Text
    slug: str | None = Field(default=None, pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
    draft: bool = False


# -- translations -------------------------------------------------------------------------------


class Provenance(_Strict):
    """How a translation was made and checked: patients' safety depends on it."""

    method: Literal["human", "machine"]
    translator: str = Text
    """Who (or which translation hook) translated it."""
    reviewed_by: str = ""
    """Key of the person in clinic.yaml who checked it; empty for an unreviewed draft."""
    source_digest: str = ""
    """Digest of the source text it was translated from (the build prints the current one)."""
    safety_digest: str = ""
    """Digest of the source's safety text (steps, dose, stop-if, not-suitable-if)."""

    @property
    def reviewed(self) -> bool:
        return bool(self.reviewed_by)


class ImageText(_Strict):
    """An illustration's words in another language; the picture itself is the source's."""

    alt: str = Text
    caption: str = ""


class ArticleTranslation(_Strict):
    """`content/articles/<slug>.<lang>.md`: only the words; everything else is the source's."""

    translation: Provenance
    draft: bool = False
    title: str = Text
    summary: str = Text
    tags: tuple[str, ...] = ()


class ExerciseTranslation(_Strict):
    """`content/exercises/<slug>.<lang>.md`: the text fields only. Dose numbers, category,
    position and pictures come from the source entry, so the two can never disagree."""

    translation: Provenance
    draft: bool = False
    name: str = Text
    alternate_names: tuple[str, ...] = ()
    summary: str = Text
    one_repetition_is: str = ""
    steps: tuple[str, ...] = Field(min_length=2, max_length=10)
    key_points: tuple[str, ...] = ()
    dose_note: str = ""
    flare_up_advice: str = Text
    stop_if: tuple[str, ...] = Field(min_length=1)
    not_suitable_if: tuple[str, ...] = ()
    images: tuple[ImageText, ...] = ()


class PageTranslation(_Strict):
    """`content/pages/<slug>.<lang>.md`."""

    translation: Provenance
    draft: bool = False
    title: str = Text
    summary: str = Text
