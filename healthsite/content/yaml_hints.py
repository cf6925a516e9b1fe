"""The YAML parser's complaints, said in plain words with what to type instead.

PyYAML says "mapping values are not allowed in this context"; an editor needs to hear that the
text has a ': ' in it and should be in quotes, with the line as it should read. Each common
mistake is recognised from the parser's problem and the line it points at: an unquoted colon,
a tab, a line indented differently from its neighbours, an unclosed quote or bracket, a missing
space after ':', a stray line of text, a value starting with a character YAML reserves. Anything
else gets the parser's own words and general advice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

KEY_LINE = re.compile(r"^(?P<indent>\s*)(?P<dash>-\s+)?(?P<key>[^\s:#'\"][^:#]*?):(?P<rest>.*)$")
#: Characters YAML reserves at the start of a value.
RESERVED_START = {
    "@": "'@'",
    "`": "'`'",
    "%": "'%'",
    "*": "'*'",
    "&": "'&'",
    "!": "'!'",
    "?": "'?'",
    "|": "'|'",
    ">": "'>'",
}
#: `Step #1`: an unquoted value whose `#` starts a comment, so the rest of the text is lost.
CUT_BY_COMMENT = re.compile(
    r"^(?P<lead>\s*(?:-\s+)?(?:[\w-]+:\s+)?)(?P<value>[^\s\"'\[{|>#-][^#\n]*?\s#\S.*)$"
)


@dataclass(frozen=True, slots=True)
class Explained:
    """What went wrong, what to type, and which line (0-based, within the parsed text)."""

    message: str
    hint: str
    line: int


def explain(exc: yaml.MarkedYAMLError, text: str) -> Explained:
    """The parser's error in an editor's words."""
    lines = text.split("\n")
    problem = exc.problem or exc.context or "invalid YAML"
    mark = exc.problem_mark or exc.context_mark
    at = mark.line if mark else 0
    context_at = exc.context_mark.line if exc.context_mark else at
    rules = (_tab, _unclosed, _left_open, _no_space, _reserved, _colon, _item_value, _indent)
    for rule in (*rules, _after_value):
        found = rule(problem, exc.context or "", lines, at, context_at)
        if found is not None:
            return found
    if mark and exc.context_mark and at >= len(lines) - 1:
        at = context_at  # ran off the end: where the unclosed thing began is clearer
    return Explained(
        f"the YAML cannot be read here ({problem})",
        "check this line and the one above it: a missing quote, a missing ':' after a field "
        "name, or a line indented differently from its neighbours are the usual causes",
        min(at, max(len(lines) - 2, 0)),
    )


def cut_by_comment(text: str) -> list[tuple[int, str]]:
    """Lines (0-based) whose unquoted text a ` #` cuts short, with the line as it should read."""
    found = []
    for index, line in enumerate(text.split("\n")):
        match = CUT_BY_COMMENT.match(line)
        if match and not line.lstrip().startswith("#"):
            found.append((index, f'{match["lead"]}"{_escaped(match["value"].rstrip())}"'))
    return found


def _tab(problem: str, context: str, lines: list[str], at: int, _: int) -> Explained | None:
    line_at = _get(lines, at)
    # libyaml does not name the character that cannot start a token: a tab in the indent is it
    tab_indent = "\t" in line_at[: len(line_at) - len(line_at.lstrip())]
    if (
        "tab" not in problem
        and "'\\t'" not in problem
        and not ("cannot start any token" in problem and tab_indent)
    ):
        return None
    line = next((i for i in range(at, -1, -1) if "\t" in _get(lines, i)), at)
    return Explained(
        "a tab character is used to indent this line; YAML only accepts spaces",
        "delete the tab and indent with spaces instead (two spaces per level, as on the lines "
        "around it)",
        line,
    )


def _left_open(problem: str, context: str, lines: list[str], at: int, _: int) -> Explained | None:
    """`name: "Wall push-up` (no closing quote): the text runs on, over the lines below, to the
    next quote, and the parser stops further down, on a line that is itself right."""
    line = _get(lines, at)
    if "expected" not in problem:
        return None
    for quote in ('"', "'"):
        if quote not in line or line.count(quote) % 2:
            continue
        seen = 0  # quotes from here down to the line above the error: odd, one is left open
        for above in range(at - 1, -1, -1):
            text = _get(lines, above)
            seen += text.count(quote)
            match = KEY_LINE.match(text) or re.match(r"^(?P<rest>\s*-\s+.*)$", text)
            value = match["rest"].strip().lstrip("- ").strip() if match else ""
            if value.startswith(quote) and text.count(quote) % 2 and seen % 2:
                return _no_closing_quote(text, quote, above)
    return None


def _no_closing_quote(line: str, quote: str, index: int) -> Explained:
    return Explained(
        f"the text in quotes that starts on this line has no closing {quote}",
        f"add {quote} at the end of the text: {line.rstrip()}{quote}",
        index,
    )


def _unclosed(
    problem: str, context: str, lines: list[str], at: int, start: int
) -> Explained | None:
    if "quoted scalar" in context and "end of stream" in problem:
        line = _get(lines, start)
        return _no_closing_quote(line, '"' if '"' in line else "'", start)
    if "flow sequence" in context or "flow mapping" in context:
        opener, closer, what = (
            ("[", "]", "list") if "sequence" in context else ("{", "}", "group of fields")
        )
        line = _get(lines, start)
        if not _balanced(line, opener, closer):
            return Explained(
                f"the {what} that starts with '{opener}' on this line is never closed",
                f"add '{closer}' at its end: {line.rstrip()}{closer}",
                start,
            )
        return Explained(
            f"the {what} in '{opener} {closer}' on this line cannot be read",
            f"separate the items with commas, and put an item that has a ',' or ':' in quotes, "
            f'like {opener}"Stop if it hurts: see below", lower-back{closer}',
            start,
        )
    return None


def _no_space(
    problem: str, context: str, lines: list[str], at: int, start: int
) -> Explained | None:
    if "could not find expected ':'" not in problem:
        return None
    line = _get(lines, start)
    match = re.match(r"^(\s*(?:-\s+)?)([\w-]+):(\S.*)$", line)
    if match:
        return Explained(
            f"no space after the ':' of '{match[2]}'",
            f"put a space after the colon: {match[1]}{match[2]}: {match[3]}",
            start,
        )
    previous = _previous_key(lines, start)
    hint = "each line of the front matter is 'field: value'"
    if previous is not None:
        hint += (
            f"; if this text belongs to '{previous}' above, put it on the same line, or indent "
            "it by two spaces"
        )
    return Explained("this line is not a 'field: value' line", hint, start)


def _reserved(problem: str, context: str, lines: list[str], at: int, _: int) -> Explained | None:
    if not (
        "cannot start any token" in problem
        or "alias" in context
        or "anchor" in context
        or "constructor for the tag" in problem
        or "mapping keys are not allowed" in problem
    ):
        return None
    line = _get(lines, at)
    match = KEY_LINE.match(line)
    value = match["rest"].strip() if match else line.strip()
    first = value[:1]
    shown = RESERVED_START.get(first, f"'{first}'")
    fixed = _quoted_line(line) if match else f'"{_escaped(value)}"'
    return Explained(
        f"a value that starts with {shown} must be in quotes",
        f"put the text in quotes: {fixed.strip()}",
        at,
    )


def _colon(problem: str, context: str, lines: list[str], at: int, _: int) -> Explained | None:
    if "mapping values are not allowed" not in problem:
        return None
    line = _get(lines, at)
    match = KEY_LINE.match(line)
    if match is None or ": " not in match["rest"].strip() + " " or _indent_differs(lines, at):
        return None
    return Explained(
        f"the text after '{match['key'].strip()}:' has ': ' in it, which YAML reads as the start "
        "of another field",
        f"put the text in quotes: {_quoted_line(line).strip()}",
        at,
    )


def _item_value(problem: str, context: str, lines: list[str], at: int, _: int) -> Explained | None:
    """`- [TODO: check] Lie down.`: a list item that starts like a list or a quote, then more."""
    line = _get(lines, at)
    match = re.match(r"^(\s*-\s+)(.*)$", line)
    if match is None or match[2][:1] not in ("[", "{", "'", '"') or "expected" not in problem:
        return None
    value = match[2].strip()
    if value[0] in ("'", '"'):
        quote, other = value[0], '"' if value[0] == "'" else "'"
        inner = value[1:-1] if value.endswith(quote) and len(value) > 1 else value
        what = "an apostrophe" if quote == "'" else "a quote"
        return Explained(
            f"{what} inside the text ends the quoted text early",
            f"put the whole text in the other kind of quotes: - {other}{inner}{other}",
            at,
        )
    return Explained(
        f"this item starts with '{value[0]}' and has more text after it, which YAML cannot read",
        f'put the whole item in quotes: - "{_escaped(value)}"',
        at,
    )


def _indent(problem: str, context: str, lines: list[str], at: int, _: int) -> Explained | None:
    if "expected '-' indicator" in problem:
        return Explained(
            "this line is inside a list, but does not start with '- '",
            "start each item of the list with '- ' (a dash and a space); if this line is a new "
            "field, remove the spaces before it",
            at,
        )
    if not (
        "mapping values are not allowed" in problem
        or "did not find expected key" in problem
        or "expected <block end>" in problem
    ):
        return None
    line = _get(lines, at)
    previous = _previous_content(lines, at)
    if previous is None or not line.strip():
        return None
    item = line.lstrip().startswith("- ")  # a list item lines up with the dash above
    mine = _width(line)
    theirs = _width(lines[previous]) if item else _key_column(lines[previous])
    if mine == theirs or (mine < theirs and _lines_up_with_a_group(lines, previous, mine)):
        return None  # its indentation is right: what is wrong is elsewhere on the line
    above = _name(lines[previous])
    message = (
        f"this line is indented by {_spaces(mine)}, but {above or 'the line'} above starts "
        + (f"after {_spaces(theirs)}" if theirs else "at the left edge")
    )
    if mine > theirs:
        hint = f"remove {_spaces(mine - theirs)} at the start of this line"
        return Explained(message, hint + (f", to line it up with {above}" if above else ""), at)
    group = _enclosing(lines, previous)
    if group is not None and _width(lines[group]) < mine:
        outer = _name(lines[group])
        hint = (
            f"line it up with {above} ({_spaces(theirs)}) if it belongs in {outer}, or with "
            f"{outer} ({_spaces(_width(lines[group]))}) if it does not"
        )
    else:
        hint = f"add {_spaces(theirs - mine)} at the start of this line"
    return Explained(message, hint, at)


def _lines_up_with_a_group(lines: list[str], index: int, width: int) -> bool:
    """A line back at the level of a group the line at `index` is inside (`dose_note:` after
    `dose:`'s fields) is indented as it should be."""
    group = _enclosing(lines, index)
    while group is not None:
        if _width(lines[group]) == width:
            return True
        group = _enclosing(lines, group)
    return False


def _enclosing(lines: list[str], index: int) -> int | None:
    """The line of the group (`dose:`) that the line at `index` is inside, if any."""
    width = _width(lines[index])
    for above in range(index - 1, -1, -1):
        stripped = lines[above].strip()
        if stripped and not stripped.startswith("#") and _width(lines[above]) < width:
            return above
    return None


def _name(line: str) -> str:
    """`'sets'` for `  sets: 1`, `'- one'` for a list item."""
    match = KEY_LINE.match(line)
    if match:
        return f"'{match['key'].strip()}'"
    stripped = line.strip()
    return f"'{stripped[:20]}'" if stripped else ""


def _after_value(problem: str, context: str, lines: list[str], at: int, _: int) -> Explained | None:
    """Something after a quoted value, or text that YAML took for a list or a group."""
    line = _get(lines, at)
    match = KEY_LINE.match(line)
    if match is None or "expected key" not in problem:
        return None
    value = match["rest"].strip()
    lead = f"{match['indent']}{match['dash'] or ''}{match['key']}:"
    if value[:1] in ("[", "{"):
        return Explained(
            f"a value that starts with '{value[0]}' is read as a "
            f"{'list' if value[0] == '[' else 'group of fields'}, and this one has text after it",
            f"put the whole text in quotes: {_quoted_line(line).strip()}",
            at,
        )
    if value[:1] in ("'", '"'):
        quote = value[0]
        other = '"' if quote == "'" else "'"
        inner = value[1:-1] if value.endswith(quote) and len(value) > 1 else value
        what = "an apostrophe" if quote == "'" else "a quote"
        return Explained(
            f"{what} inside the text ends the quoted text early",
            f"put the whole text in the other kind of quotes: {lead} {other}{inner}{other}".strip(),
            at,
        )
    return None


def _quoted_line(line: str) -> str:
    """`summary: Note: x` → `summary: "Note: x"`."""
    match = KEY_LINE.match(line)
    if match is None:
        return f'"{_escaped(line.strip())}"'
    value = match["rest"].strip()
    return f'{match["indent"]}{match["dash"] or ""}{match["key"]}: "{_escaped(value)}"'


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _balanced(line: str, opener: str, closer: str) -> bool:
    return line.count(opener) <= line.count(closer)


def _starts_quoted_then_more(line: str) -> bool:
    match = KEY_LINE.match(line)
    return match is not None and match["rest"].strip()[:1] in ("'", '"')


def _indent_differs(lines: list[str], at: int) -> bool:
    previous = _previous_content(lines, at)
    return (
        previous is not None
        and _width(lines[previous]) < _width(_get(lines, at))
        and (not lines[previous].rstrip().endswith(":"))
    )


def _previous_content(lines: list[str], at: int) -> int | None:
    for index in range(at - 1, -1, -1):
        stripped = lines[index].strip()
        if stripped and not stripped.startswith("#"):
            return index
    return None


def _previous_key(lines: list[str], at: int) -> str | None:
    previous = _previous_content(lines, at)
    if previous is None:
        return None
    match = KEY_LINE.match(lines[previous])
    return match["key"].strip() if match else None


def _key_column(line: str) -> int:
    """Where a line's field starts: after its indentation and a list item's '- '."""
    match = re.match(r"^(\s*(?:-\s+)?)", line)
    return len(match.group(1)) if match else 0


def _width(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _spaces(count: int) -> str:
    return "no spaces" if count == 0 else f"{count} space{'' if count == 1 else 's'}"


def _get(lines: list[str], index: int) -> str:
    return lines[index] if 0 <= index < len(lines) else ""
