"""The build, as a flat list of named stages:

    load → discover → parse → assemble → media → plan → render → write → index → report

Each stage is a plain function over frozen values: `load_config` (config.py), `discover`
(content/sources.py), `parse_sources` (parse_cache.py), `assemble` (site/assemble.py),
`make_media` (media.py), `plan` (site/routes.py), `render_outputs` (outputs.py, with
render/pages.py making each page's HTML), `write_outputs` (write.py),
`StreamedIndex`/`index_in_place` (search_index.py), `build_report` (report.py). Every stage
returns its problems instead of raising; the build stops at a stage boundary with every problem
found so far.

What earlier builds learned (`memory.py`) lets a build skip work: with nothing changed it stops
after `load`; parse results and static files' digests come from memory, pictures from the media
cache; only outputs whose inputs changed are made again (`changes.py`). `serve` keeps one
`Builder` (builder.py), which takes a quicker way still for a body edit.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from healthsite.build.heap import collector_paused
from healthsite.build.manifest import Manifest
from healthsite.build.media import make_media
from healthsite.build.memory import Discovered, LastSite, Learned, Memory
from healthsite.build.outputs import Made, render_outputs
from healthsite.build.parse_cache import Parsed, parse_sources
from healthsite.build.progress import Progress
from healthsite.build.receipt import Stamp
from healthsite.build.remembered import build_manifest, last_site
from healthsite.build.report import BuildReport, Run, build_report
from healthsite.build.search_index import Bundle, StreamedIndex, drop_index, index_in_place
from healthsite.build.side_folders import clean_stale
from healthsite.build.stamping import input_roots, stamp_inputs, templates_key
from healthsite.build.write import Output, Written, open_output, write_outputs
from healthsite.build.write_failures import failures_in_words
from healthsite.config import CONFIG_FILE, SiteConfig, load_config, load_site_clinic
from healthsite.content.clinic import Clinic
from healthsite.content.sources import discover
from healthsite.diagnostics import BuildFailed, error, ordered
from healthsite.render.environment import Templates, load_templates
from healthsite.search.pagefind import SearchIndexError
from healthsite.site.assemble import assemble
from healthsite.site.assets import collect_assets
from healthsite.site.links import LinkTargets, checked_links
from healthsite.site.routes import Routes, plan
from healthsite.site.site_model import Site

__all__ = ["BuildReport", "build", "load"]


def load(
    root: Path, *, strict_mode: bool = False, drafts: bool = False, preview_url: str | None = None
) -> SiteConfig:
    """The `load_config` stage on its own, for commands that need only the settings."""
    config, found = load_config(root, strict=strict_mode, drafts=drafts, preview_url=preview_url)
    if config is None or any(d.is_error for d in found):
        raise BuildFailed(ordered(found))
    return config


def build(
    root: Path,
    *,
    strict_mode: bool = False,
    drafts: bool = False,
    today: dt.date | None = None,
    preview_url: str | None = None,
    clean: bool = False,
    memory: Memory | None = None,
    defer_index: bool = False,
    edited: frozenset[Path] | None = None,
    progress: Progress | None = None,
) -> BuildReport:
    """Build the site in `root`; raise `BuildFailed` with every problem, `site/` untouched.

    `memory` is what earlier builds learned (by default, read from the cache folder, which
    `clean` ignores); `defer_index` leaves the search index for `Builder.refresh_search`;
    `edited` is a watcher's word that only these content files changed since the last build;
    `progress` hears how far the build is (the command line shows it on a terminal).
    """
    memory = memory or Memory(root)
    run = Run(strict_mode, progress)
    output_dir = memory.learned.output_dir or root / "site"
    with failures_in_words(root, output_dir):  # a full disk, a read-only folder: in words
        config, settled = _settings(run, root, drafts, today, preview_url)
        before = _recall(run, memory, config, clean)
        inputs = _stamp(run, config, preview_url) if edited is None else None
        if settled and (same := _unchanged(before, config, inputs, defer_index)) is not None:
            return replace(same, timings=run.timings, notes=run.notes)  # nothing to do
        with collector_paused() as settle:  # the collector kept off the site this build holds
            return _build(run, memory, config, before, inputs, defer_index, edited, clean, settle)


def _build(
    run: Run,
    memory: Memory,
    config: SiteConfig,
    before: Learned,
    inputs: Stamp | None,
    defer_index: bool,
    edited: frozenset[Path] | None,
    clean: bool,
    settle: Callable[[], None],
) -> BuildReport:
    """The stages after `load`, for a build that has something to do."""
    clinic = _clinic(run, config)
    found = _discover(run, memory, config, before, edited is not None)
    parsed = _parse(run, memory, found, before, inputs, edited)
    templates = _templates(run, memory, config, before)
    site = _assemble(run, config, clinic, parsed, found, templates)
    site = _media(run, site, clean)
    routes, targets = _plan(run, site, templates, parsed, found)
    settle()  # the parsed pages and the site model live as long as the build
    manifest = before.manifest_for(config.output_dir)
    with _output(config, manifest, defer_index) as output:
        made = _render(run, site, routes, templates, parsed, manifest, output)
        written = _write(run, memory, output, made, site, manifest)
        bundle, stale = _index(run, memory, config, output, made, written, manifest, defer_index)
        _publish(run, memory, output)
    stamped = (input_roots(config), inputs.value) if inputs is not None else None
    report = build_report(run, site, made.outputs, written, bundle, stale, stamped)
    manifest = build_manifest(made, written, bundle, report, inputs)
    last = last_site(site, routes, targets, templates, parsed, made, report)
    _remember(memory, manifest, last)
    return report


# -- the stages, each timed, its problems noted ---------------------------------------------------


def _settings(
    run: Run, root: Path, drafts: bool, today: dt.date | None, preview_url: str | None
) -> tuple[SiteConfig, bool]:
    """The settings, and whether they are right: wrong ones stand in as defaults, so that the
    rest of the site is checked too (never taking a shortcut)."""
    with run.stage("load"):
        config, problems = load_config(
            root, strict=run.strict, drafts=drafts, today=today, preview_url=preview_url
        )
    run.add(problems)
    if config is None:
        run.stop_if_errors()
    assert config is not None
    return config, not any(d.is_error for d in problems)


def _recall(run: Run, memory: Memory, config: SiteConfig, clean: bool) -> Learned:
    """What earlier builds learned (`clean`: nothing), read from the cache folder if need be."""
    with run.stage("load"):
        learned = memory.recall(config, clean, run.notes)
        run.notes += clean_stale(config.output_dir)  # folders left by a build that was stopped
        return learned


def _stamp(run: Run, config: SiteConfig, preview_url: str | None) -> Stamp:
    """The size and time of every input, taken before anything is read."""
    with run.stage("load"):
        return stamp_inputs(config, preview_url)


def _unchanged(
    before: Learned, config: SiteConfig, inputs: Stamp | None, defer_index: bool
) -> BuildReport | None:
    """The last build's report, if no input changed since it (by a stamp that can be trusted)
    and its search index is not left to do."""
    manifest = before.manifest_for(config.output_dir)
    if (
        inputs is not None
        and manifest is not None
        and manifest.report is not None
        and manifest.stamp == inputs.value
        and inputs.trusted(time.time())
        and not (manifest.search_stale and not defer_index)
    ):
        return manifest.report
    return None


def _clinic(run: Run, config: SiteConfig) -> Clinic | None:
    with run.stage("load"):
        clinic, problems = load_site_clinic(config)
    run.add(problems)
    return clinic


def _discover(
    run: Run, memory: Memory, config: SiteConfig, before: Learned, edited: bool
) -> Discovered:
    """Every content and static file: the last build's when a watcher says only content files
    were edited in place; static files' digests kept while their size and time are the same."""
    with run.stage("discover"):
        found = before.discovered if edited else None
        if found is None:
            sources, problems = discover(config.content_dir, config.files, config.languages)
            assets, unread = collect_assets(config.static_dir, config.files, before.static)
            fresh = found = Discovered(sources, problems + unread, assets)
            memory.update(lambda now: replace(now, static=fresh.digests(time.time())))
        run.add(found.problems)
        return found


def _parse(
    run: Run,
    memory: Memory,
    found: Discovered,
    before: Learned,
    inputs: Stamp | None,
    edited: frozenset[Path] | None,
) -> Parsed:
    with run.stage("parse"):
        assert before.parsed is not None
        parsed = parse_sources(
            found.sources, before.parsed, inputs, edited or frozenset(), run.progress
        )
        run.add(parsed.problems)
        # kept even if the build fails later: the next one need not read these files again
        memory.update(
            lambda now: replace(now, parsed=parsed.cache, discovered=found, unread=frozenset())
        )
        return parsed


def _templates(run: Run, memory: Memory, config: SiteConfig, before: Learned) -> Templates:
    """The Jinja environments: the last build's while templates and catalogs are the same."""
    with run.stage("assemble"):
        key = templates_key(config)
        if before.templates is not None and before.templates[0] == key:
            templates = before.templates[1]
        else:
            templates = load_templates(config)
            memory.update(lambda now: replace(now, templates=(key, templates)))
        run.add(templates.diagnostics)
        return templates


def _assemble(
    run: Run,
    config: SiteConfig,
    clinic: Clinic | None,
    parsed: Parsed,
    found: Discovered,
    templates: Templates,
) -> Site:
    with run.stage("assemble"):
        if clinic is None:  # nothing can be checked against the clinic's people
            run.stop_if_errors()
        assert clinic is not None
        site, problems = assemble(
            config, clinic, parsed.documents, found.assets, parsed.broken, parsed.translations
        )
        run.add(problems)
    return site


def _media(run: Run, site: Site, clean: bool) -> Site:
    """Every picture made (or taken from the media cache) and every use checked."""
    with run.stage("media"):
        media, problems = make_media(site.config, site.models, site.assets, clean=clean)
        run.add(problems)
        models = {
            lang: replace(model, assets=media.assets, media=media.plan)
            for lang, model in site.models.items()
        }
        site = replace(site, assets=media.assets, models=models)
    return site


def _plan(
    run: Run, site: Site, templates: Templates, parsed: Parsed, found: Discovered
) -> tuple[Routes, LinkTargets]:
    """The route table, and every internal link and `#part` checked against it."""
    with run.stage("plan"):
        routes = plan(site.models)
        unreadable = [s for s in found.sources if s.slug in parsed.broken]
        targets, problems = checked_links(site, routes, templates.ids, parsed.documents, unreadable)
        run.add(problems)
    # content and links are sound: render anyway to find template errors that only show at
    # run time (links are checked before stopping, so every content error shows at once)
    run.stop_if_errors(unless_only=frozenset({"template"}))
    return routes, targets


@contextmanager
def _output(config: SiteConfig, manifest: Manifest | None, defer_index: bool) -> Iterator[Output]:
    """Where this build writes: a staging folder (discarded if the build fails) for a full
    build, or the site folder itself when the last build's manifest says what is there. Into
    staging, with search on, the search index takes each page as it is written."""
    output = open_output(config.output_dir, manifest is not None)
    if output.staging is not None and config.settings.search.enabled and not defer_index:
        output.search = StreamedIndex(output.staging)  # stopped by its `finish`, or here
    try:
        yield output
    except BaseException:
        if isinstance(output.search, StreamedIndex):
            output.search.close()
        output.discard()
        raise


def _render(
    run: Run,
    site: Site,
    routes: Routes,
    templates: Templates,
    parsed: Parsed,
    manifest: Manifest | None,
    output: Output,
) -> Made:
    with run.stage("render"):
        made = render_outputs(
            site, routes, templates, parsed.digests, manifest, output, run.progress
        )
        run.add(made.problems)
    run.stop_if_errors()
    if output.refused is not None:
        run.add([error("output", str(output.refused), site.config.settings.output_dir)])
        run.stop_if_errors()
    return made


def _write(
    run: Run,
    memory: Memory,
    output: Output,
    made: Made,
    site: Site,
    manifest: Manifest | None,
) -> Written:
    with run.stage("write"), memory.writing(output.output_dir, in_place=output.staging is None):
        return write_outputs(output, made.outputs, site.assets, manifest)


def _index(
    run: Run,
    memory: Memory,
    config: SiteConfig,
    output: Output,
    made: Made,
    written: Written,
    manifest: Manifest | None,
    defer_index: bool,
) -> tuple[Bundle, bool]:
    """Index the pages (into staging, or in place when pages changed) unless deferred; returns
    the bundle's size and whether the index is still out of date."""
    if not config.settings.search.enabled:
        if output.staging is None:
            drop_index(output.output_dir)
        return (0, 0), False
    stale = (
        output.staging is not None
        or any(p.endswith(".html") for p in (*written.written, *written.removed))
        or (manifest is not None and manifest.search_stale)
    )
    bundle = manifest.bundle if manifest is not None else (0, 0)
    if defer_index or not stale:
        return bundle, stale
    with run.stage("index"):
        try:
            if isinstance(output.search, StreamedIndex):
                run.progress.start("Writing the search index", None)
                return output.search.finish(), False
            fresh = {a.dest_path: a.content for a in output.changed}
            return index_in_place(output.output_dir, made.outputs, fresh, memory.lock), False
        except SearchIndexError as failure:
            run.add([error("search", f"search index: {failure}", CONFIG_FILE)])
            run.stop_if_errors()
            raise  # not reached: an error always stops the build


def _publish(run: Run, memory: Memory, output: Output) -> None:
    """The new site in place: the staging folder swapped in, or the staged files moved in."""
    with run.stage("write"), memory.writing(output.output_dir, in_place=False):
        output.publish()


def _remember(memory: Memory, manifest: Manifest, last: LastSite) -> None:
    learned = memory.update(lambda now: replace(now, manifest=manifest, last=last))
    assert learned is not None
    memory.save(learned)
