"""The host rules for Apache httpd: a virtual host, or the same rules as an `.htaccess` file.

Everything inside the `<Directory>` is also valid in `.htaccess` (shared hosting, where the
server's own configuration is out of reach), so one body serves both. It needs mod_headers and,
for compression, mod_deflate; per-path values are `Header ... expr=` conditions.
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


def apache_config(rules: HostRules, header: str) -> str:
    comment = [f"# {line}".rstrip() for line in header.splitlines()]
    body = [f"        {line}" if line else "" for line in directory_rules(rules)]
    lines = [
        *comment,
        "",
        '# Server-wide (outside the virtual host): say "Apache", not its version and system.',
        "ServerTokens Prod",
        "",
    ]
    if rules.tls:
        lines += [
            f"<VirtualHost *:{rules.http_port}>",
            f"    ServerName {rules.server_name}",
            "    # Plain HTTP only sends visitors to HTTPS.",
            f"    Redirect permanent / https://{rules.server_name}/",
            "</VirtualHost>",
            "",
        ]
    lines += [f"<VirtualHost *:{rules.port}>", f"    ServerName {rules.server_name}"]
    if rules.tls:
        lines += [
            "    SSLEngine on",
            f"    SSLCertificateFile {rules.tls.certificate}",
            f"    SSLCertificateKeyFile {rules.tls.key}",
        ]
    lines += [
        f"    DocumentRoot {rules.root}",
        f"    <Directory {rules.root}>",
        "        Require all granted",
        "        AllowOverride None",
        "        Options -Indexes",
        *body,
        "    </Directory>",
        "</VirtualHost>",
        "",
    ]
    return "\n".join(lines)


def htaccess(rules: HostRules, header: str) -> str:
    comment = [f"# {line}".rstrip() for line in header.splitlines()]
    return "\n".join([*comment, "", *directory_rules(rules), ""])


def directory_rules(rules: HostRules) -> list[str]:
    """Directives valid both in a `<Directory>` and in `.htaccess`."""
    base = rules.base_path
    csp = [
        f"Header always set Content-Security-Policy {quoted(policy)} "
        f'"expr=%{{REQUEST_URI}} =~ m#^{re.escape(path)}(index\\.html)?$#"'
        for path, policy in rules.page_policies
    ]
    cache = [
        f"Header always set Cache-Control {quoted(IMMUTABLE)} "
        f'"expr=%{{REQUEST_URI}} =~ m#{pattern}#"'
        for pattern in rules.immutable_paths
    ]
    missing = []
    for prefix, page in rules.not_found[:-1]:
        missing += [
            f'<If "%{{REQUEST_URI}} =~ m#^{re.escape(prefix)}#">',
            f"    ErrorDocument 404 {page}",
            "</If>",
        ]
    return [
        "DirectoryIndex index.html",
        "AddDefaultCharset utf-8",
        *(f"AddType {media_type} .{ext}" for ext, media_type in MEDIA_TYPES),
        *(f"AddCharset utf-8 .{ext}" for ext in ("css", "js", "json", "xml", "svg", "vcf", "txt")),
        '<FilesMatch "^feed\\.xml$">',
        "    ForceType application/atom+xml",
        "</FilesMatch>",
        "",
        # no <IfModule>: without mod_headers the server must refuse to start, not drop them
        "# Each page's Content-Security-Policy: its <meta> tag's, plus frame-ancestors.",
        f"Header always set Content-Security-Policy {quoted(rules.policy)}",
        *csp,
        *(f"Header always set {name} {quoted(value)}" for name, value in rules.headers),
        *_editor_headers(rules),
        "# Fingerprinted files never change at the same address; the rest is revalidated.",
        f"Header always set Cache-Control {quoted(REVALIDATE)}",
        *cache,
        "",
        "<IfModule mod_deflate.c>",
        f"    AddOutputFilterByType DEFLATE text/html {' '.join(COMPRESSIBLE)}",
        "</IfModule>",
        "",
        "# Files that are part of the build, not of the site (the output marker, _headers).",
        f'RedirectMatch 404 "^{re.escape(base)}(\\.|{HEADERS_FILE}$)"',
        "",
        "# The 404 page in the visitor's language.",
        f"ErrorDocument 404 {rules.not_found[-1][1]}",
        *missing,
    ]


def _editor_headers(rules: HostRules) -> list[str]:
    """The published editing page's own values, set after the site's (so they win there)."""
    lines = []
    policy = ("Content-Security-Policy", rules.policy, rules.editor_policy)
    for name, value, own in (*rules.editor_overrides(), policy):
        if own != value:
            lines.append(
                f"Header always set {name} {quoted(own)} "
                f'"expr=%{{REQUEST_URI}} =~ m#^{re.escape(rules.editor)}#"'
            )
    if lines:
        lines.insert(0, "# The editing page (/admin/) runs Decap CMS under its own <meta> policy.")
    return lines
