"""What a site's templates add to the theme's: overrides that change nothing, and the ids the
templates write on pages (which links to `#part`s of a page may name).

A site template must replace a theme template of the same path, or be included by one.
`partials/_disclamer.html` does neither, silently; the build says so, with the theme file it
probably meant. Both read the templates through the environment's own loaders, so the site's
files are read by the rule every input follows (`inputs`).
"""

from __future__ import annotations

import html
import re

import jinja2
from jinja2 import meta

from healthsite.diagnostics import Diagnostic, did_you_mean, warning
from healthsite.inputs import Refused

#: Files a template loader would serve; a README or notes beside them are not templates.
TEMPLATE_SUFFIXES = (".html", ".htm", ".xml", ".j2", ".jinja", ".jinja2")
TEMPLATE_ID = re.compile(r"""\bid=["']([^"'{}]*(?:\{\{.*?\}\}[^"'{}]*)*)["']""")

TemplateIds = tuple[frozenset[str], tuple[re.Pattern[str], ...]]


def unused_templates(env: jinja2.Environment, folder: str) -> list[Diagnostic]:
    """A warning for each site template that overrides nothing and that nothing includes.
    `folder`: the site's templates folder as the report names it (`templates`)."""
    site_loader, theme_loader = _loaders(env)
    if site_loader is None or theme_loader is None:
        return []
    site = {n for n in site_loader.list_templates() if n.endswith(TEMPLATE_SUFFIXES)}
    theme = set(theme_loader.list_templates())
    used: set[str] = set()
    for name in sorted(site | theme):
        source = _source(env, name)
        if source is None:
            continue  # refused or not valid: reported with the templates' other problems
        try:
            for referenced in meta.find_referenced_templates(env.parse(source)):
                if referenced is None:
                    return []  # a template picks one by a variable: any file may be used
                used.add(referenced)
        except jinja2.TemplateSyntaxError:
            continue
    return [
        warning(
            "template-unused",
            "this template replaces no theme template and no template includes it, "
            "so it changes nothing",
            f"{folder}/{name}",
            hint=_hint(name, theme),
        )
        for name in sorted(site - theme - used)
    ]


def template_ids(env: jinja2.Environment) -> TemplateIds:
    """Ids written in the templates: literal ones, and patterns for those made from values
    (`ex-{{ exercise.slug }}` → `ex-.+`). An id made wholly from a value could be anything and
    is left out."""
    literal: set[str] = set()
    patterns: set[str] = set()
    assert env.loader is not None
    for name in env.loader.list_templates():
        source = _source(env, name) if name.endswith(".html") else None
        for value in TEMPLATE_ID.findall(source or ""):
            value = html.unescape(value)
            if "{" not in value:
                literal.add(value)
                continue
            parts = re.split(r"\{\{.*?\}\}", value)
            if any(parts):
                patterns.add(".+".join(re.escape(part) for part in parts))
    return frozenset(literal), tuple(re.compile(p) for p in sorted(patterns))


def _hint(name: str, theme: set[str]) -> str:
    close = did_you_mean(name, theme)
    if close:
        return f"{close} A file here is used in place of the theme's file with the same path"
    return (
        "a file here is used in place of the theme's file with the same path (see "
        "docs/templates.md); a new file must be included by a template, e.g. "
        f"{{% include '{name}' %}}"
    )


def _loaders(env: jinja2.Environment) -> tuple[jinja2.BaseLoader | None, jinja2.BaseLoader | None]:
    loader = env.loader
    if isinstance(loader, jinja2.ChoiceLoader) and len(loader.loaders) == 2:
        return loader.loaders[0], loader.loaders[1]
    return None, None


def _source(env: jinja2.Environment, name: str) -> str | None:
    assert env.loader is not None
    try:
        return env.loader.get_source(env, name)[0]
    except (jinja2.TemplateNotFound, Refused, OSError, UnicodeDecodeError):
        return None
