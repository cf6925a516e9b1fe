"""Render jobs to HTML with Jinja: autoescaped, strict about undefined names, errors located.

A site's own `templates/` folder overrides the theme file by file. Templates receive everything
explicitly (`site`, `page`, `clinic`, helpers); there is no global or "current page" state.
"""

from __future__ import annotations

import gettext
import html
import re
import traceback
from pathlib import Path
from typing import Any

import jinja2
from babel.core import Locale, get_global
from babel.dates import format_date
from markupsafe import Markup

from healthsite.content.documents import Document
from healthsite.content.markdown_body import PLACEHOLDER_HTML
from healthsite.content.models import LABELS
from healthsite.diagnostics import Diagnostic, error
from healthsite.inputs import Refused, SiteFiles
from healthsite.render.jsonld import absolute, script_tag, structured_data
from healthsite.render.loader import SiteTemplates
from healthsite.render.recording import (
    RecordedTuple,
    Recorder,
    RecordingEnvironment,
    RecordingHolder,
)
from healthsite.render.security import policy_for
from healthsite.search.facets import IMPLICIT_TYPE, indexed_filters, site_facets
from healthsite.site.artifact import Artifact
from healthsite.site.model import SiteModel
from healthsite.site.routes import LANGUAGE_NEUTRAL, RenderJob
from healthsite.theme import THEME_TEMPLATES

BODY_IMAGE = re.compile(r'(?P<before><img\b[^>]*?)src="(?P<src>(?![a-z]+:|//)[^"]*)"')
ROOT_LINK = re.compile(r'href="(?P<path>/(?!/)[^"]*)"')


class TemplateFailure(Exception):
    """A template could not be loaded or rendered; carries the located diagnostic."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


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
    env.holder = RecordingHolder()
    catalog = translations or gettext.NullTranslations()
    env.install_gettext_translations(catalog, newstyle=True)  # type: ignore[attr-defined]
    env.filters["label"] = lambda value: catalog.gettext(LABELS.get(str(value), str(value)))
    return env


class Renderer:
    """Renders the jobs of one build against one site model."""

    def __init__(
        self,
        model: SiteModel,
        env: RecordingEnvironment,
        translations: gettext.NullTranslations | None = None,
    ) -> None:
        self.model = model
        self.env = env
        self.holder = env.holder
        self.lists = {
            name: RecordedTuple(getattr(model, name), self.holder, ("model", model.lang, name))
            for name in ("articles", "exercises", "pages")
        }
        self.site_root = model.config.root
        self.gettext = (translations or gettext.NullTranslations()).gettext
        self.settings = model.config.settings.in_language(model.lang)

    def render(self, job: RenderJob) -> tuple[Artifact, Recorder]:
        """One page, and what it read; a template problem raises `TemplateFailure` naming the
        template line."""
        recorder = self.holder.recorder = Recorder()
        try:
            html = self._render_template(job.template, self._context(job), job.dest_path)
        finally:
            self.holder.recorder = None
        recorder.templates.add(job.template)
        return Artifact(job.dest_path, html.encode("utf-8")), recorder

    # -- helpers the templates call ------------------------------------------------------------

    def _context(self, job: RenderJob) -> dict[str, Any]:
        model = self.model
        settings = self.settings
        doc = job.doc
        description = doc.meta.summary if doc is not None else settings.description
        holder = self.holder
        if doc is not None:  # title, description, structured data, filters, languages
            holder.doc(doc, "meta")
            holder.add(("alt", model.lang, doc.kind.value, doc.slug))
        if job.route == "/search/":
            holder.add(("model", model.lang, "facets"))
        context: dict[str, Any] = {
            "site": settings,
            "clinic": model.clinic,
            "model": model,
            "job": job,
            "page": doc,
            "lang": model.lang,
            "main_lang": settings.language,
            "languages": self._languages(job),
            "noindex": job.url in model.unreviewed,
            "title": doc.title if doc is not None else self.gettext(job.title),
            "description": description,
            "canonical": absolute(model, job.url),
            "structured_data": script_tag(structured_data(model, job)),
            "csp": policy_for(job.route, _form_endpoint(model)),
            "og_locale": og_locale(model.lang),
            "url": self._url,
            "asset": self._asset,
            "absolute_url": self._absolute_url,
            "date": self._date,
            "person": lambda key: model.clinic.people[key],
            **self.lists,
            "search_filters": indexed_filters,
            "implicit_type": IMPLICIT_TYPE,
            "search_facets": site_facets(model.documents) if job.route == "/search/" else [],
            "body": self._body_helper,
        }
        return context

    def _url(self, target: Document | str) -> str:
        """Link to a document or a site path, with the site's base path in front.

        A site path stays in the page's language (`/exercises/` is `/es/exercises/` on a
        Spanish page), except the files there is one of (`/clinic.vcf`, `/sitemap.xml`, ...).
        """
        if isinstance(target, Document):
            path = self.model.url(target)
        elif target in LANGUAGE_NEUTRAL or target.startswith(f"{self.model.lang_prefix}/"):
            path = target
        else:
            path = self.model.lang_prefix + target
        return self.model.config.url_prefix + path.lstrip("/")

    def _languages(self, job: RenderJob) -> list[dict[str, Any]]:
        """This page in every language: where it is, or that language's home if it is not."""
        model = self.model
        versions = (
            model.alternates.get(job.doc.key, {})
            if job.doc is not None
            else {
                lang: ("" if lang == model.config.settings.language else f"/{lang}") + job.route
                for lang in model.config.languages
            }
        )
        if job.route == "/404.html":
            versions = {model.lang: job.url}
        main = model.config.settings.language
        return [
            {
                "lang": lang,
                "name": language_name(lang),
                "url": versions.get(lang) or ("/" if lang == main else f"/{lang}/"),
                "href": model.config.url_prefix
                + (versions.get(lang) or ("/" if lang == main else f"/{lang}/")).lstrip("/"),
                "absolute": absolute(model, versions[lang]) if lang in versions else "",
                "exists": lang in versions,
                "indexable": lang in versions and versions[lang] not in model.unreviewed,
                "current": lang == model.lang,
            }
            for lang in model.config.languages
        ]

    def _absolute_url(self, path: str) -> str:
        """Full URL of a site path; a path that already has the base path is not given it twice."""
        prefix = self.model.config.url_prefix
        if prefix != "/" and path.startswith(prefix):
            path = "/" + path[len(prefix) :]
        return absolute(self.model, path)

    def _asset(self, src_path: str) -> str:
        dest = self.model.assets.dest(src_path)
        if dest is None:
            raise jinja2.TemplateRuntimeError(f"asset('{src_path}'): no such static file")
        return self.model.config.url_prefix + dest

    def _date(self, value: Any) -> str:
        return format_date(value, format="long", locale=self.model.lang.replace("-", "_"))

    @jinja2.pass_context
    def _body_helper(self, context: jinja2.runtime.Context, doc: Document) -> Markup:
        """`body(doc)` in templates: Jinja hands over the page's context (a closure over it
        would make a reference cycle per page)."""
        return self._body(doc, dict(context.get_all()))

    def _body(self, doc: Document, context: dict[str, Any]) -> Markup:
        """The document's sanitized HTML, ready for this site.

        Each exercise embed becomes its card (rendered with the page's own context), local
        images get their fingerprinted URLs, and root-relative links get the site's base path.
        """
        exercises = self.model.exercises_by_slug
        self.holder.doc(doc, "body")
        if doc.body.embeds:
            self.holder.add(("model", self.model.lang, "exercises_by_slug"))

        def card(match: re.Match[str]) -> str:
            exercise = exercises[match["slug"]]
            return self._render_template(
                "partials/_exercise_card.html",
                {**context, "exercise": exercise},
                context["job"].dest_path,
            )

        def image(match: re.Match[str]) -> str:
            dest = self.model.assets.dest(html.unescape(match["src"]).lstrip("/"))
            return (
                f'{match["before"]}src="{self.model.config.url_prefix}{dest}"'
                if dest
                else match.group(0)
            )

        def link(match: re.Match[str]) -> str:
            return f'href="{self._url(html.unescape(match["path"]))}"'

        # the editor's own links and images first: cards come from templates, already right
        text = BODY_IMAGE.sub(image, doc.body.html)
        if self.model.config.url_prefix != "/":
            text = ROOT_LINK.sub(link, text)
        text = PLACEHOLDER_HTML.sub(card, text)
        return Markup(text)

    # -- error reporting ---------------------------------------------------------------------

    def _render_template(self, name: str, context: dict[str, Any], dest: str) -> str:
        try:
            return self.env.get_template(name).render(context)
        except TemplateFailure:
            raise
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateFailure(self._syntax_error(exc, name)) from None
        except jinja2.TemplateNotFound as exc:
            raise TemplateFailure(
                error(
                    "template",
                    f"template '{exc.name}' not found",
                    f"templates/{name}",
                    hint=f"while making {dest}",
                )
            ) from None
        except Exception as exc:  # any runtime failure inside a template is a template error
            path, line = self._template_position(exc, name)
            message = f"{exc.__class__.__name__}: {exc}"
            raise TemplateFailure(
                error("template", message, path, line, hint=f"while making {dest}")
            ) from None

    def _syntax_error(self, exc: jinja2.TemplateSyntaxError, name: str) -> Diagnostic:
        return syntax_diagnostic(exc, name, self.site_root)

    def _template_position(self, exc: BaseException, name: str) -> tuple[str, int]:
        """The innermost template frame of the traceback: Jinja maps it to template lines."""
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if frame.filename.endswith((".html", ".xml")):
                return _relative(frame.filename, self.site_root), frame.lineno or 0
        return f"templates/{name}", 0


def check_templates(env: jinja2.Environment, site_root: Path) -> list[Diagnostic]:
    """Compile every template up front, so a syntax error is reported even in an unused one,
    and so is a template file the build refuses to read (see `inputs`)."""
    loaders = env.loader.loaders if isinstance(env.loader, jinja2.ChoiceLoader) else [env.loader]
    found = [d for loader in loaders if isinstance(loader, SiteTemplates) for d in loader.refused()]
    for name in sorted(set(env.list_templates(extensions=["html", "xml"]))):
        try:
            env.get_template(name)
        except jinja2.TemplateSyntaxError as exc:
            found.append(syntax_diagnostic(exc, name, site_root))
        except Refused as refused:
            found.append(refused.diagnostic)
    return found


def syntax_diagnostic(exc: jinja2.TemplateSyntaxError, name: str, site_root: Path) -> Diagnostic:
    path = _relative(exc.filename, site_root) if exc.filename else f"templates/{exc.name or name}"
    return error("template", f"template syntax: {exc.message}", path, exc.lineno)


def _relative(filename: str, site_root: Path) -> str:
    """A site template relative to the site; a theme template as `theme/templates/...`."""
    path = Path(filename)
    for root in (site_root, THEME_TEMPLATES.parent.parent):
        if path.is_relative_to(root):
            return path.relative_to(root).as_posix()
    return path.as_posix()


def _form_endpoint(model: SiteModel) -> str | None:
    form = model.clinic.meta.form
    return form.endpoint if form.enabled else None


def language_name(code: str) -> str:
    """A language's name in itself: `es` → "Español", `en` → "English"."""
    name = Locale.parse(code.replace("-", "_")).get_display_name(code.replace("-", "_")) or code
    return name[:1].upper() + name[1:]


def og_locale(language: str) -> str:
    """Open Graph wants `language_TERRITORY`: `en` → `en_US`, `es` → `es_ES`."""
    if "-" in language:  # already has its territory: en-US → en_US
        return language.replace("-", "_")
    likely = get_global("likely_subtags").get(language, language)
    parts = likely.split("_")
    return f"{parts[0]}_{parts[-1]}" if len(parts) > 1 else language
