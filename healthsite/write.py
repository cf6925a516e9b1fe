"""Write a finished build next to the old one, then swap: a failed build never touches `site/`."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .static import AssetMap


@dataclass(frozen=True, slots=True)
class Artifact:
    """A finished output file, as bytes, with where it goes."""

    dest_path: str
    content: bytes


#: Written into every build. A folder without it was not made by healthsite, and is never replaced.
MARKER = ".healthsite-output"


class WriteRefused(Exception):
    """The output folder holds something healthsite did not make; nothing was touched."""


@dataclass(frozen=True, slots=True)
class WriteResult:
    """What the write stage produced."""

    pages: int
    files: int
    bytes: int


def write_staging(
    output_dir: Path, artifacts: Iterable[Artifact], assets: AssetMap
) -> tuple[Path, WriteResult]:
    """Write everything into a fresh sibling folder of `output_dir`; `swap_in` publishes it.

    Between the two, later stages (the search index) work on the complete new site while the
    old one keeps being served.
    """
    if output_dir.exists() and not _made_by_us(output_dir):
        raise WriteRefused(
            f"{output_dir.name}/ exists and was not made by healthsite, so it is not replaced: "
            "move it away or set another output_dir in site.yaml"
        )
    parent = output_dir.parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = parent / f"{output_dir.name}.tmp-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    pages = files = size = 0
    try:
        (staging / MARKER).write_text("This folder is replaced by every healthsite build.\n")
        for artifact in artifacts:
            target = _inside(staging, artifact.dest_path)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(artifact.content)
            pages += artifact.dest_path.endswith(".html")
            files += 1
            size += len(artifact.content)
        for asset in assets.assets.values():
            target = _inside(staging, asset.dest_path)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(asset.abs_path, target)
            files += 1
            size += target.stat().st_size
    except BaseException:
        discard(staging)
        raise
    return staging, WriteResult(pages, files, size)


def discard(staging: Path) -> None:
    """Remove a staging folder that will not be published."""
    shutil.rmtree(staging, ignore_errors=True)


def _made_by_us(folder: Path) -> bool:
    return folder.is_dir() and ((folder / MARKER).is_file() or not any(folder.iterdir()))


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
