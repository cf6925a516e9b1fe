"""The command line's commands and options, as argparse sees them (`healthsite --help`).

Standard library only, like the rest of what `build` needs before it knows whether anything
changed: `cli.py` runs the command `parser()` finds.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from healthsite import __version__


def parser() -> argparse.ArgumentParser:
    """Every command with its options; `args.command` names the one asked for."""
    parser = argparse.ArgumentParser(
        prog="healthsite",
        description="Build a fast, accessible, private static site from a clinic's health "
        "content. With no command, builds the site.",
        epilog="Run 'healthsite COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"healthsite {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    common, build_opts = _shared_options()
    _add_build_commands(commands, common, build_opts)
    _add_editor_commands(commands, common)
    _add_content_commands(commands, common)
    _add_deploy_config(commands, common)
    _add_look_commands(commands, common)
    _add_init(commands)
    return parser


def _shared_options() -> tuple[argparse.ArgumentParser, argparse.ArgumentParser]:
    """The options every command takes (`--site`), and those of the commands that build."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--site",
        type=Path,
        default=Path("."),
        metavar="DIR",
        help="the site folder (with site.yaml); default: the current folder",
    )
    build_opts = argparse.ArgumentParser(add_help=False)
    build_opts.add_argument(
        "--strict", action="store_true", help="treat warnings as errors (use in CI)"
    )
    build_opts.add_argument(
        "--drafts", action="store_true", help="include entries marked 'draft: true'"
    )
    return common, build_opts


def _add_build_commands(
    commands: Any, common: argparse.ArgumentParser, build_opts: argparse.ArgumentParser
) -> None:
    """`build` and `serve`."""
    p = commands.add_parser(
        "build",
        parents=[common, build_opts],
        help="build the site into site/",
        description="Build the site into its output folder (site/). On any "
        "error nothing is written and the previous site/ is kept. Only outputs whose "
        "inputs changed since the last build are made again (see .healthsite-cache/).",
    )
    p.add_argument(
        "--clean",
        action="store_true",
        help="ignore the build cache and make every output again",
    )

    p = commands.add_parser(
        "serve",
        parents=[common, build_opts],
        help="build, serve on 127.0.0.1 and rebuild on save",
        description="Build the site, serve it locally and rebuild and "
        "reload the browser when a file changes.",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")


def _add_editor_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    """`edit` and `export-editor`: editing in the browser."""
    p = commands.add_parser(
        "edit",
        parents=[common],
        help="edit the site in your browser (opens http://127.0.0.1:8000/admin/)",
        description="Serve the site on this computer with drafts shown and open the editor "
        "(Decap CMS) at /admin/ in the browser: forms for every page, saved into content/. "
        "See docs/editing-in-the-browser.md.",
    )
    p.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    p.add_argument("--no-browser", action="store_true", help="do not open the browser, just serve")

    p = commands.add_parser(
        "export-editor",
        parents=[common],
        help="publish the editor with the site, to edit through a Git host (opt-in)",
        description="After 'build', write the editing page (Decap CMS) into <output>/admin/, "
        "set up to read and commit the site's files through a Git host after the editor logs "
        "in there. Off unless you run this. See docs/editing-in-the-browser.md.",
    )
    p.add_argument(
        "--backend",
        default="github",
        choices=("github", "gitlab", "gitea", "bitbucket", "azure"),
        help="the Git host (default github)",
    )
    p.add_argument("--repo", required=True, help="the repository, e.g. clinic/website")
    p.add_argument("--branch", default="main", help="the branch to commit to (default main)")
    p.add_argument("--base-url", default="", help="the OAuth login service, if the host needs one")
    p.add_argument("--api-root", default="", help="the API of a self-hosted GitLab or Gitea")


def _add_content_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    """`new`, `i18n` and `translate`: writing content and translations."""
    p = commands.add_parser(
        "new",
        parents=[common],
        help="start a new article or exercise",
        description="Write a new content file with every field and a "
        "comment explaining each. It starts as a draft.",
    )
    p.add_argument("kind", choices=("article", "exercise"), help="what to create")
    p.add_argument("title", help="the title (article) or name (exercise), in quotes")

    p = commands.add_parser(
        "i18n",
        parents=[common],
        help="manage the translation catalogs of template text",
        description="extract: write locales/messages.pot from the templates. update: merge it "
        "into locales/<lang>/LC_MESSAGES/messages.po for every language. stamp FILE...: record "
        "that translation files match their sources now, after a person checked them.",
    )
    p.add_argument("action", choices=("extract", "update", "stamp"))
    p.add_argument("files", nargs="*", type=Path, help="translation files (stamp only)")

    p = commands.add_parser(
        "translate",
        parents=[common],
        help="draft missing or out-of-date translations with the translation hook",
        description="Send the words of each page that has no current translation to the "
        "translation hook (site.yaml translation.hook) and write the drafts as <slug>.<lang>.md, "
        "marked machine-made and unreviewed. A person's translation is never overwritten.",
    )
    p.add_argument("--to", required=True, metavar="LANG", help="the language to draft, e.g. es")
    p.add_argument("slugs", nargs="*", metavar="SLUG", help="only these pages (file names)")


def _add_deploy_config(commands: Any, common: argparse.ArgumentParser) -> None:
    p = commands.add_parser(
        "deploy-config",
        parents=[common],
        help="write a web server configuration for the built site (nginx, Caddy, Apache)",
        description="Print (or write with --output) a configuration for nginx, Caddy or Apache "
        "(or an .htaccess file for shared Apache hosting) that serves the built site with its "
        "security headers, caching, compression and 404 pages. See docs/deploying.md.",
    )
    p.add_argument("server", choices=("nginx", "caddy", "apache", "htaccess"))
    p.add_argument("--output", "-o", type=Path, metavar="FILE", help="write here, not to stdout")
    p.add_argument(
        "--root",
        metavar="DIR",
        help="where the built site is on the server (default /var/www/<host of base_url>)",
    )
    p.add_argument("--server-name", metavar="HOST", help="default: the host of base_url")
    p.add_argument(
        "--hsts",
        action="store_true",
        help="send Strict-Transport-Security (only once HTTPS works for good: browsers then "
        "refuse plain HTTP to this host for a year)",
    )
    p.add_argument(
        "--no-tls",
        action="store_true",
        help="plain HTTP only (behind a proxy or CDN that handles HTTPS)",
    )
    p.add_argument("--tls-cert", metavar="FILE", help="default: Let's Encrypt's fullchain.pem")
    p.add_argument("--tls-key", metavar="FILE", help="default: Let's Encrypt's privkey.pem")
    p.add_argument("--port", type=int, help="default 443 (80 with --no-tls)")
    p.add_argument("--http-port", type=int, default=80, help="where HTTP is sent to HTTPS")


def _add_look_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    """`report` and `check-links`: looking at a site without building it."""
    p = commands.add_parser(
        "report",
        parents=[common],
        help="every page's review dates, reviewer, reading level, translations and problems",
        description="One view for a clinic manager: every page with its next review (overdue, "
        "or due within 60 days), reviewer, reading grade, the state of its translations, and "
        "the placeholders, broken links and other problems left in it. Writes nothing to the "
        "site; 'serve' shows the same report at /__healthsite__/report.",
    )
    p.add_argument(
        "--html", type=Path, metavar="FILE", help="also write the report as a web page to FILE"
    )
    p = commands.add_parser(
        "check-links",
        parents=[common],
        help="ask other websites whether the pages the site links to still exist",
        description="Fetch every link to another website (sources, links in the text, the "
        "clinic's map link) and report each one's status. Politely: HEAD first, then GET; one "
        "request at a time per website, with a pause between two; a time limit on each. "
        "Answers are kept in .healthsite-cache/links.json and reused for --max-age days. "
        "A build never fetches anything. Exit status 1 when a link is broken or unreachable.",
    )
    for flag, default, unit, words in (
        ("--delay", 1.0, "SECONDS", "pause between two requests to the same website"),
        ("--timeout", 10.0, "SECONDS", "time limit for each request"),
        ("--max-age", 7.0, "DAYS", "reuse answers younger than this"),
    ):
        p.add_argument(
            flag, type=float, default=default, metavar=unit, help=f"{words} (default {default:g})"
        )
    p.add_argument("--refresh", action="store_true", help="ask again, ignoring earlier answers")


def _add_init(commands: Any) -> None:
    p = commands.add_parser(
        "init",
        help="start a new site for another clinic",
        description="Create a new site folder with a configuration, clinic "
        "data and a privacy page, ready to build.",
    )
    p.add_argument("directory", type=Path, help="the folder to create (must be empty or new)")
    p.add_argument("--name", default=None, help="the clinic's name (else a placeholder to fill in)")
