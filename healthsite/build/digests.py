"""The current value of everything an output can be made from, as digests.

Rendering records what each page read (see `render/recording.py`): which documents, and whether
only their front matter or also their body; which site-wide lists; which templates. Here each of
those is turned into a digest of its current value, once per build and on demand (`Values`),
along with what every page of a language depends on (`global_digest`) and what each site file is
made from (`file_deps`). `changes.py` compares them with the last build's.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import Any

import jinja2

from healthsite.build.receipt import engine_digest
from healthsite.config import SiteConfig
from healthsite.content.clinic import Clinic
from healthsite.content.documents import Document
from healthsite.i18n.catalogs import catalog_path
from healthsite.render.recording import Dep
from healthsite.search.facets import site_facets
from healthsite.site.assets import AssetMap
from healthsite.site.routes import FileKind, FileRoute, RenderJob
from healthsite.site.site_model import Site, SiteModel


def digest_of(*parts: Any) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _keys(docs: Iterable[Document]) -> list[tuple[str, str]]:
    return [(d.lang, d.src_path) for d in docs]


def _meta_value(doc: Document) -> Any:
    return (doc.kind, doc.slug, doc.meta, doc.provenance, doc.source_path, doc.untranslated)


#: What a template can read from the site model, as a value to digest. Anything not listed
#: (a method added later, say) falls back to everything in the model: safe, if slower.
MODEL_VALUES: dict[str, Callable[[SiteModel], Any]] = {
    "articles": lambda m: _keys(m.articles),
    "exercises": lambda m: _keys(m.exercises),
    "pages": lambda m: _keys(m.pages),
    "documents": lambda m: _keys(m.documents),
    "exercises_by_category": lambda m: [(c, _keys(ds)) for c, ds in m.exercises_by_category()],
    "exercises_by_slug": lambda m: sorted(
        (s, d.lang, d.src_path) for s, d in m.exercises_by_slug.items()
    ),
    "related_exercises": lambda m: sorted(
        (s, d.lang, d.src_path) for s, d in m.exercises_by_slug.items()
    ),
    "used_in": lambda m: sorted((s, _keys(ds)) for s, ds in m.used_in.items()),
    "articles_using": lambda m: sorted((s, _keys(ds)) for s, ds in m.used_in.items()),
    "facets": lambda m: site_facets(m.documents),
    "urls": lambda m: sorted(m.urls.items()),
    "alternates": lambda m: sorted(m.alternates.items()),
    "unreviewed": lambda m: sorted(m.unreviewed),
    # fixed for a build, and part of every fingerprint through `global_digest`
    "url": lambda m: None,
    "lang": lambda m: None,
    "lang_prefix": lambda m: None,
    "is_main_language": lambda m: None,
    "config": lambda m: None,
    "clinic": lambda m: None,
    "assets": lambda m: None,
}


class Values:
    """Digests of the current value of each dependency, computed once per build on demand.

    `known` has the digests of documents exactly as parsed (id → (front matter, body)), made
    once per parse; only documents made in `assemble` (merged translations) are hashed here.
    The digests made so far are a memo: the value of a dependency never changes within a build.
    """

    def __init__(
        self, models: dict[str, SiteModel], known: dict[int, tuple[str, str]] | None = None
    ) -> None:
        self.models = models
        known = known or {}
        docs: dict[tuple[str, str], Document] = {}
        for model in models.values():
            for doc in (*model.documents, *model.exercises_by_slug.values()):
                docs[(doc.lang, doc.src_path)] = doc
            for using in model.used_in.values():
                for doc in using:
                    docs[(doc.lang, doc.src_path)] = doc
        self._digests: dict[Dep, str] = {}
        for (lang, src_path), doc in docs.items():
            meta, body = known.get(id(doc)) or document_digests(doc)
            self._digests["doc", lang, src_path, "meta"] = meta
            self._digests["doc", lang, src_path, "body"] = body

    def with_documents(
        self, models: dict[str, SiteModel], docs: Iterable[tuple[Document, tuple[str, str]]]
    ) -> Values:
        """These values for a site where only the bodies of `docs` changed; each comes with
        its (front matter, body) digests, as `document_digests` made them when it was parsed."""
        changed = Values.__new__(Values)
        changed.models = models
        changed._digests = {
            dep: digest
            for dep, digest in self._digests.items()
            if not (dep[0] == "model" and dep[2] not in MODEL_VALUES)  # those read bodies
        }
        for doc, (meta, body) in docs:
            changed._digests["doc", doc.lang, doc.src_path, "meta"] = meta
            changed._digests["doc", doc.lang, doc.src_path, "body"] = body
        return changed

    def doc_deps(self, docs: Iterable[Document], part: str = "meta") -> frozenset[Dep]:
        """The dependencies of a file made from these documents' front matter (or bodies)."""
        return frozenset(("doc", d.lang, d.src_path, part) for d in docs)

    def digest(self, dep: Dep) -> str:
        found = self._digests.get(dep)
        if found is None:
            found = self._digests[dep] = self._digest(dep)
        return found

    def digests(self, deps: Iterable[Dep], into: dict[Dep, str]) -> None:
        """Add the digest of each dependency not in `into` yet (a manifest being made)."""
        for dep in deps:
            if dep not in into:
                into[dep] = self.digest(dep)

    def _digest(self, dep: Dep) -> str:
        kind = dep[0]
        if kind == "doc":  # every document that exists is known from the start
            return "gone"
        model = self.models.get(dep[1])
        if model is None:
            return "gone"
        if kind == "model":
            value = MODEL_VALUES.get(dep[2])
            if value is not None:
                return digest_of(value(model))
            return digest_of([document_digests(d) for d in model.documents])
        if kind == "alt":
            versions = model.alternates.get((dep[2], dep[3]), {})  # type: ignore[arg-type]
            return digest_of(versions, [u for u in versions.values() if u in model.unreviewed])
        return "unknown"


def document_digests(doc: Document) -> tuple[str, str]:
    """(front matter, body) digests: a list page depends on the first only."""
    return digest_of(_meta_value(doc)), digest_of(doc.body)


def global_digest(config: SiteConfig, clinic: Clinic, assets: AssetMap, lang: str) -> str:
    """What every page of a language depends on: engine, settings, clinic, catalog, assets."""
    catalog = catalog_path(config.root, lang)
    return digest_of(
        engine_digest(),
        lang,
        config.drafts,
        config.settings.model_dump(mode="json"),
        repr(clinic),
        catalog.read_bytes() if catalog.is_file() else b"",
        sorted((a.src_path, a.dest_path) for a in assets.assets.values()),
    )


def template_digest(env: jinja2.Environment, name: str) -> str:
    """Which file a template name resolves to now, and its text: a new override counts."""
    assert env.loader is not None
    try:
        source, filename, _ = env.loader.get_source(env, name)
    except jinja2.TemplateNotFound:
        return "missing"
    return digest_of(filename, source)


def page_identity(lang: str, job: RenderJob) -> Any:
    """What a page is, apart from what it read: its render job's fields."""
    doc = (job.doc.lang, job.doc.src_path) if job.doc is not None else None
    return (lang, job.template, job.url, job.dest_path, job.title, job.in_sitemap, job.route, doc)


def file_deps(route: FileRoute, site: Site, values: Values) -> frozenset[Dep]:
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
    if route.kind is FileKind.HEADERS and site.config.settings.editor.published:
        return lists("urls")  # its rules name the site's paths (render/security.py)
    if route.kind is FileKind.BROWSE:
        model = models[route.lang]
        return values.doc_deps(model.exercises) | frozenset({("model", model.lang, "exercises")})
    return frozenset()


def file_version(identity: str, deps: frozenset[Dep], values: Values) -> str:
    """A digest of everything a site file is made from: the service worker's version."""
    return digest_of(identity, [(dep, values.digest(dep)) for dep in sorted(deps)])
