"""The offline service worker the build publishes (`sw.js`): its settings, and a version that
changes exactly when a rebuild changes what a patient may have kept."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pytest

from healthsite.build.builder import Builder
from healthsite.diagnostics import BuildFailed
from tests.helpers import TODAY, WriteTree, build_site


def settings(site: Path) -> dict:
    text = (site / "site/sw.js").read_text()
    found = re.search(r"self\.HEALTHSITE = (\{.*?\});\n", text, re.S)
    assert found, text
    return json.loads(found[1])


def test_worker_settings_name_only_files_of_this_build(valid_site: Path) -> None:
    build_site(valid_site)
    out = valid_site / "site"
    worker = settings(valid_site)
    assert worker["scope"] == "/" and worker["static"] == "/static/"
    code = re.search(
        r'importScripts\("(/static/js/service-worker\.[0-9a-f]+\.js)"\)',
        (out / "sw.js").read_text(),
    )
    assert code and (out / code[1].lstrip("/")).is_file()
    for url in worker["precache"]:  # everything it keeps at once is there to keep
        path = out / url.lstrip("/")
        assert (path / "index.html" if url.endswith("/") else path).is_file(), url
    assert {"/routine/", "/offline/"} <= set(worker["precache"])
    assert worker["offline"] == {"": "/offline/"}
    assert "/pagefind/" in worker["bypass"]  # the search index is never the worker's
    assert re.fullmatch(r"[0-9a-f]{16}", worker["version"])


def test_every_language_and_a_base_path(write_tree: WriteTree, valid_site: Path) -> None:
    config = (valid_site / "site.yaml").read_text()
    config = config.replace("https://clinic.test/", "https://clinic.test/patients/")
    site = write_tree({"site.yaml": config + "languages:\n  es: {}\n"})
    build_site(site)
    worker = settings(site)
    assert worker["scope"] == "/patients/"
    assert worker["offline"] == {"": "/patients/offline/", "es": "/patients/es/offline/"}
    assert "/patients/es/routine/" in worker["precache"]
    assert all(url.startswith("/patients/") for url in worker["precache"] + worker["bypass"])


def test_same_sources_same_worker_wherever_built(valid_site: Path, tmp_path: Path) -> None:
    other = tmp_path / "elsewhere"
    shutil.copytree(valid_site, other)
    build_site(valid_site)
    build_site(other)
    assert (valid_site / "site/sw.js").read_bytes() == (other / "site/sw.js").read_bytes()


def test_version_follows_what_patients_keep(valid_site: Path) -> None:
    """A new version when front matter (a dose), a template, a stylesheet or a translation
    changes; the same one for a build with no change, and for an edited body, which reaches
    patients anyway (pages come from the network first) and keeps the quick rebuild quick."""
    builder = Builder(valid_site)

    def rebuild(changed: list[Path] | None = None) -> str:
        report = builder.build(today=TODAY, changed=changed)
        assert not [d for d in report.diagnostics if d.is_error]
        return settings(valid_site)["version"]

    def edit(rel: str, old: str, new: str) -> Path:
        path = valid_site / rel
        text = path.read_text()
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new, 1))
        return path

    first = rebuild()
    assert rebuild() == first
    body = edit("content/articles/back-care.md", "Stay active.", "Stay active every day.")
    assert rebuild([body]) == first
    edit("content/exercises/bridge.md", "reps: 5", "reps: 6")
    dose = rebuild()
    assert dose != first
    (valid_site / "templates").mkdir(exist_ok=True)
    (valid_site / "templates/404.html").write_text(
        '{% extends "base.html" %}{% block content %}<h1>Lost</h1>{% endblock %}'
    )
    template = rebuild()
    assert template != dose
    (valid_site / "static/css").mkdir(parents=True, exist_ok=True)
    (valid_site / "static/css/extra.css").write_text("p { color: #111; }\n")
    assert rebuild() != template


def test_the_engine_s_pages_cannot_be_taken_by_content(write_tree: WriteTree) -> None:
    page = "---\ntitle: My routine\nsummary: Mine.\n---\nText.\n"
    site = write_tree({"content/pages/routine.md": page, "content/pages/offline.md": page})
    with pytest.raises(BuildFailed) as failure:
        build_site(site)
    found = [(d.code, d.message) for d in failure.value.diagnostics]
    assert ("url-collision", "/routine/ is a page the site makes itself") in found
    assert ("url-collision", "/offline/ is a page the site makes itself") in found


def test_policy_lets_the_worker_run_and_keeps_everything_else(valid_site: Path) -> None:
    build_site(valid_site)
    out = valid_site / "site"
    for page in ("index.html", "exercises/bridge/index.html", "routine/index.html"):
        csp = re.search(
            r'http-equiv="Content-Security-Policy" content="([^"]+)"', (out / page).read_text()
        )
        assert csp
        rules = dict(rule.strip().split(" ", 1) for rule in html.unescape(csp[1]).split(";"))
        assert rules["worker-src"] == "'self'"
        assert rules["script-src"] == "'self'" and rules["connect-src"] == "'self'"
        assert rules["default-src"] == "'self'" and rules["object-src"] == "'none'"
    headers = (out / "_headers").read_text()
    assert "/sw.js\n  Cache-Control: no-cache\n" in headers
    assert "worker-src 'self'" in headers
