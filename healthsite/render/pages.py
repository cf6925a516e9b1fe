"""Where a page's HTML is made: a render job, through Jinja, to bytes, and what it read.

Templates receive everything explicitly (`site`, `page`, `clinic`, helpers); there is no
global or "current page" state: each render has its own environment and recorder
(`environment.py`), and its own `_PageRender` for the helpers that note what they read.
Template errors come back located (file and line) as `TemplateFailure`.
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
from healthsite.diagnostics import Diagnostic, error
from healthsite.render.environment import Templates, relative_template, syntax_diagnostic
from healthsite.render.jsonld import absolute, script_tag, structured_data
from healthsite.render.pictures import PictureView, picture_view, share_image
from healthsite.render.recording import RecordedList, Recorder, RecordingEnvironment
from healthsite.render.security import policy_for
from healthsite.render.shared import LANGUAGE_NAMES, PAGE_NAMES
from healthsite.search.facets import IMPLICIT_TYPE, indexed_filters, site_facets
from healthsite.site.artifact import Artifact
from healthsite.site.routes import LANGUAGE_NEUTRAL, NOT_FOUND, STAND_IN_PAGES, RenderJob
from healthsite.site.site_model import SiteModel

BODY_IMAGE = re.compile(r'(?P<before><img\b[^>]*?)src="(?P<src>(?![a-z]+:|//)[^"]*)"')
#: A Markdown image alone in its paragraph (a figure, captioned by its title), or within text.
BODY_PICTURE = re.compile(r"<p>\s*(?P<block><img\b[^>]*>)\s*</p>|(?P<inline><img\b[^>]*>)")
IMG_ATTRIBUTE = re.compile(r'\b(?P<name>src|alt|title)="(?P<value>[^"]*)"')
ROOT_LINK = re.compile(r'href="(?P<path>/(?!/)[^"]*)"')


class TemplateFailure(Exception):
    """A template could not be loaded or rendered; carries the located diagnostic."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


class Renderer:
    """Renders the jobs of one build in one language against its site model."""

    def __init__(self, model: SiteModel, templates: Templates) -> None:
        self.model = model
        self.templates = templates
        self.site_root = model.config.root
        translations = templates.envs[model.lang][1]
        self.gettext = (translations or gettext.NullTranslations()).gettext
        self.settings = model.config.settings.in_language(model.lang)
        self._shared: dict[str, tuple[str, Recorder] | None] = {}
        """Shared partials made so far in this language (None: it failed; left to pages)."""

    def render(self, job: RenderJob) -> tuple[Artifact, Recorder]:
        """One page, and what it read; a template problem raises `TemplateFailure` naming the
        template line."""
        recorder = Recorder()
        env = self.templates.for_render(self.model.lang, recorder, self.shared_output)
        page = _PageRender(self, env, recorder)
        html = page.render_template(job.template, self._context(job, page), job.dest_path)
        recorder.templates.add(job.template)
        return Artifact(job.dest_path, html.encode("utf-8")), recorder

    def shared_output(self, name: str) -> tuple[str, Recorder] | None:
        """A shared partial's HTML in this language, made at its first include, and what
        making it read; None for a template that is not shared (`shared.py`) or failed to
        render on its own (each page then renders it and reports the problem)."""
        uses = self.templates.shared.get(name)
        if uses is None:
            return None
        if name not in self._shared:
            recorder = Recorder()
            env = self.templates.for_render(self.model.lang, recorder)
            page = _PageRender(self, env, recorder)
            try:
                html = page.render_template(name, self.language_context(recorder), name)
            except TemplateFailure:
                self._shared[name] = None
            else:
                recorder.templates |= uses
                self._shared[name] = (html, recorder)
        return self._shared[name]

    # -- helpers the templates call ------------------------------------------------------------

    def _context(self, job: RenderJob, page: _PageRender) -> dict[str, Any]:
        model = self.model
        settings = self.settings
        doc = job.doc
        description = doc.meta.summary if doc is not None else settings.description
        recorder = page.recorder
        if doc is not None:  # title, description, structured data, filters, languages
            recorder.doc(doc, "meta")
            recorder.add(("alt", model.lang, doc.kind.value, doc.slug))
        if job.route == "/search/":
            recorder.add(("model", model.lang, "facets"))
        context = {
            **self.language_context(recorder),
            "job": job,
            "page": doc,
            "languages": self._languages(job),
            "noindex": job.url in model.unreviewed or job.route in STAND_IN_PAGES,
            "title": doc.title if doc is not None else self.gettext(job.title),
            "description": description,
            "canonical": "" if job.route in STAND_IN_PAGES else absolute(model, job.url),
            "structured_data": script_tag(structured_data(model, job)),
            "csp": policy_for(job.route, _form_endpoint(model)),
            "og_locale": og_locale(model.lang),
            "search_facets": site_facets(model.documents) if job.route == "/search/" else [],
            "body": page.body,
            "picture_of": page.picture,
            "share_image": share_image(model, doc, model.config.settings.base_url),
        }
        assert context.keys() == LANGUAGE_NAMES | PAGE_NAMES
        return context

    def language_context(self, recorder: Recorder) -> dict[str, Any]:
        """What every page of this language has, with the same values (`LANGUAGE_NAMES`):
        all a shared partial may read. The site's lists note their reads in `recorder`."""
        model = self.model
        context: dict[str, Any] = {
            "site": self.settings,
            "clinic": model.clinic,
            "model": model,
            "lang": model.lang,
            "main_lang": self.settings.language,
            "url": self._url,
            "asset": self._asset,
            "absolute_url": self._absolute_url,
            "date": self._date,
            "person": lambda key: model.clinic.people[key],
            "search_filters": indexed_filters,
            "implicit_type": IMPLICIT_TYPE,
        }
        for name in ("articles", "exercises", "pages"):
            context[name] = RecordedList(
                getattr(model, name), recorder, ("model", model.lang, name)
            )
        assert context.keys() == LANGUAGE_NAMES
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
        main = model.config.settings.language
        if job.route == NOT_FOUND:  # stands in for any address: each language's way on is home
            versions = {
                lang: "/" if lang == main else f"/{lang}/" for lang in model.config.languages
            }
            versions[model.lang] = job.url
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


class _PageRender:
    """One render in progress: its environment and recorder, and the helpers that use them."""

    __slots__ = ("env", "pictures_shown", "recorder", "renderer")

    def __init__(self, renderer: Renderer, env: RecordingEnvironment, recorder: Recorder) -> None:
        self.renderer = renderer
        self.env = env
        self.recorder = recorder
        self.pictures_shown = 0
        """Pictures written so far on this page: the first one loads first."""

    def picture(self, src: str, slot: str = "figure") -> PictureView | None:
        """`picture_of(src, slot)` in templates: the picture's sizes and formats (None for a file
        that is not a picture); the page's first picture is marked to load first."""
        model = self.renderer.model
        picture = model.media.picture(src)
        if picture is None:
            return None
        self.pictures_shown += 1
        prefix = model.config.url_prefix
        return picture_view(picture, slot, prefix, priority=self.pictures_shown == 1)

    @jinja2.pass_context
    def body(self, context: jinja2.runtime.Context, doc: Document) -> Markup:
        """`body(doc)` in templates: the document's sanitized HTML, ready for this site.

        Each exercise embed becomes its card (rendered with the page's own context), a local
        picture its `<picture>` with every size (other local files their fingerprinted URLs),
        and root-relative links get the site's base path.
        Jinja hands over the page's context (a closure over it would make a reference cycle
        per page).
        """
        page = dict(context.get_all())
        model = self.renderer.model
        exercises = model.exercises_by_slug
        self.recorder.doc(doc, "body")
        if doc.body.embeds:
            self.recorder.add(("model", model.lang, "exercises_by_slug"))

        def card(match: re.Match[str]) -> str:
            exercise = exercises[match["slug"]]
            return self.render_template(
                "partials/_exercise_card.html",
                {**page, "exercise": exercise},
                page["job"].dest_path,
            )

        def image(match: re.Match[str]) -> str:
            dest = model.assets.dest(html.unescape(match["src"]).lstrip("/"))
            return (
                f'{match["before"]}src="{model.config.url_prefix}{dest}"'
                if dest
                else match.group(0)
            )

        def picture(match: re.Match[str]) -> str:
            tag = match["block"] or match["inline"]
            found = {m["name"]: html.unescape(m["value"]) for m in IMG_ATTRIBUTE.finditer(tag)}
            view = self.picture(found.get("src", ""), "body")
            if view is None:  # not a picture we made: the file as it is
                return BODY_IMAGE.sub(image, match.group(0))
            values = {"pic": view, "alt": found.get("alt", ""), "block": bool(match["block"])}
            values["caption"] = found.get("title", "") if match["block"] else ""
            return self.render_template(
                "partials/_body_picture.html", {**page, **values}, page["job"].dest_path
            ).strip()

        def link(match: re.Match[str]) -> str:
            return f'href="{self.renderer._url(html.unescape(match["path"]))}"'

        # the editor's own links and images first: cards come from templates, already right
        text = BODY_PICTURE.sub(picture, doc.body.html)
        if model.config.url_prefix != "/":
            text = ROOT_LINK.sub(link, text)
        text = PLACEHOLDER_HTML.sub(card, text)
        return Markup(text)

    def render_template(self, name: str, context: dict[str, Any], dest: str) -> str:
        """A template rendered; any failure becomes a `TemplateFailure` naming its line."""
        site_root = self.renderer.site_root
        try:
            return self.env.get_template(name).render(context)
        except TemplateFailure:
            raise
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateFailure(syntax_diagnostic(exc, name, site_root)) from None
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
            path, line = _template_position(exc, name, site_root)
            message = f"{exc.__class__.__name__}: {exc}"
            raise TemplateFailure(
                error("template", message, path, line, hint=f"while making {dest}")
            ) from None


def _template_position(exc: BaseException, name: str, site_root: Path) -> tuple[str, int]:
    """The innermost template frame of the traceback: Jinja maps it to template lines."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith((".html", ".xml")):
            return relative_template(frame.filename, site_root), frame.lineno or 0
    return f"templates/{name}", 0


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
