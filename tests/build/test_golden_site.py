"""The golden site: a small site that reaches every stage, its whole output checked in.

`tests/sites/golden/source/` is the site (two languages, an article embedding an exercise, a
translated exercise, a page, the clinic). Checked in beside it:

- `files.txt`: every output path, except the Pagefind bundle's (its bytes are Pagefind's own,
  and change with Pagefind's version);
- `expected/`: the bytes of every one of those files, except the fingerprinted static files
  under `static/` (copies of the theme's and the site's files, whose names carry a digest of
  their bytes: a changed file shows as a changed name in `files.txt` and in the pages);
- `stderr.txt`: the problems the build reports, as an editor sees them.

The service worker's version is a digest of everything the site is made from, the engine's own
code included: it is compared as a 16-digit digest, not digit for digit.

After an intended change of output, regenerate with
`HEALTHSITE_REGENERATE=1 pytest tests/build/test_golden_site.py` and review the diff.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from tests.helpers import SITES, run_cli, tree

GOLDEN = SITES / "golden"
BUNDLE = "pagefind/"
ASSETS = "static/"
WORKER_VERSION = re.compile(rb'"version": "[0-9a-f]{16}"')


def comparable(path: str, data: bytes) -> bytes:
    """A file as the test compares it: the service worker without its version's digits."""
    if path == "sw.js":
        data, found = WORKER_VERSION.subn(b'"version": "(a digest)"', data)
        assert found == 1, "sw.js has no version"
    return data


def test_golden_site_output_is_exactly_the_checked_in_output(tmp_path: Path) -> None:
    site = tmp_path / "src"
    shutil.copytree(GOLDEN / "source", site)
    result = run_cli("build", "--site", str(site))
    assert result.returncode == 0, result.stderr
    made = tree(site / "site")
    files = sorted(path for path in made if not path.startswith(BUNDLE))
    contents = {path: comparable(path, made[path]) for path in files if not path.startswith(ASSETS)}
    if os.environ.get("HEALTHSITE_REGENERATE"):
        shutil.rmtree(GOLDEN / "expected", ignore_errors=True)
        for path, data in contents.items():
            (GOLDEN / "expected" / path).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / "expected" / path).write_bytes(data)
        (GOLDEN / "files.txt").write_text("".join(f"{path}\n" for path in files))
        (GOLDEN / "stderr.txt").write_text(result.stderr)

    assert files == (GOLDEN / "files.txt").read_text().splitlines()
    expected = tree(GOLDEN / "expected")
    assert sorted(expected) == sorted(contents)
    different = [path for path in contents if contents[path] != expected[path]]
    assert different == [], "regenerate if intended (see this file's docstring)"
    assert result.stderr == (GOLDEN / "stderr.txt").read_text()
    assert "pagefind/pagefind-entry.json" in made  # the search index was made too
