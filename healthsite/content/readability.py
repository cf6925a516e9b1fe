"""How easy a page is to read, measured on the words a patient reads, with textstat.

Patient materials should read at about US school grade 6 to 8 (NIH, CDC, AMA; see the shared
HEALTH-CONTENT notes, C7 and T8). The text measured is the page's prose: the summary, an
exercise's steps and safety lines, and the body without headings, code, tables, link addresses,
exercise cards, notes in comments or a "Sources" section. Each list item counts as a sentence
of its own. English uses the Flesch-Kincaid grade; Spanish the Fernández-Huerta reading ease,
turned into a school grade by the scale its authors give; other languages are "not assessed".

The measure is made when a file is parsed (and cached with it); the build compares it with the
site's `readability.max_grade` and, for a page above it, points at its longest sentences and
longest words by line.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from healthsite.content.models import EXERCISE_PROSE_FIELDS
from healthsite.content.placeholders import MARK

#: (language root, formula name, textstat language code)
FORMULAS = {"en": ("Flesch-Kincaid grade", "en_US"), "es": ("Fernández-Huerta", "es")}
#: Fernández-Huerta reading ease → US school grade, along the Flesch scale it adapts (90-100
#: grade 5, 80-90 grade 6, 70-80 grade 7, 60-70 grades 8-9, 50-60 grades 10-12, 30-50 college),
#: joined by straight lines between these points.
EASE_TO_GRADE = ((100, 4.0), (90, 5.0), (80, 6.0), (70, 7.0), (60, 8.5), (50, 11.0), (30, 14.0))
#: A word of at least this many syllables is "long" (Spanish words run longer).
LONG_WORD_SYLLABLES = {"en": 4, "es": 5}
#: Headings of sections that list sources, not advice: left out of the measure.
SOURCES_HEADING = re.compile(
    r"^(sources?|references?|further reading|fuentes|referencias|bibliograf[ií]a)\b", re.I
)
MIN_WORDS = 20
"""Fewer words than this are too few for a formula: "not assessed"."""
KEPT_LONG = 5
"""How many of the longest sentences and long words a measure keeps, to point them out."""

_FENCE = re.compile(r"^\s*(```|~~~)")
_TABLE = re.compile(r"^\s*\|")
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(?P<title>.*)$|^\s*(=+|-+)\s*$")
_EMBED = re.compile(r"^\s*\[\[.*\]\]\s*$")
_CALLOUT = re.compile(r"^\s*!!!\s+\w+(\s+\"[^\"]*\")?\s*$")
_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_REF_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+")
#: Each pattern stops at the next opening character, so a line of thousands of `[` or `<` is
#: read once, not once per character.
_INLINE = (
    (re.compile(r"<!--.*?-->"), " "),
    (re.compile(r"!\[[^\[\]]*\]\([^()]*\)"), " "),  # pictures
    (re.compile(r"\[([^\[\]]*)\]\([^()]*\)"), r"\1"),  # links: their words only
    (re.compile(r"\[([^\[\]]*)\]\[[^\[\]]*\]"), r"\1"),
    (re.compile(r"<https?://[^<>]*>|https?://\S+"), " "),  # bare addresses
    (re.compile(r"`[^`]*`"), " "),
    (re.compile(r"<[^<>]+>"), " "),
    (re.compile(r"\{[:#.][^{}]*\}"), " "),  # attribute lists
    (re.compile(r"[*_]{1,3}([^*_]+)[*_]{1,3}"), r"\1"),
)
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"')\]]*\s+")
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")


@dataclass(frozen=True, slots=True)
class Sentence:
    """A long sentence, where it starts and how it begins."""

    line: int
    words: int
    start: str


@dataclass(frozen=True, slots=True)
class LongWord:
    line: int
    word: str
    syllables: int


@dataclass(frozen=True, slots=True)
class Readability:
    """A page's reading level, and what makes it hard."""

    grade: float
    """US school grade (Flesch-Kincaid, or the Spanish ease turned into a grade)."""
    formula: str
    score: float
    """The formula's own number (the grade itself, or Fernández-Huerta's ease, 0-100)."""
    words: int
    sentences: int
    longest: tuple[Sentence, ...]
    """The longest sentences, longest first."""
    long_words: tuple[LongWord, ...]
    """Words of many syllables, the longest first, each once."""

    @property
    def words_per_sentence(self) -> float:
        return self.words / max(self.sentences, 1)


def measure(pieces: Iterable[tuple[int, str]], lang: str) -> Readability | None:
    """The reading level of the text pieces (line, text); None when no formula fits the
    language or the text is too short to judge."""
    root = lang.split("-")[0].split("_")[0].lower()
    if root not in FORMULAS:
        return None
    sentences = [s for line, text in pieces for s in _sentences(line, text)]
    words = [(line, w) for line, text in sentences for w in _WORD.findall(text)]
    if len(words) < MIN_WORDS:
        return None
    from textstat.backend import metrics  # loaded only when there is prose to measure

    name, code = FORMULAS[root]
    # textstat does not count a sentence of one or two words ("Relax.") as a sentence but keeps
    # its words, which would make a page of short steps look harder: leave such units out
    counted_text = [text for _, text in sentences if len(_WORD.findall(text)) > 2]
    if sum(len(_WORD.findall(t)) for t in counted_text) < MIN_WORDS:
        return None
    text = " ".join(_ended(t) for t in counted_text)
    if root == "es":
        score = float(metrics.fernandez_huerta(text, code))
        grade = _grade_from_ease(score)
    else:
        score = grade = float(metrics.flesch_kincaid_grade(text, code))
    counted = [(line, text, len(_WORD.findall(text))) for line, text in sentences]
    longest = sorted(counted, key=lambda item: (-item[2], item[0]))[:KEPT_LONG]
    return Readability(
        round(grade, 1),
        name,
        round(score, 1),
        len(words),
        len(sentences),
        tuple(Sentence(line, count, _start(text)) for line, text, count in longest),
        _long_words(words, code, LONG_WORD_SYLLABLES[root]),
    )


def prose(markdown: str, first_line: int) -> Iterator[tuple[int, str]]:
    """The paragraphs and list items of a Markdown body, as (line, plain text), without
    headings, code, tables, exercise cards, comments or a sources section."""
    block: list[str] = []
    start = first_line
    in_fence = in_comment = skipping = False
    for index, raw in enumerate(markdown.split("\n")):
        number = first_line + index
        line, in_comment = _uncommented(raw, in_comment)
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        heading = _HEADING.match(line)
        ends_block = in_fence or heading is not None or _breaks_prose(line)
        if ends_block and block:
            yield start, _plain(" ".join(block))
            block = []
        if heading is not None and heading["title"] is not None:
            skipping = bool(SOURCES_HEADING.match(heading["title"].strip()))
        if skipping or in_fence or (ends_block and not _ITEM.match(line)):
            continue
        if not block:
            start = number
        block.append(_ITEM.sub("", line) if _ITEM.match(line) else line)
    if block:
        yield start, _plain(" ".join(block))


def _breaks_prose(line: str) -> bool:
    """A line that ends a paragraph: blank, a table row, a card, a callout's title, a link
    definition, or the start of a list item."""
    return not line.strip() or any(
        pattern.match(line) for pattern in (_TABLE, _EMBED, _CALLOUT, _REF_DEF, _ITEM)
    )


def _uncommented(line: str, in_comment: bool) -> tuple[str, bool]:
    if in_comment:
        if "-->" not in line:
            return "", True
        line, in_comment = line.split("-->", 1)[1], False
    line = re.sub(r"<!--.*?-->", " ", line)
    if "<!--" in line:
        return line.split("<!--", 1)[0], True
    return line, in_comment


def _plain(text: str) -> str:
    for pattern, replacement in _INLINE:
        text = pattern.sub(replacement, text)
    return " ".join(text.split())


def _sentences(line: int, text: str) -> Iterator[tuple[int, str]]:
    for part in _SENTENCE_END.split(text.strip()):
        if _WORD.search(part):
            yield line, part.strip()


def _ended(sentence: str) -> str:
    """A list item or title without a full stop still ends a sentence."""
    return (
        sentence
        if sentence.rstrip("\"')]").endswith((".", "!", "?", "…", ":"))
        else (sentence + ".")
    )


def _start(text: str) -> str:
    words = text.split()
    return " ".join(words[:8]) + (" …" if len(words) > 8 else "")


def _long_words(words: list[tuple[int, str]], code: str, least: int) -> tuple[LongWord, ...]:
    found: dict[str, LongWord] = {}
    for line, word in words:
        key = word.lower()
        if key in found or len(key) < 8:  # short words are never many syllables
            continue
        count = _syllables(key, code)
        if count >= least:
            found[key] = LongWord(line, word, count)
    ranked = sorted(found.values(), key=lambda w: (-w.syllables, w.line, w.word))
    return tuple(ranked[:KEPT_LONG])


@functools.lru_cache(maxsize=65536)
def _syllables(word: str, code: str) -> int:
    from textstat.backend import counts

    return int(counts.count_syllables(word, code))


def _grade_from_ease(ease: float) -> float:
    points = EASE_TO_GRADE
    if ease >= points[0][0]:
        return points[0][1]
    for (high, easy), (low, hard) in itertools.pairwise(points):
        if ease >= low:
            return hard + (easy - hard) * (ease - low) / (high - low)
    low, hard = points[-1]
    return hard + (low - ease) / 10  # below 30: a grade more for each 10 points


#: Front-matter fields a patient reads as prose (titles are headings: left out).
PROSE_FIELDS = EXERCISE_PROSE_FIELDS


def patient_text(
    meta: object, lines: dict[tuple[str | int, ...], int], markdown: str, first_line: int
) -> list[tuple[int, str]]:
    """What a patient reads on the page: the prose fields of its front matter, then its body."""
    pieces: list[tuple[int, str]] = []
    for name in PROSE_FIELDS:
        value = getattr(meta, name, None)
        items = value if isinstance(value, tuple) else (value,)
        for index, item in enumerate(items):
            if isinstance(item, str) and item.strip():
                path = (name, index) if isinstance(value, tuple) else (name,)
                pieces.append((lines.get(path, lines.get((name,), first_line)), item))
    # text a scaffold left to be written is not the page's words
    return [
        (line, text)
        for line, text in pieces + list(prose(markdown, first_line))
        if not MARK.search(text)
    ]
