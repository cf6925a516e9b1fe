"""`_headers` with the editor published under `/admin/`: the site's policy never reaches it.

Netlify and Cloudflare Pages apply every rule whose path matches and join two values of one
header, so two Content-Security-Policy headers would both be enforced. Each `_headers` is
read here as each host reads it: Netlify's path pattern as `@netlify/headers-parser` compiles
it (`for_regexp.ts`: `*` as `/?(.*)`, an optional trailing slash, any case) and Cloudflare's as
its rules engine does (`*` as `(.*)`, exact otherwise). Without the setting `_headers` is as it
was, one rule for `/*`: the golden site's output checks it byte for byte.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from healthsite.cms.export import headers_with_editor
from healthsite.config import load_config
from healthsite.render.security import CONTENT_SECURITY_POLICY
from tests.helpers import TODAY, build_site

ADMIN = ["/admin/", "/admin/index.html", "/admin/config.json", "/admin/decap/decap-cms.js"]
Rules = list[tuple[str, list[tuple[str, str]]]]


def read_rules(text: str) -> Rules:
    rules: Rules = []
    for line in text.splitlines():
        if line.startswith("/"):
            rules.append((line, []))
        elif line.strip():
            name, _, value = line.strip().partition(": ")
            rules[-1][1].append((name, value))
    return rules


def netlify(rule: str) -> re.Pattern[str]:
    parts = [p.rstrip() for p in rule.split("/") if p.rstrip()]
    pattern = "/".join("?(.*)" if p == "*" else re.escape(p).replace(r"\*", "(.*)") for p in parts)
    return re.compile(f"^/{pattern}/?$", re.IGNORECASE)


def cloudflare(rule: str) -> re.Pattern[str]:
    return re.compile("^" + "(.*)".join(re.escape(p) for p in rule.split("*")) + "$")


def served(rules: Rules, url: str, host: str) -> dict[str, list[str]]:
    """Every header a request for `url` gets: name → the values of each matching rule."""
    compile_rule = netlify if host == "netlify" else cloudflare
    headers: dict[str, list[str]] = {}
    for path, values in rules:
        if compile_rule(path).match(url):
            for name, value in values:
                headers.setdefault(name, []).append(value)
    return headers


def urls_of(output: Path) -> list[str]:
    """Each file of a built site as a visitor asks for it (`/privacy/`, `/sitemap.xml`)."""
    found = []
    for path in sorted(output.rglob("*")):
        rel = path.relative_to(output).as_posix()
        if path.is_file() and not rel.startswith((".", "_headers")):
            found.append("/" + rel)
            if path.name == "index.html":
                found.append("/" + rel.removesuffix("index.html"))
    return found


@pytest.fixture
def published(valid_site: Path) -> Path:
    settings = valid_site / "site.yaml"
    extra = "languages:\n  es: {}\nsearch:\n  enabled: false\neditor:\n  published: true\n"
    settings.write_text(settings.read_text() + extra)
    (valid_site / "content/pages/ad.md").write_text(
        (valid_site / "content/pages/privacy.md").read_text().replace("Privacy", "Ad page")
    )
    build_site(valid_site)  # raises BuildFailed on an error
    return valid_site


def test_the_editor_gets_its_own_rules_and_every_page_the_sites(published: Path) -> None:
    rules = read_rules((published / "site/_headers").read_text())
    for host in ("netlify", "cloudflare"):
        check_rules(rules, host, urls_of(published / "site"))


def check_rules(rules: Rules, host: str, urls: list[str]) -> None:
    for url in ADMIN:
        headers = served(rules, url, host)
        assert headers["Content-Security-Policy"] == ["frame-ancestors 'none'"], url
        assert headers["Cross-Origin-Opener-Policy"] == ["same-origin-allow-popups"], url
        assert headers["X-Content-Type-Options"] == ["nosniff"], url
    assert {"/ad/", "/ad/index.html", "/es/", "/es/exercises/", "/sitemap.xml"} <= set(urls)
    for url in urls:
        headers = served(rules, url, host)
        policies = headers.get("Content-Security-Policy", [])
        assert len(policies) == 1 and policies[0].startswith(CONTENT_SECURITY_POLICY), url
        assert headers["Cross-Origin-Opener-Policy"] == ["same-origin"], url


def test_a_page_added_later_gets_the_sites_rules_in_the_next_build(published: Path) -> None:
    page = (published / "content/pages/privacy.md").read_text()
    (published / "content/pages/opening-times.md").write_text(page.replace("Privacy", "Hours"))
    build_site(published)
    rules = read_rules((published / "site/_headers").read_text())
    assert "/opening-times/*" in [path for path, _ in rules]


def test_export_editor_writes_the_same_headers_as_a_build_that_knows(
    published: Path, tmp_path: Path
) -> None:
    """A site built without the setting gets, from `export-editor`, what a build with it
    writes: the rules come from what is in the output folder."""
    expected = (published / "site/_headers").read_bytes()
    settings = published / "site.yaml"
    settings.write_text(settings.read_text().replace("  published: true", "  published: false"))
    build_site(published)
    assert (published / "site/_headers").read_bytes() != expected
    (published / "site/admin").mkdir()
    (published / "site/admin/index.html").write_text("the editor")
    config, _ = load_config(published, today=TODAY)
    assert config is not None
    headers_with_editor(config, published / "site")
    assert (published / "site/_headers").read_bytes() == expected
