"""The render stage: every page and site file whose inputs changed, made again; the others kept.

Pages are rendered on every core when there are many (`workers.py`), in order; the process
that renders a page writes it (a full build streams them to the staging folder) and hands back
its record and its searchable text only. Each output gets a record of what it was made from
(`manifest.py`), so the next build can tell what changed.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from healthsite.build.changes import Changes, changes_since
from healthsite.build.digests import (
    Values,
    digest_of,
    file_deps,
    file_version,
    global_digest,
    page_identity,
    template_digest,
)
from healthsite.build.manifest import Manifest, OutputRecord, file_record, page_record
from healthsite.build.progress import Progress, Unwatched
from healthsite.build.workers import iter_in_order
from healthsite.build.write import Output
from healthsite.diagnostics import Diagnostic
from healthsite.render.environment import Templates
from healthsite.render.offline import templates_digest
from healthsite.render.pages import Renderer, TemplateFailure
from healthsite.render.recording import Dep, Recorder
from healthsite.render.site_files import make_site_file
from healthsite.site.artifact import Artifact
from healthsite.site.routes import RenderJob, Routes
from healthsite.site.site_model import Site


@dataclass(frozen=True, slots=True)
class Made:
    """What the render stage made: a record of every output, and the manifest parts for the
    next build. The files themselves went to the output as they were made."""

    outputs: dict[str, OutputRecord]
    globals: dict[str, str]
    dep_digests: dict[Dep, str]
    template_digests: dict[str, str]
    values: Values
    problems: list[Diagnostic]
    """Template errors, each once (at the first page it broke)."""


@dataclass(slots=True)
class _Making:
    """The parts of `Made` while the stage fills them in."""

    values: Values
    dep_digests: dict[Dep, str]
    template_digests: dict[str, str]
    template_digest: Callable[[str], str]
    outputs: dict[str, OutputRecord] = field(default_factory=dict)
    problems: list[Diagnostic] = field(default_factory=list)


def render_outputs(
    site: Site,
    routes: Routes,
    templates: Templates,
    known: dict[int, tuple[str, str]],
    before: Manifest | None,
    output: Output,
    progress: Progress | None = None,
) -> Made:
    """Render every page whose inputs changed since the last build, and the site files."""
    config = site.config
    values = Values(site.models, known)
    main_env = templates.envs[config.settings.language][0]
    templates_now = functools.cache(lambda name: template_digest(main_env, name))
    globals_now = {
        lang: global_digest(config, site.clinic, site.assets, lang) for lang in site.models
    }
    changes = changes_since(before, values, templates_now, globals_now, config.output_dir)
    making = _Making(
        values, dict(changes.dep_digests), dict(changes.template_digests), templates_now
    )
    todo = _stale_pages(routes, changes, making.outputs)
    _render_pages(site, templates, todo, making, output, progress or Unwatched())
    # site files are made again when a template changes too (the service worker's version
    # covers the templates)
    identity = digest_of(globals_now, templates_digest(main_env))
    _make_site_files(site, routes, changes, making, identity, output)
    return Made(
        making.outputs,
        globals_now,
        making.dep_digests,
        making.template_digests,
        values,
        making.problems,
    )


def _stale_pages(
    routes: Routes, changes: Changes, outputs: dict[str, OutputRecord]
) -> list[tuple[str, RenderJob, Any]]:
    """The pages to render again, with their identity; the others' records go to `outputs`."""
    todo = []
    for lang, jobs in routes.pages.items():
        for job in jobs:
            identity = page_identity(lang, job)
            current = changes.current_page(lang, job.dest_path, identity)
            if current is not None:
                outputs[job.dest_path] = current
            else:
                todo.append((lang, job, identity))
    return todo


def _render_pages(
    site: Site,
    templates: Templates,
    todo: list[tuple[str, RenderJob, Any]],
    made: _Making,
    output: Output,
    progress: Progress,
) -> None:
    """Render `todo` in order (on every core when that pays), recording each page in `made`."""
    renderers = {lang: Renderer(model, templates) for lang, model in site.models.items()}
    output.make_folders(job.dest_path for _, job, _ in todo)

    def render(index: int) -> _Rendered | Diagnostic:
        lang, job, _ = todo[index]
        try:
            artifact, read = renderers[lang].render(job)
        except TemplateFailure as failure:
            return failure.diagnostic
        return _Rendered(len(artifact.content), read, output.write_page(artifact))

    seen: set[str] = set()
    progress.start("Making pages", len(todo))
    for (lang, job, identity), result in zip(todo, iter_in_order(render, len(todo)), strict=True):
        progress.advance()
        if isinstance(result, Diagnostic):
            # one broken template breaks many pages: report it once, at its first page
            if str(result.location) not in seen:
                seen.add(str(result.location))
                made.problems.append(result)
            continue
        read = result.read
        made.values.digests(read.deps, into=made.dep_digests)
        for name in read.templates:
            if name not in made.template_digests:
                made.template_digests[name] = made.template_digest(name)
        made.outputs[job.dest_path] = page_record(identity, result.size, read, lang)
        output.took(job.dest_path, result.handed)


@dataclass(frozen=True, slots=True)
class _Rendered:
    """What the process that rendered a page hands back: its size, what it read, and what
    `Output.write_page` left for the build's own process."""

    size: int
    read: Recorder
    handed: Artifact | str | None


def _make_site_files(
    site: Site, routes: Routes, changes: Changes, made: _Making, identity: str, output: Output
) -> None:
    """Make every site file whose inputs changed; write it only if its bytes did."""
    for route in routes.files:
        current = changes.current_file(route.dest_path, identity)
        if current is not None:
            made.outputs[route.dest_path] = current
            continue
        deps = file_deps(route, site, made.values)
        version = functools.partial(file_version, identity, deps, made.values)
        artifact = make_site_file(route, site, routes, version)
        made.values.digests(deps, into=made.dep_digests)
        record = made.outputs[route.dest_path] = file_record(identity, artifact, deps)
        if changes.must_write(route.dest_path, record):
            output.keep(artifact)
