"""The host rules as an nginx site file (`/etc/nginx/sites-available/<name>`).

Headers are set once, in the `server` block, from `map`s of the request path: nginx drops every
inherited `add_header` in a `location` that has one of its own, so no location here adds any.
A `types` block would replace nginx's whole list of media types, so the few types it lacks are
set per extension with `default_type` in locations of their own.
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
    quoted,
)


def nginx_config(rules: HostRules, header: str) -> str:
    lines = [*_comment(header), *_maps(rules)]
    if rules.tls:
        lines += [
            "",
            "# Plain HTTP only sends visitors to HTTPS.",
            "server {",
            f"    listen {rules.http_port};",
            f"    listen [::]:{rules.http_port};",
            f"    server_name {rules.server_name};",
            "    return 301 https://$host$request_uri;",
            "}",
        ]
    lines += ["", "server {", *_indent(_server(rules)), "}", ""]
    return "\n".join(lines)


def _comment(header: str) -> list[str]:
    return [f"# {line}".rstrip() for line in header.splitlines()]


def _maps(rules: HostRules) -> list[str]:
    csp = [f"    {quoted(path)} {quoted(policy)};" for path, policy in rules.page_policies]
    csp += [
        f"    {quoted(path + 'index.html')} {quoted(policy)};"
        for path, policy in rules.page_policies
    ]
    cache = [
        f"    {quoted('~' + pattern)} {quoted(IMMUTABLE)};" for pattern in rules.immutable_paths
    ]
    missing = [f"    {quoted('~^' + prefix)} {page};" for prefix, page in rules.not_found[:-1]]
    if rules.editor:
        csp.append(f"    {quoted('~^' + re.escape(rules.editor))} {quoted(rules.editor_policy)};")
    return [
        "",
        "# Each page's Content-Security-Policy: the one in its <meta> tag, plus frame-ancestors.",
        "map $uri $healthsite_csp {",
        f"    default {quoted(rules.policy)};",
        *csp,
        "}",
        "# Fingerprinted files never change at the same address; everything else is revalidated.",
        "map $uri $healthsite_cache {",
        f"    default {quoted(REVALIDATE)};",
        *cache,
        "}",
        "# The 404 page in the visitor's language.",
        "map $uri $healthsite_not_found {",
        f"    default {rules.not_found[-1][1]};",
        *missing,
        "}",
        *_editor_maps(rules),
    ]


def _variable(name: str) -> str:
    return "$healthsite_" + name.lower().replace("-", "_")


def _editor_maps(rules: HostRules) -> list[str]:
    """A header the published editing page gets its own value of: a map, not a constant."""
    lines = []
    for name, value, own in rules.editor_overrides():
        lines += [f"map $uri {_variable(name)} {{", f"    default {quoted(value)};"]
        lines += [f"    {quoted('~^' + re.escape(rules.editor))} {quoted(own)};", "}"]
    return lines


def _server(rules: HostRules) -> list[str]:
    if rules.tls:
        listen = [
            f"listen {rules.port} ssl http2;",
            f"listen [::]:{rules.port} ssl http2;",
            f"ssl_certificate {rules.tls.certificate};",
            f"ssl_certificate_key {rules.tls.key};",
        ]
    else:
        listen = [f"listen {rules.port};", f"listen [::]:{rules.port};"]
    headers = [
        f"add_header {name} {_variable(name) if rules.editor_value(name) else quoted(value)} "
        "always;"
        for name, value in rules.headers
    ]
    base = rules.base_path
    return [
        *listen,
        f"server_name {rules.server_name};",
        f"root {rules.root};",
        "index index.html;",
        "server_tokens off;",
        "absolute_redirect off;",
        "charset utf-8;",
        f"charset_types {' '.join(COMPRESSIBLE)};",
        "",
        "add_header Content-Security-Policy $healthsite_csp always;",
        *headers,
        "add_header Cache-Control $healthsite_cache always;",
        "",
        "gzip on;",
        "gzip_vary on;",
        "gzip_comp_level 6;",
        "gzip_min_length 512;",
        f"gzip_types {' '.join(COMPRESSIBLE)};",
        "",
        "error_page 404 $healthsite_not_found;",
        "",
        f"location {base} {{",
        "    try_files $uri $uri/ =404;",
        "}",
        "# Files that are part of the build, not of the site (the output marker, _headers).",
        f"location ~ ^{base}(\\.|{HEADERS_FILE}$) {{",
        "    return 404;",
        "}",
        *_types(rules),
    ]


def _types(rules: HostRules) -> list[str]:
    lines = ["# Media types nginx's mime.types lacks or gets wrong."]
    for extension, media_type in MEDIA_TYPES:
        lines += [f"location ~ \\.{extension}$ {{", "    types { }"]
        lines.append(f"    default_type {media_type};")
        if media_type == "application/octet-stream":
            lines.append("    gzip off;  # already compressed by Pagefind")
        lines.append("}")
    for feed in rules.feeds:
        lines += [f"location = {feed} {{", "    types { }"]
        lines += ["    default_type application/atom+xml;", "}"]
    return lines


def _indent(lines: list[str]) -> list[str]:
    return [f"    {line}" if line else "" for line in lines]
