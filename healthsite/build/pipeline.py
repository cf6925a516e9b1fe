"""The build, as a flat list of named stages: load → discover → parse → assemble → plan → render
→ write → index. Each stage takes plain values and returns plain values plus diagnostics.

`Builder` runs them again and again for one site and skips what did not change (see
`incremental.py`): parse results come from a cache, pages whose inputs are the same are not
rendered, and a watcher's hint that only a page body changed takes a quicker way still."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from healthsite.build.builder import Builder
from healthsite.build.report import BuildReport
from healthsite.config import SiteConfig, load_config
from healthsite.diagnostics import BuildFailed, ordered

__all__ = ["BuildReport", "Builder", "build", "load"]


def load(
    root: Path, *, strict_mode: bool = False, drafts: bool = False, preview_url: str | None = None
) -> SiteConfig:
    """The `load_config` stage on its own, for commands that need only the settings."""
    config, found = load_config(root, strict=strict_mode, drafts=drafts, preview_url=preview_url)
    if config is None or any(d.is_error for d in found):
        raise BuildFailed(ordered(found))
    return config


def build(
    root: Path,
    *,
    strict_mode: bool = False,
    drafts: bool = False,
    today: dt.date | None = None,
    preview_url: str | None = None,
    clean: bool = False,
) -> BuildReport:
    """Build the site in `root`; raise `BuildFailed` with every problem, `site/` untouched.

    Incremental: what the last build learned (`.healthsite-cache/`) lets this one skip every
    output whose inputs did not change. `clean` ignores the cache and makes everything.
    """
    builder = Builder(root, strict_mode=strict_mode, drafts=drafts, preview_url=preview_url)
    return builder.build(today=today, clean=clean)
