"""Which paths the editor may name: inside the site's editable folders, written plainly.

Decap CMS sends paths made from slugs and upload names, but anything that can reach the editor's
server can send any text. So every path is checked as text before the disk is touched:

- always: a relative path with '/' between names, no `..` or `.`, no empty name, no hidden name
  (`.git`, `.env`), no backslash, no NUL or other control or invisible character (a
  right-to-left override can make `gpj.evil.md` look like `dm.live.jpg`), not too long, and
  under one of the folders the editor edits (`content/`, `static/`);
- for a name the editor creates (a save, an upload, a rename) also: letters and digits of any
  language, spaces and `- _ . ( ) + ,` only, each letter written one way (Unicode NFC and no
  look-alike forms such as full-width letters), not starting or ending with a space or dot, and
  not a name Windows keeps for a device (`con`, `nul`...), so the file is the same on every
  computer it is copied to.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from pathlib import PurePosixPath

from healthsite.cms.errors import BackendError
from healthsite.diagnostics import printable

#: Longest path the editor accepts, in characters, and longest single name, in UTF-8 bytes
#: (what Linux, macOS and Windows file systems all allow).
MAX_PATH = 1024
MAX_NAME_BYTES = 255
#: Punctuation a new name may hold besides letters, digits and combining marks.
NAME_PUNCTUATION = frozenset(" -_.()+,")
#: Unicode categories never allowed in a path: controls, format characters (text-direction
#: overrides, zero-width joiners), line and paragraph separators, surrogates, private-use and
#: unassigned code points.
HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})
WINDOWS_DEVICES = re.compile(r"(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?", re.IGNORECASE)
DRIVE = re.compile(r"^[A-Za-z]:")


def site_path(path: str, folders: Sequence[PurePosixPath], *, new: bool) -> PurePosixPath:
    """`path` (site-relative, '/'-separated) once it passes the rules above.

    Raises `BackendError`: 422 for a path that is not plain, 403 for one outside `folders`.
    `new`: the path may name a file or folder the editor creates, so every name is checked too.
    """
    problem = shape_problem(path)
    if problem is None and new:
        problem = next(filter(None, map(name_problem, path.split("/"))), None)
    if problem is not None:
        raise BackendError(422, printable(f'"{path[:MAX_PATH]}" {problem}'))
    relative = PurePosixPath(path)
    if not any(relative == f or relative.is_relative_to(f) for f in folders):
        where = ", ".join(f"{folder}/" for folder in folders)
        raise BackendError(403, printable(f"{path}: the editor may only open files in {where}"))
    return relative


def shape_problem(path: str) -> str | None:
    """Why `path` is not a plain relative path inside the site, or None."""
    if len(path) > MAX_PATH:
        return f"is too long (more than {MAX_PATH} characters)"
    if "\\" in path:
        return "contains a backslash: paths use '/' between folder names"
    if path.startswith("/") or DRIVE.match(path):
        return "must be a path inside the site folder, not from the computer's root"
    hidden = next((c for c in path if unicodedata.category(c) in HIDDEN_CATEGORIES), None)
    if hidden is not None:
        return f"contains an invisible or control character ({_code(hidden)})"
    for name in path.split("/"):
        if name in ("", ".", ".."):
            return "must resolve to a path under the site folder (no '..', '.' or '//')"
        if name.startswith("."):
            return f"names a hidden file or folder ('{name}'), which the editor never opens"
    return None


def name_problem(name: str) -> str | None:
    """Why `name` is not a plain name for a new file or folder, or None."""
    if not unicodedata.is_normalized("NFC", name) or unicodedata.normalize("NFKC", name) != name:
        return (
            f"has a character written in an unusual form in '{name}' (a look-alike letter, "
            "a full-width or combined form): type the name again with plain letters"
        )
    odd = next((c for c in name if not _plain(c)), None)
    if odd is not None:
        return (
            f"has the character '{odd}' ({_code(odd)}) in '{name}': use letters, digits, "
            "spaces, '-', '_' and '.'"
        )
    if name != name.strip(" ") or name.endswith("."):
        return f"'{name}' starts or ends with a space or a dot"
    if WINDOWS_DEVICES.fullmatch(name):
        return f"'{name}' is a name Windows keeps for a device: choose another"
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        return f"'{name[:40]}…' is too long: a name may have at most {MAX_NAME_BYTES} bytes"
    return None


def _plain(char: str) -> bool:
    return char.isalnum() or char in NAME_PUNCTUATION or unicodedata.category(char)[0] == "M"


def _code(char: str) -> str:
    return f"U+{ord(char):04X}"
