"""The editor's writes into the site folder: never through a link, never half a file.

A save, an upload, a delete or a rename reaches its file by opening each folder on the way from
the site folder down, one name at a time, relative to the folder before it and with
`O_NOFOLLOW`: a symbolic link anywhere on the path (to a folder outside the site, or inside it)
stops the write, and so does a name that is not a folder. Nothing is resolved by path once
checked, so a link swapped in while the editor saves cannot redirect it.

The file itself is written to a new hidden file in the same folder (opened with `O_EXCL` and
`O_NOFOLLOW`), flushed to the disk and renamed over the old one (`os.replace`): a reader, the
build or a watcher, sees the old file or the new one, never half of it. A rename replaces a
link rather than writing through it, and the target is checked again just before: a link, a
named pipe, a device or a folder there is refused, and the file outside is never touched.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path, PurePosixPath

from healthsite.build.write_failures import os_words
from healthsite.cms.errors import BackendError, refused
from healthsite.diagnostics import Diagnostic, error
from healthsite.refusals import kind_refusal

_FOLDER_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_DIRECTORY", 0)
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_CLOEXEC", 0)
)
_NEW_FILE_FLAGS = (
    os.O_WRONLY
    | os.O_CREAT
    | os.O_EXCL
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
)
NEW_FILE_MODE = 0o644
NEW_FOLDER_MODE = 0o755


class SiteDisk:
    """Writes under one site folder; every path is site-relative and already checked as text
    (`cms.names`)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(os.path.realpath(root))

    def write(self, path: PurePosixPath, data: bytes) -> None:
        """Put `data` at `path` whole, making the folders on the way."""
        with self._failures(path), self._folder(path.parent, make=True) as folder:
            old = self._existing(folder, path)
            partial = f".{path.name}.{secrets.token_hex(4)}.cms-partial"
            fd = os.open(partial, _NEW_FILE_FLAGS, NEW_FILE_MODE, dir_fd=folder)
            try:
                with os.fdopen(fd, "wb") as stream:
                    stream.write(data)
                    stream.flush()
                    if old is not None:  # keep the file's permissions
                        os.fchmod(stream.fileno(), stat.S_IMODE(old.st_mode))
                    os.fsync(stream.fileno())
                self._existing(folder, path)  # again: nothing swapped in meanwhile
                os.replace(partial, path.name, src_dir_fd=folder, dst_dir_fd=folder)
            except BaseException:
                _remove(partial, folder)
                raise

    def delete(self, path: PurePosixPath) -> None:
        """Remove the file at `path`; one already gone is no error (as in decap-server)."""
        with self._failures(path):
            try:
                with self._folder(path.parent, make=False) as folder:
                    if self._existing(folder, path) is not None:
                        os.unlink(path.name, dir_fd=folder)
            except FileNotFoundError:
                return

    def move(self, source: PurePosixPath, target: PurePosixPath) -> None:
        """Rename the file `source` to `target` (a new name: an existing file is not replaced)."""
        if source == target:
            return
        with self._failures(source), self._folder(source.parent, make=False) as origin:
            if self._existing(origin, source) is None:
                return  # a language nobody wrote: nothing to move
            with self._folder(target.parent, make=True) as folder:
                if self._existing(folder, target) is not None:
                    raise BackendError(
                        409, f"{target}: a file of this name exists; choose another name"
                    )
                os.rename(source.name, target.name, src_dir_fd=origin, dst_dir_fd=folder)

    # -- the way down -----------------------------------------------------------------------

    @contextmanager
    def _folder(self, path: PurePosixPath, *, make: bool) -> Iterator[int]:
        """A descriptor of the folder `path`, opened name by name from the site folder without
        following a link; missing folders made when `make`."""
        fd = os.open(self.root, _FOLDER_FLAGS)  # the real path: no link to follow
        try:
            walked = PurePosixPath()
            for name in path.parts:
                walked /= name
                inner = self._open_folder(fd, name, walked, make=make)
                os.close(fd)
                fd = inner
            yield fd
        finally:
            os.close(fd)

    def _open_folder(self, parent: int, name: str, shown: PurePosixPath, *, make: bool) -> int:
        try:
            return os.open(name, _FOLDER_FLAGS, dir_fd=parent)
        except FileNotFoundError:
            if not make:
                raise
        except OSError as exc:
            if exc.errno in (errno.ELOOP, errno.ENOTDIR, errno.EMLINK):
                raise self._not_a_folder(parent, name, shown) from None
            raise
        with suppress(FileExistsError):  # made meanwhile: opened as any other below
            os.mkdir(name, NEW_FOLDER_MODE, dir_fd=parent)
        return self._open_folder(parent, name, shown, make=False)

    def _not_a_folder(self, parent: int, name: str, shown: PurePosixPath) -> BackendError:
        mode = os.stat(name, dir_fd=parent, follow_symlinks=False).st_mode
        if stat.S_ISLNK(mode):
            return refused(_link(shown, folder=True))
        return refused(
            error(
                "not-a-folder",
                "is a file, not a folder, so nothing can be saved inside it",
                str(shown),
                hint="rename or move the file",
            )
        )

    def _existing(self, folder: int, path: PurePosixPath) -> os.stat_result | None:
        """What is at `path` now (None: nothing); only an ordinary file may be replaced."""
        try:
            info = os.stat(path.name, dir_fd=folder, follow_symlinks=False)
        except FileNotFoundError:
            return None
        if stat.S_ISLNK(info.st_mode):
            raise refused(_link(path, folder=False))
        problem = kind_refusal(info.st_mode, str(path))
        if problem is not None:
            raise refused(problem)
        return info

    @contextmanager
    def _failures(self, path: PurePosixPath) -> Iterator[None]:
        """An OS error in words, naming the file: never `[Errno 28] ...`."""
        try:
            yield
        except BackendError:
            raise
        except OSError as exc:
            words, hint = os_words(exc)
            hint = hint.replace("build again", "try again")
            raise BackendError(500, f"{path}: could not be saved: {words} ({hint})") from None


def _link(path: PurePosixPath, *, folder: bool) -> Diagnostic:
    what = "a folder" if folder else "a file"
    return error(
        "link",
        f"is a symbolic link (to {what} elsewhere); the editor never saves through a link, "
        "which could change a file outside the site",
        str(path),
        hint="replace the link with the real file or folder",
    )


def _remove(name: str, folder: int) -> None:
    with suppress(OSError):
        os.unlink(name, dir_fd=folder)
