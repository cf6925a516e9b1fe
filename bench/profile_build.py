#!/usr/bin/env python3
"""Where a cold build's time goes: one build under cProfile, summed by stage and by library.

    .venv/bin/python bench/profile_build.py SITE                 # serial (HEALTHSITE_WORKERS=1)
    .venv/bin/python bench/profile_build.py SITE --workers 2     # the parent of a forked build
    .venv/bin/python bench/profile_build.py SITE --json out.json --top 40

SITE is copied to a scratch folder first (--workdir, default /tmp/profile-build), so the
corpus is never touched; the build is `--clean` (no cache), search included. Serial is the
honest profile: with workers, cProfile sees only the parent, which mostly waits.

Reported: the build's own stage timings (`BuildReport.timings`), the time the garbage
collector ran (from `gc.callbacks`, by generation), the time spent waiting for child processes
(Pagefind), and cProfile's own time ("tottime") summed by where the function lives
(Python-Markdown, Jinja's compiled templates, PyYAML, nh3, healthsite's modules, the file
system...), plus the top functions. cProfile slows pure-Python code down by about a third, so
compare shares, not seconds, with unprofiled builds.
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import gc
import json
import os
import pstats
import shutil
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
#: The build's "today" (review dates): the same as the other benchmarks, so no warnings.
SOURCE_DATE_EPOCH = "1796083200"

#: (label, substring of a profiled function's file path), first match wins.
GROUPS = (
    ("Python-Markdown", "/markdown/"),
    ("Jinja (library)", "/jinja2/"),
    ("Jinja (compiled templates)", "<template>"),
    ("Jinja (compiled templates)", ".html"),
    ("PyYAML", "/yaml/"),
    ("pydantic", "/pydantic"),
    ("nh3", "nh3"),
    ("babel", "/babel/"),
    ("markupsafe", "/markupsafe/"),
    ("gettext", "/gettext.py"),
    ("pickle/multiprocessing", "/multiprocessing/"),
    ("waiting for Pagefind", "/subprocess.py"),
    ("waiting for Pagefind", "pagefind.py:_run_pagefind"),
    ("pathlib", "/pathlib.py"),
    ("re", "/re/"),
    ("healthsite: content", "/healthsite/content/"),
    ("healthsite: render", "/healthsite/render/"),
    ("healthsite: search", "/healthsite/search/"),
    ("healthsite: site", "/healthsite/site/"),
    ("healthsite: build", "/healthsite/build/"),
    ("healthsite: other", "/healthsite/"),
)


def group_of(filename: str, name: str) -> str:
    if filename == "~":  # built-ins: name them by what they do
        if any(word in name for word in ("posix.", "io.open", "write", "read", "mkdir", "stat")):
            return "file system (built-ins)"
        if "pickle" in name or "_pickle" in name:
            return "pickle/multiprocessing"
        if "re.Pattern" in name or "_sre" in name:
            return "re"
        return "other built-ins"
    for label, needle in GROUPS:
        if needle in f"{filename}:{name}":
            return label
    return "other Python"


class GcClock:
    """Seconds (of `timer`) the cyclic garbage collector ran, per generation."""

    def __init__(self, timer: Any) -> None:
        self.timer = timer
        self.seconds = [0.0, 0.0, 0.0]
        self.runs = [0, 0, 0]
        self._start = 0.0

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._start = self.timer()
        else:
            generation = info["generation"]
            self.seconds[generation] += self.timer() - self._start
            self.runs[generation] += 1


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("site", type=Path)
    ap.add_argument("--workers", type=int, default=1, help="HEALTHSITE_WORKERS (default 1)")
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/profile-build"))
    ap.add_argument("--top", type=int, default=30)
    ap.add_argument("--json", type=Path, help="write the figures here too")
    ap.add_argument("--pstats", type=Path, help="save cProfile's raw statistics here (pstats)")
    ap.add_argument("--no-profile", action="store_true", help="only the timings and the GC")
    ap.add_argument(
        "--clock",
        choices=("cpu", "wall"),
        default="cpu",
        help="cProfile's clock: this process's CPU time (default: a loaded machine does not "
        "inflate it; waiting for Pagefind counts nothing) or wall time",
    )
    a = ap.parse_args(argv)
    os.environ["SOURCE_DATE_EPOCH"] = SOURCE_DATE_EPOCH
    if a.workers == 1:
        os.environ["HEALTHSITE_WORKERS"] = "1"
    site = a.workdir / "site"
    shutil.rmtree(a.workdir, ignore_errors=True)
    shutil.copytree(a.site, site, ignore=shutil.ignore_patterns("site", ".healthsite-*"))

    from healthsite.build.pipeline import build

    timer = time.process_time if a.clock == "cpu" else time.perf_counter
    clock = GcClock(timer)
    gc.callbacks.append(clock)
    profiler = None if a.no_profile else cProfile.Profile(timer)
    wall0, cpu0 = time.perf_counter(), time.process_time()
    children0 = os.times()
    if profiler is not None:
        profiler.enable()
    report = build(site, clean=True)
    if profiler is not None:
        profiler.disable()
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    children = os.times()
    gc.callbacks.remove(clock)
    child_cpu = (children.children_user - children0.children_user) + (
        children.children_system - children0.children_system
    )
    out: dict[str, Any] = {
        "site": str(a.site),
        "pages": report.pages,
        "workers": a.workers,
        "wall_s": round(wall, 2),
        "process_cpu_s": round(cpu, 2),
        "children_cpu_s": round(child_cpu, 2),
        "stages_s": {k: round(v, 2) for k, v in report.timings.items()},
        "gc_s_by_generation": [round(s, 2) for s in clock.seconds],
        "gc_runs_by_generation": clock.runs,
        "loadavg": os.getloadavg(),
    }
    print(
        f"{report.pages} pages, wall {wall:.1f} s, this process {cpu:.1f} CPU s, "
        f"children {child_cpu:.1f} CPU s; load {os.getloadavg()[0]:.1f}"
    )
    print("stages: " + ", ".join(f"{k} {v:.2f} s" for k, v in report.timings.items()))
    print(
        "garbage collector: "
        + ", ".join(
            f"gen{g} {s:.2f} s ({n} runs)"
            for g, (s, n) in enumerate(zip(clock.seconds, clock.runs, strict=True))
        )
    )
    if profiler is not None:
        stats = pstats.Stats(profiler)
        if a.pstats:
            stats.dump_stats(a.pstats)
        groups: dict[str, float] = collections.Counter()
        rows = []
        for (filename, _line, name), (_cc, _nc, tottime, cumtime, _) in stats.stats.items():  # type: ignore[attr-defined]
            groups[group_of(filename, name)] += tottime
            rows.append(
                (tottime, cumtime, f"{Path(filename).name}:{name}" if filename != "~" else name)
            )
        total = sum(groups.values())
        print(f"\nprofiled {a.clock} time by library (tottime, {total:.1f} s in all):")
        for label, seconds in sorted(groups.items(), key=lambda item: -item[1]):
            print(f"  {seconds:7.2f} s {100 * seconds / total:5.1f} %  {label}")
        print(f"\ntop {a.top} functions by own time:")
        for tottime, cumtime, name in sorted(rows, reverse=True)[: a.top]:
            print(f"  {tottime:7.2f} s (cum {cumtime:7.2f} s)  {name}")
        out["profiled_by_group_s"] = {k: round(v, 2) for k, v in groups.items()}
        out["top_functions"] = [
            {"tottime": round(t, 3), "cumtime": round(c, 3), "name": n}
            for t, c, n in sorted(rows, reverse=True)[: a.top]
        ]
    if a.json:
        a.json.write_text(json.dumps(out, indent=2) + "\n")
    shutil.rmtree(a.workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
