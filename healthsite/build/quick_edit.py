"""The quick way for the commonest save in `serve`: the body of a page edited in place.

When every edited file is a published page in the main language, without translations, whose
front matter, exercise embeds and pictures are as before, nothing but its body changed: the
last build's site gets the new document, and only the outputs that read that body are made
again (found through the manifest turned around). It uses the full build's own functions
(parse, checks, render, records, write, index) and returns new values; anything it cannot do
the same way returns None, and the caller runs the full pipeline. The rebuild tests compare
both ways with a clean build.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from healthsite.build.digests import MODEL_VALUES, Values
from healthsite.build.manifest import Manifest, OutputRecord, page_record
from healthsite.build.memory import LastSite, Learned, Memory
from healthsite.build.parse_cache import ParseCache, parse_edited
from healthsite.build.report import BuildReport, Run, grades, kept_report
from healthsite.build.search_index import index_in_place
from healthsite.build.write import Output, Written, write_outputs
from healthsite.content.documents import Document
from healthsite.content.sources import SourceFile
from healthsite.diagnostics import Diagnostic, ordered
from healthsite.render.pages import Renderer, TemplateFailure
from healthsite.render.recording import Dep, Recorder
from healthsite.search.pagefind import SearchIndexError
from healthsite.site.artifact import Artifact
from healthsite.site.assemble import replace_document
from healthsite.site.checks import document_checks
from healthsite.site.links import document_links
from healthsite.site.routes import Routes
from healthsite.site.site_model import Site


@dataclass(frozen=True, slots=True)
class _Swap:
    """An edited document: the one the last build used, the new one, its parse problems."""

    old: Document
    new: Document
    problems: list[Diagnostic]
    digests: tuple[str, str]


def quick_edit(
    memory: Memory, learned: Learned, edited: Iterable[Path], defer_index: bool, run: Run
) -> BuildReport | None:
    """Bring the site up to date after body edits, or None if that needs the full pipeline."""
    last = learned.last
    assert last is not None and learned.parsed is not None
    manifest = learned.manifest_for(last.site.config.output_dir)
    found = learned.discovered
    read = None
    if manifest is not None and found is not None:
        read = _read_edits(last, found.by_path, learned.parsed, sorted(edited))
    if manifest is None or read is None:
        return None
    swaps, cache = read
    memory.update(lambda now: replace(now, parsed=cache))  # read once, whichever way follows
    diagnostics = _diagnostics_after(last, swaps)
    if diagnostics is None:
        return None
    site, routes, values, dirty = _site_after(last, manifest, swaps)
    users = last.users if last.users is not None else users_of(manifest.outputs)
    positions = last.positions if last.positions is not None else positions_of(last.routes)
    dests = sorted({dest for dep in dirty for dest in users.get(dep, ())})
    if any(dest not in positions for dest in dests):
        return None  # a site file read a body: leave it to the full build
    made = _render_again(last, site, routes, positions, dests)
    if made is None:
        return None
    after = _manifest_after(manifest, made, values, dirty)
    changed = [artifact for artifact, _ in made.values()]
    written = _write(memory, last, manifest, after.outputs, changed)
    indexed = _index(memory, last, after, changed, written, defer_index)
    if indexed is None:
        return None  # the index failed: the full build reports it
    after = replace(after, search_stale=indexed[0], bundle=indexed[1])
    report = replace(_report(after, written, diagnostics, run), readability=grades(site))
    after = replace(after, report=kept_report(report))
    kept_site = replace(
        last,
        site=site,
        routes=routes,
        values=values,
        diagnostics=diagnostics,
        problems_of={**last.problems_of, **{s.new.src_path: s.problems for s in swaps}},
        docs={**last.docs, **{s.new.src_path: s.new for s in swaps}},
        positions=positions,
        users=_users_after(users, manifest.outputs, after.outputs, dests),
    )
    _remember(memory, after, kept_site)
    return report


def _read_edits(
    last: LastSite, sources: dict[Path, SourceFile], cache: ParseCache, edited: list[Path]
) -> tuple[list[_Swap], ParseCache] | None:
    """Each edited file read again, if it is a published page in the main language, without
    translations, whose front matter, embeds and pictures are as before."""
    swaps = []
    for path in edited:
        source = sources.get(path)
        if source is None or source.is_translation:
            return None
        entry, cache = parse_edited(source, cache)
        new, problems = entry.result
        model = last.site.models.get(source.lang)
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
            or (  # links from other pages to its parts may land or break
                new.body.headings != old.body.headings
                and last.targets is not None
                and model.url(old) in last.targets.anchored
            )
        ):
            return None
        swaps.append(_Swap(old, new, problems, entry.digests))
    return swaps, cache


def _diagnostics_after(last: LastSite, swaps: list[_Swap]) -> list[Diagnostic] | None:
    """The last build's problems, with the edited pages' own taken out and found again; None
    when that cannot be done exactly as the full build would (or an error appears)."""
    diagnostics = list(last.diagnostics)
    for swap in swaps:
        gone = [
            *last.problems_of.get(swap.old.src_path, []),
            *_checks(last, swap.old),
        ]
        for problem in gone:
            if problem not in diagnostics:  # never expected; the full build is always right
                return None
            diagnostics.remove(problem)
        diagnostics += swap.problems + _checks(last, swap.new)
    if any(d.is_error for d in diagnostics):
        return None  # the full build reports errors, the same way every time
    return diagnostics


def _checks(last: LastSite, doc: Document) -> list[Diagnostic]:
    """What the full build reports about one document: its checks and its links."""
    found = document_checks(doc, last.site)
    if last.targets is not None:
        found += document_links(doc, last.site.models[doc.lang].url(doc), last.targets)
    return found


def _site_after(
    last: LastSite, manifest: Manifest, swaps: list[_Swap]
) -> tuple[Site, Routes, Values, set[Dep]]:
    """The new site (every model and page job that held an old document holds the new one),
    its values, and the dependencies whose value changed."""
    models, pages = dict(last.site.models), dict(last.routes.pages)
    dirty: set[Dep] = set()
    for swap in swaps:
        old, new = swap.old, swap.new
        models = {lang: replace_document(m, old, new) for lang, m in models.items()}
        pages = {
            lang: tuple(replace(j, doc=new) if j.doc is old else j for j in jobs)
            for lang, jobs in pages.items()
        }
        dep: Dep = ("doc", new.lang, new.src_path, "body")
        if last.values.digest(dep) != swap.digests[1]:
            dirty.add(dep)
    values = last.values.with_documents(models, [(s.new, s.digests) for s in swaps])
    # a template that read the site through a name the engine does not know depends on
    # everything, bodies included
    dirty |= {
        dep
        for dep, was in manifest.dep_digests.items()
        if dep[0] == "model" and dep[2] not in MODEL_VALUES and values.digest(dep) != was
    }
    site = replace(last.site, models=models)
    return site, replace(last.routes, pages=pages), values, dirty


def _render_again(
    last: LastSite,
    site: Site,
    routes: Routes,
    positions: dict[str, tuple[str, int]],
    dests: list[str],
) -> dict[str, tuple[Artifact, tuple[str, Recorder]]] | None:
    """The pages at `dests` rendered again, with what each read (and its language); None on a
    template error (the full build reports it)."""
    renderers: dict[str, Renderer] = {}
    made = {}
    for dest in dests:
        lang, index = positions[dest]
        if lang not in renderers:
            renderers[lang] = Renderer(site.models[lang], last.templates)
        try:
            artifact, read = renderers[lang].render(routes.pages[lang][index])
        except TemplateFailure:
            return None
        made[dest] = (artifact, (lang, read))
    return made


def _manifest_after(
    manifest: Manifest,
    made: dict[str, tuple[Artifact, tuple[str, Recorder]]],
    values: Values,
    dirty: set[Dep],
) -> Manifest:
    """The manifest with the pages made again: their records, and the digests they read."""
    outputs = dict(manifest.outputs)
    dep_digests = dict(manifest.dep_digests)
    for dep in dirty:
        dep_digests[dep] = values.digest(dep)
    for dest, (artifact, (lang, read)) in made.items():
        values.digests(read.deps, into=dep_digests)
        outputs[dest] = page_record(outputs[dest].identity, len(artifact.content), read, lang)
    return replace(manifest, outputs=outputs, dep_digests=dep_digests, stamp=None)


def _write(
    memory: Memory,
    last: LastSite,
    manifest: Manifest,
    outputs: dict[str, OutputRecord],
    changed: list[Artifact],
) -> Written:
    output_dir = last.site.config.output_dir
    output = Output(output_dir, changed=changed)
    with memory.writing(output_dir, in_place=True):
        written = write_outputs(output, outputs, last.site.assets, manifest)
        output.publish()
        return written


def _index(
    memory: Memory,
    last: LastSite,
    manifest: Manifest,
    changed: list[Artifact],
    written: Written,
    defer_index: bool,
) -> tuple[bool, tuple[int, int]] | None:
    """Whether the search index is still out of date, and its bundle's size: made again now
    unless deferred (None if that fails)."""
    stale = last.site.config.settings.search.enabled and (
        bool(written.written) or manifest.search_stale
    )
    if not stale or defer_index:
        return stale, manifest.bundle
    fresh = {a.dest_path: a.content for a in changed}
    try:
        folder = last.site.config.output_dir
        return False, index_in_place(folder, manifest.outputs, fresh, memory.lock)
    except SearchIndexError:
        return None


def _report(
    manifest: Manifest, written: Written, diagnostics: list[Diagnostic], run: Run
) -> BuildReport:
    """The last build's report, with this one's counts, problems and files."""
    assert manifest.report is not None
    outputs, bundle = manifest.outputs, manifest.bundle
    return replace(
        manifest.report,
        files=len(outputs) + len(written.assets) + bundle[0] + 1,
        bytes=sum(r.size for r in outputs.values()) + sum(written.assets.values()) + bundle[1],
        diagnostics=ordered(diagnostics),
        timings=run.timings,
        written=written.written,
        removed=written.removed,
        index_pending=manifest.search_stale,
        notes=run.notes,
    )


def _users_after(
    users: dict[Dep, frozenset[str]],
    before: dict[str, OutputRecord],
    after: dict[str, OutputRecord],
    dests: list[str],
) -> dict[Dep, frozenset[str]]:
    """Which outputs read each dependency, now that the pages at `dests` were made again."""
    users = dict(users)
    for dest in dests:  # the pages just made may read other things now
        for dep in before[dest].deps - after[dest].deps:
            users[dep] = users.get(dep, frozenset()) - {dest}
        for dep in after[dest].deps - before[dest].deps:
            users[dep] = users.get(dep, frozenset()) | {dest}
    return users


def _remember(memory: Memory, manifest: Manifest, last: LastSite) -> None:
    kept = memory.update(lambda now: replace(now, manifest=manifest, last=last, unread=frozenset()))
    assert kept is not None
    memory.save(kept)


def users_of(outputs: dict[str, OutputRecord]) -> dict[Dep, frozenset[str]]:
    """Which outputs read each dependency: the manifest turned around."""
    users: dict[Dep, set[str]] = {}
    for dest, record in outputs.items():
        for dep in record.deps:
            users.setdefault(dep, set()).add(dest)
    return {dep: frozenset(dests) for dep, dests in users.items()}


def positions_of(routes: Routes) -> dict[str, tuple[str, int]]:
    """Where each page's job is: (language, index in `routes.pages`). A quick edit swaps
    documents inside jobs, never their order."""
    return {
        job.dest_path: (lang, index)
        for lang, jobs in routes.pages.items()
        for index, job in enumerate(jobs)
    }
