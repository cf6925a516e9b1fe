"""Write a finished build next to the old one, then swap: a failed build never touches `site/`."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from healthsite.build.receipt import MARKER
from healthsite.site.artifact import Artifact
from healthsite.site.assets import AssetMap

if TYPE_CHECKING:
    from healthsite.build.cache import Manifest


class WriteRefused(Exception):
    """The output folder holds something healthsite did not make; nothing was touched."""


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
    parent = output_dir.parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = parent / f"{output_dir.name}.tmp-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    (staging / MARKER).write_text("This folder is replaced by every healthsite build.\n")
    return staging


def write_file(root: Path, artifact: Artifact) -> None:
    """Write one output into a folder nobody reads yet (the staging folder)."""
    target = _inside(root, artifact.dest_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(artifact.content)


def copy_assets(root: Path, assets: AssetMap) -> None:
    for asset in assets.assets.values():
        target = _inside(root, asset.dest_path)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(asset.abs_path, target)


def discard(staging: Path) -> None:
    """Remove a staging folder that will not be published."""
    shutil.rmtree(staging, ignore_errors=True)


def made_by_us(folder: Path) -> bool:
    return folder.is_dir() and ((folder / MARKER).is_file() or not any(folder.iterdir()))


def write_in_place(
    output_dir: Path,
    changed: Iterable[Artifact],
    assets: AssetMap,
    before: Manifest,
    outputs: Mapping[str, object],
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Update a site folder file by file: changed outputs, new static files, and removal of
    outputs that are gone. Each file is replaced atomically, so a visitor (or the dev server)
    never reads half a page. Returns (written, removed) output paths."""
    written = []
    for artifact in changed:
        _replace_file(output_dir, artifact.dest_path, artifact.content)
        written.append(artifact.dest_path)
    for asset in assets.assets.values():
        target = _inside(output_dir, asset.dest_path)
        if asset.dest_path not in before.assets or not target.is_file():
            _replace_file(output_dir, asset.dest_path, asset.abs_path.read_bytes())
            written.append(asset.dest_path)
    now = {a.dest_path for a in assets.assets.values()}
    removed = sorted(
        [dest for dest in before.outputs if dest not in outputs]
        + [dest for dest in before.assets if dest not in now]
    )
    for dest in removed:
        target = _inside(output_dir, dest)
        target.unlink(missing_ok=True)
        parent = target.parent
        while parent != output_dir.resolve() and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent
    return tuple(sorted(written)), tuple(removed)


def _replace_file(root: Path, dest_path: str, content: bytes) -> None:
    target = _inside(root, dest_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    temporary.write_bytes(content)
    os.replace(temporary, target)


def replace_folder(new: Path, old: Path) -> None:
    """Put `new` where `old` is, keeping `old` until `new` is in place."""
    aside = old.with_name(f"{old.name}.old-{os.getpid()}")
    shutil.rmtree(aside, ignore_errors=True)
    if old.exists():
        old.rename(aside)
    if new.exists():
        new.rename(old)
    shutil.rmtree(aside, ignore_errors=True)


def swap_in(staging: Path, output_dir: Path) -> None:
    """Replace `output_dir` with `staging`: the old folder is renamed aside first, so at every
    moment either the old or the new complete site is at `output_dir`."""
    old = output_dir.parent / f"{output_dir.name}.old-{os.getpid()}"
    if output_dir.exists():
        output_dir.rename(old)
    staging.rename(output_dir)
    shutil.rmtree(old, ignore_errors=True)


def _inside(root: Path, dest_path: str) -> Path:
    """Resolve an output path, refusing anything that would land outside the output folder."""
    target = (root / dest_path).resolve()
    if not target.is_relative_to(root.resolve()):
        raise ValueError(f"output path escapes the site folder: {dest_path}")
    return target
