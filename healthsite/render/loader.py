"""The site's own templates, found and read by the rule every input follows (`inputs`).

Jinja's `FileSystemLoader` follows any link and opens any file: a template that links to a file
outside the site would be read (and its text published), a named pipe would stop the build
for ever. This loader walks and reads through `SiteFiles` instead; a refused template raises
`Refused` (not `TemplateNotFound`, which would quietly fall back to the theme's template).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import jinja2
from jinja2.loaders import split_template_path

from healthsite.diagnostics import Diagnostic
from healthsite.inputs import SiteFiles


class SiteTemplates(jinja2.BaseLoader):
    """Templates in `folder`, a site's overrides of the theme."""

    def __init__(self, folder: Path, files: SiteFiles) -> None:
        self.folder = folder
        self.files = files

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)  # refuses '..': names stay inside the folder
        if any(piece.startswith(".") for piece in pieces):
            raise jinja2.TemplateNotFound(template)
        path = self.folder.joinpath(*pieces)
        if not os.path.lexists(path):
            raise jinja2.TemplateNotFound(template)
        text = self.files.read_text(path)  # raises Refused
        try:
            mtime = os.stat(path).st_mtime_ns
        except OSError:
            mtime = -1

        def uptodate() -> bool:
            try:
                return os.stat(path).st_mtime_ns == mtime
            except OSError:
                return False

        return text, str(path), uptodate

    def list_templates(self) -> list[str]:
        return sorted("/".join(parts) for parts in self.files.walk(self.folder)[0])

    def refused(self) -> list[Diagnostic]:
        """What the folder holds that the build will not read (links out, pipes...)."""
        return self.files.walk(self.folder)[1]
