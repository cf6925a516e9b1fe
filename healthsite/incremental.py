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
import os
import pickle
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from .assemble import SiteModel
from .content import Document
from .facets import site_facets
from .uptodate import CACHE_DIR, CACHE_FORMAT, engine_digest

Dep = tuple[str, ...]
"""Something a render read: `("doc", lang, src_path, "meta"|"body")`, `("model", lang, name)`,
or `("alt", lang, kind, slug)` (a page's other language versions and their review state)."""


def digest_of(*parts: Any) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()


# -- recording what a render reads --------------------------------------------------------------


@dataclass(slots=True)
class Recorder:
    """What one render job read."""

    deps: set[Dep] = field(default_factory=set)
    templates: set[str] = field(default_factory=set)


class RecordingHolder:
    """The recorder of the job being rendered right now (None between jobs); one per language."""

    __slots__ = ("recorder",)

    def __init__(self) -> None:
        self.recorder: Recorder | None = None

    def add(self, dep: Dep) -> None:
        if self.recorder is not None:
            self.recorder.deps.add(dep)

    def doc(self, doc: Document, part: str) -> None:
        if self.recorder is not None:
            self.recorder.deps.add(("doc", doc.lang, doc.src_path, part))


class RecordingEnvironment(jinja2.Environment):
    """A Jinja environment that notes every document attribute and template a render touches.

    Templates read values through `getattr`/`getitem` of the environment (filters such as
    `sort(attribute=...)` too), so this sees every access, in the site's own templates as well
    as the theme's.
    """

    holder: RecordingHolder

    def getattr(self, obj: Any, attribute: str) -> Any:
        self._note(obj, attribute)
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        if isinstance(argument, str):
            self._note(obj, argument)
        return super().getitem(obj, argument)

    def _note(self, obj: Any, name: str) -> None:
        recorder = self.holder.recorder
        if recorder is None:
            return
        if type(obj) is Document:
            part = "body" if name == "body" else "meta"
            recorder.deps.add(("doc", obj.lang, obj.src_path, part))
        elif type(obj) is SiteModel:
            recorder.deps.add(("model", obj.lang, name))

    def _load_template(self, name: str, globals: Any) -> jinja2.Template:
        template = super()._load_template(name, globals)
        recorder = self.holder.recorder
        if recorder is not None and template.name is not None:
            recorder.templates.add(template.name)
        return template


class RecordedTuple(tuple[Document, ...]):
    """A site-wide list handed to templates (`articles`, `pages`...): reading it is noted.

    Made once per build and language, so a page that never looks at the articles does not
    depend on which articles exist.
    """

    holder: RecordingHolder
    dep: Dep

    def __new__(cls, items: Iterable[Document], holder: RecordingHolder, dep: Dep) -> Any:
        made = super().__new__(cls, items)
        made.holder = holder
        made.dep = dep
        return made

    def __iter__(self) -> Iterator[Document]:
        self.holder.add(self.dep)
        return super().__iter__()

    def __len__(self) -> int:
        self.holder.add(self.dep)
        return super().__len__()

    def __getitem__(self, index: Any) -> Any:
        self.holder.add(self.dep)
        return super().__getitem__(index)

    def __contains__(self, item: object) -> bool:
        self.holder.add(self.dep)
        return super().__contains__(item)

    def __bool__(self) -> bool:
        self.holder.add(self.dep)
        return super().__len__() > 0


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


@dataclass(frozen=True, slots=True)
class OutputRecord:
    """One output file as the last build made it, and what it was made from."""

    identity: Any
    """What the output is: the render job's fields, or for a site-wide file (sitemap, feed) a
    digest of everything it is made from."""
    size: int
    deps: frozenset[Dep] = frozenset()
    templates: frozenset[str] = frozenset()
    lang: str = ""
    content: str = ""
    """For a site-wide file: a digest of its bytes, so one made again the same is not written."""


@dataclass(slots=True)
class Manifest:
    """Every output of the last good build, for one output folder, with the value each of its
    inputs had then. An output's fingerprint is, in parts: the global digest of its language
    (engine, settings, clinic, catalog, static files), its identity, the digests of the
    dependencies it read and of the templates it loaded. Keeping the parts apart lets a build
    find what changed once, then check each output in constant time."""

    outputs: dict[str, OutputRecord] = field(default_factory=dict)
    assets: dict[str, int] = field(default_factory=dict)
    """Static files written (fingerprinted output paths) and their sizes."""
    globals: dict[str, str] = field(default_factory=dict)
    dep_digests: dict[Dep, str] = field(default_factory=dict)
    template_digests: dict[str, str] = field(default_factory=dict)
    search_stale: bool = False
    """The pages changed after the search index was last made."""
    bundle: tuple[int, int] = (0, 0)
    """Files and bytes of the search bundle."""
    stamp: Any = None
    """Size and time of every input at the last build: equal means nothing to do."""
    report: Any = None
    """The last build's report, given again when nothing changed (its warnings too)."""


# -- the stamp: has anything changed at all? ----------------------------------------------------

# -- the cache on disk --------------------------------------------------------------------------


@dataclass(slots=True)
class CacheStore:
    """`.healthsite-cache/v<format>/`: the parse cache and one manifest per output folder."""

    root: Path

    @property
    def folder(self) -> Path:
        return self.root / CACHE_DIR / f"v{CACHE_FORMAT}"

    def _path(self, name: str) -> Path:
        return self.folder / f"{name}.pickle"

    def load(self, name: str) -> tuple[Any, str | None]:
        """The stored value, or None and a note saying why it could not be used."""
        path = self._path(name)
        if not path.is_file():
            return None, None
        try:
            with path.open("rb") as stream:
                engine, value = pickle.load(stream)
        except Exception as exc:  # any damage to a cache file means: rebuild, and say so
            return (
                None,
                f"the build cache ({path.name}) could not be read "
                f"({exc.__class__.__name__}); building everything",
            )
        if engine != engine_digest():
            return (
                None,
                "the build cache is from another version of healthsite; building everything",
            )
        return value, None

    def save(self, name: str, value: Any) -> None:
        """Write atomically: a build stopped half-way leaves the old file or none."""
        self.folder.mkdir(parents=True, exist_ok=True)
        gitignore = self.root / CACHE_DIR / ".gitignore"
        if not gitignore.exists():
            gitignore.write_text("# made by healthsite: a cache, safe to delete\n*\n")
        path = self._path(name)
        temporary = path.with_suffix(f".tmp-{os.getpid()}")
        with temporary.open("wb") as stream:
            pickle.dump((engine_digest(), value), stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)

    def forget(self, name: str) -> None:
        self._path(name).unlink(missing_ok=True)
