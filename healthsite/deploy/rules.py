"""What any web server must do for a built site, before it is said in one server's language.

One description, three configurations (nginx, Caddy, Apache): the same security headers as each
page's `<meta>` policy plus what only a header can say, long caching for fingerprinted files and
revalidation for everything else, a 404 page per language, compression, and the media types
servers do not all know. Made from `site.yaml` and `clinic.yaml`, never from the built files, so
it can be written before the first build and stays right as pages come and go.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from healthsite.config import SiteConfig
from healthsite.content.clinic import Clinic
from healthsite.render.security import COMMON_HEADERS, EDITOR_HEADERS, policy_for
from healthsite.site.assets import FINGERPRINT_LENGTH
from healthsite.site.assets import OUTPUT_FOLDER as STATIC_FOLDER
from healthsite.site.routes import (
    EDITOR_PATH,
    NOT_FOUND,
    PATH_OF,
    SEARCH_BUNDLE,
    FileKind,
    language_path,
)

#: Fingerprinted, so the bytes at such an address never change: cache for a year.
IMMUTABLE = "public, max-age=31536000, immutable"
#: Everything else (pages, feeds, Pagefind's entry files) is checked with the server each time.
REVALIDATE = "no-cache"
HSTS = "max-age=31536000"
#: Pages whose policy differs from the rest: search runs WebAssembly, contact sends the form.
PAGES_WITH_OWN_POLICY = ("/search/", "/contact/")
#: What the build writes for hosts that read it, never to be served (nor its output marker).
HEADERS_FILE = PATH_OF[FileKind.HEADERS]
#: Types some servers get wrong or do not know (nginx serves .vcf as a download, Apache sends
#: .webmanifest as text/plain). Pagefind's files are compressed by Pagefind: opaque bytes.
MEDIA_TYPES = (
    ("vcf", "text/vcard"),
    ("webmanifest", "application/manifest+json"),
    ("wasm", "application/wasm"),
    ("pagefind", "application/octet-stream"),
    ("pf_meta", "application/octet-stream"),
    ("pf_fragment", "application/octet-stream"),
    ("pf_index", "application/octet-stream"),
    ("pf_filter", "application/octet-stream"),
)
#: Text worth compressing (HTML is compressed by every server without being named).
COMPRESSIBLE = (
    "text/css",
    "text/plain",
    "text/xml",
    "text/vcard",
    "application/javascript",
    "text/javascript",
    "application/json",
    "application/manifest+json",
    "application/xml",
    "application/atom+xml",
    "image/svg+xml",
)


@dataclass(frozen=True, slots=True)
class Tls:
    """Where the certificate is (Let's Encrypt's certbot paths unless told otherwise)."""

    certificate: str
    key: str


@dataclass(frozen=True, slots=True)
class HostRules:
    server_name: str
    root: str
    """Where the built site (the contents of `site/`) lives on the server."""
    base_path: str
    """`/`, or `/clinic/` when the site lives in a folder of its host."""
    languages: tuple[str, ...]
    """The languages with a URL prefix (`es` for `/es/`); the main language has none."""
    headers: tuple[tuple[str, str], ...]
    """Sent with every response, errors included."""
    policy: str
    page_policies: tuple[tuple[str, str], ...]
    """(page path, its policy) for the pages whose policy differs from `policy`."""
    not_found: tuple[tuple[str, str], ...]
    """(path prefix, 404 page), most specific first; the last one is the main language's."""
    immutable_paths: tuple[str, ...]
    """Regular expressions (PCRE and RE2 alike) of the fingerprinted files' paths."""
    feeds: tuple[str, ...]
    """Atom feeds' paths: served as `application/atom+xml` (a sitemap stays XML)."""
    editor: str
    """Where the published editing page lives (`/admin/`), or empty: it is not published."""
    tls: Tls | None
    """The certificate nginx and Apache use; for Caddy, one it should use instead of its own."""
    plain_http: bool
    """No HTTPS at all (behind a proxy or CDN that does it)."""
    port: int
    http_port: int

    @property
    def scheme(self) -> str:
        return "https" if self.tls else "http"

    def editor_value(self, name: str) -> str | None:
        """What the editing page gets instead of the site's header `name`, if anything.

        Decap CMS runs code the site's policy forbids; its page carries its own `<meta>`
        policy, so the server adds only what a meta tag cannot say, and an opener policy that
        lets the Git host's login window answer the page that opened it.
        """
        return dict(EDITOR_HEADERS).get(name) if self.editor else None

    @property
    def editor_policy(self) -> str:
        """The Content-Security-Policy header of the editing page (its `<meta>` says the rest)."""
        return self.editor_value("Content-Security-Policy") or self.policy

    def editor_overrides(self) -> list[tuple[str, str, str]]:
        """(header, the site's value, the editing page's value) of `headers` that differ there."""
        return [
            (name, value, own)
            for name, value in self.headers
            if (own := self.editor_value(name)) is not None
        ]


def host_rules(
    config: SiteConfig,
    clinic: Clinic,
    *,
    root: str | None = None,
    server_name: str | None = None,
    hsts: bool = False,
    tls: Tls | None = None,
    port: int | None = None,
    http_port: int = 80,
    plain_http: bool = False,
) -> HostRules:
    """The rules for this site; `root` defaults to `/var/www/<host name>`."""
    url = urlsplit(config.settings.base_url)
    name = server_name or url.hostname or "localhost"
    base = config.url_prefix
    prefixes = [lang for lang in config.languages if lang != config.settings.language]
    form = clinic.meta.form
    endpoint = form.endpoint if form.enabled else None
    policy = with_frame_ancestors(policy_for("/", endpoint))
    own = []
    for prefix in ("", *(f"{lang}/" for lang in prefixes)):
        for route in PAGES_WITH_OWN_POLICY:
            page_policy = with_frame_ancestors(policy_for(route, endpoint))
            if page_policy != policy:
                own.append((f"{base}{prefix}{route.lstrip('/')}", page_policy))
    headers = [*COMMON_HEADERS, ("X-Frame-Options", "DENY")]
    if hsts:
        headers.append(("Strict-Transport-Security", HSTS))
    return HostRules(
        server_name=name,
        root=(root or f"/var/www/{name}").rstrip("/"),
        base_path=base,
        languages=tuple(prefixes),
        headers=tuple(headers),
        policy=policy,
        page_policies=tuple(own),
        not_found=(
            *(
                (f"{base}{lang}/", base + language_path(f"/{lang}", NOT_FOUND[1:]))
                for lang in prefixes
            ),
            (base, base + NOT_FOUND[1:]),
        ),
        immutable_paths=(
            rf"^{re.escape(base)}{STATIC_FOLDER}/.+\.[0-9a-f]{{{FINGERPRINT_LENGTH}}}\.[A-Za-z0-9]+$",
            rf"^{re.escape(base)}{SEARCH_BUNDLE}/.+\.pf_[a-z]+$",
        ),
        feeds=tuple(
            base + language_path(prefix, PATH_OF[FileKind.FEED])
            for prefix in ("", *(f"/{lang}" for lang in prefixes))
        ),
        editor=f"{base}{EDITOR_PATH.lstrip('/')}" if config.settings.editor.published else "",
        tls=None if plain_http else tls,
        plain_http=plain_http,
        port=port or (80 if plain_http else 443),
        http_port=http_port,
    )


def with_frame_ancestors(policy: str) -> str:
    """A header can forbid framing (clickjacking); a `<meta>` policy cannot."""
    return f"{policy}; frame-ancestors 'none'"


def letsencrypt(server_name: str) -> Tls:
    live = f"/etc/letsencrypt/live/{server_name}"
    return Tls(f"{live}/fullchain.pem", f"{live}/privkey.pem")


def quoted(value: str) -> str:
    """A value in double quotes, as nginx, Caddy and Apache all read it.

    Backslashes stay as they are (regular expressions): all three keep a backslash that does not
    come before a quote, and no value here has a double quote.
    """
    if '"' in value:
        raise ValueError(f"a double quote cannot be put in a server configuration: {value!r}")
    return f'"{value}"'
