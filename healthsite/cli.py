"""The command line: the only module that prints. `healthsite --help` lists the commands."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from healthsite.arguments import parser
from healthsite.build.receipt import Receipt, options, up_to_date, write_receipt
from healthsite.diagnostics import BuildFailed, Diagnostic
from healthsite.report.reading_line import readability_line
from healthsite.source_lines import as_text
from healthsite.today import build_today

if TYPE_CHECKING:
    from healthsite.build.pipeline import BuildReport
    from healthsite.config import SiteConfig

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit status (0 ok, 1 build failed, 2 bad usage)."""
    words = list(sys.argv[1:] if argv is None else argv)
    if not words or (words[0].startswith("-") and words[0] not in ("-h", "--help", "--version")):
        words.insert(0, "build")  # `healthsite --strict` means `healthsite build --strict`
    args = parser().parse_args(words)
    try:
        return int(COMMANDS[args.command](args))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `report | head`: the reader has all it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


def _cmd_build(args: argparse.Namespace) -> int:
    site = args.site.resolve()
    start = time.perf_counter()
    opts = options(build_today(), args.strict, args.drafts)
    if not args.clean:
        # nothing changed since the last build with these options: say what it said, and stop
        # before importing the engine (which alone takes longer than this check)
        receipt = up_to_date(site, opts)
        if receipt is not None:
            for line in receipt.stderr:
                print(line, file=sys.stderr)
            for line in receipt.stdout:
                print(line)
            print(_summary_line(receipt.summary, time.perf_counter() - start, "nothing changed"))
            return EXIT_OK
    from healthsite.build.pipeline import build

    progress = _TerminalProgress()
    try:
        report = build(
            site, strict_mode=args.strict, drafts=args.drafts, clean=args.clean, progress=progress
        )
    except BuildFailed as failure:
        progress.finish()
        _print_diagnostics(failure.diagnostics, site)
        errors = sum(d.is_error for d in failure.diagnostics)
        warnings = len(failure.diagnostics) - errors
        print(
            f"Build failed: {_plural(errors, 'error')}, {_plural(warnings, 'warning')}. "
            "Nothing was written; the previous site is unchanged.",
            file=sys.stderr,
        )
        return EXIT_FAILED
    except OSError as exc:
        progress.finish()
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    progress.finish()
    for note in report.notes:
        print(f"note: {note}")
    stderr = [as_text(diagnostic, site) for diagnostic in report.diagnostics]
    stdout = [
        f"note: {path}: review due on {due.isoformat()}" for path, due in report.reviews_due_soon
    ] + readability_line(report.readability, _program())
    for line in stderr:
        print(line, file=sys.stderr)
    for line in stdout:
        print(line)
    print(summary(report, site, time.perf_counter() - start))
    write_receipt(
        site, opts, report.inputs, report.output_dir, Receipt(stdout, stderr, _counts(report, site))
    )
    return EXIT_OK


def _counts(report: BuildReport, site: Path) -> dict[str, Any]:
    try:
        where = report.output_dir.relative_to(site).as_posix() + "/"
    except ValueError:
        where = str(report.output_dir)
    return {
        "pages": report.pages,
        "files": report.files,
        "bytes": report.bytes,
        "where": where,
        "warnings": len(report.warnings),
    }


def summary(report: BuildReport, site: Path, seconds: float) -> str:
    """The closing line: pages built, what changed, warnings, time."""
    changes = (
        f"{_plural(len(report.written), 'file')} written"
        + (f", {len(report.removed)} removed" if report.removed else "")
        if report.written or report.removed
        else "nothing changed"
    )
    return _summary_line(_counts(report, site), seconds, changes)


def _summary_line(counts: dict[str, Any], seconds: float, changes: str) -> str:
    return (
        f"Built {_plural(counts['pages'], 'page')} ({_plural(counts['files'], 'file')}, "
        f"{counts['bytes'] / 1024:.0f} KB) into {counts['where']} in {seconds:.2f} s ({changes}), "
        f"{_plural(counts['warnings'], 'warning')}."
    )


def _cmd_serve(args: argparse.Namespace) -> int:
    from healthsite.serve.server import serve

    return serve(
        args.site.resolve(),
        host=args.host,
        port=args.port,
        strict_mode=args.strict,
        drafts=args.drafts,
        report=_print_diagnostics,
        say=lambda line: print(line, flush=True),  # each rebuild's line at once, even piped
    )


def _cmd_edit(args: argparse.Namespace) -> int:
    import webbrowser

    from healthsite.serve.server import serve

    admin = f"http://127.0.0.1:{args.port}/admin/"

    def say(line: str) -> None:
        print(line, flush=True)
        if line.startswith("Serving ") and not args.no_browser:
            webbrowser.open(admin)

    return serve(
        args.site.resolve(),
        host="127.0.0.1",
        port=args.port,
        strict_mode=False,
        drafts=True,
        report=_print_diagnostics,
        say=say,
    )


def _cmd_export_editor(args: argparse.Namespace) -> int:
    from healthsite.cms.export import GitBackend, export_editor, headers_with_editor

    config = _load_or_report(args.site.resolve())
    if config is None:
        return EXIT_FAILED
    if not config.output_dir.is_dir():
        print(f"error: {config.output_dir} does not exist: run build first", file=sys.stderr)
        return EXIT_FAILED
    backend = GitBackend(args.backend, args.repo, args.branch, args.base_url, args.api_root)
    try:
        export_editor(config, backend, config.output_dir / "admin")
        headers = headers_with_editor(config, config.output_dir)
    except (OSError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    print(
        f"Wrote the editor into {config.output_dir / 'admin'}: publish it with the site and "
        f"open {config.settings.base_url}admin/ (it edits {args.repo} on {args.backend})."
    )
    print(f"Rewrote {headers}: /admin/ has its own rules on hosts that read it.")
    if not config.settings.editor.published:
        print(
            "note: set 'editor: {published: true}' in site.yaml so that every build writes "
            "_headers this way too"
        )
    return EXIT_OK


def _cmd_new(args: argparse.Namespace) -> int:
    from healthsite.scaffold.new import ScaffoldError, created_entry, new_entry

    try:
        print(created_entry(*new_entry(args.site.resolve(), args.kind, args.title)))
    except ScaffoldError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def _cmd_i18n(args: argparse.Namespace) -> int:
    from healthsite.i18n import catalogs as i18n
    from healthsite.i18n.hook import TranslateError, stamp
    from healthsite.inputs import Refused

    site = args.site.resolve()
    config = _load_or_report(site)
    if config is None:
        return EXIT_FAILED
    if args.action == "extract":
        print(f"Wrote {i18n.extract(site, config.templates_dir)}")
    elif args.action == "update":
        others = (lang for lang in config.languages if lang.split("-")[0] != i18n.SOURCE_LANGUAGE)
        try:
            updated = i18n.update(site, config.templates_dir, tuple(others))
        except Refused as refused:  # a catalog that is a link out, a pipe, not UTF-8...
            _print_diagnostics([refused.diagnostic], site)
            return EXIT_FAILED
        for path in updated:
            print(f"Updated {path}")
    else:
        try:
            for path in stamp(config, args.files):
                print(f"Stamped {path}")
        except TranslateError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_FAILED
    return EXIT_OK


def _cmd_translate(args: argparse.Namespace) -> int:
    from healthsite.build.pipeline import load
    from healthsite.i18n.hook import TranslateError, draft_translations

    site = args.site.resolve()
    try:
        config = load(site)
        drafted = draft_translations(config, args.to, tuple(args.slugs))
    except BuildFailed as failure:
        _print_diagnostics(failure.diagnostics, site)
        return EXIT_FAILED
    except TranslateError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    for item in drafted:
        print(f"Drafted {item.path} ({item.reason}): unreviewed, needs a person to check it")
    print(f"{_plural(len(drafted), 'draft')} written.")
    return EXIT_OK


def _cmd_deploy_config(args: argparse.Namespace) -> int:
    from healthsite.content.clinic import load_clinic
    from healthsite.deploy import config_text, options_rules

    site = args.site.resolve()
    config = _load_or_report(site)
    if config is None:
        return EXIT_FAILED
    clinic, problems = load_clinic(config.content_dir, config.settings.content_dir)
    if clinic is None:
        _print_diagnostics(problems, site)
        return EXIT_FAILED
    if args.no_tls and args.hsts:
        print("error: --hsts needs HTTPS: leave out --no-tls", file=sys.stderr)
        return EXIT_USAGE
    try:
        text = config_text(config, args.server, options_rules(config, clinic, args))
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    if args.output is None:
        print(text, end="")
        return EXIT_OK
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(f"Wrote {args.output}")
    return EXIT_OK


def _load_or_report(site: Path) -> SiteConfig | None:
    """The site's settings, or None after printing what is wrong with them."""
    from healthsite.build.pipeline import load

    try:
        return load(site)
    except BuildFailed as failure:
        _print_diagnostics(failure.diagnostics, site)
        return None


def _cmd_init(args: argparse.Namespace) -> int:
    from healthsite.scaffold.new import ScaffoldError, created_site, init_site

    try:
        print(created_site(init_site(args.directory, args.name), _program()))
    except ScaffoldError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def _cmd_report(args: argparse.Namespace) -> int:
    from healthsite.report.commands import report

    return _finish(report(args.site.resolve(), args.html, _program()))


def _cmd_check_links(args: argparse.Namespace) -> int:
    from healthsite.report.commands import check_external

    limits, say = (args.delay, args.timeout, args.max_age), partial(print, flush=True)
    return _finish(check_external(args.site.resolve(), limits, refresh=args.refresh, say=say))


def _finish(outcome: Any) -> int:
    for line in outcome.err:
        print(line, file=sys.stderr)
    for line in outcome.out:
        print(line)
    return int(outcome.status)


def _print_diagnostics(diagnostics: Sequence[Diagnostic], site: Path) -> None:
    for diagnostic in diagnostics:
        print(as_text(diagnostic, site), file=sys.stderr)


def _program() -> str:
    """How the user ran us: `python build.py` from a checkout, else `healthsite`."""
    return "python build.py" if Path(sys.argv[0]).name == "build.py" else "healthsite"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


#: What runs each command.
COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "build": _cmd_build,
    "serve": _cmd_serve,
    "edit": _cmd_edit,
    "export-editor": _cmd_export_editor,
    "new": _cmd_new,
    "i18n": _cmd_i18n,
    "translate": _cmd_translate,
    "deploy-config": _cmd_deploy_config,
    "report": _cmd_report,
    "check-links": _cmd_check_links,
    "init": _cmd_init,
}


class _TerminalProgress:
    """A build's progress on the terminal: the stage, things done of the total, time left.

    Drawn by tqdm on standard error, from half a second into a stage on, and erased when the
    stage ends; nothing at all when standard error is not a terminal or under CI. tqdm's
    monitor thread stays off: the build forks its workers only from a single-threaded process.
    """

    def __init__(self) -> None:
        self.shown = sys.stderr.isatty() and not os.environ.get("CI")
        self._bar: Any = None

    def start(self, stage: str, total: int | None) -> None:
        if not self.shown:
            return
        from tqdm import tqdm

        tqdm.monitor_interval = 0  # no thread (see above)
        self.finish()
        if total is None:  # a stage without steps to count: its name, at once
            self._bar = tqdm(desc=stage, bar_format="{desc}…", file=sys.stderr, leave=False)
            return
        self._bar = tqdm(
            total=total,
            desc=stage,
            unit=" files" if stage.startswith("Reading") else " pages",
            file=sys.stderr,
            leave=False,
            delay=0.5,
            mininterval=0.2,
            dynamic_ncols=True,
        )

    def advance(self, done: int = 1) -> None:
        if self._bar is not None:
            self._bar.update(done)

    def finish(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
