"""Write a build so that `site/` is always a whole site: the previous one or the new one.

A full build is written into a staging folder beside the output (`site.tmp-<pid>/`), then
swapped in with two renames. An incremental build changes files inside `site/`, in two steps:
every new file is first written into the staging folder (a full disk or a read-only folder
stops the build there, with `site/` untouched); then each is moved into place, the file it
replaces kept aside until the last one is in, so that a failure half-way puts every file back.

A build that is killed leaves its staging folder behind; the next build removes such folders
(only those with healthsite's marker whose process is gone). Every OS failure reaches the
editor as a diagnostic in words (`error[write]: ... the disk is full`), never as `[Errno 28]`.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from healthsite.build.receipt import MARKER
from healthsite.diagnostics import Diagnostic, error
from healthsite.inputs import STATIC_LIMIT, SiteFiles
from healthsite.site.artifact import Artifact
from healthsite.site.assets import Asset, AssetMap

if TYPE_CHECKING:
    from healthsite.build.cache import Manifest

#: The folders a build makes beside the output, named after the process that made them.
SIDE_FOLDERS = ("tmp", "old", "search")
MARKER_TEXT = "This folder is replaced by every healthsite build.\n"


class WriteRefused(Exception):
    """The output folder holds something healthsite did not make; nothing was touched."""


def side_folder(output_dir: Path, kind: str) -> Path:
    """`site.tmp-<pid>`, `site.old-<pid>` or `site.search-<pid>`, beside `output_dir`."""
    return output_dir.with_name(f"{output_dir.name}.{kind}-{os.getpid()}")


def new_side_folder(output_dir: Path, kind: str) -> Path:
    """An empty side folder with the marker that lets a later build clean it up. A folder of
    that name that healthsite did not make is never removed."""
    folder = side_folder(output_dir, kind)
    if folder.exists() and not (folder / MARKER).is_file():
        raise FileExistsError(errno.EEXIST, "exists and was not made by healthsite", str(folder))
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    (folder / MARKER).write_text(MARKER_TEXT)
    return folder


def clean_stale(output_dir: Path) -> list[str]:
    """Remove side folders left by builds that were killed; returns a note for each.

    Only folders carrying healthsite's marker, whose process no longer runs, are removed: a
    build running now (in another terminal) keeps its own.
    """
    pattern = re.compile(rf"{re.escape(output_dir.name)}\.({'|'.join(SIDE_FOLDERS)})-(\d+)")
    notes = []
    try:
        names = os.listdir(output_dir.parent)
    except OSError:
        return []
    for name in sorted(names):
        match = pattern.fullmatch(name)
        folder = output_dir.parent / name
        if match is None or _alive(int(match[2])) or not (folder / MARKER).is_file():
            continue
        shutil.rmtree(folder, ignore_errors=True)
        if not folder.exists():
            notes.append(f"removed {name}/, left by a build that was stopped")
    return notes


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists, as another user's
        return True
    return True


def open_staging(output_dir: Path) -> Path:
    """A fresh, empty sibling folder of `output_dir` to build into; `swap_in` publishes it.

    Pages are written there as they are rendered (a large site is never held in memory), and
    later stages (the search index) work on the complete new site while the old one keeps
    being served. Refuses an `output_dir` that healthsite did not make.
    """
    if output_dir.exists() and not made_by_us(output_dir):
        raise WriteRefused(
            f"{output_dir.name}/ exists and was not made by healthsite, so it is not replaced: "
            "move it away or set another output_dir in site.yaml"
        )
    return new_side_folder(output_dir, "tmp")


@contextmanager
def _writing(target: Path) -> Iterator[None]:
    """An OS error while writing `target` names it (a failed `write` names no file)."""
    try:
        yield
    except OSError as exc:
        if exc.filename:
            raise
        raise OSError(exc.errno, exc.strerror, str(target)) from None


def write_file(root: Path, artifact: Artifact) -> None:
    """Write one output into a folder nobody reads yet (the staging folder)."""
    target = _inside(root, artifact.dest_path)
    with _writing(target):
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(artifact.content)


def copy_assets(root: Path, assets: AssetMap) -> None:
    for asset in assets.assets.values():
        _copy_asset(asset, _inside(root, asset.dest_path))


def _copy_asset(asset: Asset, target: Path) -> None:
    """Copy through the rule every input follows: a file swapped for a link or a pipe since it
    was hashed is refused, not copied."""
    origin = asset.origin or SiteFiles.of(asset.abs_path.parent)
    with _writing(target):
        target.parent.mkdir(parents=True, exist_ok=True)
        with origin.open(asset.abs_path, STATIC_LIMIT) as source, target.open("wb") as copy:
            shutil.copyfileobj(source, copy)


def discard(staging: Path) -> None:
    """Remove a staging folder that will not be published."""
    shutil.rmtree(staging, ignore_errors=True)


def made_by_us(folder: Path) -> bool:
    return folder.is_dir() and ((folder / MARKER).is_file() or not any(folder.iterdir()))


@dataclass
class InPlace:
    """An incremental write, staged: `commit()` puts it in `site/`, `discard()` forgets it."""

    output_dir: Path
    staging: Path
    moves: list[str] = field(default_factory=list)
    """Output paths whose new bytes are in the staging folder."""
    removed: tuple[str, ...] = ()

    @property
    def written(self) -> tuple[str, ...]:
        return tuple(sorted(self.moves))

    def commit(self) -> None:
        """Move every new file into place and remove the outputs that are gone; on a failure,
        put back every file as it was and raise."""
        aside = self.staging / ".replaced"
        done: list[tuple[Path, Path | None]] = []  # (target, its old file kept aside)
        try:
            for dest in [*self.moves, *self.removed]:
                target = _inside(self.output_dir, dest)
                kept = _keep_aside(target, aside / dest)
                done.append((target, kept))
                if dest in self.removed:
                    target.unlink(missing_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(self.staging / dest, target)
        except BaseException:
            for target, kept in reversed(done):
                _put_back(target, kept)
            self.discard()
            raise
        self.discard()
        for dest in self.removed:
            _remove_empty_parents(self.output_dir, _inside(self.output_dir, dest).parent)

    def discard(self) -> None:
        discard(self.staging)


def stage_in_place(
    output_dir: Path,
    changed: Iterable[Artifact],
    assets: AssetMap,
    before: Manifest,
    outputs: Mapping[str, object],
) -> InPlace:
    """Write what an incremental build changes (changed outputs, new static files) into a
    staging folder, and list the outputs that are gone; nothing in `output_dir` changes yet."""
    staging = new_side_folder(output_dir, "tmp")
    pending = InPlace(output_dir, staging)
    try:
        for artifact in changed:
            write_file(staging, artifact)
            pending.moves.append(artifact.dest_path)
        for asset in assets.assets.values():
            target = _inside(output_dir, asset.dest_path)
            if asset.dest_path not in before.assets or not target.is_file():
                _copy_asset(asset, _inside(staging, asset.dest_path))
                pending.moves.append(asset.dest_path)
    except BaseException:
        pending.discard()
        raise
    now = {a.dest_path for a in assets.assets.values()}
    pending.removed = tuple(
        sorted(
            [dest for dest in before.outputs if dest not in outputs]
            + [dest for dest in before.assets if dest not in now]
        )
    )
    return pending


def write_in_place(
    output_dir: Path,
    changed: Iterable[Artifact],
    assets: AssetMap,
    before: Manifest,
    outputs: Mapping[str, object],
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Update a site folder file by file, all or nothing (`stage_in_place`, then `commit`).
    Each file is replaced atomically, so a visitor (or the dev server) never reads half a
    page. Returns (written, removed) output paths."""
    pending = stage_in_place(output_dir, changed, assets, before, outputs)
    pending.commit()
    return pending.written, pending.removed


def _keep_aside(target: Path, keep: Path) -> Path | None:
    """A second name for the file at `target` (a hard link: the file stays in place), or
    None when there is none. Where links are not allowed, the file is moved aside."""
    if not os.path.lexists(target):
        return None
    keep.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(target, keep, follow_symlinks=False)
    except OSError:
        os.replace(target, keep)
    return keep


def _put_back(target: Path, kept: Path | None) -> None:
    try:
        if kept is None:
            target.unlink(missing_ok=True)
        else:
            os.replace(kept, target)
    except OSError:  # the next build is a full one (the manifest was forgotten)
        pass


def _remove_empty_parents(output_dir: Path, parent: Path) -> None:
    root = output_dir.resolve()
    while parent != root and parent.is_dir() and not any(parent.iterdir()):
        parent.rmdir()
        parent = parent.parent


def replace_folder(new: Path, old: Path) -> None:
    """Put `new` where `old` is, keeping `old` until `new` is in place."""
    aside = old.with_name(f"{old.name}.old-{os.getpid()}")
    shutil.rmtree(aside, ignore_errors=True)
    if old.exists():
        old.rename(aside)
    try:
        if new.exists():
            new.rename(old)
    except BaseException:
        if aside.exists():
            aside.rename(old)
        raise
    shutil.rmtree(aside, ignore_errors=True)


def swap_in(staging: Path, output_dir: Path) -> None:
    """Replace `output_dir` with `staging`: the old folder is renamed aside first, so at every
    moment either the old or the new complete site is at `output_dir`."""
    old = side_folder(output_dir, "old")
    shutil.rmtree(old, ignore_errors=True)
    if output_dir.exists():
        output_dir.rename(old)
    try:
        staging.rename(output_dir)
    except BaseException:
        if old.exists():
            old.rename(output_dir)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _inside(root: Path, dest_path: str) -> Path:
    """Resolve an output path, refusing anything that would land outside the output folder."""
    target = (root / dest_path).resolve()
    if not target.is_relative_to(root.resolve()):
        raise ValueError(f"output path escapes the site folder: {dest_path}")
    return target


#: errno → what went wrong writing, in words, and what to do about it.
_WRITE_WORDS: dict[int, tuple[str, str]] = {
    errno.ENOSPC: ("the disk is full", "free some space on the disk, then build again"),
    errno.EDQUOT: ("the disk quota is used up", "free some space, then build again"),
    errno.EROFS: (
        "the disk is read-only",
        "build on a disk you can write to, or set another output_dir in site.yaml",
    ),
    errno.EACCES: (
        "permission denied",
        "check that the user running the build may write to the site folder",
    ),
    errno.EPERM: (
        "permission denied",
        "check that the user running the build may write to the site folder",
    ),
    errno.EMFILE: ("too many files are open", "close other programs, then build again"),
    errno.ENFILE: ("too many files are open", "close other programs, then build again"),
    errno.EIO: ("the disk reported an error", "check the disk, then build again"),
    errno.ENAMETOOLONG: ("a file name is too long", "use a shorter path for the site folder"),
    errno.EEXIST: (
        "it exists and was not made by healthsite",
        "move it away (a build names its working folders after its process)",
    ),
}


def os_words(exc: OSError) -> tuple[str, str]:
    """What an OS error means for a build, and what to do: never `[Errno 28] ...`."""
    default = ((exc.strerror or "unknown error").lower(), "check the disk, then build again")
    return _WRITE_WORDS.get(exc.errno or 0, default)


def write_failure(exc: OSError, site_root: Path, output_dir: Path) -> Diagnostic:
    """A failed write as a diagnostic naming the file (relative to the site) or the output."""
    words, hint = os_words(exc)
    where = output_dir
    if exc.filename:
        where = Path(os.fsdecode(exc.filename))
    shown = _shown_name(SiteFiles.of(site_root).rel(where))
    return error(
        "write",
        f"could not write {shown}: {words}",
        shown,
        hint=f"{hint}; the previous site is unchanged",
    )


def _shown_name(shown: str) -> str:
    """A staging folder's file by the name it is written for: `site.tmp-12/x` → `site/x`."""
    return re.sub(r"^([^/]+)\.(?:tmp|old|search)-\d+", r"\1", shown)
