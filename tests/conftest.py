"""Shared fixtures: small sites written inline, fixture sites copied, the sample site built.

Helpers that are not fixtures (paths, the fixed test date, build and CLI runners) are in
`tests/helpers.py`, the one module test files import from.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from healthsite.build.pipeline import build
from tests.helpers import VALID_SITE, WriteTree, build_site, copy_sample_sources
from tests.photos import add_media, phone_photo


@pytest.fixture
def valid_site(tmp_path: Path) -> Path:
    """A fresh copy of the small valid fixture site."""
    target = tmp_path / "site-src"
    shutil.copytree(VALID_SITE, target)
    return target


@pytest.fixture
def write_tree(valid_site: Path) -> WriteTree:
    """Write files (path → text) over a copy of the valid site; `None`-like '' text deletes."""

    def write(files: dict[str, str]) -> Path:
        for rel, text in files.items():
            path = valid_site / rel
            if text == "":
                path.unlink()
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return valid_site

    return write


@pytest.fixture(scope="session")
def phone_jpeg(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 12-megapixel phone photo (4032 x 3024, about 4.5 MB), stored sideways with an EXIF
    rotation, GPS position and XMP: made once per session (it takes seconds)."""
    return phone_photo(tmp_path_factory.mktemp("photos") / "phone.jpg", 4032, 3024)


@pytest.fixture(scope="session")
def media_site(tmp_path_factory: pytest.TempPathFactory, phone_jpeg: Path) -> Path:
    """The valid fixture site with a phone photo, a video and a diagram, built once: its root."""
    root = tmp_path_factory.mktemp("media") / "site-src"
    shutil.copytree(VALID_SITE, root)
    add_media(root, phone_jpeg)
    build_site(root, clean=True)
    return root


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's sample clinic site, copied and built once per test session."""
    root = copy_sample_sources(tmp_path_factory.mktemp("sample"))
    build(root, strict_mode=True)  # the real date: the sample must pass CI today
    return root / "site"
