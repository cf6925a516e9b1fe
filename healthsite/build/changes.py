"""Incremental builds: remember what every output was made from; make again only what changed.

Rendering records what each page read (see `Recorder`): which documents, and whether only their
front matter or also their body; which site-wide lists; which templates. An output's fingerprint
is a digest of the engine, the settings, the clinic, the catalogs, the static files, and the
current value of everything it read. The next build renders a page again only when its
fingerprint changed, so an edited article body re-renders that article and the pages that show
its body, but not the lists that show only its title.

What a build learned is kept in `.healthsite-cache/` (see `CacheStore`): the parse result of every
content file keyed by a digest of its bytes, and the manifest of outputs. The folder is versioned;
a cache that cannot be read, or was written by another version of the engine, means a full
build with a note, never a crash or a stale page.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import Any

from healthsite.content.documents import Document
from healthsite.render.recording import Dep
from healthsite.search.facets import site_facets
from healthsite.site.model import SiteModel


def digest_of(*parts: Any) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()


# -- recording what a render reads --------------------------------------------------------------


# -- the current value of everything a render can read ------------------------------------------


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


# -- the manifest: what every output was made from ----------------------------------------------


# -- the stamp: has anything changed at all? ----------------------------------------------------

# -- the cache on disk --------------------------------------------------------------------------
