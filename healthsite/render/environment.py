"""Jinja environments: the site's templates over the theme's, one environment per language,
every template compiled once for all of them, and for each render an environment of its own.

A render's own environment (`Templates.for_render`) notes what that render reads into the
render's own `Recorder`; it is made in microseconds from the compiled templates, so nothing
about one render is ever held by an environment another render uses.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from types import CodeType
from typing import Any

import jinja2
from markupsafe import Markup

from healthsite.config import SiteConfig
from healthsite.content.models import LABELS
from healthsite.diagnostics import Diagnostic, error
from healthsite.i18n import catalogs
from healthsite.inputs import Refused, SiteFiles
from healthsite.render.loader import SiteTemplates
from healthsite.render.overrides import TemplateIds, template_ids, unused_templates
from healthsite.render.recording import Recorder, RecordingEnvironment
from healthsite.render.shared import SharedOutput, shared_partials
from healthsite.theme import THEME_TEMPLATES

#: Template files a site may have (others load from their source when a render asks for them).
TEMPLATE_EXTENSIONS = ("html", "xml")


def make_environment(
    site_templates: Path,
    translations: gettext.NullTranslations | None = None,
    files: SiteFiles | None = None,
) -> RecordingEnvironment:
    """Site templates first, then the theme's; autoescape on; undefined names are errors.

    One environment per language: it carries that language's catalog (newstyle gettext, so
    `_()` output is autoescaped and placeholders are named). The site's templates are read
    through `files` (by default, those of the templates folder's parent).
    """
    loader = jinja2.ChoiceLoader(
        [
            SiteTemplates(site_templates, files or SiteFiles.of(site_templates.parent)),
            jinja2.FileSystemLoader(str(THEME_TEMPLATES)),
        ]
    )
    env = RecordingEnvironment(
        loader=loader,
        autoescape=jinja2.select_autoescape(("html", "xml"), default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    catalog = translations or gettext.NullTranslations()
    env.install_gettext_translations(catalog, newstyle=True)  # type: ignore[attr-defined]
    env.globals["gettext"] = translated_once(catalog)
    env.filters["label"] = lambda value: catalog.gettext(LABELS.get(str(value), str(value)))
    return env


def translated_once(catalog: gettext.NullTranslations) -> Callable[..., str]:
    """Jinja's newstyle `gettext` for templates, each message looked up and marked up once.

    The same result as Jinja's own: the translation, marked safe when autoescaping, always
    formatted with its named values (`%%` becomes `%`). A page calls it about fifty times,
    mostly with the same few dozen messages and no values: those results are kept whole.
    The catalog does not change while its environment lives (a new catalog, a new one).
    """
    marked: dict[tuple[str, bool], str] = {}
    plain: dict[tuple[str, bool], str] = {}

    @jinja2.pass_context
    def translate(context: jinja2.runtime.Context, message: str, **values: Any) -> str:
        key = (message, context.eval_ctx.autoescape)
        if not values:
            done = plain.get(key)
            if done is None:
                done = plain[key] = _marked(marked, key, catalog) % values
            return done
        return _marked(marked, key, catalog) % values

    return translate


def _marked(
    found: dict[tuple[str, bool], str], key: tuple[str, bool], catalog: gettext.NullTranslations
) -> str:
    """The translation of `key`'s message, as Markup when autoescaping, looked up once."""
    text = found.get(key)
    if text is None:
        text = catalog.gettext(key[0])
        text = found[key] = Markup(text) if key[1] else text
    return text


class CompiledLoader(jinja2.BaseLoader):
    """Templates from code compiled once; a name not compiled up front loads from its file."""

    def __init__(self, compiled: Mapping[str, CodeType], files: jinja2.BaseLoader) -> None:
        self.compiled = compiled
        self.files = files

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        return self.files.get_source(environment, template)

    def list_templates(self) -> list[str]:
        return self.files.list_templates()

    def load(
        self,
        environment: jinja2.Environment,
        name: str,
        globals: MutableMapping[str, Any] | None = None,
    ) -> jinja2.Template:
        code = self.compiled.get(name)
        if code is None:
            return self.files.load(environment, name, globals)
        # `globals` is what `Environment._load_template` made of the environment's globals
        return environment.template_class.from_code(
            environment, code, environment.make_globals(None) if globals is None else globals
        )


@dataclass(frozen=True, slots=True)
class Templates:
    """One environment per language, the templates compiled once, and the problems found."""

    envs: dict[str, tuple[RecordingEnvironment, gettext.NullTranslations | None]]
    """Language → (its environment, its catalog; None for the language the theme is in)."""
    loader: CompiledLoader
    diagnostics: list[Diagnostic]
    shared: dict[str, frozenset[str]] = field(default_factory=dict)
    """Partials rendered once per language (`shared.py`), with the templates each one uses."""
    ids: TemplateIds = (frozenset(), ())
    """The ids the templates write on pages, for checking links to a `#part` of a page."""

    def for_render(
        self, lang: str, recorder: Recorder, shared: SharedOutput | None = None
    ) -> RecordingEnvironment:
        """A new environment for one render in `lang`, noting what it reads in `recorder`;
        `shared` makes each shared partial's HTML once for the language."""
        return self.envs[lang][0].for_render(recorder, self.loader, shared)


def load_templates(config: SiteConfig) -> Templates:
    """Every language's environment and catalog; every template compiled, syntax checked."""
    diagnostics: list[Diagnostic] = []
    envs = {}
    used = catalogs.messages(config.templates_dir, config.root, config.files)
    for lang in config.languages:
        catalog = None
        if lang.split("-")[0] != catalogs.SOURCE_LANGUAGE:  # the theme is written in English
            catalog, problems = catalogs.load_translations(config.root, lang, used, config.files)
            diagnostics += problems
        envs[lang] = (make_environment(config.templates_dir, catalog, config.files), catalog)
    main = envs[config.settings.language][0]
    compiled, problems = compile_templates(main, config.root)
    problems += unused_templates(main, config.settings.templates_dir)
    assert main.loader is not None
    shared = shared_partials(main, sorted(compiled))
    return Templates(
        envs,
        CompiledLoader(compiled, main.loader),
        diagnostics + problems,
        shared,
        template_ids(main),
    )


def compile_templates(
    env: jinja2.Environment, site_root: Path
) -> tuple[dict[str, CodeType], list[Diagnostic]]:
    """Compile every template up front: a syntax error is reported even in an unused one, and
    so is a template file the build refuses to read (see `inputs`)."""
    assert env.loader is not None
    loaders = env.loader.loaders if isinstance(env.loader, jinja2.ChoiceLoader) else [env.loader]
    found = [d for loader in loaders if isinstance(loader, SiteTemplates) for d in loader.refused()]
    compiled = {}
    for name in sorted(set(env.list_templates(extensions=list(TEMPLATE_EXTENSIONS)))):
        try:
            source, filename, _ = env.loader.get_source(env, name)
            compiled[name] = env.compile(source, name, filename)
        except jinja2.TemplateSyntaxError as exc:
            found.append(syntax_diagnostic(exc, name, site_root))
        except Refused as refused:
            found.append(refused.diagnostic)
    return compiled, found


def syntax_diagnostic(exc: jinja2.TemplateSyntaxError, name: str, site_root: Path) -> Diagnostic:
    path = relative_template(exc.filename, site_root) if exc.filename else None
    return error(
        "template",
        f"template syntax: {exc.message}",
        path or f"templates/{exc.name or name}",
        exc.lineno,
    )


def relative_template(filename: str, site_root: Path) -> str:
    """A site template relative to the site; a theme template as `theme/templates/...`."""
    path = Path(filename)
    for root in (site_root, THEME_TEMPLATES.parent.parent):
        if path.is_relative_to(root):
            return path.relative_to(root).as_posix()
    return path.as_posix()
