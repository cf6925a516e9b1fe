"""The manager's report (`report`) in the preview, at `/__healthsite__/report`: made fresh on
each visit from the site's files, never written anywhere, answered only to this computer."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from tornado.ioloop import IOLoop

from healthsite.serve.guard import LocalOnly

REPORT_URL = "/__healthsite__/report"


class _ReportHandler(LocalOnly):
    site: Path

    def initialize(self, site: Path) -> None:
        self.site = site

    async def get(self) -> None:
        from healthsite.report.commands import report_html  # only built on request

        try:
            page = await IOLoop.current().run_in_executor(None, report_html, self.site)
        except Exception as exc:  # a site that cannot be read: say so, in the page
            page = f"<!doctype html><title>Report</title><p>{html.escape(str(exc))}</p>"
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(page)


def report_route(site: Path, host: str) -> tuple[str, type[LocalOnly], dict[str, Any]]:
    """The route for the preview server, answering requests for `host` only."""
    handler = type("ReportHandler", (_ReportHandler,), {"served_host": host})
    return re.escape(REPORT_URL), handler, {"site": site}
