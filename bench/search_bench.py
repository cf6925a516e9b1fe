#!/usr/bin/env python3
"""Site search at 1,000 or 10,000 pages: healthsite (Pagefind) against MkDocs' built-in search.

    .venv/bin/python bench/search_bench.py --pages 1000
    .venv/bin/python bench/search_bench.py --pages 10000 --runs 3

Pages are 90 % articles and 10 % exercises from the shared corpus generator
(../shared/bench/corpus.py, same seed, same text in both layouts). Everything generated lives
in --work (default /tmp/healthsite-bench) and is reused when present: plain-N/ and mkdocs-N/
(corpora), site-N/ (healthsite site from bench/convert_corpus.py), mkdocs-venv/ (MkDocs,
installed on first use), mkdocs-out-N/ (MkDocs output).

Measured, in this order:

1. healthsite: a strict build in a subprocess (SOURCE_DATE_EPOCH pinned) with the engine's own
   stage timings; the `index` stage is the search index. The Pagefind binary the engine
   picks is wrapped (PAGEFIND_BINARY_PATH) so its own wall time, CPU time and peak RSS are
   recorded.
2. Pagefind bundle on disk (site/pagefind/), by part.
2b. With --hugo: Pagefind's own command line on Hugo's output of the same corpus
   (`corpus.py --layout hugo`, built once into hugo-out-N/), the issue's reference for the
   index stage: once with the binary the engine runs and once with the `pagefind[bin]`
   wheel's, each in a fresh output folder; wall, CPU and peak RSS.
3. MkDocs 1.6 (`mkdocs-smallnav.yml`: 3-entry nav, search plugin on; and the same without
   search, so the search plugin's share of the build is known): build time, peak RSS,
   search_index.json size raw and gzipped.
4. Headless Chromium (Playwright on /usr/bin/chromium), every run in a fresh browser context
   (empty cache), the site served from 127.0.0.1 by an in-process server that logs every file:
   - typed:    open the search page, wait until it is idle (MkDocs: until its worker says the
               index is built), then put the query in the box; time from the page seeing the
               keystroke (`input`; MkDocs: `keyup`) to the results being in the DOM.
   - filtered: healthsite only: open /search/?category=stretching (the filter ticked), wait
               until idle, type the query; same clock.
   - cold:     open the search page with the query in the URL (/search/?q=knee; MkDocs:
               /?q=knee, which opens its search modal); time from navigation start to results
               in the DOM. This is what the header search box on every page does.
   Bytes are response bodies as sent (no server compression). Pagefind's index, fragment,
   filter, meta and wasm files are gzip already; everything else that compresses (html, js,
   css, json) is also reported at gzip -6, what a static host with compression sends ("wire").

Prints a table and writes bench/results/search-N.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import gzip
import hashlib
import http.server
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "bench"
# the shared benchmark tools sit beside the project (shared/bench/corpus.py)
CORPUS_PY = Path(os.environ.get("HS_CORPUS_PY", REPO.parent / "shared" / "bench" / "corpus.py"))
sys.path.insert(0, str(REPO))
from machine import machine_info  # noqa: E402 - beside this script

from healthsite.search.pagefind import indexed_pages, pagefind_executable  # noqa: E402 - the engine's
from tests.helpers import CHROMIUM_ARGS as CHROME_ARGS  # noqa: E402 - one setup

CHROMIUM = os.environ.get("HS_CHROMIUM", "/usr/bin/chromium")
#: The build's "today" (review-date checks): fixed, so the corpus builds warning-free on any day.
SOURCE_DATE_EPOCH = str(int(dt.datetime(2026, 12, 1, tzinfo=dt.UTC).timestamp()))
GZIP_TYPES = (".html", ".js", ".mjs", ".css", ".json", ".svg", ".xml", ".txt", ".map")
SEARCH_PAGE = "search/index.html"
PROBE_DIR = "__bench_search"

# ------------------------------------------------------------------------------ small helpers


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def run_measured(cmd: list[str], *, cwd: Path | None = None, env: dict | None = None):
    """Run a command; return (returncode, stdout, stderr, wall s, cpu s, peak RSS bytes).

    Uses os.wait4 so the child's own rusage (it and its waited-for descendants) is exact.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return (
            proc.returncode,
            out.read().decode(errors="replace"),
            err.read().decode(errors="replace"),
            wall,
            usage.ru_utime + usage.ru_stime,
            usage.ru_maxrss * 1024,
        )


def dir_size(path: Path) -> tuple[int, int]:
    total = count = 0
    for root, _, files in os.walk(path):
        for name in files:
            total += os.path.getsize(os.path.join(root, name))
            count += 1
    return total, count


def gz_size(data: bytes) -> int:
    return len(gzip.compress(data, 6, mtime=0))


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt_ms(v):
    return "—" if v is None else f"{v:,.0f} ms"


def fmt_s(v):
    return "—" if v is None else f"{v:,.2f} s"


def fmt_b(v):
    if v is None:
        return "—"
    if v >= 10e6:
        return f"{v / 1e6:,.1f} MB"
    if v >= 1e6:
        return f"{v / 1e6:,.2f} MB"
    return f"{v / 1e3:,.1f} kB"


def ratio(a, b):
    if a in (None, 0) or b in (None, 0):
        return "—"
    r = b / a
    return f"{r:,.1f}x" if r >= 1 else f"1/{1 / r:,.1f}"


# ------------------------------------------------------------------------------ inputs


def ensure_corpora(work: Path, pages: int) -> dict[str, Path]:
    articles, exercises = pages * 9 // 10, pages // 10
    paths = {layout: work / f"{layout}-{pages}" for layout in ("plain", "mkdocs")}
    procs = []
    for layout, path in paths.items():
        if path.is_dir() and any(path.iterdir()):
            continue
        log(f"generating {path} ({articles} articles + {exercises} exercises, {layout})")
        procs.append(
            subprocess.Popen(
                [
                    sys.executable,
                    str(CORPUS_PY),
                    str(path),
                    "--articles",
                    str(articles),
                    "--exercises",
                    str(exercises),
                    "--layout",
                    layout,
                ],
                stdout=subprocess.DEVNULL,
            )
        )
    for proc in procs:
        if proc.wait() != 0:
            raise SystemExit("corpus generation failed")
    return paths


def ensure_site(work: Path, pages: int, plain: Path) -> Path:
    """The converted healthsite site, redone when the converter changed since it was made."""
    site = work / f"site-{pages}"
    stamp = hashlib.sha256((BENCH / "convert_corpus.py").read_bytes()).hexdigest()
    stamp_file = site / ".bench-converter"
    if site.is_dir() and stamp_file.is_file() and stamp_file.read_text() == stamp:
        return site
    log(f"converting {plain} -> {site}")
    cmd = [sys.executable, str(BENCH / "convert_corpus.py"), str(plain), str(site), "--force"]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    stamp_file.write_text(stamp)
    return site


def pagefind_wrapper(tmp: Path, record: Path) -> Path:
    """An executable that runs the Pagefind binary the engine would and records its wall, CPU
    and peak RSS: it forwards signals, waits for the child with os.wait4 and appends
    "wall user sys maxrss_kb" to `record`.
    """
    real = pagefind_executable()
    wrapper = tmp / "pagefind-measured"
    wrapper.write_text(
        f"#!{sys.executable} -IS\n"
        "import os, signal, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        f"p = subprocess.Popen([{str(real)!r}, *sys.argv[1:]])\n"
        "def forward(sig, frame):\n"
        "    try:\n"
        "        p.send_signal(sig)\n"
        "    except ProcessLookupError:\n"
        "        pass\n"
        "signal.signal(signal.SIGTERM, forward)\n"
        "signal.signal(signal.SIGINT, forward)\n"
        "_, st, ru = os.wait4(p.pid, 0)\n"
        f"with open({str(record)!r}, 'a') as f:\n"
        "    f.write('%.3f %.2f %.2f %d\\n' % (time.perf_counter() - t,\n"
        "            ru.ru_utime, ru.ru_stime, ru.ru_maxrss))\n"
        "code = os.waitstatus_to_exitcode(st)\n"
        "sys.exit(code if code >= 0 else 128 - code)\n"
    )
    wrapper.chmod(0o755)
    return wrapper


def read_pf_record(record: Path) -> dict | None:
    """The last Pagefind process's numbers (GNU time appends one line per process)."""
    lines = (
        [line for line in record.read_text().splitlines() if line.strip()]
        if record.is_file()
        else []
    )
    if not lines:
        return None
    wall, user, system, rss_kb = lines[-1].split()[-4:]
    return {
        "wall_s": float(wall),
        "cpu_s": float(user) + float(system),
        "peak_rss": int(rss_kb) * 1024,
        "processes": len(lines),
    }


BUILD_SNIPPET = r"""
import json, sys, time
from pathlib import Path
from healthsite.diagnostics import BuildFailed
from healthsite.build.pipeline import build
root = Path(sys.argv[1])
start = time.perf_counter()
try:
    report = build(root, strict_mode=True, clean=True)  # a cold build: no parse cache
except BuildFailed as failure:
    for d in failure.diagnostics:
        print(d.render(root), file=sys.stderr)
    sys.exit(1)
print(json.dumps({"seconds": time.perf_counter() - start, "timings": report.timings,
                  "pages": report.pages, "files": report.files, "bytes": report.bytes,
                  "warnings": [d.render(root) for d in report.warnings]}))
"""


def bench_healthsite_build(site: Path, tmp: Path) -> dict:
    record = tmp / "pagefind-time.txt"
    record.unlink(missing_ok=True)
    env = dict(
        os.environ,
        SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH,
        PAGEFIND_BINARY_PATH=str(pagefind_wrapper(tmp, record)),
    )
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    # site-N is the bench's own: start from no output, and drop what interrupted builds left
    for leftover in [site / "site", *site.glob("site.tmp-*"), *site.glob("site.old-*")]:
        shutil.rmtree(leftover, ignore_errors=True)
    log(f"healthsite: building {site} (strict)")
    rc, out, err, wall, cpu, rss = run_measured(
        [sys.executable, "-c", BUILD_SNIPPET, str(site)], cwd=REPO, env=env
    )
    if rc != 0:
        raise SystemExit(f"healthsite build failed:\n{err[-4000:]}")
    report = json.loads(out.strip().splitlines()[-1])
    result = {
        "build_wall_s": wall,
        "build_cpu_s": cpu,
        "build_peak_rss": rss,
        "build_seconds_in_process": report["seconds"],
        "stage_timings_s": report["timings"],
        "pages_written": report["pages"],
        "warnings": report["warnings"],
    }
    if "index" not in report["timings"]:
        raise SystemExit("the healthsite build has no index stage: is search turned off?")
    result["index_source"] = (
        "engine index stage (healthsite/search/pagefind.py, Pagefind command line)"
    )
    result["index_stage_s"] = report["timings"]["index"]
    result["pagefind_process"] = read_pf_record(record)
    return result


def pagefind_bundle(output: Path) -> dict:
    pf = output / "pagefind"
    total, count = dir_size(pf)
    parts = {}
    for sub in ("index", "fragment", "filter"):
        size, n = dir_size(pf / sub) if (pf / sub).is_dir() else (0, 0)
        parts[sub] = {"bytes": size, "files": n}
    unused_ui = sum(
        (pf / name).stat().st_size
        for name in os.listdir(pf)
        if (pf / name).is_file()
        and name.startswith(
            ("pagefind-ui", "pagefind-modular-ui", "pagefind-component-ui", "pagefind-highlight")
        )
    )
    files = {n: (pf / n).stat().st_size for n in sorted(os.listdir(pf)) if (pf / n).is_file()}
    entry = json.loads((pf / "pagefind-entry.json").read_text())
    return {
        "bytes": total,
        "files": count,
        "parts": parts,
        "top_level_files": files,
        "ui_files_not_used_bytes": unused_ui,
        "pages_indexed": indexed_pages(pf),
        "version": entry.get("version"),
    }


# ------------------------------------------------------------------------------ Hugo + Pagefind


def bench_pagefind_on_hugo(work: Path, pages: int, hugo: str, tmp: Path) -> dict:
    """Pagefind's command line on Hugo's output of the same corpus: the index stage's yardstick.

    Run with the binary the engine runs and with the `pagefind[bin]` wheel's, so a faster
    Pagefind release cannot pass for a faster index stage.
    """
    from pagefind_bin import get_executable

    source = work / f"hugo-{pages}"
    if not (source.is_dir() and any(source.iterdir())):
        log(f"generating {source} (hugo layout)")
        counts = ["--articles", str(pages * 9 // 10), "--exercises", str(pages // 10)]
        subprocess.run(
            [sys.executable, str(CORPUS_PY), str(source), *counts, "--layout", "hugo"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    public = work / f"hugo-out-{pages}"
    if not (public / "index.html").is_file():
        log(f"hugo: building {source}")
        shutil.rmtree(public, ignore_errors=True)
        subprocess.run([hugo, "--quiet", "-d", str(public)], cwd=source, check=True)
    version = subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.strip()
    binaries = {"engine's": pagefind_executable(), "pagefind[bin] wheel's": get_executable()}
    result: dict = {"hugo": version, "html_files": sum(1 for _ in public.rglob("*.html"))}
    runs = {}
    for label, binary in binaries.items():
        if str(binary) in [r["binary"] for r in runs.values()]:
            continue  # the engine runs the wheel's binary: once is enough
        out = tmp / f"pagefind-on-hugo-{len(runs)}"
        shutil.rmtree(out, ignore_errors=True)
        log(f"Pagefind CLI ({label} binary) on {public}")
        cmd = [str(binary), "--site", str(public), "--output-path", str(out), "--quiet"]
        rc, _, err, wall, cpu, rss = run_measured(cmd)
        if rc != 0:
            raise SystemExit(f"Pagefind on Hugo's output failed:\n{err[-2000:]}")
        entry = json.loads((out / "pagefind-entry.json").read_text())
        runs[label] = {
            "binary": str(binary),
            "version": entry.get("version"),
            "pages_indexed": indexed_pages(out),
            "wall_s": wall,
            "cpu_s": cpu,
            "peak_rss": rss,
        }
        shutil.rmtree(out, ignore_errors=True)
    result["runs"] = runs
    return result


# ------------------------------------------------------------------------------ MkDocs


def ensure_mkdocs(work: Path) -> Path:
    venv = Path(os.environ.get("HS_MKDOCS_VENV", work / "mkdocs-venv"))
    exe = venv / "bin" / "mkdocs"
    if not exe.exists():
        log(f"installing MkDocs into {venv}")
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "mkdocs"], check=True)
    return exe


def median_run(runs: list[dict], key: str) -> dict:
    """The run with the median `key` (lower middle for an even count), with every value kept."""
    ordered = sorted(runs, key=lambda r: r[key])
    chosen = dict(ordered[(len(ordered) - 1) // 2])
    chosen[f"all_{key}"] = [r[key] for r in runs]
    return chosen


def bench_mkdocs(
    work: Path, pages: int, corpus: Path, skip_nosearch: bool, build_runs: int = 1
) -> dict:
    exe = ensure_mkdocs(work)
    version = subprocess.run([str(exe), "--version"], capture_output=True, text=True).stdout.split()
    result: dict = {"version": version[2] if len(version) > 2 else "?"}
    config = "mkdocs-smallnav"
    if not (corpus / f"{config}.yml").is_file():
        config = "mkdocs"
        log("mkdocs: no mkdocs-smallnav.yml; the default auto nav is very slow at 10k pages")
    result["config"] = f"{config}.yml"
    runs = [(config, f"mkdocs-out-{pages}")]
    if not skip_nosearch and (corpus / f"{config}-nosearch.yml").is_file():
        runs.append((f"{config}-nosearch", f"mkdocs-out-nosearch-{pages}"))
    for cfg, outname in runs:
        out = work / outname
        measured = []
        for i in range(build_runs):
            shutil.rmtree(out, ignore_errors=True)
            log(f"mkdocs: building {cfg}.yml ({i + 1}/{build_runs})")
            rc, _, err, wall, cpu, rss = run_measured(
                [str(exe), "build", "-q", "-f", f"{cfg}.yml", "-d", str(out)], cwd=corpus
            )
            if rc != 0:
                raise SystemExit(f"mkdocs build failed:\n{err[-3000:]}")
            measured.append({"wall_s": wall, "cpu_s": cpu, "peak_rss": rss})
        key = "build" if cfg == config else "build_nosearch"
        result[key] = median_run(measured, "wall_s")
    out = work / f"mkdocs-out-{pages}"
    index = out / "search" / "search_index.json"
    data = index.read_bytes()
    result["output_dir"] = str(out)
    result["search_index_bytes"] = len(data)
    result["search_index_gzip_bytes"] = gz_size(data)
    result["search_index_docs"] = len(json.loads(data).get("docs", []))
    if "build_nosearch" in result:
        result["search_share_s"] = result["build"]["wall_s"] - result["build_nosearch"]["wall_s"]
        result["search_share_cpu_s"] = result["build"]["cpu_s"] - result["build_nosearch"]["cpu_s"]
    if (work / f"mkdocs-out-nosearch-{pages}").exists():
        shutil.rmtree(work / f"mkdocs-out-nosearch-{pages}")
    return result


# ------------------------------------------------------------------------------ browser

INIT_JS = r"""
(() => {
  const b = window.__bench = {t0: null, t1: null, tStart: null, count: 0, ready: null,
                              cold: null, coldCount: 0, errors: []};
  // MkDocs: its worker posts {allowSearch: true} once lunr has built the index.
  const RealWorker = window.Worker;
  if (RealWorker) {
    window.Worker = class extends RealWorker {
      constructor(...args) {
        super(...args);
        this.addEventListener('message', (e) => {
          if (e.data && e.data.allowSearch && b.ready === null) b.ready = performance.now();
        });
      }
    };
  }
  const coldSel = %(cold)s;
  if (coldSel) {
    const check = () => {
      if (b.cold !== null) return;
      const n = document.querySelectorAll(coldSel).length;
      if (n > 0) { b.cold = performance.now(); b.coldCount = n; obs.disconnect(); }
    };
    const obs = new MutationObserver(check);
    obs.observe(document, {childList: true, subtree: true});
  }
})();
"""

ARM_JS = r"""
([inputSel, boxSel, itemSel, trigger, statusSel]) => {
  const b = window.__bench;
  b.t0 = null; b.t1 = null; b.tStart = null; b.count = 0;
  const input = document.querySelector(inputSel);
  window.addEventListener(trigger, (e) => {
    if (e.target === input && b.t0 === null) b.t0 = performance.now();
  }, {capture: true});
  const box = document.querySelector(boxSel);
  const obs = new MutationObserver(() => {
    if (b.t0 === null) return;
    const n = box.querySelectorAll(itemSel).length;
    if (n > 0) { b.t1 = performance.now(); b.count = n; obs.disconnect(); }
  });
  obs.observe(box, {childList: true, subtree: true});
  const status = statusSel && document.querySelector(statusSel);
  if (status) {
    const so = new MutationObserver(() => {
      if (b.t0 !== null && b.tStart === null) { b.tStart = performance.now(); so.disconnect(); }
    });
    so.observe(status, {childList: true, characterData: true, subtree: true});
  }
}
"""

PROBE_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>bench search</title></head><body>
<label for="search-input">Search</label> <input id="search-input" type="search">
<p id="search-status"></p><ol id="search-results"></ol>
<script type="module">
// Stand-in for healthsite's /search/ page (used only when the site has none): same ids, same
// 150 ms typing debounce, same 30 results with data(), filters from the URL as {any: [...]}.
const params = new URLSearchParams(location.search);
const filters = {};
for (const [k, v] of params) if (k !== 'q') (filters[k] ||= {any: []}).any.push(v);
const input = document.getElementById('search-input');
const list = document.getElementById('search-results');
let pf = null, timer = 0, latest = 0;
async function load() {
  if (!pf) {
    pf = await import('/pagefind/pagefind.js');
    await pf.options({excerptLength: 24});
    pf.init();
  }
  return pf;
}
async function run(q) {
  const t = ++latest;
  document.getElementById('search-status').textContent = 'Searching';
  const api = await load();
  const s = await api.search(q || null, {filters});
  const data = await Promise.all(s.results.slice(0, 30).map(r => r.data()));
  if (t !== latest) return;
  list.replaceChildren(...data.map(d => {
    const li = document.createElement('li');
    li.textContent = d.meta.title;
    return li;
  }));
}
input.addEventListener('input', () => {
  clearTimeout(timer);
  timer = setTimeout(() => run(input.value.trim()), 150);
});
const q = params.get('q');
if (q) { input.value = q; run(q); }
else if (Object.keys(filters).length) run(null);
else load().then(api => api.filters());
</script></body></html>
"""


class LoggingServer:
    """Serves a folder on 127.0.0.1 and logs (time, file, bytes) for every response."""

    def __init__(self, root: Path):
        self.root = root
        self.entries: list[tuple[float, str, int]] = []
        self.lock = threading.Lock()
        server = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # headers and body go out in two writes: without TCP_NODELAY every keep-alive
            # response waits ~40 ms for a delayed ACK (Nagle), which a real host does not add
            disable_nagle_algorithm = True

            def log_message(self, *args):
                pass

            def send_head(self):
                f = super().send_head()
                path = self.translate_path(self.path)
                if os.path.isdir(path):
                    path = os.path.join(path, "index.html")
                size = os.path.getsize(path) if f is not None and os.path.isfile(path) else 0
                if f is not None and os.path.isfile(path):
                    rel = os.path.relpath(path, server.root)
                    with server.lock:
                        server.entries.append((time.perf_counter(), rel, size))
                return f

        self.httpd = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(Handler, directory=str(root))
        )
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def mark(self) -> int:
        with self.lock:
            return len(self.entries)

    def since(self, mark: int) -> list[tuple[float, str, int]]:
        with self.lock:
            return list(self.entries[mark:])

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class WireSizes:
    """Bytes a static host would send for a file: as stored if already gzip, else gzip -6."""

    def __init__(self):
        self.cache: dict[str, int] = {}

    def __call__(self, path: Path) -> int:
        key = str(path)
        if key not in self.cache:
            data = path.read_bytes()
            if data[:2] == b"\x1f\x8b" or not path.name.endswith(GZIP_TYPES):
                self.cache[key] = len(data)
            else:
                self.cache[key] = gz_size(data)
        return self.cache[key]


def category(rel: str) -> str:
    name = rel.rsplit("/", 1)[-1]
    if rel.startswith("pagefind/"):
        if rel.startswith("pagefind/index/"):
            return "pagefind index chunks"
        if rel.startswith("pagefind/fragment/"):
            return "pagefind fragments"
        if rel.startswith("pagefind/filter/"):
            return "pagefind filters"
        if name.endswith(".pf_meta"):
            return "pagefind meta"
        if name.startswith("wasm."):
            return "pagefind wasm"
        if name.endswith(".js"):
            return "pagefind js"
        return "pagefind other"
    if rel == "search/search_index.json":
        return "mkdocs search_index.json"
    if rel.startswith("search/") and name.endswith(".js"):
        return "mkdocs search js"
    if rel.startswith(("static/js/", PROBE_DIR)) or rel == SEARCH_PAGE:
        return "search page + script"
    return "page (html/css/fonts/theme js)"


def summarise(entries, root: Path, wire: WireSizes) -> dict:
    cats: dict[str, dict] = {}
    raw = wired = 0
    search_raw = search_wire = 0
    for _, rel, size in entries:
        w = wire(root / rel)
        c = cats.setdefault(category(rel), {"files": 0, "bytes": 0, "wire_bytes": 0})
        c["files"] += 1
        c["bytes"] += size
        c["wire_bytes"] += w
        raw += size
        wired += w
        if category(rel) != "page (html/css/fonts/theme js)":
            search_raw += size
            search_wire += w
    return {
        "files": len(entries),
        "bytes": raw,
        "wire_bytes": wired,
        "search_bytes": search_raw,
        "search_wire_bytes": search_wire,
        "by_kind": dict(sorted(cats.items())),
    }


class Browser:
    def __init__(self):
        from playwright.sync_api import sync_playwright

        self.pw = sync_playwright().start()
        self.browser = self.pw.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS)
        self.version = self.browser.version

    def close(self):
        self.browser.close()
        self.pw.stop()


def settle(server: LoggingServer, quiet: float = 0.6, timeout: float = 600) -> None:
    """Wait until the server has sent nothing for `quiet` seconds (workers included)."""
    end = time.perf_counter() + timeout
    last_n, last_t = -1, time.perf_counter()
    while time.perf_counter() < end:
        n = server.mark()
        if n != last_n:
            last_n, last_t = n, time.perf_counter()
        elif time.perf_counter() - last_t >= quiet:
            return
        time.sleep(0.05)


def wait_for(page, expression: str, timeout_s: float) -> None:
    """Poll an expression (page.wait_for_function evals a string, which the page's CSP forbids)."""
    end = time.perf_counter() + timeout_s
    while not page.evaluate(expression):
        if time.perf_counter() > end:
            raise TimeoutError(f"timed out after {timeout_s:.0f} s waiting for {expression}")
        time.sleep(0.02)


def one_run(
    br: Browser,
    server: LoggingServer,
    wire: WireSizes,
    spec: dict,
    flow: str,
    query: str,
    timeout_s: float,
) -> dict:
    """One measurement in a fresh browser context."""
    # "cold" times navigation → results; "filtered" uses the same clock for its filter-only
    # browse, which must have finished before the query is typed
    cold_sel = json.dumps(spec["cold_selector"]) if flow in ("cold", "filtered") else "null"
    ctx = br.browser.new_context()
    ctx.add_init_script(INIT_JS % {"cold": cold_sel})
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
    page.on(
        "console",
        lambda m: (
            errors.append(f"console.{m.type}: {m.text}") if m.type in ("error", "warning") else None
        ),
    )
    out: dict = {"flow": flow}
    try:
        mark0 = server.mark()
        if flow == "cold":
            url = server.url + spec["cold_path"]
            page.goto(url, wait_until="commit")
            wait_for(page, "window.__bench.cold !== null", timeout_s)
            b = page.evaluate("window.__bench")
            out["ms"] = b["cold"]
            out["results_shown"] = b["coldCount"]
            settle(server)
            out["bytes"] = summarise(server.since(mark0), server.root, wire)
            return out
        path = spec["filtered_path"] if flow == "filtered" else spec["page_path"]
        t_nav = time.perf_counter()
        page.goto(server.url + path, wait_until="load")
        if spec["kind"] == "mkdocs":
            wait_for(page, "window.__bench.ready !== null", timeout_s)
            out["ready_ms"] = page.evaluate("window.__bench.ready")
            settle(server)
            page.click(spec["open_selector"])
            page.wait_for_selector(spec["input"], state="visible")
        elif flow == "filtered":
            # network quiet is not enough: the browse then computes in the worker for a while
            wait_for(page, "window.__bench.cold !== null", timeout_s)
            out["ready_ms"] = page.evaluate("window.__bench.cold")
            settle(server)
        else:
            settle(server)
            entries = server.since(mark0)
            out["ready_ms"] = (entries[-1][0] - t_nav) * 1000 if entries else None
        out["load_bytes"] = summarise(server.since(mark0), server.root, wire)
        mark1 = server.mark()
        page.evaluate(
            ARM_JS,
            [spec["input"], spec["results"], spec["item"], spec["trigger"], spec.get("status")],
        )
        page.fill(spec["input"], query)
        if spec["trigger"] == "keyup":  # MkDocs searches on keyup; fill() sends no key events
            page.press(spec["input"], "End")
        wait_for(page, "window.__bench.t1 !== null", timeout_s)
        b = page.evaluate("window.__bench")
        out["ms"] = b["t1"] - b["t0"]
        out["search_only_ms"] = (b["t1"] - b["tStart"]) if b["tStart"] is not None else None
        out["results_shown"] = b["count"]
        settle(server)
        if spec.get("status"):
            # the status line names the query once its results are shown: a check that t1 was
            # this query's results and not a late earlier search
            out["status_text"] = page.inner_text(spec["status"])
            out["valid"] = query in out["status_text"]
        out["query_bytes"] = summarise(server.since(mark1), server.root, wire)
        return out
    finally:
        out["errors"] = errors[:10]
        ctx.close()


#: Where the first query's time goes, step by step, with Pagefind's JS API on the search page
#: (the page has already loaded Pagefind): each step is one evaluate, bytes logged in between.
BREAKDOWN_STEPS = (
    ("search", "window.__bd.s = await pf.search(q); return window.__bd.s.results.length;"),
    (
        "data() of results 1-10",
        "await Promise.all(window.__bd.s.results.slice(0, 10).map((r) => r.data()));",
    ),
    (
        "data() of results 11-30",
        "await Promise.all(window.__bd.s.results.slice(10, 30).map((r) => r.data()));",
    ),
    ("same search again", "return (await pf.search(q)).results.length;"),
    ("search with the filter", "return (await pf.search(q, {filters})).results.length;"),
    ("filter only, no search term", "return (await pf.search(null, {filters})).results.length;"),
)


def breakdown_run(
    br: Browser, server: LoggingServer, wire: WireSizes, spec: dict, query: str, filt: dict
) -> dict:
    ctx = br.browser.new_context()
    page = ctx.new_page()
    steps = {}
    try:
        page.goto(server.url + spec["page_path"], wait_until="load")
        settle(server)
        page.evaluate("() => { window.__bd = {}; }")
        for name, body in BREAKDOWN_STEPS:
            mark = server.mark()
            js = (
                "async ([q, filters]) => {"
                " const pf = await import(new URL('/pagefind/pagefind.js', location.href).href);"
                " const t = performance.now();"
                f" const n = await (async () => {{ {body} }})();"
                " return [performance.now() - t, n ?? null]; }"
            )
            ms, count = page.evaluate(js, [query, filt])
            settle(server, quiet=0.3)
            got = summarise(server.since(mark), server.root, wire)
            steps[name] = {
                "ms": ms,
                "results": count,
                "files": got["files"],
                "wire_bytes": got["wire_bytes"],
            }
    finally:
        ctx.close()
    return steps


def bench_browser(
    br: Browser, root: Path, spec: dict, flows: list[str], runs: int, query: str, timeout_s: float
) -> dict:
    server = LoggingServer(root)
    wire = WireSizes()
    result: dict = {"spec": {k: v for k, v in spec.items() if k != "kind"}}
    try:
        if "breakdown" in flows:
            key, _, value = spec["filter"].partition("=")
            runs_bd = []
            for i in range(runs):
                log(f"  {spec['kind']}: breakdown run {i + 1}/{runs}")
                runs_bd.append(
                    breakdown_run(br, server, wire, spec, query, {key: {"any": [value]}})
                )
            result["breakdown"] = {
                name: {
                    "median_ms": median([r[name]["ms"] for r in runs_bd]),
                    "results": runs_bd[0][name]["results"],
                    "files": runs_bd[0][name]["files"],
                    "wire_bytes": runs_bd[0][name]["wire_bytes"],
                }
                for name, _ in BREAKDOWN_STEPS
            }
            flows = [f for f in flows if f != "breakdown"]
        for flow in flows:
            samples = []
            for i in range(runs):
                log(f"  {spec['kind']}: {flow} run {i + 1}/{runs}")
                samples.append(one_run(br, server, wire, spec, flow, query, timeout_s))
            bad = [s for s in samples if s.get("valid") is False]
            if bad:
                log(
                    f"  {spec['kind']}: {flow}: {len(bad)} run(s) timed the wrong results; left out"
                )
                samples = [s for s in samples if s.get("valid") is not False] or samples
            result[flow] = {
                "invalid_runs": len(bad),
                "median_ms": median([s.get("ms") for s in samples]),
                "min_ms": min(s["ms"] for s in samples),
                "max_ms": max(s["ms"] for s in samples),
                "median_search_only_ms": median([s.get("search_only_ms") for s in samples]),
                "median_ready_ms": median([s.get("ready_ms") for s in samples]),
                "samples": samples,
            }
    finally:
        server.close()
    return result


# ------------------------------------------------------------------------------ report


def table(res: dict) -> str:
    hs, mk, br = res["healthsite"], res.get("mkdocs") or {}, res.get("browser") or {}
    bh, bm = br.get("healthsite", {}), br.get("mkdocs", {})
    pf = hs.get("pagefind_process") or {}
    rows = [
        (
            "metric",
            "healthsite + Pagefind",
            f"MkDocs {mk.get('version', '')} search",
            "MkDocs / healthsite",
        )
    ]

    def row(name, a, b, fa, fb=None):
        fb = fb or fa
        rows.append((name, fa(a), fb(b), ratio(a, b)))

    row("full build (wall)", hs["build_wall_s"], mk.get("build", {}).get("wall_s"), fmt_s)
    row("full build (CPU user+sys)", hs["build_cpu_s"], mk.get("build", {}).get("cpu_s"), fmt_s)
    row("search index stage", hs["index_stage_s"], mk.get("search_share_s"), fmt_s)
    row("search index CPU", pf.get("cpu_s"), mk.get("search_share_cpu_s"), fmt_s)
    row("indexer process wall (Pagefind)", pf.get("wall_s"), None, fmt_s)
    for label, run in ((res.get("pagefind_on_hugo") or {}).get("runs") or {}).items():
        rows.append(
            (
                f"  Pagefind {run['version']} CLI on Hugo's output ({label} binary)",
                f"{fmt_s(run['wall_s'])} wall, {fmt_s(run['cpu_s'])} CPU, {fmt_b(run['peak_rss'])}",
                "",
                ratio(run["wall_s"], hs["index_stage_s"]),
            )
        )
    row(
        "indexer peak RSS (MkDocs: whole build)",
        pf.get("peak_rss"),
        mk.get("build", {}).get("peak_rss"),
        fmt_b,
    )
    used = hs["bundle"]["bytes"] - hs["bundle"]["ui_files_not_used_bytes"]
    row(
        "index on disk (Pagefind bundle)",
        hs["bundle"]["bytes"],
        mk.get("search_index_bytes"),
        fmt_b,
    )
    if used != hs["bundle"]["bytes"]:
        row("  without unused Pagefind UI files", used, mk.get("search_index_bytes"), fmt_b)
    row("  MkDocs search_index.json gzipped", used, mk.get("search_index_gzip_bytes"), fmt_b)

    def flow(name, key, field, fmt, sub=None):
        def get(b):
            f = b.get(key)
            if not f:
                return None
            if sub:
                return median([s[sub][field] for s in f["samples"] if sub in s])
            return f.get(field)

        row(name, get(bh), get(bm), fmt)

    flow("search page load → ready", "typed", "median_ready_ms", fmt_ms)
    flow("  bytes to ready (wire)", "typed", "wire_bytes", fmt_b, "load_bytes")
    flow("  search bytes to ready (wire)", "typed", "search_wire_bytes", fmt_b, "load_bytes")
    flow("typed query → results", "typed", "median_ms", fmt_ms)
    flow("  of which search+render (no debounce)", "typed", "median_search_only_ms", fmt_ms)
    flow("  query bytes (wire)", "typed", "wire_bytes", fmt_b, "query_bytes")
    flow(
        "?category= page load (filter-only browse) bytes (wire)",
        "filtered",
        "wire_bytes",
        fmt_b,
        "load_bytes",
    )
    flow("filtered query → results", "filtered", "median_ms", fmt_ms)
    flow("  filtered query bytes (wire)", "filtered", "wire_bytes", fmt_b, "query_bytes")
    flow("cold ?q= URL → results", "cold", "median_ms", fmt_ms)
    flow("  cold total bytes (raw)", "cold", "bytes", fmt_b, "bytes")
    flow("  cold total bytes (wire)", "cold", "wire_bytes", fmt_b, "bytes")
    flow("  cold search bytes (wire)", "cold", "search_wire_bytes", fmt_b, "bytes")
    for name, step in (bh.get("breakdown") or {}).items():
        rows.append(
            (
                f"breakdown: {name}",
                f"{fmt_ms(step['median_ms'])}, {step['files']} files {fmt_b(step['wire_bytes'])}",
                "",
                "",
            )
        )
    widths = [max(len(str(r[i])) for r in rows) for i in range(4)]
    lines = []
    for i, r in enumerate(rows):
        lines.append(
            "  ".join(
                str(c).ljust(widths[j]) if j == 0 else str(c).rjust(widths[j])
                for j, c in enumerate(r)
            )
        )
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=1000, help="1000 or 10000 (90%% articles)")
    ap.add_argument("--runs", type=int, default=3, help="browser runs per flow (median)")
    ap.add_argument("--work", type=Path, default=Path("/tmp/healthsite-bench"))
    ap.add_argument("--query", default="knee")
    ap.add_argument(
        "--filter", default="category=stretching", help="KEY=VALUE for the filtered flow"
    )
    ap.add_argument("--skip-mkdocs", action="store_true")
    ap.add_argument(
        "--hugo",
        default=shutil.which("hugo"),
        help="Hugo binary: also time Pagefind's CLI on Hugo's output (default: hugo on PATH)",
    )
    ap.add_argument("--skip-hugo", action="store_true")
    ap.add_argument(
        "--skip-mkdocs-nosearch",
        action="store_true",
        help="skip the MkDocs build without search (its search share is then unknown)",
    )
    ap.add_argument("--skip-build", action="store_true", help="reuse site-N/site as built")
    ap.add_argument(
        "--build-runs", type=int, default=1, help="builds per tool; the median-wall run is kept"
    )
    ap.add_argument("--report", type=Path, help="print the table of a results JSON and exit")
    ap.add_argument("--timeout", type=float, default=600, help="seconds to wait in the browser")
    ap.add_argument("--out", type=Path, default=None)
    a = ap.parse_args(argv)
    if a.report:
        print(table(json.loads(a.report.read_text())))
        return 0
    work = a.work
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    res: dict = {
        "pages": a.pages,
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "query": a.query,
        "filter": a.filter,
        "runs": a.runs,
        "machine": machine_info(),
        "loadavg_at_start": os.getloadavg(),
    }

    corpora = ensure_corpora(work, a.pages)
    site = ensure_site(work, a.pages, corpora["plain"])
    output = site / "site"
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        if a.skip_build and (output / "pagefind").is_dir():
            prev = json.loads((a.out or BENCH / "results" / f"search-{a.pages}.json").read_text())
            res["healthsite"] = prev["healthsite"]
            res["healthsite"]["reused_build"] = True
        else:
            builds = [bench_healthsite_build(site, tmp) for _ in range(a.build_runs)]
            res["healthsite"] = median_run(builds, "build_wall_s")
            res["healthsite"]["all_index_stage_s"] = [b["index_stage_s"] for b in builds]
        res["healthsite"]["bundle"] = pagefind_bundle(output)
        res["healthsite"]["html_bytes"] = dir_size(output)[0] - res["healthsite"]["bundle"]["bytes"]
        if a.hugo and not a.skip_hugo:
            res["pagefind_on_hugo"] = bench_pagefind_on_hugo(work, a.pages, a.hugo, tmp)
        if not a.skip_mkdocs:
            res["mkdocs"] = bench_mkdocs(
                work, a.pages, corpora["mkdocs"], a.skip_mkdocs_nosearch, a.build_runs
            )

        key, _, value = a.filter.partition("=")
        own_page = (output / SEARCH_PAGE).is_file()
        probe = output / PROBE_DIR
        if not own_page:
            probe.mkdir(exist_ok=True)
            (probe / "index.html").write_text(PROBE_PAGE)
        page_path = "search/" if own_page else f"{PROBE_DIR}/"
        hs_spec = {
            "kind": "healthsite",
            "search_page": "healthsite /search/"
            if own_page
            else "bench probe page (no /search/ yet)",
            "page_path": page_path,
            "filtered_path": f"{page_path}?{key}={value}",
            "cold_path": f"{page_path}?q={a.query}",
            "input": "#search-input",
            "results": "#search-results",
            "item": "#search-results > li",
            "cold_selector": "#search-results > li",
            "trigger": "input",
            "status": "#search-status",
            "filter": a.filter,
        }
        mk_spec = {
            "kind": "mkdocs",
            "page_path": "index.html",
            "cold_path": f"index.html?q={a.query}",
            "open_selector": 'a[data-bs-target="#mkdocs_search_modal"]',
            "input": "#mkdocs-search-query",
            "results": "#mkdocs-search-results",
            "item": "#mkdocs-search-results article",
            "cold_selector": "#mkdocs-search-results article",
            "trigger": "keyup",
        }
        log("browser: starting Chromium")
        br = Browser()
        try:
            res["browser"] = {"chromium": br.version}
            res["browser"]["healthsite"] = bench_browser(
                br,
                output,
                hs_spec,
                ["typed", "filtered", "cold", "breakdown"],
                a.runs,
                a.query,
                a.timeout,
            )
            if "mkdocs" in res:
                res["browser"]["mkdocs"] = bench_browser(
                    br,
                    Path(res["mkdocs"]["output_dir"]),
                    mk_spec,
                    ["typed", "cold"],
                    a.runs,
                    a.query,
                    a.timeout,
                )
        finally:
            br.close()
            if not own_page:
                shutil.rmtree(probe, ignore_errors=True)
    res["bench_seconds"] = time.perf_counter() - started
    res["loadavg_at_end"] = os.getloadavg()  # other work on the machine skews every timing
    out = a.out or BENCH / "results" / f"search-{a.pages}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(res, indent=2, sort_keys=False) + "\n")
    print(
        f"\nSearch at {a.pages:,} pages ({a.pages * 9 // 10:,} articles + "
        f"{a.pages // 10:,} exercises), "
        f"query '{a.query}', filter {a.filter}, median of {a.runs} runs, "
        f"{res['machine'].get('nproc')} cores"
    )
    print(
        f"healthsite index: {res['healthsite']['index_source']}; "
        f"search page: {hs_spec['search_page']}"
    )
    print(table(res))
    print(f"\nwrote {out} (bench took {res['bench_seconds']:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
