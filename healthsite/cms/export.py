"""The editing page published with the site, for editing through a Git host (opt-in).

On the editor's computer the editor saves into `content/` through the preview server. A clinic
that wants to edit from anywhere can publish the same page under `/admin/` of its site, with
Decap's backend for its Git host (GitHub, GitLab, Gitea/Forgejo...): Decap then reads and
commits the files through the host's API after the editor logs in there. Nothing of this is in
the output unless `export-editor` is run (after `build`); the site's pages are unchanged.

Hosts that read `_headers` (Netlify, Cloudflare Pages) would send the site's own policy with the
editing page too, and it forbids what Decap needs; `export-editor` therefore rewrites `_headers`
so that the site's rules name the site's own paths and `/admin/` has a rule of its own (as every
build does when `editor.published` is set: see `render/security.py`).
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from healthsite.cms import vendor
from healthsite.cms.config import decap_config
from healthsite.cms.handlers import (
    ADMIN_POLICY,
    STATIC,
    editing_page,
    site_facts,
    site_stylesheet,
)
from healthsite.config import SiteConfig
from healthsite.content.clinic import load_clinic
from healthsite.render.security import headers_file, site_rules
from healthsite.site.routes import EDITOR_PATH, PATH_OF, FileKind

#: The API each Git host's backend talks to, for the page's policy (Decap's defaults).
API_ORIGINS = {
    "github": "https://api.github.com",
    "gitlab": "https://gitlab.com",
    "bitbucket": "https://api.bitbucket.org",
    "gitea": "",
    "azure": "https://dev.azure.com",
}


@dataclass(frozen=True, slots=True)
class GitBackend:
    """Decap's `backend:` for a Git host (see Decap's documentation of each)."""

    name: str
    repo: str
    branch: str = "main"
    base_url: str = ""
    """The OAuth login service (`base_url`), when the host needs one (GitHub does)."""
    api_root: str = ""
    """The host's API, for a self-hosted GitLab, Gitea or Forgejo."""

    def decap(self) -> dict[str, str]:
        found = {"name": self.name, "repo": self.repo, "branch": self.branch}
        if self.base_url:
            found["base_url"] = self.base_url
        if self.api_root:
            found["api_root"] = self.api_root
        return found

    def origins(self) -> list[str]:
        urls = [API_ORIGINS.get(self.name, ""), self.api_root, self.base_url]
        return sorted({f"{urlsplit(u).scheme}://{urlsplit(u).netloc}" for u in urls if u})


def export_editor(config: SiteConfig, backend: GitBackend, into: Path) -> list[Path]:
    """Write the editing page and everything it loads into `into` (e.g. `site/admin/`)."""
    if not vendor.installed():
        raise FileNotFoundError(
            f"Decap CMS is not installed in {vendor.cms_folder()}: run scripts/setup.sh"
        )
    decap = decap_config(site_facts(config))
    decap.pop("local_backend")
    decap["backend"] = backend.decap()
    decap["site_url"] = config.settings.base_url
    origins = " ".join(backend.origins())
    policy = (
        ADMIN_POLICY.replace("connect-src 'self' blob:", f"connect-src 'self' blob: {origins}")
        .replace("img-src 'self' data: blob:", "img-src 'self' data: blob: https:")
        .replace("; frame-ancestors 'none'", "")  # a meta policy cannot say it
    )
    into.mkdir(parents=True, exist_ok=True)
    written = [into / "index.html", into / "config.json"]
    written[0].write_text(
        editing_page(stylesheet=site_stylesheet(config), mode="git", policy=policy),
        encoding="utf-8",
    )
    written[1].write_text(json.dumps(decap, indent=1, default=str), encoding="utf-8")
    for name in ("admin.js", "admin.css"):
        written.append(into / name)
        written[-1].write_bytes((STATIC / name).read_bytes())
    shutil.copytree(vendor.cms_folder(), into / "decap", dirs_exist_ok=True)
    written.append(into / "decap")
    return written


def headers_with_editor(config: SiteConfig, output: Path) -> Path:
    """Rewrite `output/_headers` for the editing page published in `output/admin/`: the site's
    rules for the paths in `output` (as the build writes them with `editor.published`)."""
    clinic, _ = load_clinic(config.content_dir, config.settings.content_dir, files=config.files)
    form = clinic.meta.form if clinic is not None else None
    endpoint = form.endpoint if form is not None and form.enabled else None
    rules = site_rules(output_paths(output))
    target = output / PATH_OF[FileKind.HEADERS]
    partial = target.with_name(f".{target.name}.partial")
    partial.write_bytes(headers_file(config.settings.search.enabled, endpoint, rules))
    partial.replace(target)
    return target


def output_paths(output: Path) -> list[str]:
    """What is at the top of a built site, as `site_rules` takes it: a file by its name, a
    folder as `name/*`."""
    found = []
    for name in sorted(os.listdir(output)):
        if name.startswith(".") or name == EDITOR_PATH.strip("/"):
            continue
        folder = (output / name).is_dir() and not (output / name).is_symlink()
        found.append(f"{name}/*" if folder else name)
    return found
