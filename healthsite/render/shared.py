"""Partials that come out the same on every page of a language, rendered once per language.

"Speak with us" (the clinic's people, phone, opening hours) is on every page, and its HTML
depends on nothing about the page. Which partials are like it is read from the templates
themselves, the site's overrides included (`shared_partials`): a template is shared when it
is only ever included (never imported, extended or a base), when every name it and the
templates it pulls in read is one every page of a language has with the same value (the
settings, the clinic, the site's lists, the helpers; never the page, its job or its title),
and when no other template sets such a name (what base.html sets reaches its includes). An
`{% include %}` of a shared partial then takes the HTML made by its first render in that
language (`Renderer.shared_output`), byte for byte what the include would have made, and the
page still depends on everything that render read and every template it used.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jinja2
from jinja2 import meta, nodes

from healthsite.render.recording import Recorder

#: The names a page's context gives every page of a language, with the same value
#: (`Renderer.language_context`); Jinja's and the i18n extension's globals come on top.
LANGUAGE_NAMES = frozenset(
    {
        "site",
        "clinic",
        "model",
        "lang",
        "main_lang",
        "url",
        "asset",
        "absolute_url",
        "date",
        "person",
        "articles",
        "exercises",
        "pages",
        "search_filters",
        "implicit_type",
    }
)

#: The names a page's context gives each page its own value of (`Renderer._context`).
PAGE_NAMES = frozenset(
    {
        "job",
        "page",
        "languages",
        "noindex",
        "title",
        "description",
        "canonical",
        "structured_data",
        "csp",
        "og_locale",
        "search_facets",
        "body",
        "picture_of",
        "share_image",
    }
)

SharedOutput = Callable[[str], tuple[str, Recorder] | None]
"""A partial's HTML in this language and what making it read; None if it cannot be shared."""


def shared_partials(env: jinja2.Environment, names: list[str]) -> dict[str, frozenset[str]]:
    """The templates among `names` that can be rendered once per language, each with every
    template its render uses (itself included)."""
    trees = {}
    for name in names:
        try:
            trees[name] = env.parse(*_source(env, name))
        except (jinja2.TemplateError, OSError):
            continue
    imported, included = set(), set()
    for tree in trees.values():
        for node in tree.find_all((nodes.Import, nodes.FromImport, nodes.Extends)):
            imported.add(_constant(getattr(node, "template", None)))
        for node in tree.find_all(nodes.Include):
            included.add(_constant(getattr(node, "template", None)))
    allowed = LANGUAGE_NAMES | set(env.globals)
    shared = {}
    for name in sorted(n for n in included if n in trees and n not in imported):
        used = _closure(name, trees)
        if used is None:
            continue
        reads = set().union(*(meta.find_undeclared_variables(trees[t]) for t in used))
        own = set().union(*(_stored(trees[t]) for t in used))
        elsewhere = set().union(*(_stored(trees[t]) for t in trees if t not in used))
        # a name the partial both reads and sets is its own (a `{% set %}` in one branch
        # leaves it undeclared for Jinja), unless a page or another template may give it
        local = reads & own
        if (reads - local) <= allowed and not reads & elsewhere and not local & PAGE_NAMES:
            shared[name] = frozenset(used)
    return shared


def _stored(tree: nodes.Template) -> set[str]:
    """The names a template sets (`set`, `for`, macro parameters...)."""
    return {
        getattr(node, "name", "")
        for node in tree.find_all(nodes.Name)
        if getattr(node, "ctx", None) in ("store", "param")
    }


def _closure(name: str, trees: dict[str, nodes.Template]) -> set[str] | None:
    """`name` and every template it includes or imports, through them too; None when one of
    them is named by an expression, extends a template, has blocks, or cannot be read."""
    seen, todo = set(), [name]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        tree = trees.get(current)
        if tree is None or any(True for _ in tree.find_all((nodes.Extends, nodes.Block))):
            return None
        seen.add(current)
        for node in tree.find_all((nodes.Include, nodes.Import, nodes.FromImport)):
            target = _constant(getattr(node, "template", None))
            if target is None:
                return None
            todo.append(target)
    return seen


def _constant(expression: Any) -> Any:
    return expression.value if isinstance(expression, nodes.Const) else None


def _source(env: jinja2.Environment, name: str) -> tuple[str, str, str | None]:
    assert env.loader is not None
    source, filename, _ = env.loader.get_source(env, name)
    return source, name, filename
