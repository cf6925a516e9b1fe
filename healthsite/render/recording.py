"""What a render read: every document attribute, site-wide list and template a page touched,
noted while Jinja renders it, so the next build knows what the page depends on."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import jinja2

from healthsite.content.documents import Document
from healthsite.site.model import SiteModel

Dep = tuple[str, ...]
"""Something a render read: `("doc", lang, src_path, "meta"|"body")`, `("model", lang, name)`,
or `("alt", lang, kind, slug)` (a page's other language versions and their review state)."""


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
