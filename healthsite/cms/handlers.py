"""/admin/ on the preview server: Decap CMS, its configuration, its local backend and helpers.

Everything the editing page loads comes from this server (the vendored Decap bundle, admin.js,
the site's own stylesheet): no request leaves the computer, and the page's policy
(`ADMIN_POLICY`) forbids any that would. Writes are accepted only from this page: a request
must name this server in `Host`, come from its origin, and be JSON (a form on another web page
can send none of these).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tornado import web

from healthsite.cms import vendor
from healthsite.cms.backend import LocalBackend, LocaleAlias
from healthsite.cms.config import SiteFacts, decap_config
from healthsite.cms.status import BuildStatus
from healthsite.cms.writes import Writer
from healthsite.config import SiteConfig
from healthsite.content.clinic import load_clinic
from healthsite.content.documents import Document
from healthsite.content.markdown_body import PLACEHOLDER_HTML, render_markdown
from healthsite.content.sources import FOLDERS
from healthsite.content.translations import safety_digest, source_digest
from healthsite.site.assets import collect_assets

STATIC = resources.files("healthsite.cms") / "static"
#: The editing page's policy: only this server, as for the site's pages, but Decap needs
#: inline styles (its components are styled from JavaScript), `eval` (its configuration
#: checker compiles schemas) and blob: pictures (previews of uploads).
ADMIN_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
    "frame-src 'self' blob:; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
BODY_IMAGE = re.compile(r'(<img\b[^>]*?\bsrc=")(?![a-z]+:|/)([^"]+)"')


@dataclass
class Admin:
    """What /admin/ serves for one site, on one preview server."""

    config: SiteConfig
    status: BuildStatus
    backend: LocalBackend
    writer: Writer

    @classmethod
    def for_site(cls, config: SiteConfig) -> Admin:
        root = config.root
        writer = Writer(
            root,
            content_dir=config.settings.content_dir,
            languages=config.languages,
            today=config.today,
        )
        status = BuildStatus(root)
        content = config.settings.content_dir
        aliases = [
            LocaleAlias(f"{content}/{folder}", config.languages[0])
            for folder in FOLDERS
            if len(config.languages) > 1
        ]

        def write_entry(path: str, raw: str) -> None:
            writer(path, raw)
            status.wrote()

        backend = LocalBackend(
            root,
            writable=[content, config.settings.static_dir],
            aliases=aliases,
            write_entry=write_entry,
        )
        return cls(config, status, backend, writer)

    def facts(self) -> SiteFacts:
        settings = self.config.settings
        clinic, _ = load_clinic(self.config.content_dir, settings.content_dir)
        people = tuple(clinic.meta.people) if clinic is not None else ()
        return SiteFacts(
            settings.content_dir, settings.static_dir, self.config.languages, people,
            self.config.today,
        )

    def stylesheet(self) -> str:
        """The site's stylesheet as the preview serves it (its name carries its digest)."""
        dest = collect_assets(self.config.static_dir).dest("css/site.css")
        return f"{self.config.url_prefix}{dest}" if dest else ""

    def handlers(self) -> list[tuple[str, type[web.RequestHandler], dict[str, Any]]]:
        """Tornado routes, ahead of the preview's own page handler."""
        given = {"admin": self}
        return [
            (r"/admin", web.RedirectHandler, {"url": "/admin/"}),
            (r"/admin/", _IndexHandler, given),
            (r"/admin/config\.json", _ConfigHandler, given),
            (r"/admin/(admin\.(?:js|css))", _AssetHandler, {"path": str(STATIC)}),
            (r"/admin/decap/(.*)", _AssetHandler, {"path": str(vendor.cms_folder())}),
            (r"/admin/api/status", _StatusHandler, given),
            (r"/admin/api/markdown", _MarkdownHandler, given),
            (r"/admin/api/digests", _DigestsHandler, given),
            (r"/api/v1", _BackendHandler, given),
        ]

    def digests(self, path: str) -> dict[str, str]:
        """The current digests of the page `path` translates (for the translation record)."""
        from healthsite.content.documents import parse
        from healthsite.content.sources import discover

        sources, _ = discover(self.config.content_dir, self.config.root, self.config.languages)
        source = next((s for s in sources if s.src_path == path and not s.is_translation), None)
        if source is None:
            return {}
        doc, _ = parse(source)
        if not isinstance(doc, Document):
            return {}
        return {"source_digest": source_digest(doc), "safety_digest": safety_digest(doc)}

    def markdown(self, body: str) -> dict[str, Any]:
        """A body as the site renders it, for the editing page's preview."""
        rendered, problems = render_markdown(body, "text", 1)
        assets = collect_assets(self.config.static_dir)
        prefix = self.config.url_prefix

        def image(match: re.Match[str]) -> str:
            dest = assets.dest(match[2])
            return f'{match[1]}{prefix}{dest}"' if dest else match[0]

        html = BODY_IMAGE.sub(image, rendered.html)
        html = PLACEHOLDER_HTML.sub(
            lambda m: f'<p class="cms-embed">Exercise card: {m["slug"]}</p>', html
        )
        return {"html": html, "problems": [p.headline().split(": ", 1)[-1] for p in problems]}


class _AdminHandler(web.RequestHandler):
    """Answers only this server's own pages: the right Host, same origin, no caching."""

    admin: Admin

    def initialize(self, admin: Admin) -> None:
        self.admin = admin

    def prepare(self) -> None:
        host = self.request.host.lower()
        port = urlsplit(f"//{host}").port
        name = host.rsplit(":", 1)[0] if port else host
        if name not in ("127.0.0.1", "localhost", "[::1]"):
            raise web.HTTPError(403, "the editor answers only on this computer")
        origin = self.request.headers.get("Origin")
        if origin is not None and urlsplit(origin).netloc.lower() != host:
            raise web.HTTPError(403, "the editor answers only its own page")

    def set_default_headers(self) -> None:
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Content-Type-Options", "nosniff")

    def write_json(self, value: Any, status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json; charset=UTF-8")
        self.finish(json.dumps(value, default=str))


class _IndexHandler(_AdminHandler):
    def get(self) -> None:
        self.set_header("Content-Security-Policy", ADMIN_POLICY)
        self.set_header("Referrer-Policy", "no-referrer")
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        name = "index.html" if vendor.installed() else "missing.html"
        page = (STATIC / name).read_text(encoding="utf-8")
        self.finish(page.replace("{stylesheet}", self.admin.stylesheet()))


class _ConfigHandler(_AdminHandler):
    def get(self) -> None:
        self.write_json(decap_config(self.admin.facts()))


class _StatusHandler(_AdminHandler):
    def get(self) -> None:
        self.write_json(self.admin.status.snapshot())


class _DigestsHandler(_AdminHandler):
    def get(self) -> None:
        self.write_json(self.admin.digests(self.get_query_argument("path", "")))


class _JsonPost(_AdminHandler):
    """A POST of JSON: anything else (a form from another site) is refused."""

    def body_json(self) -> Any:
        kind = self.request.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if kind != "application/json":
            raise web.HTTPError(415, "send JSON")
        try:
            return json.loads(self.request.body or b"null")
        except ValueError:
            raise web.HTTPError(400, "the request is not JSON") from None


class _MarkdownHandler(_JsonPost):
    def post(self) -> None:
        body = self.body_json()
        text = body.get("body") if isinstance(body, dict) else None
        self.write_json(self.admin.markdown(text if isinstance(text, str) else ""))


class _BackendHandler(_JsonPost):
    """Decap's local backend (`local_backend`), as decap-server answers it."""

    def post(self) -> None:
        status, reply = self.admin.backend.handle(self.body_json())
        self.write_json(reply, status)


class _AssetHandler(web.StaticFileHandler):
    """The vendored bundle and admin.js: fixed for a version, so cached while it lasts."""

    def set_extra_headers(self, path: str) -> None:
        self.set_header("Cache-Control", "no-cache")
        self.set_header("X-Content-Type-Options", "nosniff")


