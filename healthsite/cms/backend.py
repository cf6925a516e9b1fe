"""Decap CMS's local backend protocol, served by the preview server itself.

Decap's `local_backend` posts JSON actions (`{"action": "getEntry", "params": {...}}`) to a
proxy; npm's `decap-server` (its `localFs` middleware, `MODE=fs`) answers them by reading and
writing files in a folder. This module answers the same actions the same way, from Python, on
the preview server's own origin, so an editor needs no Node.js and the editing page talks to no
other port. Every action, parameter check and reply shape follows decap-server 3.11.3
(`src/middlewares/localFs/index.ts`, `joi/index.ts`, `utils/{entries,fs,path}.ts`), with four
deliberate differences, each for the editor's safety:

- Only files under the folders the CMS configuration names (content and media) can be read,
  written or deleted; decap-server allows the whole repository.
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
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

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


class BackendError(Exception):
    """A request the backend refuses: status and message go back to the CMS as `{"error"}`."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


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
    ) -> None:
        self.root = root.resolve()
        self.writable = tuple(PurePosixPath(folder) for folder in writable)
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
        except OSError as exc:
            return 500, {"error": f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": ")}

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
        return [self._entry(path) for path in self._list(folder, extension, int(depth))]

    def _entriesByFiles(self, params: dict[str, Any]) -> Any:
        files = params.get("files")
        if not isinstance(files, list) or not all(isinstance(f, dict) for f in files):
            raise BackendError(422, '"params.files" is required')
        return [self._entry(_string(f, "path"), f.get("label")) for f in files]

    def _getEntry(self, params: dict[str, Any]) -> Any:
        return self._entry(_string(params, "path"))

    def _getMedia(self, params: dict[str, Any]) -> Any:
        folder = _string(params, "mediaFolder")
        return [self._media(path) for path in self._list(folder, "", 1)]

    def _getMediaFile(self, params: dict[str, Any]) -> Any:
        return self._media(_string(params, "path"))

    def _persistMedia(self, params: dict[str, Any]) -> Any:
        return self._media(self._write_asset(params.get("asset")))

    def _deleteFile(self, params: dict[str, Any]) -> Any:
        path = _string(params, "path")
        self._delete(path)
        return {"message": f"deleted file {path}"}

    def _deleteFiles(self, params: dict[str, Any]) -> Any:
        paths = params.get("paths")
        if not isinstance(paths, list) or not paths:
            raise BackendError(422, '"params.paths" must contain at least 1 items')
        checked = [_string({"path": path}, "path") for path in paths]
        for path in checked:
            self._delete(path)
        return {"message": f"deleted files {', '.join(checked)}"}

    def _getDeployPreview(self, params: dict[str, Any]) -> Any:
        return None

    def _persistEntry(self, params: dict[str, Any]) -> Any:
        data_files = params.get("dataFiles")
        if data_files is None and isinstance(params.get("entry"), dict):
            data_files = [params["entry"]]  # decap-server keeps `entry` for older clients
        if not isinstance(data_files, list) or not isinstance(params.get("assets"), list):
            raise BackendError(422, '"params.dataFiles" and "params.assets" are required')
        checked = [(_string(f, "path"), _text(f, "raw"), f.get("newPath")) for f in data_files]
        for path, _, new_path in checked:
            self._inside(path, write=True)
            if new_path is not None:
                self._inside(_string({"newPath": new_path}, "newPath"), write=True)
        # every file is checked before any is written: a save is all or nothing
        texts = [(path, self._prepare(self.on_disk(path), raw)) for path, raw, _ in checked]
        for asset in params["assets"]:
            self._write_asset(asset)
        for path, text in texts:
            if text is not None:
                self._write_bytes(path, text.encode("utf-8"))
                self._on_write(self.on_disk(path))
        if checked and all(new_path for _, _, new_path in checked):
            for path, _, new_path in checked:
                self._move(path, new_path)
        return {"message": "entry persisted"}

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

    def _inside(self, path: str, *, write: bool = False) -> Path:
        """The absolute path of `path`, which must stay under the site's editable folders.

        Like decap-server's `resolveExistingRepoPath`/`resolveNewRepoPath`: `..` and symbolic
        links that lead out are refused, whatever the folder says; and only the folders the
        CMS edits are open at all.
        """
        relative = PurePosixPath(self.on_disk(path).replace("\\", "/"))
        if relative.is_absolute() or ".." in relative.parts:
            raise BackendError(422, f'"{path}" must resolve to a path under the site folder')
        if not any(relative == f or relative.is_relative_to(f) for f in self.writable):
            raise BackendError(403, f"{path}: the editor may only open files in {self._open()}")
        target = self.root / relative
        existing = target
        while not existing.exists() and existing != self.root:
            existing = existing.parent
        if not existing.resolve().is_relative_to(self.root):
            raise BackendError(422, f'"{path}" leads out of the site folder')
        if write and target.is_dir():
            raise BackendError(422, f"{path} is a folder")
        return target

    def _open(self) -> str:
        return ", ".join(f"{folder}/" for folder in self.writable)

    def _list(self, folder: str, extension: str, depth: int) -> list[str]:
        """Files under `folder` (site-relative, '/'-separated) ending with `extension`."""
        try:
            start = self._inside(folder)
        except BackendError as exc:
            if exc.status == 403:
                raise
            return []
        found: list[str] = []

        def walk(directory: Path, depth: int) -> None:
            if depth <= 0:
                return
            try:
                children = sorted(os.scandir(directory), key=lambda e: e.name)
            except OSError:
                return
            for child in children:
                if child.is_dir():
                    walk(Path(child.path), depth - 1)
                elif child.name.endswith(extension):
                    found.append(Path(child.path).relative_to(self.root).as_posix())

        walk(start, depth)
        return [self._as_cms(path) for path in found]

    def _entry(self, path: str, label: Any = None) -> dict[str, Any]:
        """decap-server's `entriesFromFiles` item: the text and its sha256, or nulls."""
        file: dict[str, Any] = {"path": path.replace("\\", "/"), "label": label, "id": None}
        try:
            content = self._inside(path).read_bytes()
        except (OSError, BackendError):
            return {"data": None, "file": file}
        file["id"] = hashlib.sha256(content).hexdigest()
        return {"data": content.decode("utf-8", "replace"), "file": file}

    def _media(self, path: str) -> dict[str, Any]:
        target = self._inside(path)
        try:
            content = target.read_bytes()
        except FileNotFoundError:
            raise BackendError(404, f"{path}: no such file") from None
        return {
            "id": hashlib.sha256(content).hexdigest(),
            "content": base64.b64encode(content).decode(),
            "encoding": "base64",
            "path": path.replace("\\", "/"),
            "name": PurePosixPath(path).name,
        }

    def _write_bytes(self, path: str, content: bytes) -> None:
        target = self._inside(path, write=True)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.cms-partial")
        partial.write_bytes(content)
        partial.replace(target)  # a watcher never sees half a file

    def _write_asset(self, asset: Any) -> str:
        if not isinstance(asset, dict):
            raise BackendError(422, '"params.asset" is required')
        if asset.get("encoding") != "base64":
            raise BackendError(422, '"asset.encoding" must be [base64]')
        path, content = _string(asset, "path"), _text(asset, "content")
        try:
            data = base64.b64decode(content, validate=True)
        except ValueError:
            raise BackendError(422, f"{path}: the file's content is not base64") from None
        self._write_bytes(path, data)
        return path

    def _delete(self, path: str) -> None:
        target = self._inside(path, write=True)
        target.unlink(missing_ok=True)  # decap-server ignores a file already gone

    def _move(self, path: str, new_path: str) -> None:
        source, target = self._inside(path), self._inside(new_path, write=True)
        if source == target:
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        source.replace(target)


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
