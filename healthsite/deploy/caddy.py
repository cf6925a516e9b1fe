"""The host rules as a Caddyfile site block.

Caddy gets and renews the HTTPS certificate itself and sends plain HTTP to HTTPS, so by default
the block needs no TLS lines. Per-path values come from `map`s of the path, so each header is set
once (two `header` lines for one name would race on Caddy's directive order).
"""

from __future__ import annotations

import re

from healthsite.deploy.rules import (
    COMPRESSIBLE,
    HEADERS_FILE,
    IMMUTABLE,
    MEDIA_TYPES,
    REVALIDATE,
    HostRules,
)
from healthsite.deploy.rules import quoted as q

SNIPPET = "healthsite_headers"


def caddy_config(rules: HostRules, header: str) -> str:
    """Caddy's own certificates (the usual case) unless `rules.tls` names one."""
    if rules.plain_http:
        address = f"http://{rules.server_name}:{rules.port}"
    elif rules.port == 443:
        address = rules.server_name
    else:
        address = f"{rules.server_name}:{rules.port}"
    lines = [f"# {line}".rstrip() for line in header.splitlines()]
    headers = [
        "header {",
        "\tContent-Security-Policy {healthsite_csp}",
        *(f"\t{name} {_value(rules, name, value)}" for name, value in rules.headers),
        "\tCache-Control {healthsite_cache}",
        "\t-Server",
        "}",
    ]
    return "\n".join(
        [
            *lines,
            "",
            "# The headers of every response, error pages included (imported twice below).",
            f"({SNIPPET}) {{",
            *_indent(headers),
            "}",
            "",
            f"{address} {{",
            *_indent(_body(rules)),
            "}",
            "",
        ]
    )


def _placeholder(name: str) -> str:
    return "{healthsite_" + name.lower().replace("-", "_") + "}"


def _value(rules: HostRules, name: str, value: str) -> str:
    """A header the published editing page gets its own value of comes from a map."""
    return _placeholder(name) if rules.editor_value(name) is not None else q(value)


def _editor_maps(rules: HostRules) -> list[str]:
    lines = []
    for name, value, own in rules.editor_overrides():
        lines += [
            f"map {{path}} {_placeholder(name)} {{",
            f"\t~^{re.escape(rules.editor)} {q(own)}",
        ]
        lines += [f"\tdefault {q(value)}", "}"]
    return lines


def _indent(lines: list[str]) -> list[str]:
    return [f"\t{line}" if line else "" for line in lines]


def _body(rules: HostRules) -> list[str]:
    tls = [f"tls {rules.tls.certificate} {rules.tls.key}", ""] if rules.tls else []
    csp = [f"{q(path)} {q(policy)}" for path, policy in rules.page_policies]
    csp += [f"{q(path + 'index.html')} {q(policy)}" for path, policy in rules.page_policies]
    cache = [f"~{pattern} {q(IMMUTABLE)}" for pattern in rules.immutable_paths]
    if rules.editor:
        csp.append(f"~^{re.escape(rules.editor)} {q(rules.editor_policy)}")
    return [
        *tls,
        f"root * {rules.root}",
        "",
        "# Each page's Content-Security-Policy: the one in its <meta> tag, plus frame-ancestors.",
        "map {path} {healthsite_csp} {",
        *(f"\t{line}" for line in csp),
        f"\tdefault {q(rules.policy)}",
        "}",
        "# Fingerprinted files never change at the same address; everything else is revalidated.",
        "map {path} {healthsite_cache} {",
        *(f"\t{line}" for line in cache),
        f"\tdefault {q(REVALIDATE)}",
        "}",
        *_editor_maps(rules),
        f"import {SNIPPET}",
        "# Media types not every system's list has right; Pagefind's files are opaque bytes.",
        *_types(rules),
        "# Text is compressed (HTML, CSS, JavaScript, JSON, XML, SVG); Pagefind's already is.",
        "encode zstd gzip",
        "",
        "# Files that are part of the build, not of the site (the output marker, _headers).",
        f"@build_files path_regexp ^{rules.base_path}(\\.|{HEADERS_FILE}$)",
        "error @build_files 404",
        "",
        "file_server",
        "",
        "# The 404 page in the visitor's language.",
        "handle_errors {",
        f"\timport {SNIPPET}",
        *_not_found(rules),
        "}",
    ]


def _types(rules: HostRules) -> list[str]:
    lines = []
    for extension, media_type in MEDIA_TYPES:
        lines.append(f"@type_{extension} path *.{extension}")
        lines.append(f"header @type_{extension} Content-Type {q(_with_charset(media_type))}")
    lines.append(f"@feeds path {' '.join(rules.feeds)}")
    lines.append(f"header @feeds Content-Type {q(_with_charset('application/atom+xml'))}")
    return lines


def _with_charset(media_type: str) -> str:
    return f"{media_type}; charset=utf-8" if media_type in COMPRESSIBLE else media_type


def _not_found(rules: HostRules) -> list[str]:
    lines = []
    for prefix, page in rules.not_found:
        name = "main" if prefix == rules.not_found[-1][0] else prefix.strip("/").replace("/", "_")
        matcher = f"@not_found_{name}"
        lines += [
            f"\t{matcher} {{",
            "\t\texpression {err.status_code} == 404",
            f"\t\tpath {prefix}*",
            "\t}",
            f"\thandle {matcher} {{",
            f"\t\trewrite * {page}",
            "\t\tfile_server",
            "\t}",
        ]
    return lines
