"""Why the build refuses a file, in words: `Refused` carries the diagnostic, and each reason
(not text, not an ordinary file, too large, unreadable, a loop of links) is made here."""

from __future__ import annotations

import dataclasses
import errno
import stat

from healthsite.diagnostics import Diagnostic, Location, error

KIB = 1024
MIB = 1024 * KIB
UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_KINDS = (
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISDIR, "a folder"),
)


class Refused(Exception):
    """A file the build will not read; carries the diagnostic that says why."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic

    def at(self, path: str) -> Diagnostic:
        """The diagnostic, naming the file as the caller's diagnostics name it."""
        where = Location(path, self.diagnostic.location.line)
        return dataclasses.replace(self.diagnostic, location=where)


def decode_text(data: bytes, shown: str) -> str:
    """UTF-8 text, as every text input must be; the first problem located by its line."""
    if data.startswith(UTF8_BOM):
        data = data[len(UTF8_BOM) :]
    elif data.startswith(UTF16_BOMS):
        raise Refused(
            error(
                "encoding",
                "file is saved as UTF-16 text, not UTF-8",
                shown,
                hint="save it as 'UTF-8' in your editor",
            )
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        binary = b"\0" in data[:8192]
        raise Refused(
            error(
                "encoding",
                "file is not text (a picture or a document saved under this name?)"
                if binary
                else "file is not saved as UTF-8: this line has a character in another encoding",
                shown,
                0 if binary else line,
                hint="save it as 'UTF-8' in your editor"
                if not binary
                else "put pictures in the static folder; save text as 'UTF-8'",
            )
        ) from None
    nul = text.find("\0")
    if nul >= 0:
        raise Refused(
            error(
                "encoding",
                "file contains a NUL character, as binary files do, not text",
                shown,
                text.count("\n", 0, nul) + 1,
                hint="save it as plain UTF-8 text, or delete the character",
            )
        )
    return text


#: errno → what happened, in words an editor knows, and what to do about it.
_OS_WORDS: dict[int, tuple[str, str]] = {
    errno.EACCES: ("permission denied", "check that the user running the build may read it"),
    errno.EPERM: ("permission denied", "check that the user running the build may read it"),
    errno.EISDIR: ("is a folder, not a file", "rename or move the folder"),
    errno.ENOENT: ("file not found", "check the name"),
    errno.ENAMETOOLONG: ("the name is too long", "shorten the file or folder names"),
    errno.EIO: ("the disk reported an error", "check the disk, then build again"),
    errno.ELOOP: ("is a link that leads back to itself", "delete the link"),
}


def unreadable(exc: OSError, shown: str) -> Diagnostic:
    """An OS error reading `shown`, in words: never `[Errno 13] Permission denied: '...'`."""
    words, hint = _OS_WORDS.get(
        exc.errno or 0, ((exc.strerror or "unknown error").lower(), "check the file")
    )
    return error("unreadable", f"cannot be read: {words}", shown, hint=hint)


def kind_refusal(mode: int, shown: str) -> Diagnostic | None:
    if stat.S_ISREG(mode):
        return None
    what = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    return error(
        "not-a-file",
        f"is {what}, not an ordinary file; the build reads only ordinary files",
        shown,
        hint="delete it or move it out of the site folder",
    )


def size_refusal(size: int, limit: int, shown: str) -> Diagnostic | None:
    return None if size <= limit else too_large(size, limit, shown)


def too_large(size: int, limit: int, shown: str) -> Diagnostic:
    return error(
        "too-large",
        f"is {_size(size)}; a file of this kind may be at most {_size(limit)}",
        shown,
        hint="split it into smaller files, or make it smaller (see 'Limits' in "
        "docs/content-guide.md)",
    )


def _size(count: int) -> str:
    if count >= 1024 * MIB:
        return f"{count / (1024 * MIB):.1f} GB".replace(".0 ", " ")
    if count >= MIB:
        return f"{count / MIB:.1f} MB".replace(".0 ", " ")
    return f"{max(count // KIB, 1)} KB"


def link_loop(shown: str, *, folder: bool = False) -> Diagnostic:
    what = (
        "is a link to a folder the build already reads (a loop, or a second way to it)"
        if folder
        else "is a link that leads back to itself"
    )
    return error("link-loop", what, shown, hint="delete the link")
