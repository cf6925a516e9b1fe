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

import os
import posixpath
import shutil
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from healthsite.build.receipt import MARKER
from healthsite.build.side_folders import new_side_folder, side_folder
from healthsite.inputs import STATIC_LIMIT
from healthsite.search.pagefind import searchable
from healthsite.site.artifact import Artifact
from healthsite.site.assets import Asset, AssetMap

if TYPE_CHECKING:
    from healthsite.build.manifest import Manifest


class WriteRefused(Exception):
    """The output folder holds something healthsite did not make; nothing was touched."""


class PageFeed(Protocol):
    """Where pages go to be found: the search index, fed as the pages are made."""

    def add_page(self, path: str, html: str) -> None: ...


@dataclass(slots=True)
class Output:
    """Where a build's files go: a staging folder swapped in at the end (a full build), or the
    site folder itself, file by file, once every output is made (an incremental build).

    Into staging, the process that renders a page writes it (`write_page`, in a forked worker
    as well), into folders made once beforehand (`make_folders`), and hands back only what the
    build's own process needs: no page travels between processes or waits in memory.
    """

    output_dir: Path
    staging: Path | None = None
    refused: WriteRefused | None = None
    """The output folder is not ours: reported once rendering has shown every other problem."""
    search: PageFeed | None = None
    """Takes every HTML file written to staging, cut down to what is found (`searchable`)."""
    changed: list[Artifact] = field(default_factory=list)
    """In place: the files to write, held until every output is made."""
    pending: InPlace | None = None
    """In place: the new files, staged by the write stage, moved in by `publish`."""

    def keep(self, artifact: Artifact) -> None:
        """Take one finished output file, in the build's own process."""
        self.make_folders([artifact.dest_path])
        self.took(artifact.dest_path, self.write_page(artifact))

    def write_page(self, artifact: Artifact) -> Artifact | str | None:
        """Write a page into staging, in whichever process rendered it: returns what the build's
        own process must still take (`took`): the page cut down for the search index (a str),
        or the page itself when it is not written yet (in place)."""
        if self.staging is None:
            return artifact if self.refused is None else None
        target = os.path.join(self.staging, artifact.dest_path)
        with _writing(Path(target)), open(target, "wb") as file:
            file.write(artifact.content)
        if self.search is None or not artifact.dest_path.endswith(".html"):
            return None
        return searchable(artifact.content.decode("utf-8"))

    def took(self, dest_path: str, handed: Artifact | str | None) -> None:
        """What `write_page` handed back, taken in the build's own process."""
        if isinstance(handed, str):
            assert self.search is not None
            self.search.add_page(dest_path, handed)
        elif handed is not None:
            self.changed.append(handed)

    def make_folders(self, dest_paths: Iterable[str]) -> None:
        """Make, once each, the folders of staging that these outputs go in, refusing a path
        that would land outside it (a fresh staging folder holds no links to follow)."""
        if self.staging is None:
            return
        folders = set()
        for dest in dest_paths:
            _check_relative(dest)
            folders.add(posixpath.dirname(dest))
        for folder in sorted(folders):  # a parent before its children
            if folder:
                target = os.path.join(self.staging, folder)
                with _writing(Path(target)):
                    os.makedirs(target, exist_ok=True)

    def publish(self) -> None:
        """Put the new site in place: the staging folder swapped in whole, or each staged file
        moved in (all or nothing)."""
        if self.staging is not None:
            swap_in(self.staging, self.output_dir)
        elif self.pending is not None:
            self.pending.commit()

    def discard(self) -> None:
        """Forget what was written beside the site (a failed build)."""
        if self.staging is not None:
            discard(self.staging)
        if self.pending is not None:
            self.pending.discard()


@dataclass(frozen=True, slots=True)
class Written:
    """What the write stage did."""

    written: tuple[str, ...]
    """Output paths written, sorted."""
    removed: tuple[str, ...]
    """Output paths removed because their source is gone."""
    assets: dict[str, int]
    """Every static file in the site now (fingerprinted path → size)."""


def write_outputs(
    output: Output, outputs: Mapping[str, object], assets: AssetMap, before: Manifest | None
) -> Written:
    """Finish writing beside the site: static files into staging, or (in place) the changed
    files staged and the outputs that are gone listed. `Output.publish` puts them in."""
    sizes = {a.dest_path: a.size for a in assets.assets.values()}
    if output.staging is not None:
        copy_assets(output.staging, assets)
        return Written(tuple(sorted([*outputs, *assets.dests])), (), sizes)
    assert before is not None
    pending = output.pending = stage_in_place(
        output.output_dir, output.changed, assets, before, outputs
    )
    return Written(pending.written, pending.removed, sizes)


def open_output(output_dir: Path, incremental: bool) -> Output:
    """A staging folder for a full build (`incremental` false, or the folder is not ours to
    update in place: then pages go there as they are made, never all in memory); else the
    site folder itself."""
    if incremental and made_by_us(output_dir):
        return Output(output_dir)
    try:
        return Output(output_dir, open_staging(output_dir))
    except WriteRefused as refusal:
        return Output(output_dir, refused=refusal)


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
    """Write one output into a folder nobody reads yet (a staging folder)."""
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
    with _writing(target):
        target.parent.mkdir(parents=True, exist_ok=True)
        with asset.files.open(asset.abs_path, STATIC_LIMIT) as source, target.open("wb") as copy:
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


def _check_relative(dest_path: str) -> None:
    """Refuse an output path that leaves the folder it is written into, by its spelling."""
    normal = posixpath.normpath(dest_path)
    if posixpath.isabs(normal) or normal == ".." or normal.startswith("../"):
        raise ValueError(f"output path escapes the site folder: {dest_path}")


def _inside(root: Path, dest_path: str) -> Path:
    """Resolve an output path, refusing anything that would land outside the output folder."""
    target = (root / dest_path).resolve()
    if not target.is_relative_to(root.resolve()):
        raise ValueError(f"output path escapes the site folder: {dest_path}")
    return target
