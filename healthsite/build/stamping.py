"""What a build reads, for the stamp that says whether anything can have changed.

The stamp (`receipt.stamp`: size and time of every file) is taken before reading: a file saved
during a build makes the next one look.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from healthsite.build.receipt import Stamp, options, stamp
from healthsite.config import CONFIG_FILE, SiteConfig
from healthsite.i18n.catalogs import LOCALES_DIR
from healthsite.theme import THEME_TEMPLATES


def input_roots(config: SiteConfig) -> list[Path]:
    """Everything a build reads: a stamp of these says whether anything can have changed."""
    roots = [
        config.root / CONFIG_FILE,
        config.content_dir,
        config.templates_dir,
        config.static_dir,
        config.root / LOCALES_DIR,
        THEME_TEMPLATES.parent,
    ]
    return [r for r in roots if r.exists()]


def stamp_inputs(config: SiteConfig, preview_url: str | None) -> Stamp:
    """The stamp of every input and of the options that decide the output."""
    opts = options(config.today, config.strict, config.drafts, preview_url)
    return stamp(input_roots(config), opts)


def templates_key(config: SiteConfig) -> Any:
    """What the Jinja environments are made from: while it is the same, they are kept."""
    folders = [config.templates_dir, THEME_TEMPLATES, config.root / LOCALES_DIR]
    return (stamp(folders, None).value, config.languages, config.settings.language)
