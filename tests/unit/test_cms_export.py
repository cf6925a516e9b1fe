"""The editor published with the site (opt-in): the same form, a Git host's backend."""

from __future__ import annotations

import json
from pathlib import Path

from healthsite.build.pipeline import load
from healthsite.cms.export import GitBackend, export_editor


def test_export_writes_a_page_for_a_git_host_and_nothing_local(valid_site: Path) -> None:
    config = load(valid_site)
    into = valid_site / "out" / "admin"
    backend = GitBackend("github", "clinic/website", base_url="https://auth.example.org")
    export_editor(config, backend, into)
    decap = json.loads((into / "config.json").read_text(encoding="utf-8"))
    assert decap["backend"] == {
        "name": "github",
        "repo": "clinic/website",
        "branch": "main",
        "base_url": "https://auth.example.org",
    }
    assert "local_backend" not in decap
    assert {c["name"] for c in decap["collections"]} >= {"exercises", "articles", "clinic"}
    page = (into / "index.html").read_text(encoding="utf-8")
    assert 'data-mode="git"' in page
    assert (
        "connect-src &#x27;self&#x27; blob: https://api.github.com https://auth.example.org" in page
    )
    assert (into / "decap" / "decap-cms.js").is_file()
