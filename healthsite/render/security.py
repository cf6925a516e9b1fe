"""Security and privacy policy of the output: one definition, used by every page and the host.

The policy allows nothing but the site's own origin: no third-party scripts, styles, fonts,
images or connections, no inline scripts or styles. A `<meta>` tag carries it on every page;
hosts that read a `_headers` file (Netlify, Cloudflare Pages) also get it as a real header, with
what a meta tag cannot say (`frame-ancestors`, `Referrer-Policy`, ...).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

from healthsite.site.routes import (
    EDITOR_PATH,
    PATH_OF,
    SEARCH_BUNDLE,
    STATIC_FOLDER,
    FileKind,
    Routes,
)

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
Headers = tuple[tuple[str, str], ...]
#: Of those, the ones a published editing page keeps too.
EVERY_PATH_HEADERS = frozenset({"Referrer-Policy", "X-Content-Type-Options", "Permissions-Policy"})
#: What `_headers` gives a published editing page: its own `<meta>` policy says the rest.
#: `same-origin-allow-popups`: the Git host's login window answers the page that opened it.
EDITOR_HEADERS: Headers = (
    ("Content-Security-Policy", "frame-ancestors 'none'"),
    ("Cross-Origin-Opener-Policy", "same-origin-allow-popups"),
    ("Cache-Control", "no-cache"),
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


def headers_file(
    search: bool = True, form_endpoint: str | None = None, site_paths: Sequence[str] = ()
) -> bytes:
    """Security headers for hosts that read `_headers`; harmless elsewhere.

    `site_paths`: the rules of every top-level path of the output (`site_rules`) when the
    editing page is published under `/admin/`; empty, one rule for every path (`/*`).
    """
    policy = SEARCH_CONTENT_SECURITY_POLICY if search else CONTENT_SECURITY_POLICY
    if form_endpoint:
        policy = _allow_form(policy, form_origin(form_endpoint))
    page_headers: Headers = (
        ("Content-Security-Policy", f"{policy}; frame-ancestors 'none'"),
        *COMMON_HEADERS,
    )
    # one policy for every path: hosts combine the rules that match a path, and two CSP
    # headers would both apply; each page's own <meta> policy narrows it further
    rules = _with_editor(page_headers, site_paths) if site_paths else [("/*", page_headers)]
    rules += [
        ("/static/*", (("Cache-Control", "public, max-age=31536000, immutable"),)),
        # the offline service worker: browsers look for a new one at every visit
        (f"/{PATH_OF[FileKind.SERVICE_WORKER]}", (("Cache-Control", "no-cache"),)),
    ]
    return "".join(_rule(path, headers) for path, headers in rules).encode()


def _with_editor(page_headers: Headers, site_paths: Sequence[str]) -> list[tuple[str, Headers]]:
    """The site's headers by path, so that no rule with them matches `/admin/`.

    Netlify and Cloudflare Pages apply every rule whose path matches a request, and join two
    values of one header: the site's policy and the editor's would both be enforced, and the
    site's forbids what Decap needs (`eval`, inline styles, the Git host's API). Only
    Cloudflare can take a header away (`! Name`), so the site's policy is given to each
    top-level path of the site instead of to `/*`; `/admin/*` gets only what the editing
    page's own `<meta>` policy cannot say (`frame-ancestors`), and an opener policy that lets
    the Git host's login window answer the page that opened it.
    """
    shared = tuple(h for h in page_headers if h[0] in EVERY_PATH_HEADERS)
    own = tuple(h for h in page_headers if h[0] not in EVERY_PATH_HEADERS)
    rules: list[tuple[str, Headers]] = [("/*", shared)]
    rules += [(path, own) for path in site_paths]
    rules.append((f"{EDITOR_PATH}*", EDITOR_HEADERS))
    return rules


def _rule(path: str, headers: Headers) -> str:
    return path + "\n" + "".join(f"  {name}: {value}\n" for name, value in headers)


def site_rules(paths: Iterable[str]) -> list[str]:
    """The `_headers` rule paths that cover every output path given (site-relative, with '/')
    and nothing else at the top of the site: `/`, each file at the top (`/404.html`), each
    folder (`/articles/*`).

    Netlify reads `/ad/*` as `^/ad/?(.*)/?$`, which also matches `/admin/`: a folder whose
    name begins the editor's (a page called `ad`) gets `/ad/` and `/ad/index.html`, its page.
    """
    editor = EDITOR_PATH.strip("/")
    tops: dict[str, set[str]] = {}
    for path in paths:
        head, _, rest = path.partition("/")
        if head != PATH_OF[FileKind.HEADERS]:  # read by the host, never served
            tops.setdefault(head, set()).add(rest)
    rules = ["/"]
    for head, rests in sorted(tops.items()):
        if rests == {""}:
            rules.append(f"/{head}")
        elif editor.startswith(head.lower()):
            rules += [f"/{head}/", f"/{head}/index.html"]
        else:
            rules.append(f"/{head}/*")
    return rules


def route_paths(routes: Routes, search: bool) -> list[str]:
    """Every output path the route table gives, with the static folder and search index."""
    paths = [job.dest_path for jobs in routes.pages.values() for job in jobs]
    paths += [route.dest_path for route in routes.files]
    paths.append(f"{STATIC_FOLDER}/*")
    if search:
        paths.append(f"{SEARCH_BUNDLE}/*")
    return paths
