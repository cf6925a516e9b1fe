"""The build, as a flat list of named stages: load → discover → parse → assemble → plan → render
→ write. Each stage takes plain values and returns plain values plus diagnostics."""

from __future__ import annotations

import datetime as dt
import functools
import gettext
import hashlib
import os
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import jinja2

from . import i18n
from .assemble import SiteModel, assemble
from .checks import due_soon
from .clinic import Clinic, load_clinic
from .config import CONFIG_FILE, SiteConfig, load_config
from .content import Document, SourceFile, TranslationDoc, discover, parse
from .diagnostics import BuildFailed, Diagnostic, error, ordered, strict
from .facets import browse_index
from .feeds import atom_feed, robots, sitemap
from .incremental import (
    RACY_SECONDS,
    CacheStore,
    Manifest,
    OutputRecord,
    RecordingEnvironment,
    Values,
    digest_of,
    engine_digest,
    fingerprint,
    stamp,
)
from .plan import RenderJob, plan
from .render import (
    THEME_TEMPLATES,
    Renderer,
    TemplateFailure,
    check_templates,
    make_environment,
)
from .search import BUNDLE_FOLDER, SearchIndexError, index_site
from .security import headers_file
from .static import AssetMap, collect_assets
from .vcard import clinic_vcard
from .write import (
    Artifact,
    WriteRefused,
    discard,
    made_by_us,
    replace_folder,
    swap_in,
    write_in_place,
    write_staging,
)


@dataclass(frozen=True, slots=True)
class BuildReport:
    """What a build did: the CLI prints it, the tests assert on it."""

    output_dir: Path
    pages: int
    files: int
    bytes: int
    diagnostics: list[Diagnostic]
    timings: dict[str, float] = field(default_factory=dict)
    reviews_due_soon: list[tuple[str, dt.date]] = field(default_factory=list)
    """Pages whose next review falls within the next 60 days: (source path, due date)."""
    written: tuple[str, ...] = ()
    """Output files (re)written by this build, e.g. `articles/x/index.html`."""
    removed: tuple[str, ...] = ()
    """Output files this build deleted because their source is gone."""
    index_pending: bool = False
    """The search index is out of date: `Builder.refresh_search()` brings it up to date."""
    notes: list[str] = field(default_factory=list)
    """Things to know that are not problems with the site (e.g. the cache was rebuilt)."""

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if not d.is_error]


class _Diagnostics:
    """Collects diagnostics across stages and stops the build at a stage boundary on errors."""

    def __init__(self, strict_mode: bool) -> None:
        self.strict = strict_mode
        self.items: list[Diagnostic] = []

    def add(self, found: list[Diagnostic]) -> None:
        self.items += strict(found) if self.strict else found

    def stop_if_errors(self, *, unless_only: frozenset[str] = frozenset()) -> None:
        """Stop on errors, except when every error has a code in `unless_only`."""
        errors = [d for d in self.items if d.is_error]
        if errors and not all(d.code in unless_only for d in errors):
            raise BuildFailed(ordered(self.items))


def load(
    root: Path, *, strict_mode: bool = False, drafts: bool = False, preview_url: str | None = None
) -> SiteConfig:
    """The `load_config` stage on its own, for commands that need only the settings."""
    config, found = load_config(root, strict=strict_mode, drafts=drafts, preview_url=preview_url)
    if config is None:
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
) -> BuildReport:
    """Build the site in `root`; raise `BuildFailed` with every problem, `site/` untouched.

    Incremental: what the last build learned (`.healthsite-cache/`) lets this one skip every
    output whose inputs did not change. `clean` ignores the cache and makes everything.
    """
    builder = Builder(root, strict_mode=strict_mode, drafts=drafts, preview_url=preview_url)
    return builder.build(today=today, clean=clean)


ParseResult = tuple[Document | TranslationDoc | None, list[Diagnostic]]


@dataclass(frozen=True, slots=True)
class _Rendered:
    """The language environments of a build, kept while templates and catalogs stay the same."""

    key: Any
    envs: dict[str, tuple[RecordingEnvironment, gettext.NullTranslations | None]]
    diagnostics: list[Diagnostic]


class Builder:
    """Builds one site again and again, keeping what each build learned for the next.

    `serve` keeps one for its whole life (parse results, output fingerprints and template
    environments stay in memory); `build` makes one per run and relies on the cache folder.
    A build that fails leaves the last good site in place and the builder ready for the next.
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
        """Write the cache folder after each build (serve writes it only after its first)."""
        self.store = CacheStore(root)
        self._parsed: dict[str, ParseResult] | None = None
        self._stats: dict[str, tuple[int, int, str]] = {}
        self._manifest: Manifest | None = None
        self._manifest_loaded = False
        self._environments: _Rendered | None = None
        self._lock = threading.Lock()
        self._generation = 0
        self._output_dir: Path | None = None

    # -- the build -------------------------------------------------------------------------

    def build(
        self, *, today: dt.date | None = None, defer_index: bool = False, clean: bool = False
    ) -> BuildReport:
        """Bring the output up to date; raise `BuildFailed` with every problem.

        With `defer_index`, the search index is not refreshed here: `report.index_pending`
        says it needs to be, and `refresh_search()` does it (from a background thread).
        """
        timings: dict[str, float] = {}
        found = _Diagnostics(self.strict_mode)
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
            manifest = None if clean else self._load_manifest(config, notes)
            if clean:
                self._parsed, self._stats = {}, {}
            inputs = stamp(_input_roots(config), _options(config))
            if (
                manifest is not None
                and inputs is not None
                and manifest.stamp == inputs[0]
                and time.time() - inputs[1] > RACY_SECONDS
                and not (manifest.search_stale and not defer_index)
                and manifest.report is not None
            ):
                return replace(
                    manifest.report, timings=timings, notes=notes, written=(), removed=()
                )
            clinic, problems = load_clinic(
                config.content_dir,
                config.settings.content_dir,
                language=config.settings.language,
                today=config.today,
            )
            found.add(problems)
        with stage("discover"):
            sources, problems = discover(config.content_dir, config.root, config.languages)
            found.add(problems)
        with stage("parse"):
            documents, translations, broken = [], [], set()
            parsed = self._parse(sources, notes)
            for source, (document, problems) in zip(sources, parsed, strict=True):
                found.add(problems)
                if document is None:
                    broken.add(source.slug)
                elif isinstance(document, TranslationDoc):
                    translations.append(document)
                else:
                    documents.append(document)
            assets = collect_assets(config.static_dir)
        with stage("assemble"):
            environments = self._environments_for(config)
            envs = environments.envs
            found.add(environments.diagnostics)
            if clinic is None:  # nothing can be checked against the clinic's people
                found.stop_if_errors()
            assert clinic is not None
            models, problems = assemble(config, clinic, documents, assets, broken, translations)
            found.add(problems)
        # content is sound: render anyway to find template errors that only show at run time
        found.stop_if_errors(unless_only=frozenset({"template"}))
        with stage("plan"):
            jobs = {lang: plan(model) for lang, model in models.items()}
        with stage("render"):
            old = manifest.outputs if manifest is not None else {}
            values = Values(models)
            main_env = envs[config.settings.language][0]
            template_digest = functools.cache(lambda name: _template_digest(main_env, name))
            outputs: dict[str, OutputRecord] = {}
            changed: list[Artifact] = []
            seen: set[str] = set()
            for lang, model in models.items():
                renderer = Renderer(model, *envs[lang])
                base = _global_digest(config, clinic, assets, lang)
                for job in jobs[lang]:
                    identity = _identity(lang, job)
                    before = old.get(job.dest_path)
                    if (
                        before is not None
                        and before.fingerprint
                        == fingerprint(
                            base, identity, before.deps, before.templates, values, template_digest
                        )
                        and (config.output_dir / job.dest_path).is_file()
                    ):
                        outputs[job.dest_path] = before
                        continue
                    try:
                        artifact, read = renderer.render(job)
                    except TemplateFailure as failure:
                        # one broken template breaks many pages: report it once, at its first
                        key = str(failure.diagnostic.location)
                        if key not in seen:
                            seen.add(key)
                            found.add([failure.diagnostic])
                        continue
                    deps, templates = frozenset(read.deps), frozenset(read.templates)
                    outputs[job.dest_path] = OutputRecord(
                        fingerprint(base, identity, deps, templates, values, template_digest),
                        deps,
                        templates,
                    )
                    changed.append(artifact)
            extra = self._site_files(config, clinic, models, jobs)
            for artifact in extra:
                content_digest = digest_of(artifact.content)
                before = old.get(artifact.dest_path)
                outputs[artifact.dest_path] = OutputRecord(content_digest)
                if (
                    before is None
                    or before.fingerprint != content_digest
                    or not (config.output_dir / artifact.dest_path).is_file()
                ):
                    changed.append(artifact)
        found.stop_if_errors()
        main = models[config.settings.language]
        search = config.settings.search.enabled
        with stage("write"), self._lock:
            self._generation += 1
            try:
                if manifest is None or not made_by_us(config.output_dir):
                    staging, _result = write_staging(config.output_dir, changed, assets)
                    written = tuple(sorted(outputs)) + tuple(sorted(assets.dests))
                    removed: tuple[str, ...] = ()
                else:
                    self.store.forget(_manifest_name(config))  # a crash mid-way: full build
                    staging = None
                    written, removed = write_in_place(
                        config.output_dir, changed, assets, manifest, outputs
                    )
            except WriteRefused as refused:
                found.add([error("output", str(refused), config.settings.output_dir)])
                found.stop_if_errors()
                raise
        pages_changed = any(p.endswith(".html") for p in (*written, *removed))
        search_stale = search and (
            pages_changed or (manifest is not None and manifest.search_stale)
        )
        if staging is not None:
            if search and not defer_index:
                with stage("index"):
                    self._index(staging, staging, found, outputs, changed)
                search_stale = False
            with self._lock:
                swap_in(staging, config.output_dir)
        elif search_stale and not defer_index:
            with stage("index"):
                self._index(config.output_dir, None, found, outputs, changed)
            search_stale = False
        elif not search:
            shutil.rmtree(config.output_dir / BUNDLE_FOLDER, ignore_errors=True)
        files = [p for p in config.output_dir.rglob("*") if p.is_file()]
        upcoming = [(d.src_path, due) for d in main.documents if (due := due_soon(d, config.today))]
        report = BuildReport(
            config.output_dir,
            sum(dest.endswith(".html") for dest in outputs),
            len(files),
            sum(p.stat().st_size for p in files),
            ordered(found.items),
            timings,
            sorted(upcoming, key=lambda item: (item[1], item[0])),
            written=written,
            removed=removed,
            index_pending=search_stale,
            notes=notes,
        )
        self._manifest = Manifest(
            outputs,
            frozenset(assets.dests),
            search_stale,
            # a build that changed an input while running must not be trusted as "up to date"
            inputs[0]
            if inputs is not None and inputs == stamp(_input_roots(config), _options(config))
            else None,
            replace(report, timings={}, notes=[], written=(), removed=(), index_pending=False),
        )
        self._output_dir = config.output_dir
        self._config = config
        if self.persist:
            self._save(config)
        return report

    def refresh_search(self) -> list[Diagnostic]:
        """Re-index the last good build's pages; returns problems instead of raising.

        Safe to run in one background thread while `build` runs in another: a build that
        lands during the refresh marks the index stale again, so the caller refreshes once more.
        """
        manifest, output_dir = self._manifest, self._output_dir
        if manifest is None or output_dir is None or not manifest.search_stale:
            return []
        generation = self._generation
        found = _Diagnostics(False)
        try:
            self._index(output_dir, None, found, manifest.outputs, [])
        except BuildFailed as failure:
            return failure.diagnostics
        with self._lock:
            if generation == self._generation and self._manifest is manifest:
                manifest.search_stale = False
                if manifest.report is not None:
                    manifest.report = replace(manifest.report, index_pending=False)
                if self.persist:
                    self._save(self._config)
        return found.items

    # -- stages with memory ----------------------------------------------------------------

    def _load_manifest(self, config: SiteConfig, notes: list[str]) -> Manifest | None:
        if self._output_dir is not None and self._output_dir != config.output_dir:
            self._manifest = None  # the output folder moved: start again there
        elif self._manifest is not None:
            return self._manifest if made_by_us(config.output_dir) else None
        if self._manifest_loaded:
            return None
        self._manifest_loaded = True
        value, note = self.store.load(_manifest_name(config))
        if note:
            notes.append(note)
        if isinstance(value, Manifest) and made_by_us(config.output_dir):
            self._manifest = value
            return value
        return None

    def _parse(self, sources: list[SourceFile], notes: list[str]) -> list[ParseResult]:
        """Parse every source, reusing the result for bytes already parsed."""
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
            try:
                info = source.abs_path.stat()
            except OSError:
                info = None
            known = stats.get(source.src_path)
            if info is not None and known and known[:2] == (info.st_size, info.st_mtime_ns):
                key = known[2]
            else:
                try:
                    data = source.abs_path.read_bytes()
                except OSError:
                    data = b""
                key = digest_of(source, data)
                if info is not None and now - info.st_mtime > RACY_SECONDS:
                    stats[source.src_path] = (info.st_size, info.st_mtime_ns, key)
                else:
                    stats.pop(source.src_path, None)
            keys.append(key)
            if key not in cached:
                missing.append((key, source))
        results = parse_all([source for _, source in missing])
        for (key, _source), result in zip(missing, results, strict=True):
            cached[key] = result
        used = set(keys)
        for key in [k for k in cached if k not in used]:  # forget files that are gone
            del cached[key]
        live = {s.src_path for s in sources}
        for path in [p for p in stats if p not in live]:
            del stats[path]
        return [cached[key] for key in keys]

    def _environments_for(self, config: SiteConfig) -> _Rendered:
        """One Jinja environment per language; kept while templates and catalogs are unchanged."""
        key = (
            stamp([config.templates_dir, THEME_TEMPLATES, config.root / i18n.LOCALES_DIR], None),
            config.languages,
            config.settings.language,
        )
        if self._environments is not None and self._environments.key == key:
            return self._environments
        diagnostics: list[Diagnostic] = []
        envs = {}
        used = i18n.messages(config.templates_dir, config.root)
        for lang in config.languages:
            catalog = None
            if lang.split("-")[0] != i18n.SOURCE_LANGUAGE:  # the theme is written in English
                catalog, problems = i18n.load_translations(config.root, lang, used)
                diagnostics += problems
            envs[lang] = (make_environment(config.templates_dir, catalog), catalog)
        diagnostics += check_templates(envs[config.settings.language][0], config.root)
        self._environments = _Rendered(key, envs, diagnostics)
        return self._environments

    def _site_files(
        self,
        config: SiteConfig,
        clinic: Clinic,
        models: dict[str, SiteModel],
        jobs: dict[str, list[RenderJob]],
    ) -> list[Artifact]:
        """Sitemap, feed, robots, headers, contact card, browse lists: cheap, made every time."""
        main = models[config.settings.language]
        form = clinic.meta.form
        files = [
            sitemap(models, jobs),
            atom_feed(main),
            robots(main),
            headers_file(config.settings.search.enabled, form.endpoint if form.enabled else None),
            clinic_vcard(clinic, config.settings.base_url),
        ]
        if config.settings.search.enabled:
            files += [browse_index(model) for model in models.values()]
        return files

    def _index(
        self,
        folder: Path,
        staging: Path | None,
        found: _Diagnostics,
        outputs: dict[str, OutputRecord],
        changed: list[Artifact],
    ) -> None:
        """Index every page: from memory when all were just made, else from the written files.

        In place, the new bundle is made beside the site and swapped in, so the old index keeps
        answering until the new one is complete.
        """
        fresh = {a.dest_path: a.content for a in changed if a.dest_path.endswith(".html")}
        pages = []
        for dest in sorted(d for d in outputs if d.endswith(".html")):
            content = fresh.get(dest)
            if content is None:
                try:
                    content = (folder / dest).read_bytes()
                except OSError:
                    continue
            pages.append((dest, content.decode("utf-8")))
        target = staging or folder.parent / f"{folder.name}.search-{os.getpid()}"
        try:
            index_site(target, pages)
        except SearchIndexError as failure:
            if staging is not None:
                discard(staging)
            else:
                shutil.rmtree(target, ignore_errors=True)
            found.add([error("search", f"search index: {failure}", CONFIG_FILE)])
            found.stop_if_errors()
        if staging is None:
            with self._lock:
                replace_folder(target / BUNDLE_FOLDER, folder / BUNDLE_FOLDER)
            shutil.rmtree(target, ignore_errors=True)

    def _save(self, config: SiteConfig) -> None:
        try:
            if self._manifest is not None:
                self.store.save(_manifest_name(config), self._manifest)
            if self._parsed is not None:
                self.store.save("parse", (self._parsed, self._stats))
        except OSError:  # a read-only checkout still builds, just not incrementally
            pass


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


def _options(config: SiteConfig) -> Any:
    return (
        engine_digest(),
        config.today,
        config.strict,
        config.drafts,
        config.settings.model_dump(mode="json"),
    )


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
    return [parse(source) for source in sources]
