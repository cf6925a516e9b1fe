"""A local preview server: build, serve `site/` on 127.0.0.1, rebuild and reload on save.

This is the first version: every save triggers a full rebuild. A failed rebuild keeps serving the
last good site and prints the problems; the server never stops on bad content.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from .config import CONFIG_FILE
from .diagnostics import BuildFailed, Diagnostic
from .i18n import LOCALES_DIR
from .pipeline import build, load

Report = Callable[[Sequence[Diagnostic], Path], None]


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
    from livereload import Server
    from livereload.handlers import LiveReloadHandler

    preview_url = f"http://{host}:{port}/"
    try:
        config = load(site, strict_mode=strict_mode, drafts=drafts, preview_url=preview_url)
    except BuildFailed as failure:
        report(failure.diagnostics, site)
        return 1

    def rebuild() -> None:
        try:
            result = build(site, strict_mode=strict_mode, drafts=drafts, preview_url=preview_url)
        except BuildFailed as failure:
            report(failure.diagnostics, site)
            say("Build failed; still serving the last good site. Fix the problems and save.")
            return
        report(result.diagnostics, site)
        say(f"Rebuilt: {result.pages} pages.")

    rebuild()
    config.output_dir.mkdir(parents=True, exist_ok=True)
    # livereload ignores changes within 3 s of the previous reload; an editor saving twice
    # quickly must still see the second save.
    LiveReloadHandler.DEFAULT_RELOAD_TIME = 0
    server = Server()
    for folder in (config.content_dir, config.templates_dir, config.static_dir, site / LOCALES_DIR):
        if folder.is_dir():
            server.watch(str(folder), rebuild)
    server.watch(str(site / CONFIG_FILE), rebuild)
    say(f"Serving {config.output_dir} at {preview_url} (Ctrl+C to stop)")
    server.serve(
        root=str(config.output_dir), host=host, port=port, restart_delay=0, open_url_delay=None
    )
    return 0
