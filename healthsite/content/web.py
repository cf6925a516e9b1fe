"""Web addresses that editors and maintainers write (`base_url`, the form's endpoint).

They end up in places with different escaping rules: HTML attributes, JSON-LD, XML, the
`_headers` file's Content-Security-Policy, `robots.txt`, a vCard. Rather than trust every one of
them to escape, only plain addresses are accepted: parsed by the WHATWG rules (pydantic's URL
type), http or https, with a host, and nothing that parsing had to escape or drop (spaces,
quotes, `<`, `>`, line breaks), no user name or password, no `?query` or `#fragment`.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from pydantic import HttpUrl, TypeAdapter, ValidationError

_URL = TypeAdapter(HttpUrl)
#: What a plain address may contain: letters and digits (of any script: `café.example` is a
#: host) and the punctuation of hosts, paths and queries (refused below with their own words).
PLAIN = re.compile(r"[\w.~!$&()*+,;=:@%/?#\[\]-]+")
PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
#: A host as DNS and a Content-Security-Policy know it (WHATWG URLs allow `!`, `,`, `*`...).
HOST = re.compile(
    r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.?|\[[0-9a-f:.]+\]"
)


def plain_web_address(value: str) -> str:
    """`value` as the parser normalises it (`https://Clinic.Test` → `https://clinic.test/`),
    or `ValueError` saying in words what is wrong."""
    example = "like https://clinic.example/"
    if not PLAIN.fullmatch(value) or PERCENT.search(value):
        raise ValueError(
            f"must be a plain web address, {example}, without spaces, quotes, '<', '>' or "
            f"line breaks (got {value!r})"
        )
    try:
        url = _URL.validate_python(value)
    except ValidationError:
        raise ValueError(f"is not a web address {example} (got {value!r})") from None
    written = urlsplit(value)
    if url.username or url.password or written.username is not None:
        raise ValueError(f"must not contain a user name or password (got {value!r})")
    if url.query is not None or url.fragment is not None or "?" in value or "#" in value:
        raise ValueError(f"must not contain '?' or '#': write the site's address {example}")
    if written.netloc == "" or (url.path or "/") != (written.path or "/"):
        raise ValueError(f"is not a web address {example} (got {value!r})")
    if not HOST.fullmatch(url.host or ""):
        raise ValueError(
            f"has a host name with characters a host cannot have (got {url.host!r}): "
            "use letters, digits, '-' and '.'"
        )
    return str(url)
