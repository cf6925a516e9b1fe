"""The files the editor may open and change: the site's one input rule, and safe writes.

Reads go through `SiteFiles`, as every read of the build does (`healthsite.inputs`): only
ordinary files inside the site folder, a link followed only to a file inside it, named pipes
and devices never opened, the same size limits, UTF-8 text. A file refused is answered with the
build's own words, naming it. Writes go through `SiteDisk` (`cms.disk`): never through a link,
never half a file. Every path is first checked as text (`cms.names`).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from healthsite.cms.disk import SiteDisk
from healthsite.cms.errors import BackendError, refused
from healthsite.cms.names import site_path
from healthsite.diagnostics import Diagnostic, error
from healthsite.inputs import TEXT_LIMIT, SiteFiles
from healthsite.refusals import Refused, decode_text, too_large


class EditableFiles:
    """The site's editable folders (`content/`, `static/`), as the editor reads and writes them."""

    def __init__(self, site: SiteFiles, folders: Sequence[str]) -> None:
        self.site = site
        self.folders = tuple(PurePosixPath(folder) for folder in folders)
        self.disk = SiteDisk(site.root)

    def path(self, path: str, *, new: bool = False) -> PurePosixPath:
        """`path` checked (see `cms.names`); `new`: one the editor may create or change."""
        return site_path(path, self.folders, new=new)

    def where(self) -> str:
        return ", ".join(f"{folder}/" for folder in self.folders)

    # -- reading ----------------------------------------------------------------------------

    def read(self, path: PurePosixPath, limit: int) -> bytes | None:
        """The file's bytes; None when there is no file. Raises `BackendError` (422) with
        the build's words when the input rule refuses it."""
        where = self.site.root / path
        try:
            problem = self.site.check(where) or self._outside_folders(where, path)
            if problem is not None:
                raise Refused(problem)
            return self.site.read_bytes(where, limit)
        except Refused as refusal:
            if refusal.diagnostic.code == "missing-file":
                return None
            raise refused(refusal.diagnostic) from None

    def _outside_folders(self, where: Path, path: PurePosixPath) -> Diagnostic | None:
        """A link inside the site that leads out of the editable folders (to `site.yaml`, a
        template): the build may read it, the editor does not open it."""
        real = Path(os.path.realpath(where))
        if any(real.is_relative_to(os.path.realpath(self.site.root / f)) for f in self.folders):
            return None
        return error(
            "link-outside",
            f"is a link to '{self.site.rel(real)}', outside the folders the editor opens "
            f"({self.where()})",
            str(path),
            hint="copy the file here instead of linking to it",
        )

    def read_text(self, path: PurePosixPath, limit: int = TEXT_LIMIT) -> str | None:
        """The file's text (UTF-8, a byte-order mark dropped); None when there is no file."""
        data = self.read(path, limit)
        if data is None:
            return None
        try:
            return decode_text(data, str(path))
        except Refused as refusal:
            raise refused(refusal.diagnostic) from None

    def listing(self, folder: PurePosixPath, depth: int) -> list[PurePosixPath]:
        """The files the input rule accepts under `folder`, at most `depth` folders down.

        An entry refused (a link out of the site, a named pipe...) is left out: the build
        reports it, and the editor's status box shows that report.
        """
        found, _ = self.site.walk(self.site.root / folder)
        return [folder.joinpath(*parts) for parts in found if len(parts) <= depth]

    # -- writing ----------------------------------------------------------------------------

    def write(self, path: PurePosixPath, data: bytes, limit: int) -> None:
        """Put `data` at `path` (see `cms.disk`), within the build's limit for such a file."""
        if len(data) > limit:
            raise refused(too_large(len(data), limit, str(path)), 413)
        self.disk.write(path, data)

    def delete(self, path: PurePosixPath) -> None:
        self.disk.delete(path)

    def move(self, source: PurePosixPath, target: PurePosixPath) -> None:
        self.disk.move(source, target)


def not_found(path: str) -> BackendError:
    return BackendError(404, f"{path}: no such file")
