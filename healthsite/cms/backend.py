"""Decap CMS's local backend protocol, served by the preview server itself.

Decap's `local_backend` posts JSON actions (`{"action": "getEntry", "params": {...}}`) to a
proxy; npm's `decap-server` (its `localFs` middleware, `MODE=fs`) answers them by reading and
writing files in a folder. This module answers the same actions the same way, from Python, on
the preview server's own origin, so an editor needs no Node.js and the editing page talks to no
other port. Every action, parameter check and reply shape follows decap-server 3.11.3
(`src/middlewares/localFs/index.ts`, `joi/index.ts`, `utils/{entries,fs,path}.ts`), with these
deliberate differences, each for the editor's safety:

- Only files under the site's editable folders (content and static) can be read, written or
  deleted, named by plain paths (`cms.names`); decap-server allows the whole repository.
- Files are read by the site's one input rule (`SiteFiles`: no link out of the site, no named
  pipe or device, the build's size limits, UTF-8), written never through a link and never by
  halves (`cms.disk`), and an upload must really be a picture or video of the kind its name
  says (`cms.uploads`). See `cms.files`.
- A language's suffix: Decap names every language's file `<slug>.<lang>.md`; this site names
  the main language's file `<slug>.md`. `LocaleAlias` translates those paths both ways.
- Saves go through `prepare` (`cms.saves.Writer`): a save that would make an invalid page is
  refused with the problems named (and nothing is written), a save that changes nothing leaves
  the file's bytes as they are, and a changed file keeps its comments and layout.
- Errors say what went wrong instead of decap-server's "Unknown error".
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from healthsite.build.write_failures import os_words
from healthsite.cms.errors import BackendError, refused
from healthsite.cms.files import EditableFiles, not_found
from healthsite.cms.uploads import UPLOAD_LIMIT, check_upload
from healthsite.inputs import TEXT_LIMIT, SiteFiles
from healthsite.refusals import too_large

__all__ = ["BackendError", "LocalBackend", "LocaleAlias"]

#: decap-server's allowed actions; the editorial-workflow ones are for its git mode only.
ACTIONS = frozenset(
    {
        "info",
        "entriesByFolder",
        "entriesByFiles",
        "getEntry",
        "unpublishedEntries",
        "unpublishedEntry",
        "unpublishedEntryDataFile",
        "unpublishedEntryMediaFile",
        "deleteUnpublishedEntry",
        "persistEntry",
        "updateUnpublishedEntryStatus",
        "publishUnpublishedEntry",
        "getMedia",
        "getMediaFile",
        "persistMedia",
        "deleteFile",
        "deleteFiles",
        "getDeployPreview",
    }
)
Reply = tuple[int, Any]


@dataclass(frozen=True, slots=True)
class LocaleAlias:
    """`content/exercises/bridge.md` is shown to Decap as `content/exercises/bridge.en.md`.

    Decap's `multiple_files` i18n structure puts every language's code in the file name; this
    site's main language has none (`bridge.md`, `bridge.es.md`), as its build expects.
    """

    folder: str
    lang: str
    extension: str = "md"

    def to_disk(self, path: str) -> str:
        suffix = f".{self.lang}.{self.extension}"
        if _parent(path) == self.folder and path.endswith(suffix):
            return path[: -len(suffix)] + f".{self.extension}"
        return path

    def to_cms(self, path: str) -> str:
        """`bridge.md` → `bridge.en.md`; a file that names a language keeps its name."""
        if _parent(path) != self.folder or not path.endswith(f".{self.extension}"):
            return path
        stem = PurePosixPath(path).name[: -len(self.extension) - 1]
        if "." in stem:  # bridge.es.md: already a language's file
            return path
        return f"{path[: -len(self.extension) - 1]}.{self.lang}.{self.extension}"


Prepare = Callable[[str, str], str | None]
"""Decap's text for a file (site-relative path) → the text to write, None to leave the file as
it is; raises `BackendError` to refuse the save."""


class LocalBackend:
    """Answers Decap's local-backend actions for one site folder."""

    def __init__(
        self,
        root: Path,
        *,
        writable: Sequence[str],
        aliases: Sequence[LocaleAlias] = (),
        prepare: Prepare | None = None,
        on_write: Callable[[str], None] | None = None,
        files: EditableFiles | None = None,
    ) -> None:
        self.root = root.resolve()
        self.files = files or EditableFiles(SiteFiles.of(root), writable)
        self.aliases = tuple(aliases)
        self._prepare = prepare or (lambda path, raw: raw)
        self._on_write = on_write or (lambda path: None)
        """Told the site-relative path of each data file written."""

    # -- the protocol ------------------------------------------------------------------------

    def handle(self, body: Any) -> Reply:
        """One request's JSON body → (HTTP status, JSON reply), as decap-server replies."""
        try:
            action, params = _checked(body)
            return 200, self._dispatch(action, params)
        except BackendError as exc:
            return exc.status, {"error": str(exc)}
        except OSError as exc:  # cms.disk says what failed; this is the net under it
            return 500, {"error": "the file could not be read or saved: " + os_words(exc)[0]}

    def _dispatch(self, action: str, params: dict[str, Any]) -> Any:
        answer = getattr(self, f"_{action}", None)
        if answer is None:
            # the editorial workflow needs decap-server's git mode, which is not offered here
            raise BackendError(422, f"Unknown action {action}")
        return answer(params)

    # one method per action, named after it

    def _info(self, params: dict[str, Any]) -> Any:
        return {"repo": self.root.name, "publish_modes": ["simple"], "type": "local_fs"}

    def _entriesByFolder(self, params: dict[str, Any]) -> Any:
        folder, extension = _string(params, "folder"), _string(params, "extension")
        depth = params.get("depth")
        if not isinstance(depth, int | float) or isinstance(depth, bool):
            raise BackendError(422, '"params.depth" is required')
        found = []
        for path in self._list(folder, extension, int(depth)):
            try:
                found.append(self._entry(path))
            except BackendError:
                continue  # refused by the input rule: the build reports it
        return found

    def _entriesByFiles(self, params: dict[str, Any]) -> Any:
        files = params.get("files")
        if not isinstance(files, list) or not all(isinstance(f, dict) for f in files):
            raise BackendError(422, '"params.files" is required')
        return [self._entry(_string(f, "path"), f.get("label")) for f in files]

    def _getEntry(self, params: dict[str, Any]) -> Any:
        return self._entry(_string(params, "path"))

    def _getMedia(self, params: dict[str, Any]) -> Any:
        found = []
        for path in self._list(_string(params, "mediaFolder"), "", 1):
            try:
                found.append(self._media(path))
            except BackendError:
                continue  # refused by the input rule: the build reports it
        return found

    def _getMediaFile(self, params: dict[str, Any]) -> Any:
        return self._media(_string(params, "path"))

    def _persistMedia(self, params: dict[str, Any]) -> Any:
        path, data = self._asset(params.get("asset"))
        self.files.write(path, data, UPLOAD_LIMIT)
        return self._media(str(path))

    def _deleteFile(self, params: dict[str, Any]) -> Any:
        path = _string(params, "path")
        self.files.delete(self.files.path(self.on_disk(path)))
        return {"message": f"deleted file {path}"}

    def _deleteFiles(self, params: dict[str, Any]) -> Any:
        paths = params.get("paths")
        if not isinstance(paths, list) or not paths:
            raise BackendError(422, '"params.paths" must contain at least 1 items')
        named = [_string({"path": path}, "path") for path in paths]
        checked = [self.files.path(self.on_disk(path)) for path in named]
        for path in checked:
            self.files.delete(path)
        return {"message": f"deleted files {', '.join(named)}"}

    def _getDeployPreview(self, params: dict[str, Any]) -> Any:
        return None

    def _persistEntry(self, params: dict[str, Any]) -> Any:
        data_files = params.get("dataFiles")
        if data_files is None and isinstance(params.get("entry"), dict):
            data_files = [params["entry"]]  # decap-server keeps `entry` for older clients
        if not isinstance(data_files, list) or not isinstance(params.get("assets"), list):
            raise BackendError(422, '"params.dataFiles" and "params.assets" are required')
        checked = [self._data_file(f) for f in data_files]
        # every file is checked before any is written: a save is all or nothing
        texts = [(path, self._prepare(str(path), raw)) for path, raw, _ in checked]
        encoded = [(path, text.encode("utf-8")) for path, text in texts if text is not None]
        for path, data in encoded:
            if len(data) > TEXT_LIMIT:
                raise refused(too_large(len(data), TEXT_LIMIT, str(path)), 413)
        assets = [self._asset(asset) for asset in params["assets"]]
        for path, data in assets:
            self.files.write(path, data, UPLOAD_LIMIT)
        for path, data in encoded:
            self.files.write(path, data, TEXT_LIMIT)
            self._on_write(str(path))
        if checked and all(new_path for _, _, new_path in checked):
            for path, _, new_path in checked:
                assert new_path is not None
                self.files.move(path, new_path)
        return {"message": "entry persisted"}

    def _data_file(self, given: Any) -> tuple[PurePosixPath, str, PurePosixPath | None]:
        """One of `persistEntry`'s files: where it goes (and moves to), and Decap's text."""
        path = self.files.path(self.on_disk(_string(given, "path")), new=True)
        raw, new_path = _text(given, "raw"), given.get("newPath")
        if new_path is None:
            return path, raw, None
        moved = self.on_disk(_string({"newPath": new_path}, "newPath"))
        return path, raw, self.files.path(moved, new=True)

    # -- files ---------------------------------------------------------------------------------

    def on_disk(self, path: str) -> str:
        """The site-relative path of the file Decap calls `path`."""
        for alias in self.aliases:
            path = alias.to_disk(path)
        return path

    def _as_cms(self, path: str) -> str:
        for alias in self.aliases:
            path = alias.to_cms(path)
        return path

    def _list(self, folder: str, extension: str, depth: int) -> list[str]:
        """Files under `folder` (site-relative, '/'-separated) ending with `extension`, as
        Decap names them; only those the input rule accepts."""
        found = self.files.listing(self.files.path(folder), depth)
        return [self._as_cms(str(path)) for path in found if path.name.endswith(extension)]

    def _entry(self, path: str, label: Any = None) -> dict[str, Any]:
        """decap-server's `entriesFromFiles` item: the text and its sha256, or nulls when
        there is no file; a file the input rule refuses is an error naming it."""
        file: dict[str, Any] = {"path": path, "label": label, "id": None}
        where = self.files.path(self.on_disk(path))
        content = self.files.read(where, TEXT_LIMIT)
        if content is None:
            return {"data": None, "file": file}
        text = self.files.read_text(where)
        file["id"] = hashlib.sha256(content).hexdigest()
        return {"data": text, "file": file}

    def _media(self, path: str) -> dict[str, Any]:
        content = self.files.read(self.files.path(path), UPLOAD_LIMIT)
        if content is None:
            raise not_found(path)
        return {
            "id": hashlib.sha256(content).hexdigest(),
            "content": base64.b64encode(content).decode(),
            "encoding": "base64",
            "path": path,
            "name": PurePosixPath(path).name,
        }

    def _asset(self, asset: Any) -> tuple[PurePosixPath, bytes]:
        """An upload, checked: where it goes, a sane name, its size, and a real picture or
        video of the kind its name says (`cms.uploads`)."""
        if not isinstance(asset, dict):
            raise BackendError(422, '"params.asset" is required')
        if asset.get("encoding") != "base64":
            raise BackendError(422, '"asset.encoding" must be [base64]')
        path = self.files.path(_string(asset, "path"), new=True)
        content = _text(asset, "content")
        size = len(content) * 3 // 4 - content[-2:].count("=")
        if size > UPLOAD_LIMIT:  # known before decoding a copy of it
            raise refused(too_large(size, UPLOAD_LIMIT, str(path)), 413)
        try:
            data = base64.b64decode(content, validate=True)
        except ValueError:
            raise BackendError(422, f"{path}: the file's content is not base64") from None
        check_upload(path, data)
        return path, data


def _checked(body: Any) -> tuple[str, dict[str, Any]]:
    if not isinstance(body, dict) or body.get("action") not in ACTIONS:
        allowed = ", ".join(sorted(ACTIONS))
        raise BackendError(422, f'"action" must be one of [{allowed}]')
    params = body.get("params")
    if body["action"] != "info" and not isinstance(params, dict):
        raise BackendError(422, '"params" is required')
    return body["action"], params or {}


def _string(params: dict[str, Any], key: str) -> str:
    value = params.get(key) if isinstance(params, dict) else None
    if not isinstance(value, str) or not value:
        raise BackendError(422, f'"{key}" is required')
    return value


def _text(params: dict[str, Any], key: str) -> str:
    value = params.get(key) if isinstance(params, dict) else None
    if not isinstance(value, str):
        raise BackendError(422, f'"{key}" is required')
    return value


def _parent(path: str) -> str:
    return str(PurePosixPath(path).parent)
