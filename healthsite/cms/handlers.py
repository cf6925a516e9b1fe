"""/admin/ on the preview server: Decap CMS, its configuration, its local backend and helpers.

Everything the editing page loads comes from this server (the vendored Decap bundle, admin.js,
the site's own stylesheet): no request leaves the computer, and the page's policy
(`ADMIN_POLICY`) forbids any that would. Writes are accepted only from this page: a request
must name this server in `Host`, come from its origin, and be JSON (a form on another web page
can send none of these).
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from tornado import web
from tornado.http1connection import HTTP1Connection

from healthsite.build.builder import Builder
from healthsite.cms import vendor
from healthsite.cms.backend import BackendError, LocalBackend, LocaleAlias
from healthsite.cms.config import decap_config
from healthsite.cms.fields import SiteFacts
from healthsite.cms.files import EditableFiles
from healthsite.cms.preview import Previewer
from healthsite.cms.saves import Writer
from healthsite.cms.status import BuildStatus
from healthsite.cms.uploads import UPLOAD_LIMIT
from healthsite.config import SiteConfig
from healthsite.content.clinic import load_clinic
from healthsite.content.documents import Document
from healthsite.content.sources import FOLDERS
from healthsite.content.translations import safety_digest, source_digest
from healthsite.diagnostics import Diagnostic
from healthsite.refusals import MIB
from healthsite.site.assets import collect_assets
from healthsite.site.routes import EDITOR_PATH

STATIC = resources.files("healthsite.cms") / "static"
Routes = Sequence[tuple[str, type[web.RequestHandler], dict[str, Any]]]
Listener = Callable[[float, bool, Sequence[Diagnostic]], None]
#: The largest request the local backend reads: an upload at the build's limit for a static
#: file, as base64, and the JSON around it.
MAX_REQUEST = (UPLOAD_LIMIT + 2) // 3 * 4 + MIB
#: Where the editing page lives; the preview server leaves its pages as they are.
ADMIN_PATH = EDITOR_PATH
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
#: The editing page's policy: only this server, as for the site's pages, but Decap needs
#: inline styles (its components are styled from JavaScript), `eval` (its configuration
#: checker compiles schemas) and blob: URLs (previews of uploads, its backups of unsaved work).
ADMIN_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self' blob:; "
    "frame-src 'self' blob:; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def site_facts(config: SiteConfig) -> SiteFacts:
    """What the form offers from this site: its folders, languages and people."""
    settings = config.settings
    clinic, _ = load_clinic(config.content_dir, settings.content_dir, files=config.files)
    people = tuple(clinic.meta.people) if clinic is not None else ()
    return SiteFacts(
        settings.content_dir, settings.static_dir, config.languages, people, config.today
    )


def site_stylesheet(config: SiteConfig) -> str:
    """The site's stylesheet as the site serves it (its name carries its digest)."""
    dest = collect_assets(config.static_dir, config.files)[0].dest("css/site.css")
    return f"{config.url_prefix}{dest}" if dest else ""


def editing_page(*, stylesheet: str, mode: str, policy: str = "") -> str:
    """The editing page: `mode` "local" on the editor's computer, "git" published with the site
    (its policy then in a meta tag, as a static host sends no header of ours)."""
    meta = f'<meta http-equiv="Content-Security-Policy" content="{html.escape(policy)}">\n'
    return (
        (STATIC / "index.html")
        .read_text(encoding="utf-8")
        .replace("{policy}", meta if policy else "")
        .replace("{stylesheet}", html.escape(stylesheet))
        .replace("{mode}", mode)
    )


def editing_routes(
    config: SiteConfig, builder: Builder, listeners: list[Listener], say: Callable[[str], None]
) -> Routes:
    """/admin/ for a preview server; none when it listens beyond this computer.

    The local backend writes into the site folder and asks for no password (like
    decap-server), so it is offered only where nobody else can reach it.
    """
    url = config.settings.base_url
    if urlsplit(url).hostname not in LOOPBACK:
        say(
            "note: editing in the browser (/admin/) is offered only on this computer "
            "(--host 127.0.0.1)"
        )
        return ()
    admin = Admin.for_site(config, builder)
    listeners.append(admin.status.built)
    if vendor.installed():
        say(f"Edit the site in your browser at {url}admin/")
    else:
        say(f"note: the editor is not installed, so {url}admin/ says how to install it")
    return admin.handlers()


@dataclass
class Admin:
    """What /admin/ serves for one site, on one preview server."""

    config: SiteConfig
    builder: Builder
    status: BuildStatus
    backend: LocalBackend
    writer: Writer
    previewer: Previewer

    @classmethod
    def for_site(cls, config: SiteConfig, builder: Builder) -> Admin:
        root = config.root
        content = config.settings.content_dir
        files = EditableFiles(config.files, [content, config.settings.static_dir])
        writer = Writer(
            root, content_dir=content, languages=config.languages, today=config.today, files=files
        )
        status = BuildStatus(root)
        aliases = [
            LocaleAlias(f"{content}/{folder}", config.languages[0])
            for folder in FOLDERS
            if len(config.languages) > 1
        ]

        backend = LocalBackend(
            root,
            writable=[content, config.settings.static_dir],
            aliases=aliases,
            prepare=writer.text_to_write,
            on_write=status.wrote,
            files=files,
        )
        previewer = Previewer(writer, config.settings.content_dir)
        return cls(config, builder, status, backend, writer, previewer)

    def facts(self) -> SiteFacts:
        return site_facts(self.config)

    def stylesheet(self) -> str:
        return site_stylesheet(self.config)

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
            (r"/admin/api/preview", _PreviewHandler, given),
            (r"/admin/api/digests", _DigestsHandler, given),
            (r"/api/v1", _BackendHandler, given),
        ]

    def digests(self, path: str) -> dict[str, str]:
        """The current digests of the page `path` translates (for the translation record)."""
        from healthsite.content.documents import parse
        from healthsite.content.sources import discover

        sources, _ = discover(self.config.content_dir, self.config.files, self.config.languages)
        source = next((s for s in sources if s.src_path == path and not s.is_translation), None)
        if source is None:
            return {}
        doc, _ = parse(source)
        if not isinstance(doc, Document):
            return {}
        return {"source_digest": source_digest(doc), "safety_digest": safety_digest(doc)}

    def preview(self, request: Any) -> dict[str, Any]:
        """The page as the site's templates render it, and its problems (see cms.preview)."""
        if not isinstance(request, dict) or not isinstance(request.get("data"), dict):
            raise web.HTTPError(400, "send the entry's collection, slug and data")
        collection, slug = str(request.get("collection", "")), str(request.get("slug") or "")
        try:
            return self.previewer.preview(
                self.builder.snapshot(), collection, slug, request["data"]
            )
        except BackendError as exc:
            return {"html": "", "problems": [str(exc)]}


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
        if not vendor.installed():
            self.finish((STATIC / "missing.html").read_bytes())
            return
        self.finish(editing_page(stylesheet=self.admin.stylesheet(), mode="local"))


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


class _PreviewHandler(_JsonPost):
    def post(self) -> None:
        self.write_json(self.admin.preview(self.body_json()))


@web.stream_request_body
class _BackendHandler(_JsonPost):
    """Decap's local backend (`local_backend`), as decap-server answers it.

    The body is read in pieces up to `MAX_REQUEST` (an upload at the build's size limit); a
    request that says it is larger is answered at once, before its body is read.
    """

    def prepare(self) -> None:
        super().prepare()
        self._chunks: list[bytes] = []
        length = self.request.headers.get("Content-Length", "0")
        if not length.isdigit() or int(length) > MAX_REQUEST:
            limit = UPLOAD_LIMIT // MIB
            message = f"the file is too large to be saved: at most {limit} MB"
            self.write_json({"error": message}, 413)
            return
        connection = self.request.connection
        if isinstance(connection, HTTP1Connection):
            connection.set_max_body_size(MAX_REQUEST)

    def data_received(self, chunk: bytes) -> None:
        self._chunks.append(chunk)

    def post(self) -> None:
        self.request.body = b"".join(self._chunks)
        self._chunks = []
        status, reply = self.admin.backend.handle(self.body_json())
        self.write_json(reply, status)


class _AssetHandler(web.StaticFileHandler):
    """The vendored bundle and admin.js: fixed for a version, so cached while it lasts."""

    def set_extra_headers(self, path: str) -> None:
        self.set_header("Cache-Control", "no-cache")
        self.set_header("X-Content-Type-Options", "nosniff")
