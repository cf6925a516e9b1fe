"""Markdown bodies to safe HTML: Python-Markdown for the syntax, nh3 for the safety.

Exercise embeds (`[[exercise bridge]]` on a line of its own) are found here with their line
numbers and left as placeholders; the render stage swaps in the exercise card, so an article
and the exercise page it embeds can never disagree.
"""

from __future__ import annotations

import html
import re
import threading
from dataclasses import dataclass

import markdown
import nh3

from healthsite.content.body_images import BodyImage, body_images
from healthsite.content.body_links import BodyLink, link_lines
from healthsite.content.limits import (
    FENCE,
    FORMAT_SECONDS,
    MAX_NESTING,
    TimedOut,
    time_limit,
    too_deep,
)
from healthsite.diagnostics import Diagnostic, error, warning

EMBED_LINE = re.compile(r"^\s*\[\[\s*exercise\b(?P<arg>[^\]]*)\]\]\s*$")
EMBED_ANYWHERE = re.compile(r"\[\[\s*exercise\b[^\]]*\]\]")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
COMMENT = re.compile(r"<!--.*?-->")
PLACEHOLDER = "HSEMBED-{slug}-HSEMBED"
PLACEHOLDER_HTML = re.compile(r"<p>HSEMBED-(?P<slug>[a-z0-9-]+)-HSEMBED</p>")

ADMONITION_TYPES = frozenset({"caution", "tip", "note", "warning", "important"})

_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "code",
    "dd",
    "del",
    "details",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
}
_ATTRIBUTES = {
    "*": {"id", "title", "lang"},
    "a": {"href"},
    "abbr": {"title"},
    "img": {"src", "alt", "width", "height"},
    "div": {"class"},
    "p": {"class"},
    "span": {"class"},
    "code": {"class"},
    "ol": {"start"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}


@dataclass(frozen=True, slots=True)
class Embed:
    """An exercise card requested by a body line."""

    slug: str
    line: int


@dataclass(frozen=True, slots=True)
class Heading:
    """A section heading, for the "On this page" list."""

    level: int
    id: str
    text: str


@dataclass(frozen=True, slots=True)
class RenderedBody:
    """A body turned into sanitized HTML, with what the later stages need to know about it."""

    html: str
    embeds: tuple[Embed, ...]
    headings: tuple[Heading, ...]
    images: tuple[BodyImage, ...] = ()
    """Local images the body shows (paths in the static folder), for the existence check."""
    markdown: str = ""
    """The body as the editor wrote it: what a translator translates."""
    links: tuple[BodyLink, ...] = ()
    """Every link the body makes, with its line: internal ones are checked against the site."""
    first_line: int = 1
    """The line of the file the body starts on."""

    @property
    def text(self) -> str:
        """The body as plain text (made when asked: kept for every page, it cost memory)."""
        return _plain(PLACEHOLDER_HTML.sub(" ", self.html))


def render_markdown(body: str, path: str, first_line: int) -> tuple[RenderedBody, list[Diagnostic]]:
    """Render one body; every problem is reported with its line in the source file.

    Text nested too deeply, or so built that formatting it takes seconds, is refused with an
    error (see `limits`) instead of formatted.
    """
    deep = too_deep(body)
    if deep is not None:
        depth, index = deep
        return _refused(
            body,
            f"the text is nested {depth} levels deep (lists, quotes or callouts inside each "
            f"other); at most {MAX_NESTING} levels can be shown",
            path,
            first_line + index,
            "check the indentation of this line: four spaces make one level",
        )
    try:
        with time_limit(FORMAT_SECONDS):
            return _render(body, path, first_line)
    except TimedOut:
        _converters.md = None  # interrupted anywhere: start the next page with a fresh one
        return _refused(
            body,
            f"the text takes more than {FORMAT_SECONDS:g} seconds to format, so it is not shown",
            path,
            first_line,
            "look for a very long paragraph, or hundreds of '[', '<' or '!' characters; split "
            "it into shorter paragraphs",
        )
    except RecursionError:
        _converters.md = None
        return _refused(
            body,
            "the text is nested too deeply to format (lists, quotes, callouts or HTML inside "
            "each other)",
            path,
            first_line,
            "flatten the nesting, or split long lists into several",
        )


def _refused(
    body: str, message: str, path: str, line: int, hint: str
) -> tuple[RenderedBody, list[Diagnostic]]:
    return RenderedBody("", (), (), (), body), [error("markdown", message, path, line, hint)]


def _render(body: str, path: str, first_line: int) -> tuple[RenderedBody, list[Diagnostic]]:
    source, embeds, diagnostics = _extract_embeds(body, path, first_line)
    md = _converter()
    raw_html = md.reset().convert(source)
    clean = nh3.clean(
        raw_html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel=None,
        strip_comments=True,
    )
    where = _Finder(body, first_line)
    diagnostics += _check_html(clean, raw_html, path, where)
    images, problems = body_images(clean, path, where)
    diagnostics += problems
    headings = tuple(_headings(md.toc_tokens))
    hrefs = [html.unescape(h) for h in re.findall(r'<a\b[^>]*\bhref="([^"]*)"', clean)]
    links = link_lines(body, first_line, hrefs)
    rendered = RenderedBody(clean, tuple(embeds), headings, images, body, links, first_line)
    return rendered, diagnostics


#: One Markdown converter per thread, kept: making one per body cost as much as converting it
#: (see `_converter`), and a converter is not safe to share between threads.
_converters = threading.local()


def _converter() -> markdown.Markdown:
    """This thread's Markdown converter, reset before each use.

    Making one per body cost as much as converting it, and each left a web of references
    behind for the garbage collector (hundreds of megabytes at ten thousand pages).
    """
    md: markdown.Markdown | None = getattr(_converters, "md", None)
    if md is None:
        md = _converters.md = markdown.Markdown(
            extensions=["extra", "admonition", "sane_lists", "toc"],
            extension_configs={"toc": {"permalink": False}},
            output_format="html",
        )
    return md


def _extract_embeds(
    body: str, path: str, first_line: int
) -> tuple[str, list[Embed], list[Diagnostic]]:
    lines = body.split("\n")
    embeds: list[Embed] = []
    diagnostics: list[Diagnostic] = []
    in_fence = in_comment = False
    for index, line in enumerate(lines):
        if FENCE.match(line) and not in_comment:
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        # HTML comments are notes to editors: an embed written inside one is not an embed
        visible = COMMENT.sub("", line)
        if in_comment:
            if "-->" not in visible:
                continue
            visible = visible.split("-->", 1)[1]
            in_comment = False
        if "<!--" in visible:
            visible, in_comment = visible.split("<!--", 1)[0], True
        number = first_line + index
        match = EMBED_LINE.match(visible)
        if match:
            slug = match["arg"].strip().strip("\"'")
            if not SLUG.match(slug):
                suggestion = re.sub(r"[^a-z0-9]+", "-", slug.lower()).strip("-")
                diagnostics.append(
                    error(
                        "embed",
                        f"exercise embed needs an exercise's file name (got '{slug}')",
                        path,
                        number,
                        hint=f"write it as [[exercise {suggestion or 'bridge'}]]: the file "
                        "name in content/exercises/ without '.md', in lowercase",
                    )
                )
                continue
            embeds.append(Embed(slug, number))
            # blank lines around it: the card is a block of its own even if the editor wrote
            # the embed right under a paragraph
            indent = line[: len(line) - len(line.lstrip())]  # inside a callout or list item
            lines[index] = f"\n{indent}{PLACEHOLDER.format(slug=slug)}\n"
        elif EMBED_ANYWHERE.search(visible):
            diagnostics.append(
                error(
                    "embed",
                    "an exercise embed must be on a line of its own",
                    path,
                    number,
                    hint="put a blank line before and after [[exercise ...]]",
                )
            )
    return "\n".join(lines), embeds, diagnostics


class _Finder:
    """Finds the source line of something seen in the output, for precise diagnostics."""

    def __init__(self, body: str, first_line: int) -> None:
        self.lines = body.split("\n")
        self.first_line = first_line

    def line(self, pattern: str, start: int = 0) -> int:
        """Line of the first match of `pattern` at or after body line `start` (or the first)."""
        compiled = re.compile(pattern)
        for index in range(start, len(self.lines)):
            if compiled.search(self.lines[index]):
                return self.first_line + index
        return self.first_line

    def next_line(self, pattern: str, used: dict[int, int]) -> int:
        """Line of the next match of `pattern` not yet in `used` (matches taken, by body
        line), for things written in order, the same one perhaps several times."""
        compiled = re.compile(pattern)
        start = max(used, default=0)
        for index in range(start, len(self.lines)):
            if len(compiled.findall(self.lines[index])) > used.get(index, 0):
                used[index] = used.get(index, 0) + 1
                return self.first_line + index
        return self.line(pattern)


def _check_html(clean: str, raw: str, path: str, where: _Finder) -> list[Diagnostic]:
    diagnostics: list[Diagnostic] = []
    if "<h1" in clean:
        diagnostics.append(
            warning(
                "heading",
                "the body has a level-1 heading; the page title is already the only one",
                path,
                where.line(r"^#(?!#)|<h1|^=+\s*$"),
                hint="use '##' for sections",
            )
        )
    if re.search(r"<img(?![^>]*\balt=\"[^\"]+\")[^>]*>", clean):
        diagnostics.append(
            error(
                "image-alt",
                "an image in the body has no alt text",
                path,
                where.line(r"!\[\s*\]|<img(?![^>]*\balt=\"[^\"]+\")"),
                hint="describe the image: ![Person lying on their back](...)",
            )
        )
    for kind in re.findall(r'<div class="admonition ([a-z-]+)', raw):
        if kind not in ADMONITION_TYPES:
            diagnostics.append(
                warning(
                    "admonition",
                    f"unknown callout type '{kind}'",
                    path,
                    where.line(rf"^\s*!!!\s*{re.escape(kind)}\b"),
                    hint="use one of: " + ", ".join(sorted(ADMONITION_TYPES)),
                )
            )
    return diagnostics


def _headings(tokens: list[dict]) -> list[Heading]:
    found: list[Heading] = []
    for token in tokens:
        found.append(Heading(token["level"], token["id"], _plain(token["name"])))
        found.extend(_headings(token.get("children", [])))
    return found


def _plain(fragment: str) -> str:
    """Visible text of an HTML fragment, for headings lists and meta descriptions."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())
