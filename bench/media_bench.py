"""What pictures cost a build: N phone photos (4032 x 3024 JPEG, about 4.5 MB, rotated, with
GPS) on one exercise page each, built cold (empty media cache) and warm (cache full, output
gone), and the sample site's cold build for comparison.

    .venv/bin/python bench/media_bench.py [--photos 1000] [--distinct 40]

`--distinct` photos are drawn; the rest are copies with a few bytes appended after the JPEG's
end (Pillow ignores them), so each has its own digest and is encoded like a new photo.
Results: bench/results/media-<N>.json; ratios in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
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
from tests.photos import phone_photo  # noqa: E402

EXERCISE = (REPO / "tests/sites/valid/content/exercises/bridge.md").read_text()


def make_site(root: Path, photos: int, distinct: int) -> None:
    shutil.copytree(REPO / "tests/sites/valid", root)
    drawn = [phone_photo(root / f"drawn-{i}.jpg", 4032, 3024, seed=i) for i in range(distinct)]
    for i in range(photos):
        data = drawn[i % distinct].read_bytes() + f"copy {i}".encode()
        (root / "static/photos").mkdir(parents=True, exist_ok=True)
        (root / f"static/photos/p{i:04d}.jpg").write_bytes(data)
        page = EXERCISE.replace("src: img/pose.svg", f"src: photos/p{i:04d}.jpg")
        page = page.replace("name: Bridge", f"name: Bridge {i}")
        (root / f"content/exercises/bridge-{i:04d}.md").write_text(page)
    for path in drawn:
        path.unlink()


def timed(root: Path, clean: bool) -> tuple[float, float]:
    start = time.perf_counter()
    report = build(root, today=dt.date(2026, 6, 1), clean=clean)
    return time.perf_counter() - start, report.timings.get("media", 0.0)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--photos", type=int, default=1000)
    parser.add_argument("--distinct", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "site"
        make_site(root, args.photos, args.distinct)
        size = statistics.mean(p.stat().st_size for p in (root / "static/photos").iterdir())
        cold, cold_media = timed(root, clean=True)
        shutil.rmtree(root / "site")
        warm, warm_media = timed(root, clean=False)  # output gone, media cache full
        published = sum(p.stat().st_size for p in (root / "site/static/photos").iterdir())
    result = {
        "date": dt.date.today().isoformat(),
        "machine": machine_info(),
        "photos": args.photos,
        "mean_source_bytes": round(size),
        "cold_build_s": round(cold, 2),
        "cold_media_s": round(cold_media, 2),
        "cold_per_photo_s": round(cold_media / args.photos, 4),
        "warm_build_s": round(warm, 2),
        "warm_media_s": round(warm_media, 3),
        "warm_per_photo_ms": round(1000 * warm_media / args.photos, 3),
        "published_bytes_per_photo": round(published / args.photos),
    }
    out = REPO / "bench/results" / f"media-{args.photos}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
