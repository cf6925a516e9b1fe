"""The build, as a flat list of named stages: load → discover → parse → assemble → plan → render
→ write. Each stage takes plain values and returns plain values plus diagnostics."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from . import i18n
from .assemble import assemble
from .checks import due_soon
from .clinic import load_clinic
from .config import CONFIG_FILE, SiteConfig, load_config
from .content import TranslationDoc, discover, parse
from .diagnostics import BuildFailed, Diagnostic, error, ordered, strict
from .facets import browse_index
from .feeds import atom_feed, robots, sitemap
from .plan import plan
from .render import Renderer, TemplateFailure, check_templates, make_environment
from .search import SearchIndexError, index_site
from .security import headers_file
from .static import collect_assets
from .vcard import clinic_vcard
from .write import Artifact, WriteRefused, WriteResult, discard, swap_in, write_staging


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
) -> BuildReport:
    """Build the site in `root`; raise `BuildFailed` with every problem, `site/` untouched."""
    timings: dict[str, float] = {}
    found = _Diagnostics(strict_mode)

    @contextmanager
    def stage(name: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        timings[name] = time.perf_counter() - start

    with stage("load"):
        config, problems = load_config(
            root, strict=strict_mode, drafts=drafts, today=today, preview_url=preview_url
        )
        found.add(problems)
        if config is None:
            found.stop_if_errors()
        assert config is not None
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
        for source in sources:
            document, problems = parse(source)
            found.add(problems)
            if document is None:
                broken.add(source.slug)
            elif isinstance(document, TranslationDoc):
                translations.append(document)
            else:
                documents.append(document)
        assets = collect_assets(config.static_dir)
    with stage("assemble"):
        envs = {}
        used = i18n.messages(config.templates_dir, config.root)
        for lang in config.languages:
            catalog = None
            if lang.split("-")[0] != i18n.SOURCE_LANGUAGE:  # the theme is written in English
                catalog, problems = i18n.load_translations(config.root, lang, used)
                found.add(problems)
            envs[lang] = (make_environment(config.templates_dir, catalog), catalog)
        found.add(check_templates(envs[config.settings.language][0], config.root))
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
        artifacts: list[Artifact] = []
        seen: set[str] = set()
        for lang, model in models.items():
            renderer = Renderer(model, *envs[lang])
            for job in jobs[lang]:
                try:
                    artifacts.append(renderer.render(job))
                except TemplateFailure as failure:
                    # one broken template breaks many pages: report it once, at its first page
                    key = str(failure.diagnostic.location)
                    if key not in seen:
                        seen.add(key)
                        found.add([failure.diagnostic])
        if config.settings.search.enabled:
            artifacts += [browse_index(model) for model in models.values()]
        main = models[config.settings.language]
        form = clinic.meta.form
        artifacts += [
            sitemap(models, jobs),
            atom_feed(main),
            robots(main),
            headers_file(config.settings.search.enabled, form.endpoint if form.enabled else None),
            clinic_vcard(clinic, config.settings.base_url),
        ]
    found.stop_if_errors()
    with stage("write"):
        try:
            staging, result = write_staging(config.output_dir, artifacts, assets)
        except WriteRefused as refused:
            found.add([error("output", str(refused), config.settings.output_dir)])
            found.stop_if_errors()
            raise
    if config.settings.search.enabled:
        with stage("index"):
            try:
                index_site(
                    staging,
                    [
                        (a.dest_path, a.content.decode("utf-8"))
                        for a in artifacts
                        if a.dest_path.endswith(".html")
                    ],
                )
            except SearchIndexError as failure:
                discard(staging)
                found.add([error("search", f"search index: {failure}", CONFIG_FILE)])
                found.stop_if_errors()
    files = [p for p in staging.rglob("*") if p.is_file()]  # the search bundle included
    result = WriteResult(result.pages, len(files), sum(p.stat().st_size for p in files))
    swap_in(staging, config.output_dir)
    upcoming = [(d.src_path, due) for d in main.documents if (due := due_soon(d, config.today))]
    return BuildReport(
        config.output_dir,
        result.pages,
        result.files,
        result.bytes,
        ordered(found.items),
        timings,
        sorted(upcoming, key=lambda item: (item[1], item[0])),
    )


class Builder:
    """Builds one site again and again, keeping what each build learned for the next.

    `serve` keeps one for its whole life; `build` makes one per run. A build that fails leaves
    the last good site in place and the builder ready for the next try.
    """

    def __init__(
        self,
        root: Path,
        *,
        strict_mode: bool = False,
        drafts: bool = False,
        preview_url: str | None = None,
    ) -> None:
        self.root = root
        self.strict_mode = strict_mode
        self.drafts = drafts
        self.preview_url = preview_url

    def build(self, *, today: dt.date | None = None, defer_index: bool = False) -> BuildReport:
        """Bring the output up to date; raise `BuildFailed` with every problem.

        With `defer_index`, the search index is not refreshed here: `report.index_pending`
        says it needs to be, and `refresh_search()` does it (from a background thread).
        """
        return build(
            self.root,
            strict_mode=self.strict_mode,
            drafts=self.drafts,
            today=today,
            preview_url=self.preview_url,
        )

    def refresh_search(self) -> list[Diagnostic]:
        """Re-index the last good build's pages; returns problems instead of raising."""
        return []
