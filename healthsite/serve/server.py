"""A local preview server: build, serve the preview on 127.0.0.1, rebuild and reload on save.

livereload serves the files and keeps a websocket open to every page shown; watchfiles reports
saves as file-system events (no polling), and one long-lived `Builder` remakes only what changed.
Browsers reload as soon as a rebuild has written its files; the search index catches up in the
background. A failed rebuild keeps serving the last good site and shows its problems in the
terminal and, as an alert at the top of every page, in the browser. Bad content never stops it.
"""

from __future__ import annotations

import html
import logging
import os
import re
import signal
import socket
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler, StaticFileHandler
from livereload.server import LiveScriptInjector, Server
from livereload.watcher import Watcher
from tornado import httputil, web
from tornado.httpserver import HTTPServer
from tornado.ioloop import IOLoop
from watchfiles import Change, watch

from healthsite.build.builder import Builder
from healthsite.build.pipeline import load
from healthsite.build.receipt import CACHE_DIR
from healthsite.cms.handlers import ADMIN_PATH, Routes, editing_routes
from healthsite.config import CONFIG_FILE, PREVIEW_DIR, SiteConfig
from healthsite.diagnostics import BuildFailed, Diagnostic
from healthsite.i18n.catalogs import LOCALES_DIR
from healthsite.serve.guard import LocalOnly, listen, same_origin
from healthsite.site.assets import OUTPUT_FOLDER as STATIC_FOLDER

Report = Callable[[Sequence[Diagnostic], Path], None]

#: watchfiles yields a batch once no event has arrived for STEP_MS (one save is one batch), and
#: at the latest DEBOUNCE_MS after its first event (a checkout of many files is a few batches).
STEP_MS = 30
DEBOUNCE_MS = 300
#: How long a watch waits for events before it yields an empty batch; the first batch, empty
#: or not, says the watch is in place.
READY_MS = 200
#: Editors' swap, backup, lock and test files: saving never changes the site through them.
#: (vim: .x.swp, x~, 4913; emacs: .#x, #x#; JetBrains: x___jb_tmp___; gedit, kate, Chrome.)
EDITOR_TEMP = re.compile(
    r"\.sw[a-px]$|~$|^\.#|^#.*#$|^4913$|___jb_\w+___$|^\.goutputstream-|\.kate-swp$|\.crswap$"
    r"|^\.DS_Store$"
)
SKIPPED_FOLDERS = frozenset({".git", ".hg", ".svn", "__pycache__", "node_modules"})
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


def serve(
    site: Path,
    *,
    host: str,
    port: int,
    strict_mode: bool,
    drafts: bool,
    report: Report,
    say: Callable[[str], None],
) -> int:
    """Serve until interrupted; returns an exit status for the CLI."""
    preview_url = f"http://{host}:{port}/"
    try:
        config = load(site, strict_mode=strict_mode, drafts=drafts, preview_url=preview_url)
    except BuildFailed as failure:
        report(failure.diagnostics, site)
        return 1
    sockets = listen(host, port)
    if isinstance(sockets, str):
        say(f"error: cannot serve at {preview_url}: {sockets}")
        return 1
    terminal = _Terminal(site, report, say)
    builder = Builder(site, strict_mode=strict_mode, drafts=drafts, preview_url=preview_url)
    preview = _Preview(builder, site, terminal)
    watcher = _EventWatcher(_Sources.of(config), preview)
    try:
        preview.rebuild()
        # The first build is saved to the cache folder for the next start; later ones stay in
        # memory, where saving thousands of parsed pages would hold up every reload.
        builder.persist = False
        builder.warm()
        config.output_dir.mkdir(parents=True, exist_ok=True)
        routes = editing_routes(config, builder, preview.on_built, say)
        server = _PreviewServer(preview, watcher=watcher, sockets=sockets, routes=routes)
        say(f"Serving {config.output_dir} at {preview_url} (Ctrl+C to stop)")
        # Server.serve catches the Ctrl+C that stops its loop and returns
        server.serve(root=str(config.output_dir), host=host, port=port, restart_delay=0)
    except KeyboardInterrupt:
        pass
    finally:
        watcher.stop()
    try:  # a rebuild or index refresh writing the preview and its cache may finish
        if preview.rebuilds.busy() or preview.searches.busy():
            say("Stopping after the current rebuild...")
        preview.rebuilds.wait(timeout=60)
        preview.searches.wait(timeout=60)
    except KeyboardInterrupt:
        pass  # a second Ctrl+C: stop now
    say("Stopped.")
    return 0


def overlay_html(diagnostics: Sequence[Diagnostic], site: Path) -> str:
    """The problems of a failed rebuild, worded as the terminal words them, as an alert.

    It needs no script and no inline style (the pages' policy forbids both): focus moves to it
    by `autofocus`, and its look comes from `OVERLAY_CSS_URL`. It is fixed to the top of the
    window, because a reload keeps the scroll position and an editor is often far down a page;
    it scrolls on its own when long, so it can take the keyboard focus (`tabindex="0"`).
    """
    problems = "".join(f"<li><pre>{html.escape(d.render(site))}</pre></li>" for d in diagnostics)
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


class _Terminal:
    """The CLI's `report` and `say`, one caller at a time: rebuilds and the index run in threads."""

    def __init__(self, site: Path, report: Report, say: Callable[[str], None]) -> None:
        self.site = site
        self._report = report
        self._say = say
        self._lock = threading.Lock()

    def say(self, line: str) -> None:
        with self._lock:
            self._say(line)

    def report(self, diagnostics: Sequence[Diagnostic], line: str = "") -> None:
        with self._lock:
            self._report(diagnostics, self.site)
            if line:
                self._say(line)

    def unexpected(self, doing: str, exc: BaseException) -> None:
        """One line for a bug or an OS error; the traceback only when HEALTHSITE_DEBUG is set."""
        line = f"error: {doing}: {type(exc).__name__}: {exc}"
        if os.environ.get("HEALTHSITE_DEBUG"):
            line += "\n" + "".join(traceback.format_exception(exc)).rstrip()
        else:
            line += " (set HEALTHSITE_DEBUG=1 for details)"
        self.say(line)


class _Serial:
    """Runs a job in one background thread at a time; asks made while it runs make one more run.

    Saves that land during a rebuild need exactly one rebuild after it, not one each; the same
    holds for search index refreshes. A job that raises is reported and the worker carries on.
    """

    def __init__(self, name: str, job: Callable[[], None], terminal: _Terminal) -> None:
        self._name = name
        self._job = job
        self._terminal = terminal
        self._lock = threading.Lock()
        self._wanted = False
        self._thread: threading.Thread | None = None

    def request(self) -> None:
        with self._lock:
            self._wanted = True
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
                self._thread.start()

    def busy(self) -> bool:
        return self._thread is not None

    def wait(self, timeout: float) -> None:
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def _run(self) -> None:
        # Ctrl+C is the main thread's. Blocked here, it is blocked for the processes this
        # thread starts too: Pagefind, which the terminal would otherwise stop mid-index, and
        # whose worker the interpreter then waits for at exit, for ever.
        if hasattr(signal, "pthread_sigmask"):
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        while True:
            with self._lock:
                if not self._wanted:
                    self._thread = None
                    return
                self._wanted = False
            try:
                self._job()
            except Exception as exc:
                self._terminal.unexpected(self._name, exc)


class _Preview:
    """The one Builder, the last failure (if any) and the link to the browsers."""

    def __init__(self, builder: Builder, site: Path, terminal: _Terminal) -> None:
        self.builder = builder
        self.site = site
        self.terminal = terminal
        self.rebuilds = _Serial("rebuild", self.rebuild, terminal)
        self.searches = _Serial("search index", self.refresh_search, terminal)
        self.loop: IOLoop | None = None
        """The tornado loop, once serving: browsers are told to reload from its thread."""
        self.overlay = b""
        """The last rebuild's problems as `overlay_html`, made once and added to every page."""
        self.built = False
        self.on_built: list[Callable[[float, bool, Sequence[Diagnostic]], None]] = []
        """Told of each rebuild: when it began (time.monotonic), whether it worked, problems."""
        self._changes_lock = threading.Lock()
        self._changes: set[Path] | None = None
        """Files saved since the last rebuild began: the builder's hint. None: look at all."""

    def saved(self, paths: Iterable[str] | None) -> None:
        """Note what was saved (None: something the hint cannot describe), ask for a rebuild."""
        with self._changes_lock:
            if paths is None:
                self._changes = None
            elif self._changes is not None:  # None stays: a full look is already due
                self._changes.update(Path(p) for p in paths)
        self.rebuilds.request()

    def _take_changes(self) -> set[Path] | None:
        with self._changes_lock:
            changes, self._changes = self._changes, set()
        return changes

    def rebuild(self) -> None:
        """Build; reload the browsers as soon as it is written; then tell the terminal.

        The search index is refreshed behind the reload, in its own thread.
        """
        start, began = time.perf_counter(), time.monotonic()
        try:
            report = self.builder.build(defer_index=True, changed=self._take_changes())
        except BuildFailed as failure:
            for listener in self.on_built:
                listener(began, False, failure.diagnostics)
            ms = _ms_since(start)
            self.overlay = overlay_html(failure.diagnostics, self.site).encode()
            self._after_build(reload=True, index_pending=False)
            errors = sum(d.is_error for d in failure.diagnostics)
            self.terminal.report(
                failure.diagnostics,
                f"Rebuild failed in {ms} ms: {errors} error{'' if errors == 1 else 's'}. "
                "Still serving the last good site; the problems show on every page.",
            )
            return
        except Exception as exc:
            self.terminal.unexpected("rebuild", exc)
            self.terminal.say("Still serving the last good site.")
            return
        for listener in self.on_built:
            listener(began, True, report.diagnostics)
        ms = _ms_since(start)
        changed = bool(report.written or report.removed or self.overlay)
        self.overlay = b""
        self._after_build(reload=changed, index_pending=report.index_pending)
        files = len(report.written)
        verb = "Rebuilt" if self.built else "Built"
        self.built = True
        line = f"{verb} in {ms} ms: {files} file{'' if files == 1 else 's'} written"
        line += f", {len(report.removed)} removed." if report.removed else "."
        self.terminal.report(report.diagnostics, line)

    def refresh_search(self) -> None:
        problems = self.builder.refresh_search()
        if problems:
            self.terminal.report(problems)

    def _after_build(self, *, reload: bool, index_pending: bool) -> None:
        if self.loop is None:  # the first build: no browser yet
            if index_pending:
                self.searches.request()
            return

        def in_loop() -> None:
            if reload:
                LiveReloadHandler.reload_waiters("*")  # no throttle, unlike its poll_tasks
            if index_pending:
                self.searches.request()

        # the websockets belong to the loop's thread; this is the rebuild thread
        self.loop.add_callback(in_loop)


class _Sources:
    """What a save can change: the site's source folders and site.yaml, minus editors' litter."""

    def __init__(self, root: Path, folders: Sequence[Path], skipped: Sequence[Path]) -> None:
        self.root = root
        self.folders = tuple(folders)
        self.config_file = root / CONFIG_FILE
        self.skipped = tuple(skipped)

    @classmethod
    def of(cls, config: SiteConfig) -> _Sources:
        root = config.root
        folders = (config.content_dir, config.templates_dir, config.static_dir, root / LOCALES_DIR)
        outputs = (root / config.settings.output_dir, root / PREVIEW_DIR, root / CACHE_DIR)
        return cls(root, [*dict.fromkeys(folders)], outputs)

    def relevant(self, change: Change, path: str) -> bool:
        """A file event under a source folder that is not an editor's temporary file."""
        where = Path(path)
        if where == self.config_file:
            return True
        if any(where.is_relative_to(skipped) for skipped in self.skipped):
            return False
        for folder in self.folders:
            if where.is_relative_to(folder):
                parts = where.relative_to(folder).parts
                if not parts:
                    return True
                return not (
                    EDITOR_TEMP.search(parts[-1]) or any(p in SKIPPED_FOLDERS for p in parts)
                )
        return False

    def at_root(self, change: Change, path: str) -> bool:
        """site.yaml saved, or a source folder made or removed (e.g. the first `locales/`)."""
        where = Path(path)
        return where == self.config_file or (where in self.folders and change != Change.modified)


class _EventWatcher(Watcher):
    """livereload's watcher slot, filled by file-system events instead of its 800 ms polling.

    livereload polls `examine()` only when `start()` returns False; here it returns True and two
    threads ask for rebuilds: one watches the source folders, one the site folder itself (not
    recursively) for site.yaml, which editors often replace rather than rewrite, and for source
    folders that appear or go, after which the folder watch starts again.
    """

    def __init__(self, sources: _Sources, preview: _Preview) -> None:
        super().__init__()
        self.sources = sources
        self.preview = preview
        self.terminal = preview.terminal
        self._stop = threading.Event()
        self._regroup = threading.Event()
        self._threads: list[tuple[threading.Thread, threading.Event]] = []

    def start(self, callback: Callable[[], None]) -> bool:
        """Called by livereload in the loop's thread before it serves: start watching.

        It returns once both watches are in place, so a save made as soon as the first page
        is served is seen.
        """
        self.preview.loop = IOLoop.current()
        for target in (self._watch_folders, self._watch_root):
            ready = threading.Event()
            thread = threading.Thread(target=target, args=(ready,), name=target.__name__)
            thread.daemon = True
            thread.start()
            self._threads.append((thread, ready))
        for _, ready in self._threads:
            ready.wait(timeout=5)
        return True

    def examine(self) -> tuple[None, None]:
        return None, None  # nothing to poll: changes arrive through start()'s threads

    def stop(self) -> None:
        self._stop.set()
        for thread, _ in self._threads:
            thread.join(timeout=5)

    def _watch_folders(self, ready: threading.Event) -> None:
        until = _Either(self._stop, self._regroup)
        polling = False
        while not self._stop.is_set():
            self._regroup.clear()
            folders = [folder for folder in self.sources.folders if folder.is_dir()]
            try:
                if not folders:
                    ready.set()
                    while not until.is_set():
                        self._stop.wait(0.2)
                    continue
                for changes in self._events(folders, self.sources.relevant, until, ready, polling):
                    self.preview.saved(path for _, path in changes)
            except FileNotFoundError:  # a folder went between is_dir() and the watch
                self._stop.wait(0.1)
            except OSError as exc:  # e.g. the system's limit of watched folders
                if polling:
                    self.terminal.unexpected("watching files", exc)
                    return
                self.terminal.say(f"note: watching files by polling instead ({exc})")
                polling = True
            except Exception as exc:
                self.terminal.unexpected("watching files", exc)
                return

    def _watch_root(self, ready: threading.Event) -> None:
        try:
            for changes in self._events(
                [self.sources.root], self.sources.at_root, self._stop, ready, recursive=False
            ):
                if any(Path(path) in self.sources.folders for _, path in changes):
                    self._regroup.set()
                self.preview.saved(None)
        except Exception as exc:
            self.terminal.unexpected(f"watching {CONFIG_FILE}", exc)

    @staticmethod
    def _events(
        paths: Sequence[Path],
        relevant: Callable[[Change, str], bool],
        until: threading.Event | _Either,
        ready: threading.Event,
        polling: bool = False,
        *,
        recursive: bool = True,
    ) -> Iterator[set[tuple[Change, str]]]:
        """Batches of relevant changes; `ready` is set once the watch is in place."""
        for changes in watch(
            *paths,
            watch_filter=relevant,
            debounce=DEBOUNCE_MS,
            step=STEP_MS,
            stop_event=until,
            rust_timeout=READY_MS,
            yield_on_timeout=True,  # an empty batch: watchfiles yields only once it watches
            raise_interrupt=False,  # Ctrl+C belongs to the main thread's loop
            recursive=recursive,
            force_polling=polling or None,
        ):
            ready.set()
            if changes:
                yield changes


class _Either:
    """Set when either event is: stops a folder watch on shutdown or to watch a new folder set."""

    def __init__(self, first: threading.Event, second: threading.Event) -> None:
        self._pair = (first, second)

    def is_set(self) -> bool:
        return any(event.is_set() for event in self._pair)


class _Injector(LiveScriptInjector):
    """livereload's `</head>` injection, with a script the pages' policy allows, plus the overlay.

    livereload injects an inline loader script, which the pages' Content-Security-Policy
    (`script-src 'self'`) blocks; a plain `<script src>` from the same origin is allowed. While
    the last rebuild has failed, every HTML page also gets the overlay and its stylesheet. Only
    responses change: the files on disk never contain either.
    """

    preview: _Preview
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


class _PreviewServer(Server):
    """livereload's Server with its websocket and livereload.js, and the pieces above."""

    def __init__(
        self,
        preview: _Preview,
        *,
        watcher: _EventWatcher,
        sockets: list[socket.socket],
        routes: Routes = (),
    ) -> None:
        super().__init__(watcher=watcher)
        self.preview = preview
        self.sockets = sockets
        self.routes = list(routes)

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

        class Injector(_Injector):
            preview = self.preview
            livereload_js = f'<script src="/livereload.js?port={port}"></script>'.encode()
            untouched = (ADMIN_PATH,) if self.routes else ()

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


def _ms_since(start: float) -> int:
    return round((time.perf_counter() - start) * 1000)
