"""A local preview server: build, serve the preview on 127.0.0.1, rebuild and reload on save.

livereload serves the files and keeps a websocket open to every page shown; watchfiles reports
saves as file-system events (no polling), and one long-lived `Builder` remakes only what changed.
Browsers reload as soon as a rebuild has written its files; the search index catches up in the
background. A failed rebuild keeps serving the last good site and shows its problems in the
terminal and, as an alert at the top of every page, in the browser. Bad content never stops it.

Here: the rebuild and index workers and the preview they share. Beside it: `watch.py` (which
saves matter), `browser.py` (what the browser gets), `terminal.py` (one line at a time).
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from livereload.handlers import LiveReloadHandler
from tornado.ioloop import IOLoop

from healthsite.build.builder import Builder
from healthsite.build.pipeline import load
from healthsite.cms.handlers import ADMIN_PATH, editing_routes
from healthsite.diagnostics import BuildFailed, Diagnostic
from healthsite.serve.browser import PreviewServer, overlay_html
from healthsite.serve.guard import listen
from healthsite.serve.report_page import REPORT_URL, report_route
from healthsite.serve.terminal import Report, Terminal
from healthsite.serve.watch import EventWatcher, Sources


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
    terminal = Terminal(site, report, say)
    builder = Builder(site, strict_mode=strict_mode, drafts=drafts, preview_url=preview_url)
    preview = _Preview(builder, site, terminal)
    watcher = EventWatcher(Sources.of(config), preview)
    try:
        preview.rebuild()
        # The first build is saved to the cache folder for the next start; later ones stay in
        # memory, where saving thousands of parsed pages would hold up every reload.
        builder.persist = False
        builder.warm()
        config.output_dir.mkdir(parents=True, exist_ok=True)
        routes = editing_routes(config, builder, preview.on_built, say)
        untouched = (ADMIN_PATH,) if routes else ()
        routes = [report_route(site, host), *routes]
        server = PreviewServer(
            preview, watcher=watcher, sockets=sockets, routes=routes, untouched=untouched
        )
        say(f"Serving {config.output_dir} at {preview_url} (Ctrl+C to stop)")
        say(f"Content report: {preview_url.rstrip('/')}{REPORT_URL}")
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
    builder.close()
    say("Stopped.")
    return 0


class _Serial:
    """Runs a job in one background thread at a time; asks made while it runs make one more run.

    Saves that land during a rebuild need exactly one rebuild after it, not one each; the same
    holds for search index refreshes. A job that raises is reported and the worker carries on.
    """

    def __init__(self, name: str, job: Callable[[], None], terminal: Terminal) -> None:
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

    def __init__(self, builder: Builder, site: Path, terminal: Terminal) -> None:
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


def _ms_since(start: float) -> int:
    return round((time.perf_counter() - start) * 1000)
