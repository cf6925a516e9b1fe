"""What a render read: every document attribute, site-wide list and template a page touched,
noted while Jinja renders it, so the next build knows what the page depends on.

Each render has its own `Recorder` and its own environment holding it (`for_render`): nothing
about the page being rendered lives anywhere another render could see it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, overload

import jinja2

from healthsite.content.documents import Document
from healthsite.site.site_model import SiteModel

Dep = tuple[str, ...]
"""Something a render read: `("doc", lang, src_path, "meta"|"body")`, `("model", lang, name)`,
or `("alt", lang, kind, slug)` (a page's other language versions and their review state)."""


@dataclass(slots=True)
class Recorder:
    """What one render job read; made for that render and filled by it alone."""

    deps: set[Dep] = field(default_factory=set)
    templates: set[str] = field(default_factory=set)

    def add(self, dep: Dep) -> None:
        self.deps.add(dep)

    def doc(self, doc: Document, part: str) -> None:
        """The render read a document's front matter (`meta`) or its `body`."""
        self.deps.add(("doc", doc.lang, doc.src_path, part))


class RecordingEnvironment(jinja2.Environment):
    """A Jinja environment that notes every document attribute and template a render touches.

    Templates read values through `getattr`/`getitem` of the environment (filters such as
    `sort(attribute=...)` too), so this sees every access, in the site's own templates as well
    as the theme's. A language's environment records nothing; `for_render` makes the one
    environment a render uses, with that render's recorder, fixed when it is made.
    """

    recorder: Recorder | None = None
    partials: Callable[[str], tuple[str, Recorder] | None] | None = None
    """A shared partial's HTML in this language and what making it read (`shared.py`)."""

    def for_render(
        self,
        recorder: Recorder,
        loader: jinja2.BaseLoader,
        shared: Callable[[str], tuple[str, Recorder] | None] | None = None,
    ) -> RecordingEnvironment:
        """An overlay of this environment for one render: its own template cache, `recorder`,
        and where an include of a shared partial takes its HTML from."""
        env = self.overlay(loader=loader, cache_size=-1)  # -1: a plain dict, for this render
        assert isinstance(env, RecordingEnvironment)
        env.recorder = recorder
        env.partials = shared
        return env

    def getattr(self, obj: Any, attribute: str) -> Any:
        self._note(obj, attribute)
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        if isinstance(argument, str):
            self._note(obj, argument)
        return super().getitem(obj, argument)

    def _note(self, obj: Any, name: str) -> None:
        recorder = self.recorder
        if recorder is None:
            return
        if type(obj) is Document:
            part = "body" if name == "body" else "meta"
            recorder.deps.add(("doc", obj.lang, obj.src_path, part))
        elif type(obj) is SiteModel:
            recorder.deps.add(("model", obj.lang, name))

    def _load_template(self, name: str, globals: Any) -> jinja2.Template:
        template = super()._load_template(name, globals)
        recorder = self.recorder
        if recorder is not None and template.name is not None:
            recorder.templates.add(template.name)
        if recorder is not None and self.partials is not None:
            made = self.partials(name)
            if made is not None:
                return SharedTemplate(made[0], made[1], recorder)  # type: ignore[return-value]
        return template


class RecordedList(Sequence[Document]):
    """A site-wide list handed to one render's templates (`articles`, `pages`...): reading it
    is noted, so a page that never looks at the articles does not depend on which exist."""

    __slots__ = ("_dep", "_items", "_recorder")

    def __init__(self, items: tuple[Document, ...], recorder: Recorder, dep: Dep) -> None:
        self._items = items
        self._recorder = recorder
        self._dep = dep

    def __iter__(self) -> Iterator[Document]:
        self._recorder.add(self._dep)
        return iter(self._items)

    def __len__(self) -> int:
        self._recorder.add(self._dep)
        return len(self._items)

    @overload
    def __getitem__(self, index: int) -> Document: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Document, ...]: ...
    def __getitem__(self, index: int | slice) -> Document | tuple[Document, ...]:
        self._recorder.add(self._dep)
        return self._items[index]

    def __contains__(self, item: object) -> bool:
        self._recorder.add(self._dep)
        return item in self._items

    def __bool__(self) -> bool:
        self._recorder.add(self._dep)
        return bool(self._items)

    def __reversed__(self) -> Iterator[Document]:
        self._recorder.add(self._dep)
        return reversed(self._items)


class SharedTemplate:
    """What `{% include %}` of a shared partial gets: the partial's HTML made once, and the
    note, in this page's recorder, of everything making it read."""

    __slots__ = ("html", "read", "recorder")

    def __init__(self, html: str, read: Recorder, recorder: Recorder) -> None:
        self.html = html
        self.read = read
        self.recorder = recorder

    def new_context(self, *args: Any, **kwargs: Any) -> None:
        return None

    def render(self, *args: Any, **kwargs: Any) -> str:
        """The partial rendered as a page of its own."""
        return "".join(self.root_render_func(None))

    def root_render_func(self, context: None) -> Iterator[str]:
        self.recorder.deps |= self.read.deps
        self.recorder.templates |= self.read.templates
        yield self.html
