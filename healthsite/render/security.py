"""Security and privacy policy of the output: one definition, used by every page and the host.

The policy allows nothing but the site's own origin: no third-party scripts, styles, fonts,
images or connections, no inline scripts or styles. A `<meta>` tag carries it on every page;
hosts that read a `_headers` file (Netlify, Cloudflare Pages) also get it as a real header, with
what a meta tag cannot say (`frame-ancestors`, `Referrer-Policy`, ...).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from healthsite.site.routes import PATH_OF, FileKind

#: Workers (the offline service worker, Pagefind's search worker) come from the site itself:
#: said outright rather than left to `script-src`.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; worker-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'"
)
#: The search page alone also runs Pagefind's WebAssembly (`'wasm-unsafe-eval'` allows
#: compiling WebAssembly, not `eval` of scripts).
SEARCH_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace(
    "script-src 'self'", "script-src 'self' 'wasm-unsafe-eval'"
)

#: Headers every response should carry, besides the policy (`_headers` and the server configs).
COMMON_HEADERS = (
    ("Referrer-Policy", "no-referrer"),
    ("X-Content-Type-Options", "nosniff"),
    (
        "Permissions-Policy",
        "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()",
    ),
    ("Cross-Origin-Opener-Policy", "same-origin"),
)


def policy_for(url: str, form_endpoint: str | None = None) -> str:
    """The policy of one page.

    The search page may run WebAssembly; the contact page may send its form to the clinic's
    form endpoint (and nowhere else); no other page runs code or sends anything.
    """
    if url == "/search/":
        return SEARCH_CONTENT_SECURITY_POLICY
    if url == "/contact/" and form_endpoint:
        return _allow_form(CONTENT_SECURITY_POLICY, form_origin(form_endpoint))
    return CONTENT_SECURITY_POLICY


def form_origin(endpoint: str) -> str:
    """`https://forms.example.org/clinic` → `https://forms.example.org`."""
    parts = urlsplit(endpoint)
    return f"{parts.scheme}://{parts.netloc}"


def _allow_form(policy: str, origin: str) -> str:
    return policy.replace("connect-src 'self'", f"connect-src 'self' {origin}").replace(
        "form-action 'self'", f"form-action 'self' {origin}"
    )


def headers_file(search: bool = True, form_endpoint: str | None = None) -> bytes:
    """Security headers for hosts that read `_headers`; harmless elsewhere."""
    policy = SEARCH_CONTENT_SECURITY_POLICY if search else CONTENT_SECURITY_POLICY
    if form_endpoint:
        policy = _allow_form(policy, form_origin(form_endpoint))
    common = "".join(f"  {name}: {value}\n" for name, value in COMMON_HEADERS)
    text = (
        "/*\n"
        # one policy for every path: hosts combine the rules that match a path, and two CSP
        # headers would both apply; each page's own <meta> policy narrows it further
        f"  Content-Security-Policy: {policy}; frame-ancestors 'none'\n"
        f"{common}"
        "/static/*\n"
        "  Cache-Control: public, max-age=31536000, immutable\n"
        # the offline service worker: browsers look for a new one at every visit
        f"/{PATH_OF[FileKind.SERVICE_WORKER]}\n"
        "  Cache-Control: no-cache\n"
    )
    return text.encode()
