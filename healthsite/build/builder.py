"""`Builder`: the stages of `pipeline`, run again and again for one site, skipping what did not
change (see `incremental.py`). A full build runs every stage; an incremental one takes parse
results from the cache and renders only pages whose inputs changed; a watcher's hint that only a
page body changed takes a quicker way still (`Builder._patch`)."""

from __future__ import annotations

import datetime as dt
import functools
import gc
import gettext
import hashlib
import os
import shutil
import threading
import time
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import jinja2

from healthsite.build.cache import CacheStore, Manifest, OutputRecord
from healthsite.build.changes import MODEL_VALUES, Values, digest_of, document_digests
from healthsite.build.receipt import RACY_SECONDS, Stamp, engine_digest, options, stamp
from healthsite.build.report import BuildReport, StageDiagnostics
from healthsite.build.workers import iter_in_order, map_in_order
from healthsite.build.write import (
    InPlace,
    WriteRefused,
    clean_stale,
    copy_assets,
    discard,
    made_by_us,
    new_side_folder,
    open_staging,
    replace_folder,
    stage_in_place,
    swap_in,
    write_failure,
    write_file,
    write_in_place,
)
from healthsite.config import CONFIG_FILE, SiteConfig, load_config
from healthsite.content.clinic import Clinic, load_clinic
from healthsite.content.documents import Document, TranslationDoc, parse
from healthsite.content.health_checks import due_soon
from healthsite.content.sources import SourceFile, discover
from healthsite.diagnostics import BuildFailed, Diagnostic, error, ordered
from healthsite.i18n import catalogs as i18n
from healthsite.inputs import Refused
from healthsite.render.environment import Templates, load_templates
from healthsite.render.offline import templates_digest
from healthsite.render.pages import Renderer, TemplateFailure
from healthsite.render.recording import Dep, Recorder
from healthsite.render.site_files import make_site_file
from healthsite.search.pagefind import BUNDLE_FOLDER, SearchIndexError, index_site, write_searchable
from healthsite.site.artifact import Artifact
from healthsite.site.assemble import assemble, replace_document
from healthsite.site.assets import AssetMap, collect_assets
from healthsite.site.checks import document_checks
from healthsite.site.model import Known, Site, SiteModel
from healthsite.site.routes import FileKind, FileRoute, RenderJob, Routes, plan
from healthsite.theme import THEME_TEMPLATES

ParseResult = tuple[Document | TranslationDoc | None, list[Diagnostic]]


@dataclass(frozen=True, slots=True)
class _Rendered:
    """The language environments of a build, kept while templates and catalogs stay the same."""

    key: Any
    templates: Templates


class Builder:
    """Builds one site again and again, keeping what each build learned for the next.

    `serve` keeps one for its whole life (parse results, the manifest of outputs and the
    template environments stay in memory); `build` makes one per run and relies on the cache
    folder. A build that fails leaves the last good site in place and the builder as it was.
    """

    def __init__(
        self,
        root: Path,
        *,
        strict_mode: bool = False,
        drafts: bool = False,
        preview_url: str | None = None,
        persist: bool = True,
    ) -> None:
        self.root = root
        self.strict_mode = strict_mode
        self.drafts = drafts
        self.preview_url = preview_url
        self.persist = persist
        """Write the cache folder after each build (serve writes it after its first only)."""
        self.store = CacheStore(root)
        self._parsed: dict[str, _ParseEntry] | None = None
        self._stats: dict[str, tuple[int, int, str]] = {}
        self._manifest: Manifest | None = None
        self._manifest_loaded = False
        self._environments: _Rendered | None = None
        self._lock = threading.Lock()
        self._generation = 0
        self._output_dir: Path | None = None
        self._config: SiteConfig | None = None
        self._discovered: tuple[list[SourceFile], list[Diagnostic], AssetMap] | None = None
        self._unparsed: set[Path] | None = None
        self._by_path: tuple[object, dict[Path, SourceFile]] = (None, {})
        self._last: _LastBuild | None = None
        self._users: dict[Dep, set[str]] | None = None
        """Files a watcher said were saved since the last parse (None: unknown, look at all)."""

    # -- the build -------------------------------------------------------------------------

    def build(
        self,
        *,
        today: dt.date | None = None,
        defer_index: bool = False,
        clean: bool = False,
        changed: Collection[Path] | None = None,
    ) -> BuildReport:
        """Bring the output up to date; raise `BuildFailed` with every problem.

        With `defer_index`, the search index is not refreshed here: `report.index_pending`
        says it needs to be, and `refresh_search()` does it (from a background thread).
        `changed` is a hint from a file watcher: the only files that may have changed since the
        last build. When they are all content files edited in place, the builder skips
        looking at every other file; anything else (a new or deleted file, a template, the
        settings) and it looks at everything, as without a hint.
        """
        try:
            report = self._build(today=today, defer_index=defer_index, clean=clean, changed=changed)
        except OSError as exc:  # a full disk, a read-only folder: in words, site/ unchanged
            output = self._output_dir or self.root / "site"
            raise BuildFailed([write_failure(exc, self.root, output)]) from None
        # What a build keeps (parsed pages, the manifest) lives until the next build: after a
        # good build it is frozen, so the garbage collector stops scanning it again and again
        # (at ten thousand pages, each full scan cost a serve rebuild tenths of a second).
        gc.collect()
        gc.freeze()
        return report

    def _build(
        self,
        *,
        today: dt.date | None,
        defer_index: bool,
        clean: bool,
        changed: Collection[Path] | None,
    ) -> BuildReport:
        timings: dict[str, float] = {}
        found = StageDiagnostics(self.strict_mode)
        notes: list[str] = []

        @contextmanager
        def stage(name: str) -> Iterator[None]:
            start = time.perf_counter()
            yield
            timings[name] = timings.get(name, 0.0) + time.perf_counter() - start

        with stage("load"):
            config, problems = load_config(
                self.root,
                strict=self.strict_mode,
                drafts=self.drafts,
                today=today,
                preview_url=self.preview_url,
            )
            found.add(problems)
            if config is None:
                found.stop_if_errors()
            assert config is not None
            # wrong settings stand in as defaults, to check the rest: never take a quick way
            settled = not any(d.is_error for d in problems)
            if clean:
                self._parsed, self._stats, self._manifest = {}, {}, None
                self._manifest_loaded = True
            manifest = self._load_manifest(config, notes)
            notes += clean_stale(config.output_dir)
            if changed is None or self._unparsed is None:
                self._unparsed = None
            else:  # saves a failed build never got to read count too
                self._unparsed |= {Path(path) for path in changed}
            edited = self._only_edited(self._unparsed, manifest) if settled else None
        if edited is not None:
            with stage("patch"):
                patched = self._patch(config, edited, defer_index, timings, notes)
            if patched is not None:
                return patched
        with stage("load"):
            inputs = (
                None
                if edited is not None
                else stamp(_input_roots(config), _options(config, self.preview_url))
            )
            if (
                settled
                and inputs is not None
                and manifest is not None
                and manifest.report is not None
                and manifest.stamp == inputs.value
                and inputs.trusted(time.time())
                and not (manifest.search_stale and not defer_index)
            ):
                return replace(manifest.report, timings=timings, notes=notes)
            clinic, problems = load_clinic(
                config.content_dir,
                config.settings.content_dir,
                language=config.settings.language,
                today=config.today,
                files=config.files,
            )
            found.add(problems)
        with stage("discover"):
            if edited is not None and self._discovered is not None:
                discovered = self._discovered
            else:
                sources, problems = discover(config.content_dir, config.files, config.languages)
                assets, unread = collect_assets(config.static_dir, config.files)
                discovered = (sources, problems + unread, assets)
            sources, problems, assets = self._discovered = discovered
            found.add(problems)
        with stage("parse"):
            documents, translations, broken = [], [], set()
            parsed = self._parse(sources, inputs, edited or set(), notes)
            for source, entry in zip(sources, parsed, strict=True):
                document, problems = entry.result
                found.add(problems)
                if document is None:
                    broken.add(source.slug)
                elif isinstance(document, TranslationDoc):
                    translations.append(document)
                else:
                    documents.append(document)
            known = {id(e.result[0]): e.digests for e in parsed if e.digests is not None}
            self._unparsed = set()  # every save so far is read
        with stage("assemble"):
            environments = self._environments_for(config)
            found.add(environments.templates.diagnostics)
            if clinic is None:  # nothing can be checked against the clinic's people
                found.stop_if_errors()
            assert clinic is not None
            site, problems = assemble(config, clinic, documents, assets, broken, translations)
            models = site.models
            found.add(problems)
        # content is sound: render anyway to find template errors that only show at run time
        found.stop_if_errors(unless_only=frozenset({"template"}))
        with stage("plan"):
            routes = plan(models)
            jobs = routes.pages
        search = config.settings.search.enabled
        staging: Path | None = None
        pending: InPlace | None = None
        sink: Callable[[Artifact], None] | None = None
        refused: WriteRefused | None = None
        if manifest is None or not made_by_us(config.output_dir):
            # a full build: pages go to a staging folder as they are made, never all in memory
            try:
                staging = open_staging(config.output_dir)
            except WriteRefused as refusal:
                refused = refusal  # reported once rendering has shown every other problem
            cut_down = search and not defer_index

            def sink(artifact: Artifact, staging: Path | None = staging) -> None:
                if staging is None:
                    return
                write_file(staging, artifact)
                if cut_down and artifact.dest_path.endswith(".html"):
                    write_searchable(staging, artifact.dest_path, artifact.content.decode())

        try:
            with stage("render"):
                made = self._render(
                    config, clinic, assets, models, jobs, environments, known, manifest, found, sink
                )
            found.stop_if_errors()
            if refused is not None:
                found.add([error("output", str(refused), config.settings.output_dir)])
                found.stop_if_errors()
            with stage("write"), self._lock:
                self._generation += 1
                if staging is not None:
                    copy_assets(staging, assets)
                    written = tuple(sorted([*made.outputs, *assets.dests]))
                    removed: tuple[str, ...] = ()
                else:
                    assert manifest is not None
                    self.store.forget(_manifest_name(config))  # a crash mid-way: full build
                    pending = stage_in_place(
                        config.output_dir, made.changed, assets, manifest, made.outputs
                    )
                    written, removed = pending.written, pending.removed
        except BaseException:
            if staging is not None:
                discard(staging)
            raise
        pages_changed = any(p.endswith(".html") for p in (*written, *removed))
        search_stale = search and (
            pages_changed or (manifest is not None and manifest.search_stale)
        )
        bundle = manifest.bundle if manifest is not None and search else (0, 0)
        try:
            if staging is not None:
                if search and not defer_index:
                    with stage("index"):
                        bundle = self._index(staging, staging, found, made.outputs, [])
                    search_stale = False
                with self._lock:
                    swap_in(staging, config.output_dir)
            elif search_stale and not defer_index:
                # indexed before the pages are moved in: an index that fails leaves site/ as is
                with stage("index"):
                    bundle = self._index(config.output_dir, None, found, made.outputs, made.changed)
                search_stale = False
            elif not search:
                shutil.rmtree(config.output_dir / BUNDLE_FOLDER, ignore_errors=True)
            if pending is not None:
                with stage("write"), self._lock:
                    pending.commit()
        except BaseException:
            for unused in (staging, pending.staging if pending is not None else None):
                if unused is not None:
                    discard(unused)
            raise
        main = models[config.settings.language]
        upcoming = [(d.src_path, due) for d in main.documents if (due := due_soon(d, config.today))]
        asset_sizes = {a.dest_path: a.size for a in assets.assets.values()}
        report = BuildReport(
            config.output_dir,
            sum(dest.endswith(".html") for dest in made.outputs),
            len(made.outputs) + len(asset_sizes) + bundle[0] + 1,  # + the marker file
            sum(r.size for r in made.outputs.values()) + sum(asset_sizes.values()) + bundle[1],
            ordered(found.items),
            timings,
            sorted(upcoming, key=lambda item: (item[1], item[0])),
            written=written,
            removed=removed,
            index_pending=search_stale,
            notes=notes,
            inputs=(_input_roots(config), inputs.value) if inputs is not None else None,
        )
        self._manifest = Manifest(
            made.outputs,
            asset_sizes,
            made.globals,
            made.dep_digests,
            made.template_digests,
            search_stale,
            bundle,
            # taken before reading: a file saved during this build makes the next one look
            inputs.value if inputs is not None else None,
            replace(report, timings={}, notes=[], written=(), removed=(), index_pending=False),
        )
        self._output_dir, self._config = config.output_dir, config
        self._last = _LastBuild(
            config,
            clinic,
            assets,
            models,
            jobs,
            made.values,
            site.known,
            list(found.items),
            {
                entry.result[0].src_path: entry.result[1]
                for entry in parsed
                if entry.result[1] and entry.result[0] is not None
            },
            environments=environments,
        )
        self._users = None
        if self.persist:
            self._save(config)
        return report

    def _patch(
        self,
        config: SiteConfig,
        edited: set[Path],
        defer_index: bool,
        timings: dict[str, float],
        notes: list[str],
    ) -> BuildReport | None:
        """The quick way for the commonest save: the body of a page edited in place.

        When every edited file is a published page in the main language, without translations,
        whose front matter, exercise embeds and pictures are as before, nothing but its body
        changed: the last build's site model gets the new document, and only the outputs that
        read that body are made again (found through the manifest). Anything else returns None,
        and the caller does a full incremental build. The result is the same either way; the
        rebuild tests compare both with a clean build.
        """
        last, manifest = self._last, self._manifest
        if (
            last is None
            or manifest is None
            or self.strict_mode
            or config != last.config
            or self._discovered is None
            or not made_by_us(config.output_dir)
        ):
            return None
        sources = self._sources_by_path()
        swaps: list[tuple[Document, Document, list[Diagnostic]]] = []
        digests: list[tuple[Document, tuple[str, str]]] = []
        for path in sorted(edited):
            source = sources.get(path)
            if source is None or source.is_translation:
                return None
            entry = self._parse([source], None, {path}, notes, forget=False)[0]
            new, problems = entry.result
            model = last.models.get(source.lang)
            old = last.docs.get(source.src_path)
            if (
                not isinstance(new, Document)
                or entry.digests is None
                or model is None
                or old is None
                or len(model.alternates.get(old.key, {})) > 1
                or entry.digests[0] != last.values.digest(("doc", old.lang, old.src_path, "meta"))
                or [e.slug for e in new.body.embeds] != [e.slug for e in old.body.embeds]
                or new.body.images != old.body.images
            ):
                return None
            swaps.append((old, new, problems))
            digests.append((new, entry.digests))
        diagnostics = list(last.diagnostics)
        for old, new, problems in swaps:
            for gone in [*last.parse_problems.get(old.src_path, []), *self._checks(last, old)]:
                if gone not in diagnostics:  # never expected; the full build is always right
                    return None
                diagnostics.remove(gone)
            diagnostics += problems + self._checks(last, new)
        if any(d.is_error for d in diagnostics):
            return None  # the full build reports errors, the same way every time
        # the new site: every model and page job that held an old document holds the new one
        models, jobs, values = dict(last.models), dict(last.jobs), last.values
        dirty: set[Dep] = set()
        for (old, new, _), (_, (_, body)) in zip(swaps, digests, strict=True):
            models = {lang: replace_document(m, old, new) for lang, m in models.items()}
            jobs = {
                lang: tuple(replace(j, doc=new) if j.doc is old else j for j in todo)
                for lang, todo in jobs.items()
            }
            dep: Dep = ("doc", new.lang, new.src_path, "body")
            if values.digest(dep) != body:
                dirty.add(dep)
        values = values.with_documents(models, digests)
        # a template that read the site through a name the engine does not know depends on
        # everything, bodies included
        dirty |= {
            dep
            for dep, was in manifest.dep_digests.items()
            if dep[0] == "model" and dep[2] not in MODEL_VALUES and values.digest(dep) != was
        }
        users = self._users_of(manifest)
        dests = sorted({dest for dep in dirty for dest in users.get(dep, ())})
        positions = last.positions()
        where = {
            dest: (positions[dest][0], jobs[positions[dest][0]][positions[dest][1]])
            for dest in dests
            if dest in positions
        }
        if any(dest not in where for dest in dests):
            return None  # a site-wide file read a body: leave it to the full build
        assert last.environments is not None
        templates = last.environments.templates
        renderers = {
            lang: Renderer(models[lang], templates) for lang in {where[d][0] for d in dests}
        }
        outputs = dict(manifest.outputs)
        dep_digests = dict(manifest.dep_digests)
        for dep in dirty:
            dep_digests[dep] = values.digest(dep)
        changed: list[Artifact] = []
        for dest in dests:
            lang, job = where[dest]
            try:
                artifact, read = renderers[lang].render(job)
            except TemplateFailure:
                return None
            for dep in read.deps:
                if dep not in dep_digests:
                    dep_digests[dep] = values.digest(dep)
            before = outputs[dest]
            outputs[dest] = OutputRecord(
                before.identity,
                len(artifact.content),
                frozenset(read.deps),
                frozenset(read.templates),
                lang,
            )
            changed.append(artifact)
        with self._lock:
            self._generation += 1
            self.store.forget(_manifest_name(config))  # a crash mid-way: full build
            written, removed = write_in_place(
                config.output_dir, changed, last.assets, manifest, outputs
            )
        for dest in dests:  # the pages just made may read other things now
            for dep in manifest.outputs[dest].deps:
                users.get(dep, set()).discard(dest)
            for dep in outputs[dest].deps:
                users.setdefault(dep, set()).add(dest)
        search = config.settings.search.enabled
        search_stale = search and (bool(written) or manifest.search_stale)
        if search_stale and not defer_index:
            try:
                manifest.bundle = self._index(
                    config.output_dir, None, StageDiagnostics(False), outputs, changed
                )
                search_stale = False
            except BuildFailed:
                return None
        previous = manifest.report
        assert previous is not None
        report = replace(
            previous,
            files=len(outputs) + len(manifest.assets) + manifest.bundle[0] + 1,
            bytes=sum(r.size for r in outputs.values())
            + sum(manifest.assets.values())
            + manifest.bundle[1],
            diagnostics=ordered(diagnostics),
            timings=timings,
            written=written,
            removed=removed,
            index_pending=search_stale,
            notes=notes,
        )
        self._manifest = Manifest(
            outputs,
            manifest.assets,
            manifest.globals,
            dep_digests,
            manifest.template_digests,
            search_stale,
            manifest.bundle,
            None,
            replace(report, timings={}, notes=[], written=(), removed=(), index_pending=False),
        )
        last.models, last.jobs, last.values, last.diagnostics = models, jobs, values, diagnostics
        for _old, new, problems in swaps:
            last.docs[new.src_path] = new
            last.parse_problems[new.src_path] = problems
        self._unparsed = set()
        if self.persist:
            self._save(config)
        return report

    def snapshot(self) -> SiteSnapshot | None:
        """The last good build's site, to read only (the editing UI previews a page in it)."""
        last = self._last
        if last is None or last.environments is None:
            return None
        catalogs = {lang: catalog for lang, (_, catalog) in last.environments.envs.items()}
        return SiteSnapshot(
            last.config,
            last.clinic,
            last.assets,
            last.known,
            dict(last.models),
            catalogs,
            last.environments.key,
        )

    def warm(self) -> None:
        """Make now what the first quick build would otherwise make (at ten thousand pages, a
        tenth of a second): `serve` calls it once its first build is done."""
        if self._last is not None and self._manifest is not None:
            self._last.positions()
            self._users_of(self._manifest)

    def _checks(self, last: _LastBuild, doc: Document) -> list[Diagnostic]:
        site = Site(last.config, last.clinic, last.assets, last.models, last.known)
        return document_checks(doc, site)

    def _users_of(self, manifest: Manifest) -> dict[Dep, set[str]]:
        """Which outputs read each dependency: the manifest turned around, made once."""
        if self._users is None:
            users: dict[Dep, set[str]] = {}
            for dest, record in manifest.outputs.items():
                for dep in record.deps:
                    users.setdefault(dep, set()).add(dest)
            self._users = users
        return self._users

    def refresh_search(self) -> list[Diagnostic]:
        """Re-index the last good build's pages; returns problems instead of raising.

        Safe to run in one background thread while `build` runs in another: a build that
        lands during the refresh marks the index stale again, so the caller refreshes once more.
        """
        manifest, output_dir, config = self._manifest, self._output_dir, self._config
        if manifest is None or output_dir is None or config is None or not manifest.search_stale:
            return []
        generation = self._generation
        found = StageDiagnostics(False)
        try:
            bundle = self._index(output_dir, None, found, manifest.outputs, [])
        except BuildFailed as failure:
            return failure.diagnostics
        with self._lock:
            if generation == self._generation and self._manifest is manifest:
                manifest.search_stale = False
                manifest.bundle = bundle
                if self.persist:
                    self._save(config)
        return found.items

    # -- stages with memory ----------------------------------------------------------------

    def _render(
        self,
        config: SiteConfig,
        clinic: Clinic,
        assets: AssetMap,
        models: dict[str, SiteModel],
        jobs: dict[str, tuple[RenderJob, ...]],
        environments: _Rendered,
        known: dict[int, tuple[str, str]],
        manifest: Manifest | None,
        found: StageDiagnostics,
        sink: Callable[[Artifact], None] | None = None,
    ) -> _Made:
        """Render every page whose inputs changed since the last build, and the site files.

        What changed is worked out once (which dependencies, templates and languages now have
        other digests); then each page is checked in constant time against what it read.
        """
        values = Values(models, known)
        main_env = environments.templates.envs[config.settings.language][0]
        template_digest = functools.cache(lambda name: _template_digest(main_env, name))
        globals_now = {lang: _global_digest(config, clinic, assets, lang) for lang in models}
        before = manifest or Manifest()
        dep_digests = {dep: values.digest(dep) for dep in before.dep_digests}
        dirty = {dep for dep, was in before.dep_digests.items() if dep_digests[dep] != was}
        template_digests = {name: template_digest(name) for name in before.template_digests}
        dirty_templates = {
            name for name, was in before.template_digests.items() if template_digests[name] != was
        }
        outputs: dict[str, OutputRecord] = {}
        changed: list[Artifact] = []
        seen: set[str] = set()
        prefix = str(config.output_dir) + os.sep
        todo: list[tuple[str, RenderJob, Any]] = []
        for lang in models:
            same_language = before.globals.get(lang) == globals_now[lang]
            for job in jobs[lang]:
                identity = _identity(lang, job)
                old = before.outputs.get(job.dest_path)
                if (
                    old is not None
                    and same_language
                    and old.identity == identity
                    and dirty.isdisjoint(old.deps)
                    and dirty_templates.isdisjoint(old.templates)
                    and os.path.isfile(prefix + job.dest_path)
                ):
                    outputs[job.dest_path] = old
                else:
                    todo.append((lang, job, identity))
        renderers = {
            lang: Renderer(model, environments.templates) for lang, model in models.items()
        }

        def render(index: int) -> tuple[Artifact, Recorder] | Diagnostic:
            lang, job, _ = todo[index]
            try:
                return renderers[lang].render(job)
            except TemplateFailure as failure:
                return failure.diagnostic

        keep = sink or changed.append
        for (lang, job, identity), result in zip(
            todo, iter_in_order(render, len(todo)), strict=True
        ):
            if isinstance(result, Diagnostic):
                # one broken template breaks many pages: report it once, at its first page
                key = str(result.location)
                if key not in seen:
                    seen.add(key)
                    found.add([result])
                continue
            artifact, read = result
            for dep in read.deps:
                if dep not in dep_digests:
                    dep_digests[dep] = values.digest(dep)
            for name in read.templates:
                if name not in template_digests:
                    template_digests[name] = template_digest(name)
            outputs[job.dest_path] = OutputRecord(
                identity,
                len(artifact.content),
                frozenset(read.deps),
                frozenset(read.templates),
                lang,
            )
            keep(artifact)
        site = Site(config, clinic, assets, models, Known(frozenset(), frozenset()))
        routes = Routes(jobs, tuple(self._file_routes(models)))
        # site files are made again when a template changes too (the service worker's version
        # covers the templates)
        identity = digest_of(globals_now, templates_digest(main_env))
        for route in routes.files:
            dest = route.dest_path
            deps = functools.partial(_file_deps, route, site, values)
            version = functools.partial(_file_version, identity, deps, values)
            make = functools.partial(make_site_file, route, site, routes, version)
            old = before.outputs.get(dest)
            if (
                old is not None
                and old.identity == identity
                and dirty.isdisjoint(old.deps)
                and os.path.isfile(prefix + dest)
            ):
                outputs[dest] = old
                continue
            artifact, made_from = make(), deps()
            for dep in made_from:
                if dep not in dep_digests:
                    dep_digests[dep] = values.digest(dep)
            content = hashlib.sha256(artifact.content).hexdigest()
            outputs[dest] = OutputRecord(
                identity, len(artifact.content), made_from, content=content
            )
            if old is None or old.content != content or not os.path.isfile(prefix + dest):
                keep(artifact)
        return _Made(outputs, changed, globals_now, dep_digests, template_digests, values)

    def _load_manifest(self, config: SiteConfig, notes: list[str]) -> Manifest | None:
        """The last build's manifest for this output folder, if the folder is still ours."""
        if self._output_dir is not None and self._output_dir != config.output_dir:
            self._manifest, self._manifest_loaded = None, False  # another output folder now
        if not self._manifest_loaded:
            self._manifest_loaded = True
            value, note = self.store.load(_manifest_name(config))
            if note:
                notes.append(note)
            self._manifest = value if isinstance(value, Manifest) else None
        if self._manifest is not None and made_by_us(config.output_dir):
            return self._manifest
        return None

    def _parse(
        self,
        sources: list[SourceFile],
        inputs: Stamp | None,
        edited: set[Path],
        notes: list[str],
        *,
        forget: bool = True,
    ) -> list[_ParseEntry]:
        """Parse every source, reusing the result for bytes already parsed.

        A file is read again unless its size and time are those recorded when it was last read
        (`inputs`, the stamp of this build), or, with no stamp, unless the watcher's hint says
        it was not `edited`.
        """
        if self._parsed is None:
            value, note = self.store.load("parse")
            if note:
                notes.append(note)
            self._parsed, self._stats = value if isinstance(value, tuple) else ({}, {})
        cached, stats = self._parsed, self._stats
        keys: list[str] = []
        missing: list[tuple[str, SourceFile]] = []
        now = time.time()
        for source in sources:
            path = str(source.abs_path)
            known = stats.get(path)
            if inputs is None:
                info = None
                if known is not None and source.abs_path not in edited:
                    keys.append(key := known[2])
                    if key not in cached:
                        missing.append((key, source))
                    continue
            else:
                info = inputs.files.get(path)
                if info is not None and known is not None and known[:2] == info:
                    keys.append(key := known[2])
                    if key not in cached:
                        missing.append((key, source))
                    continue
            try:
                data = source.read_bytes()
                if info is None:
                    found = source.abs_path.stat()
                    info = (found.st_size, found.st_mtime_ns)
            except Refused as refused:  # what the parse will report is part of the key
                data = repr(refused.diagnostic).encode()
            except OSError:
                data = b""
            key = digest_of(source, data)
            if info is not None and now - info[1] / 1e9 > RACY_SECONDS:
                stats[path] = (*info, key)
            else:
                stats.pop(path, None)
            keys.append(key)
            if key not in cached:
                missing.append((key, source))
        for (key, _source), result in zip(missing, parse_all([s for _, s in missing]), strict=True):
            document = result[0]
            digests = document_digests(document) if isinstance(document, Document) else None
            cached[key] = _ParseEntry(result, digests)
        if forget and len(cached) > len(keys):  # forget files that are gone or changed
            used = set(keys)
            for key in [k for k in cached if k not in used]:
                del cached[key]
        if forget and len(stats) > len(sources):
            live = {str(s.abs_path) for s in sources}
            for path in [p for p in stats if p not in live]:
                del stats[path]
        return [cached[key] for key in keys]

    def _only_edited(self, saved: set[Path] | None, manifest: Manifest | None) -> set[Path] | None:
        """The files saved since the last parse, if they are all content files edited in place
        (none added or removed: the list of sources stays the same); else None."""
        if saved is None or manifest is None or self._discovered is None or not saved:
            return None
        known = self._sources_by_path()
        if all(path in known and path.is_file() for path in saved):
            return set(saved)
        return None

    def _sources_by_path(self) -> dict[Path, SourceFile]:
        """The last discovered sources by absolute path, made once per discovery."""
        assert self._discovered is not None
        sources = self._discovered[0]
        if self._by_path[0] is not sources:
            self._by_path = (sources, {source.abs_path: source for source in sources})
        return self._by_path[1]

    def _environments_for(self, config: SiteConfig) -> _Rendered:
        """One Jinja environment per language; kept while templates and catalogs are unchanged."""
        key = (
            stamp(
                [config.templates_dir, THEME_TEMPLATES, config.root / i18n.LOCALES_DIR], None
            ).value,
            config.languages,
            config.settings.language,
        )
        if self._environments is not None and self._environments.key == key:
            return self._environments
        self._environments = _Rendered(key, load_templates(config))
        return self._environments

    def _file_routes(self, models: dict[str, SiteModel]) -> list[FileRoute]:
        from healthsite.site.routes import site_files

        return site_files(models)

    def _index(
        self,
        folder: Path,
        staging: Path | None,
        found: StageDiagnostics,
        outputs: dict[str, OutputRecord],
        changed: list[Artifact],
    ) -> tuple[int, int]:
        """Index every page and return the bundle's file count and size.

        Into staging, the pages were cut down as they were rendered. In place, they are cut
        down from the written files (or from memory, for those just made), and the new bundle is
        made beside the site and swapped in, so the old index answers until it is complete.
        """
        target = staging or new_side_folder(folder, "search")
        try:
            if staging is None:
                fresh = {a.dest_path: a.content for a in changed if a.dest_path.endswith(".html")}
                for dest in sorted(d for d in outputs if d.endswith(".html")):
                    content = fresh.get(dest)
                    if content is None:
                        try:
                            content = (folder / dest).read_bytes()
                        except OSError:
                            continue
                    write_searchable(target, dest, content.decode("utf-8"))
            try:
                index_site(target, prepared=True)
            except SearchIndexError as failure:
                if staging is not None:
                    discard(staging)
                found.add([error("search", f"search index: {failure}", CONFIG_FILE)])
                found.stop_if_errors()
            files = [p for p in (target / BUNDLE_FOLDER).rglob("*") if p.is_file()]
            bundle = (len(files), sum(p.stat().st_size for p in files))
            if staging is None:
                with self._lock:
                    replace_folder(target / BUNDLE_FOLDER, folder / BUNDLE_FOLDER)
            return bundle
        finally:  # a full disk or a refused folder: nothing left beside the site
            if staging is None:
                shutil.rmtree(target, ignore_errors=True)

    def _save(self, config: SiteConfig) -> None:
        try:
            if self._manifest is not None:
                self.store.save(_manifest_name(config), self._manifest)
            if self._parsed is not None:
                self.store.save("parse", (self._parsed, self._stats))
        except OSError:  # a read-only checkout still builds, just not incrementally
            pass


@dataclass(frozen=True, slots=True)
class SiteSnapshot:
    """A good build's site model per language and what rendering a page of it needs."""

    config: SiteConfig
    clinic: Clinic
    assets: AssetMap
    known: Known
    models: dict[str, SiteModel]
    catalogs: dict[str, gettext.NullTranslations | None]
    templates_key: Any
    """Changes whenever the templates or catalogs do."""


@dataclass(slots=True)
class _LastBuild:
    """The last good build's site, for `Builder._patch` to change in place."""

    config: SiteConfig
    clinic: Clinic
    assets: AssetMap
    models: dict[str, SiteModel]
    jobs: dict[str, tuple[RenderJob, ...]]
    values: Values
    known: Known
    diagnostics: list[Diagnostic]
    parse_problems: dict[str, list[Diagnostic]]
    docs: dict[str, Document] = field(default_factory=dict)
    """Published documents by source path, in every language."""
    environments: _Rendered | None = None
    _positions: dict[str, tuple[str, int]] | None = None

    def positions(self) -> dict[str, tuple[str, int]]:
        """Where each page's job is: (language, index in `jobs`), made once. A quick build
        swaps documents inside jobs, never their order."""
        if self._positions is None:
            self._positions = {
                job.dest_path: (lang, index)
                for lang, todo in self.jobs.items()
                for index, job in enumerate(todo)
            }
        return self._positions

    def __post_init__(self) -> None:
        for model in self.models.values():
            for doc in model.documents:
                self.docs[doc.src_path] = doc


@dataclass(frozen=True, slots=True)
class _ParseEntry:
    """A parse result, with the digests of the document's front matter and body."""

    result: ParseResult
    digests: tuple[str, str] | None


@dataclass(frozen=True, slots=True)
class _Made:
    """What the render stage made, and the manifest parts for the next build."""

    outputs: dict[str, OutputRecord]
    changed: list[Artifact]
    globals: dict[str, str]
    dep_digests: dict[Any, str]
    template_digests: dict[str, str]
    values: Values


def _input_roots(config: SiteConfig) -> list[Path]:
    """Everything a build reads: a stamp of these says whether anything can have changed."""
    roots = [
        config.root / CONFIG_FILE,
        config.content_dir,
        config.templates_dir,
        config.static_dir,
        config.root / i18n.LOCALES_DIR,
        THEME_TEMPLATES.parent,
    ]
    return [r for r in roots if r.exists()]


def _options(config: SiteConfig, preview_url: str | None) -> Any:
    return options(config.today, config.strict, config.drafts, preview_url)


def _manifest_name(config: SiteConfig) -> str:
    """One manifest per output folder: `site/` and the preview do not share fingerprints."""
    return "manifest-" + hashlib.sha256(str(config.output_dir).encode()).hexdigest()[:12]


def _identity(lang: str, job: RenderJob) -> Any:
    doc = (job.doc.lang, job.doc.src_path) if job.doc is not None else None
    return (lang, job.template, job.url, job.dest_path, job.title, job.in_sitemap, job.route, doc)


def _global_digest(config: SiteConfig, clinic: Clinic, assets: AssetMap, lang: str) -> str:
    """What every page of a language depends on: engine, settings, clinic, catalog, assets."""
    catalog = i18n.catalog_path(config.root, lang)
    return digest_of(
        engine_digest(),
        lang,
        config.drafts,
        config.settings.model_dump(mode="json"),
        repr(clinic),
        catalog.read_bytes() if catalog.is_file() else b"",
        sorted((a.src_path, a.dest_path) for a in assets.assets.values()),
    )


def _template_digest(env: jinja2.Environment, name: str) -> str:
    """Which file a template name resolves to now, and its text: a new override counts."""
    assert env.loader is not None
    try:
        source, filename, _ = env.loader.get_source(env, name)
    except jinja2.TemplateNotFound:
        return "missing"
    return digest_of(filename, source)


def parse_all(sources: list[SourceFile]) -> list[ParseResult]:
    """Parse files in order; many files are spread over every core, with the same results."""
    return map_in_order(lambda index: parse(sources[index]), len(sources))


def _file_deps(route: FileRoute, site: Site, values: Values) -> frozenset[Dep]:
    """What a site file is made from besides the settings and the clinic."""
    models = site.models

    def lists(*names: str) -> frozenset[Dep]:
        return frozenset(("model", lang, name) for lang in models for name in names)

    if route.kind in (FileKind.SITEMAP, FileKind.SERVICE_WORKER):
        every = (d for m in models.values() for d in m.documents)
        return values.doc_deps(every) | lists("documents", "alternates", "unreviewed")
    if route.kind is FileKind.FEED:  # a language's articles and exercises
        model = models[route.lang]
        read = frozenset(("model", model.lang, n) for n in ("articles", "exercises", "unreviewed"))
        return values.doc_deps((*model.articles, *model.exercises)) | read
    if route.kind is FileKind.BROWSE:
        model = models[route.lang]
        return values.doc_deps(model.exercises) | frozenset({("model", model.lang, "exercises")})
    return frozenset()


def _file_version(identity: str, deps: Callable[[], frozenset[Dep]], values: Values) -> str:
    """A digest of everything a site file is made from: the service worker's version."""
    return digest_of(identity, [(dep, values.digest(dep)) for dep in sorted(deps())])
