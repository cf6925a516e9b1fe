"""What fingerprinting large static files costs a build after an edit: N files of 4.6 MB (a phone
photo's size; random bytes named .mp4, so the media stage publishes them as they are and the
discover stage is what is measured) on the valid fixture site. After a cold build, one page is
edited and the site built again, alternately with the static files' digests the last build kept
(`.healthsite-cache/v1/static.pickle`) and with that file deleted (every file read and hashed,
as every build did before). In-process builds, a new `Memory` each, as the command line does.

    .venv/bin/python bench/static_digests_bench.py [--files 1000] [--rounds 4]

Results: bench/results/static-digests-<N>.json; ratios in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.machine import machine_info  # noqa: E402
from healthsite.build.pipeline import build  # noqa: E402

TODAY = dt.date(2026, 6, 1)
SIZE = 4_600_000


def make_site(root: Path, files: int) -> None:
    shutil.copytree(REPO / "tests/sites/valid", root)
    block = os.urandom(SIZE)
    folder = root / "static/clips"
    folder.mkdir(parents=True)
    an_hour_ago = time.time() - 3600
    for i in range(files):
        path = folder / f"c{i:04d}.mp4"
        path.write_bytes(block + i.to_bytes(4, "big"))  # each its own digest
        os.utime(path, (an_hour_ago, an_hour_ago))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()
    runs: dict[str, list[dict[str, float]]] = {"kept": [], "read": []}
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "site"
        make_site(root, args.files)
        cold = build(root, today=TODAY, clean=True).timings["discover"]
        page = next((root / "content/pages").glob("*.md"))
        for round_ in range(args.rounds):
            for way in ("kept", "read"):  # interleaved: the machine is shared
                page.write_text(page.read_text() + f"\nEdit {way} {round_}.\n")
                if way == "read":
                    (root / ".healthsite-cache/v1/static.pickle").unlink(missing_ok=True)
                start = time.perf_counter()
                report = build(root, today=TODAY)
                runs[way].append(
                    {
                        "discover_s": round(report.timings["discover"], 3),
                        "build_s": round(time.perf_counter() - start, 2),
                        "load": round(os.getloadavg()[0], 1),
                    }
                )
                print(way, runs[way][-1], flush=True)
    median = {
        way: {key: statistics.median(r[key] for r in rs) for key in ("discover_s", "build_s")}
        for way, rs in runs.items()
    }
    result = {
        "date": dt.date.today().isoformat(),
        "machine": machine_info(),
        "files": args.files,
        "file_bytes": SIZE,
        "cold_discover_s": round(cold, 2),
        "median": median,
        "runs": runs,
    }
    out = REPO / "bench/results" / f"static-digests-{args.files}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(median, indent=2))


if __name__ == "__main__":
    main()
