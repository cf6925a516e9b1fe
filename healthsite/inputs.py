"""Reading a site's files: one rule for every input, so nothing from outside is ever published.

Every walk (content, static files, templates, catalogs) and every single read (`site.yaml`,
`clinic.yaml`, a page, a template, a catalog) goes through `SiteFiles`:

- Only regular files are read. A named pipe, socket or device is refused from its directory
  entry or `stat`, never opened (opening a pipe waits for a writer, for ever).
- A link is followed only when what it points to is inside the site folder, and not in a hidden
  folder (`.git/`) or the output folder: a link out of the site is how a system file or a
  private key would end up published. A link to nothing, or a loop of links, is refused.
- Each kind of file has a size limit, checked on the open file before it is read.
- Text is UTF-8 (a byte-order mark, as Windows editors save it, is dropped); text with a NUL
  byte is a binary file.

A refused file is a `Diagnostic` in the project's format, with a hint in plain words; raw OS
text (`[Errno 13] ...`) never reaches an editor.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from healthsite.diagnostics import Diagnostic, error
from healthsite.refusals import (
    MIB,
    Refused,
    decode_text,
    kind_refusal,
    link_loop,
    size_refusal,
    too_large,
    unreadable,
)

#: A content file, `site.yaml`, `clinic.yaml` or a template: a long article is under 100 KB.
TEXT_LIMIT = 1 * MIB
#: A translation catalog (`messages.po`): thousands of strings fit in a few hundred KB.
CATALOG_LIMIT = 10 * MIB
#: A static file (picture, stylesheet, video): what common static hosts accept for one file.
STATIC_LIMIT = 100 * MIB

_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


@dataclass(frozen=True, slots=True)
class SiteFiles:
    """The files a build may read: those inside the site folder, outside hidden folders and
    the folders the build writes."""

    root: Path
    """The site folder as given (absolute): what diagnostics' paths are relative to."""
    real: Path
    """The site folder with every link resolved: where a link's target must be."""
    outputs: tuple[Path, ...] = ()
    """Folders the build writes (output, preview), resolved: never sources."""

    @classmethod
    def of(cls, root: Path, outputs: tuple[Path, ...] = ()) -> SiteFiles:
        real = Path(os.path.realpath(root))
        resolved = tuple(Path(os.path.realpath(real / out)) for out in outputs)
        return cls(Path(os.path.abspath(root)), real, resolved)

    def rel(self, path: Path | str) -> str:
        """`path` as diagnostics print it: relative to the site folder, with '/'."""
        text = os.path.abspath(path)
        for root in (str(self.root), str(self.real)):
            if text == root:
                return "."
            if text.startswith(root + os.sep):
                return text[len(root) + 1 :].replace(os.sep, "/")
        return Path(text).as_posix()

    def check(self, path: Path | str) -> Diagnostic | None:
        """Why the build must not read `path`, or None. Links anywhere on the path are
        followed to see where they lead; nothing is opened."""
        return self._resolve(path)[1]

    def _resolve(self, path: Path | str) -> tuple[str, Diagnostic | None]:
        """The real path of `path` and, if the build must not read it, why."""
        shown = self.rel(path)
        plain = self._plain(path, shown)
        if plain is not None:
            return plain
        try:
            real = os.path.realpath(path, strict=True)
        except FileNotFoundError:
            if not os.path.lexists(path):
                return "", error("missing-file", "file not found", shown)
            return "", error(
                "broken-link",
                f"is a link to something that does not exist ('{_readlink(path)}')",
                shown,
                hint="fix the link or delete it",
            )
        except OSError as exc:
            return "", link_loop(shown) if exc.errno == errno.ELOOP else unreadable(exc, shown)
        refusal = self._target_refusal(Path(real), shown)
        if refusal is not None:
            return real, refusal
        try:
            mode = os.stat(real).st_mode
        except OSError as exc:
            return real, unreadable(exc, shown)
        return real, None if stat.S_ISDIR(mode) else kind_refusal(mode, shown)

    def _plain(self, path: Path | str, shown: str) -> tuple[str, Diagnostic | None] | None:
        """The common case quickly: a path inside the site with no link on the way (an `lstat`
        per folder below the site's, not `realpath`'s per folder from `/`). None: a link on
        the way, or a path not written from the site folder; the caller follows links."""
        if shown == "." or shown.startswith(("/", "../")) or shown == "..":
            return None
        current = str(self.real)
        mode = 0
        try:
            for part in shown.split("/"):
                current += os.sep + part
                mode = os.lstat(current).st_mode
                if stat.S_ISLNK(mode):
                    return None
        except FileNotFoundError:
            return "", error("missing-file", "file not found", shown)
        except OSError as exc:
            return "", unreadable(exc, shown)
        return current, None if stat.S_ISDIR(mode) else kind_refusal(mode, shown)

    def _target_refusal(self, real: Path, shown: str) -> Diagnostic | None:
        if not real.is_relative_to(self.real):
            what = "folder" if real.is_dir() else "file"
            return error(
                "link-outside",
                f"is a link to a {what} outside the site folder; the build never reads "
                "anything from outside it",
                shown,
                hint="copy the file into the site folder instead of linking to it",
            )
        inside = real.relative_to(self.real)
        if any(part.startswith(".") for part in inside.parts) or any(
            real.is_relative_to(out) for out in self.outputs
        ):
            return error(
                "link-outside",
                f"is a link to '{inside.as_posix()}', which the build never reads (hidden "
                "files and the output folder are not sources)",
                shown,
                hint="copy the file here instead of linking to it",
            )
        return None

    # -- walking a folder -------------------------------------------------------------------

    def walk(self, folder: Path) -> tuple[list[tuple[str, ...]], list[Diagnostic]]:
        """Every readable file below `folder` as its path parts, sorted, and a diagnostic for
        each entry refused. Hidden files and folders are left out, as every tool does.

        A plain file costs no system call beyond the folder listing; a link is followed to
        see where it leads. A link to a folder already read (or inside or around one) is a
        loop: every file is found once, by one path.
        """
        if not os.path.lexists(folder):
            return [], []
        refusal = self.check(folder)
        if refusal is not None:
            return [], [refusal]
        found: list[tuple[str, ...]] = []
        problems: list[Diagnostic] = []
        seen = {os.path.realpath(folder)}
        todo: list[tuple[str, tuple[str, ...]]] = [(str(folder), ())]
        while todo:
            where, prefix = todo.pop()
            try:
                with os.scandir(where) as listing:
                    entries = list(listing)
            except OSError as exc:
                problems.append(unreadable(exc, self.rel(where)))
                continue
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                kind, problem = self._entry(entry, seen)
                if problem is not None:
                    problems.append(problem)
                elif kind == "dir":
                    todo.append((entry.path, (*prefix, entry.name)))
                elif kind == "file":
                    found.append((*prefix, entry.name))
        return sorted(found), problems

    def _entry(self, entry: os.DirEntry[str], seen: set[str]) -> tuple[str, Diagnostic | None]:
        """('file' | 'dir' | '', refusal) for one folder entry."""
        try:
            if entry.is_symlink():
                problem = self.check(entry.path)
                if problem is not None:
                    return "", problem
                if not entry.is_dir():
                    return "file", None
                target = os.path.realpath(entry.path)
                if any(_overlap(target, folder) for folder in seen):
                    return "", link_loop(self.rel(entry.path), folder=True)
                seen.add(target)
                return "dir", None
            if entry.is_dir(follow_symlinks=False):
                return "dir", None
            if entry.is_file(follow_symlinks=False):
                return "file", None
            mode = entry.stat(follow_symlinks=False).st_mode
        except OSError as exc:
            return "", unreadable(exc, self.rel(entry.path))
        return "", kind_refusal(mode, self.rel(entry.path))

    # -- reading one file -------------------------------------------------------------------

    @contextmanager
    def open(self, path: Path | str, limit: int) -> Iterator[BinaryIO]:
        """`path` opened for reading, once it passes the rule and its size is within `limit`.

        The checks are made again on the open file: a file swapped for a pipe between the walk
        and the read is still refused, and still never waited on.
        """
        real, refusal = self._resolve(path)
        if refusal is not None:
            raise Refused(refusal)
        shown = self.rel(path)
        try:  # the real path, not followed again: a link swapped in since is refused
            fd = os.open(real, _READ_FLAGS | getattr(os, "O_NOFOLLOW", 0))
        except OSError as exc:
            raise Refused(unreadable(exc, shown)) from None
        try:
            info = os.fstat(fd)
            refusal = kind_refusal(info.st_mode, shown) or size_refusal(info.st_size, limit, shown)
            if refusal is not None:
                raise Refused(refusal)
            if hasattr(os, "set_blocking"):
                os.set_blocking(fd, True)
            stream = os.fdopen(fd, "rb")
        except BaseException:
            os.close(fd)
            raise
        with stream:
            yield stream

    def read_bytes(self, path: Path | str, limit: int) -> bytes:
        """The bytes of one file; `Refused` when the rule, its size or the OS says no."""
        with self.open(path, limit) as stream:
            try:
                data = stream.read(limit + 1)
            except OSError as exc:
                raise Refused(unreadable(exc, self.rel(path))) from None
        if len(data) > limit:  # it grew while we read
            raise Refused(too_large(len(data), limit, self.rel(path)))
        return data

    def read_text(self, path: Path | str, limit: int = TEXT_LIMIT) -> str:
        """One text file: UTF-8, a byte-order mark dropped, no NUL byte."""
        return decode_text(self.read_bytes(path, limit), self.rel(path))

    def digest(self, path: Path | str, limit: int) -> tuple[str, int]:
        """SHA-256 (hex) and size of one file, read in blocks: a video is never all in memory."""
        digest = hashlib.sha256()
        size = 0
        with self.open(path, limit) as stream:
            try:
                while block := stream.read(MIB):
                    digest.update(block)
                    size += len(block)
            except OSError as exc:
                raise Refused(unreadable(exc, self.rel(path))) from None
        return digest.hexdigest(), size


def _overlap(one: str, other: str) -> bool:
    """The same folder, or one inside the other."""
    return one == other or one.startswith(other + os.sep) or other.startswith(one + os.sep)


def _readlink(path: Path | str) -> str:
    try:
        return os.readlink(path)
    except OSError:
        return "?"
