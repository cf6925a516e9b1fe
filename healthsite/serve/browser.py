"""What the browser gets from the preview: the pages with a reload script their policy allows,
the problems of a failed rebuild on top of every page, and the site's own 404 page.

livereload serves the files and keeps a websocket open to every page shown; the classes here
adjust what it sends. Only responses change: the files on disk never contain any of it.
"""

from __future__ import annotations

import html
import logging
import re
import socket
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler, StaticFileHandler
from livereload.server import LiveScriptInjector, Server
from livereload.watcher import Watcher
from tornado import httputil, web
from tornado.httpserver import HTTPServer

from healthsite.diagnostics import Diagnostic
from healthsite.serve.guard import LocalOnly, same_origin
from healthsite.site.assets import OUTPUT_FOLDER as STATIC_FOLDER
from healthsite.source_lines import as_text

#: The overlay's stylesheet: the pages' policy allows styles from the site itself, not inline.
OVERLAY_CSS_URL = "/__healthsite__/build-failed.css"
OVERLAY_CSS = b"""\
.hs-build-failed{position:fixed;top:0;left:0;right:0;z-index:2147483647;box-sizing:border-box;
 max-height:75vh;overflow:auto;margin:0;padding:1rem 1.25rem;background:#fff;color:#111;
 border:.375rem solid #a4000f;box-shadow:0 .5rem 1.5rem rgba(0,0,0,.4);
 font:1rem/1.5 system-ui,sans-serif;text-align:left}
.hs-build-failed:focus{outline:.1875rem solid #0b4fb3;outline-offset:-.625rem}
.hs-build-failed h2{margin:0 0 .5rem;padding:0;color:#8a000d;font:700 1.375rem/1.3 system-ui,
 sans-serif}
.hs-build-failed *{max-width:none}
.hs-build-failed p{margin:.5rem 0;color:#111}
.hs-build-failed ul{margin:.5rem 0;padding:0;list-style:none}
.hs-build-failed li{margin:0 0 .5rem;padding:.5rem .75rem;background:#fff3f3;
 border-left:.25rem solid #a4000f}
.hs-build-failed pre{margin:0;padding:0;background:none;color:#111;white-space:pre-wrap;
 overflow-wrap:anywhere;font:.9375rem/1.45 ui-monospace,SFMono-Regular,Menlo,monospace}
"""
HEAD_END = re.compile(rb"</head\s*>", re.IGNORECASE)
BODY_START = re.compile(rb"<body\b[^>]*>", re.IGNORECASE)


Routes = Sequence[tuple[str, type[web.RequestHandler], dict[str, Any]]]
"""Extra tornado handlers: (path pattern, handler class, its arguments)."""


class ShowsOverlay(Protocol):
    """The preview, as the pages see it: the last rebuild's problems as HTML (or nothing)."""

    overlay: bytes


def overlay_html(diagnostics: Sequence[Diagnostic], site: Path) -> str:
    """The problems of a failed rebuild, worded as the terminal words them, as an alert.

    It needs no script and no inline style (the pages' policy forbids both): focus moves to it
    by `autofocus`, and its look comes from `OVERLAY_CSS_URL`. It is fixed to the top of the
    window, because a reload keeps the scroll position and an editor is often far down a page;
    it scrolls on its own when long, so it can take the keyboard focus (`tabindex="0"`).
    """
    problems = "".join(f"<li><pre>{html.escape(as_text(d, site))}</pre></li>" for d in diagnostics)
    count = f"{len(diagnostics)} problem{'' if len(diagnostics) == 1 else 's'}"
    return (
        '<div class="hs-build-failed" role="alertdialog" lang="en" dir="ltr" tabindex="0" '
        'autofocus aria-labelledby="hs-build-failed-title" '
        'aria-describedby="hs-build-failed-note">'
        '<h2 id="hs-build-failed-title">The site could not be rebuilt</h2>'
        f"<p>This is the last good version of the page. {count} to fix:</p>"
        f"<ul>{problems}</ul>"
        '<p id="hs-build-failed-note">Fix the file and save: this page reloads by itself.</p>'
        "</div>"
    )


class ReloadInjector(LiveScriptInjector):
    """livereload's `</head>` injection, with a script the pages' policy allows, plus the overlay.

    livereload injects an inline loader script, which the pages' Content-Security-Policy
    (`script-src 'self'`) blocks; a plain `<script src>` from the same origin is allowed. While
    the last rebuild has failed, every HTML page also gets the overlay and its stylesheet. Only
    responses change: the files on disk never contain either.
    """

    preview: ShowsOverlay
    livereload_js: bytes
    untouched: tuple[str, ...] = ()
    """Paths whose pages are served as they are: the editing page must not reload on save."""

    def __init__(self, request: httputil.HTTPServerRequest) -> None:
        super().__init__(request)
        self.path = request.path

    def transform_first_chunk(
        self, status_code: int, headers: httputil.HTTPHeaders, chunk: bytes, finishing: bool
    ) -> tuple[int, httputil.HTTPHeaders, bytes]:
        if "html" not in headers.get("Content-Type", "") or self.path.startswith(self.untouched):
            return status_code, headers, chunk
        overlay = self.preview.overlay
        head = self.livereload_js
        if overlay:
            head += f'<link rel="stylesheet" href="{OVERLAY_CSS_URL}">'.encode()
        before = len(chunk)
        chunk = HEAD_END.sub(lambda end: head + end.group(0), chunk, count=1)
        if overlay:
            chunk = BODY_START.sub(lambda body: body.group(0) + overlay, chunk, count=1)
        if "Content-Length" in headers:
            headers["Content-Length"] = str(int(headers["Content-Length"]) + len(chunk) - before)
        return status_code, headers, chunk


class _PageHandler(LocalOnly, StaticFileHandler):
    """livereload's static files, and the site's own 404 page for missing ones.

    Pages are never cached: a reload must show the new text. Files under `static/` have their
    content's digest in their names, so they are cached for good, as a real host does: a
    reload then fetches the page alone, not its stylesheet and pictures again.
    The 404 page carries the reload script too, so a page that does not exist yet appears by
    itself once it is saved, and the overlay shows even when a first build failed.
    """

    def set_extra_headers(self, path: str) -> None:
        if path.replace("\\", "/").startswith(f"{STATIC_FOLDER}/"):
            self.set_header("Cache-Control", "public, max-age=31536000, immutable")
        else:
            self.set_header("Cache-Control", "no-store")

    def validate_absolute_path(self, root: str, absolute_path: str) -> str | None:
        """A path no file can have (a NUL byte, a name too long) is not found, not a crash."""
        try:
            return super().validate_absolute_path(root, absolute_path)
        except (ValueError, OSError):
            raise web.HTTPError(404) from None

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        page = Path(self.root, "404.html")
        if status_code == 404 and page.is_file():
            self.set_header("Content-Type", "text/html; charset=UTF-8")
            self.set_header("Cache-Control", "no-store")
            self.finish(page.read_bytes())
        else:
            super().write_error(status_code, **kwargs)


class _OverlayStyleHandler(LocalOnly):
    def get(self) -> None:
        self.set_header("Content-Type", "text/css; charset=UTF-8")
        self.finish(OVERLAY_CSS)


class _ReloadSocket(LocalOnly, LiveReloadHandler):
    """livereload's websocket, for the preview's own pages only (livereload accepts any
    origin: any web page could listen for saves)."""

    def check_origin(self, origin: str) -> bool:
        return same_origin(origin, self.request.host)


class _ReloadScript(LocalOnly, LiveReloadJSHandler):
    pass


class PreviewServer(Server):
    """livereload's Server with its websocket and livereload.js, and the pieces above."""

    def __init__(
        self,
        preview: ShowsOverlay,
        *,
        watcher: Watcher,
        sockets: list[socket.socket],
        routes: Routes = (),
        untouched: tuple[str, ...] = (),
    ) -> None:
        """`sockets`: bound before the first build; `routes`: more handlers (the editor's),
        tried before the site's files; `untouched`: paths whose pages get no reload script (the
        editing page must not reload on save)."""
        super().__init__(watcher=watcher)
        self.preview = preview
        self.sockets = sockets
        self.routes = list(routes)
        self.untouched = untouched

    def application(
        self,
        port: int,
        host: str,
        liveport: int | None = None,
        debug: bool | None = None,
        live_css: bool = True,
    ) -> None:
        """Like livereload's, with the preview's injector, page handler and overlay style."""
        LiveReloadHandler.watcher = self.watcher
        LiveReloadHandler.live_css = live_css

        class Injector(ReloadInjector):
            preview = self.preview
            livereload_js = f'<script src="/livereload.js?port={port}"></script>'.encode()
            untouched = self.untouched

        def only_here(handler: type[LocalOnly]) -> type[LocalOnly]:
            return type(handler.__name__, (handler,), {"served_host": host})

        app = web.Application(
            [
                (r"/livereload", only_here(_ReloadSocket)),
                (r"/livereload\.js", only_here(_ReloadScript)),
                (re.escape(OVERLAY_CSS_URL), only_here(_OverlayStyleHandler)),
                *self.routes,
                (
                    r"/(.*)",
                    only_here(_PageHandler),
                    {"path": self.root, "default_filename": "index.html"},
                ),
            ],
            transforms=[Injector],
        )
        HTTPServer(app).add_sockets(self.sockets)  # bound by `listen` before the first build

    def _setup_logging(self) -> None:
        """livereload's logging, without its line per request, browser and reload."""
        super()._setup_logging()
        logging.getLogger("livereload").setLevel(logging.WARNING)
        # a refused or missing path is answered, not reported; a failure is one line (guard)
        logging.getLogger("tornado.access").setLevel(logging.ERROR)
