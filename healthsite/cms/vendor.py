"""Where the vendored Decap CMS lives, and how setup puts it there (never a build or a serve).

Decap CMS comes from npm's registry as the `decap-cms` package: its `dist/decap-cms.js` is the
browser bundle with React inside (`decap-cms-app`, the same release, leaves React to a bundler).
`scripts/setup.sh` downloads the tarball once, checks it against the integrity hash pinned
here before unpacking anything, and keeps only the files a browser loads (no source maps) in
`<venv>/share/healthsite/decap-cms-<version>/`. Serving /admin/ reads them from there; it never
downloads anything.
"""

from __future__ import annotations

import base64
import hashlib
import io
import sys
import tarfile
import urllib.request
from pathlib import Path, PurePosixPath

PACKAGE = "decap-cms"
VERSION = "3.16.3"
#: `npm view decap-cms@3.16.3 dist.integrity`
INTEGRITY = (
    "sha512-hf+dPlCh7TJmWl8+6VRzHYOWhri5xgUknrZbDewaWe4s9B7xJ8PQugp2Q"
    "HeSldMUKzav6+z0oIpwUYhUJDYtYw=="
)
TARBALL = f"https://registry.npmjs.org/{PACKAGE}/-/{PACKAGE}-{VERSION}.tgz"
ENTRY = "decap-cms.js"


def cms_folder(prefix: Path | None = None) -> Path:
    """The unpacked bundle's folder in this Python environment."""
    return Path(prefix or sys.prefix) / "share" / "healthsite" / f"{PACKAGE}-{VERSION}"


def installed(prefix: Path | None = None) -> bool:
    return (cms_folder(prefix) / ENTRY).is_file()


def verified(data: bytes, integrity: str) -> bool:
    """Does `data` match an npm `dist.integrity` value (`sha512-<base64>`)?"""
    algorithm, _, expected = integrity.partition("-")
    return base64.b64encode(hashlib.new(algorithm, data).digest()).decode() == expected


def browser_files(archive: tarfile.TarFile) -> dict[str, bytes]:
    """The files of `package/dist/` a browser loads for `decap-cms.js`: the bundle, its
    lazily loaded chunks (`<n>.decap-cms.js`), its WebAssembly and its licence notice.
    `cms.js` (a second copy under an older name) and source maps are left out."""
    files: dict[str, bytes] = {}
    for member in archive.getmembers():
        path = PurePosixPath(member.name)
        if not member.isfile() or path.parent != PurePosixPath("package/dist"):
            continue
        name = path.name
        wanted = (
            name == ENTRY
            or name.endswith(".decap-cms.js")
            or name == f"{ENTRY}.LICENSE.txt"
            or name.endswith(".wasm")
        )
        extracted = archive.extractfile(member) if wanted else None
        if extracted is not None:
            files[name] = extracted.read()
    return files


def install(prefix: Path | None = None, *, timeout: float = 300) -> str:
    """Download, check and unpack the pinned Decap CMS; returns a line saying what happened.

    Raises `ValueError` when the download does not match its pinned hash (nothing is written)
    and `OSError` when it cannot be downloaded.
    """
    target = cms_folder(prefix)
    if installed(prefix):
        return f"Decap CMS {VERSION} is installed in {target}"
    with urllib.request.urlopen(TARBALL, timeout=timeout) as response:
        data = response.read()
    if not verified(data, INTEGRITY):
        raise ValueError(f"{TARBALL}: the download does not match its pinned integrity hash")
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        files = browser_files(archive)
    if ENTRY not in files:
        raise ValueError(f"{TARBALL}: no dist/{ENTRY} inside")
    partial = target.with_name(target.name + ".partial")
    partial.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (partial / name).write_bytes(content)
    partial.replace(target)
    size = sum(len(content) for content in files.values())
    return f"Decap CMS {VERSION} installed in {target} ({len(files)} files, {size // 1024} KB)"


def main() -> int:
    """`python -m healthsite.cms.vendor`: what scripts/setup.sh runs."""
    try:
        print(install())
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(
            f"Decap CMS {VERSION} not downloaded ({exc}): the site builds and serves as "
            "before, but /admin/ says how to install the editor",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
