"""`check-links`: ask other websites, politely, whether the pages a site links to still exist.

Never part of a build (a build makes no request anywhere). On request, each address is asked
for with HEAD, and with GET when a server refuses HEAD; one request at a time per website, with
a pause between two to the same website; a time limit on each; an honest User-Agent that names
the tool and the site. A website that answers "too many requests" (429) is left alone for as
long as it asks (`Retry-After`, within a limit) and asked once more; if it is still busy, the
link is reported as such, not as broken. Answers are kept in `.healthsite-cache/links.json` for
a while, so running it again soon asks nobody anything; a website that could not be reached or
was busy is asked again next time.
"""

from __future__ import annotations

import email.utils
import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from healthsite import __version__

#: Statuses meaning "this server will not answer HEAD": ask again with GET.
HEAD_REFUSED = frozenset({400, 403, 404, 405, 406, 500, 501, 503})
TOO_MANY_REQUESTS = 429
#: The longest wait a `Retry-After` gets before the one more try (seconds).
MAX_RETRY_AFTER = 60.0
#: Outcomes that say nothing lasting about the page: never kept in the cache.
TRANSIENT = frozenset({"unreachable", "busy"})
CACHE_FILE = "links.json"
CACHE_VERSION = 1


@dataclass(frozen=True, slots=True)
class LinkResult:
    """What one address answered."""

    url: str
    outcome: str
    """"ok", "moved" (it redirects elsewhere), "broken" (4xx/5xx), "unreachable", or "busy"
    (the website asked for fewer requests, twice)."""
    status: int | None
    detail: str
    """The final address of a redirect, or why it could not be reached."""
    checked: float
    """When it was asked (seconds since the epoch)."""
    cached: bool = False
    retry_after: float = 0.0
    """Seconds a busy website asked to be left alone (its `Retry-After`)."""


@dataclass(frozen=True, slots=True)
class Politeness:
    """How gently to ask."""

    delay: float = 1.0
    """Seconds between two requests to the same website."""
    timeout: float = 10.0
    hosts_at_once: int = 4
    """Different websites asked at the same time (each one request at a time)."""
    max_age: float = 7 * 24 * 3600
    """Seconds an answer is reused before asking again."""


def user_agent(site_url: str) -> str:
    """Who is asking, and for which site, so a website's owner can tell."""
    return f"healthsite-link-check/{__version__} (checks the links of {site_url})"


def check_links(
    urls: Iterable[str],
    cache_dir: Path,
    agent: str,
    politeness: Politeness = Politeness(),
    *,
    refresh: bool = False,
    now: Callable[[], float] = time.time,
) -> list[LinkResult]:
    """Each address's answer, in the order given (each address once)."""
    wanted = list(dict.fromkeys(urls))
    cache = {} if refresh else _load(cache_dir)
    results: dict[str, LinkResult] = {}
    todo: dict[str, list[str]] = {}
    for url in wanted:
        known = cache.get(url)
        if known is not None and now() - known.checked < politeness.max_age:
            results[url] = LinkResult(**{**asdict(known), "cached": True})
        else:
            todo.setdefault(urlsplit(url).netloc.lower(), []).append(url)
    lock = threading.Lock()

    def one_host(host_urls: Sequence[str]) -> None:
        for index, url in enumerate(host_urls):
            if index:
                time.sleep(politeness.delay)
            result = _ask(url, agent, politeness, now)
            with lock:
                results[url] = result

    if todo:
        with ThreadPoolExecutor(max_workers=max(1, politeness.hosts_at_once)) as pool:
            list(pool.map(one_host, todo.values()))
        cache.update(
            {
                url: results[url]
                for urls_ in todo.values()
                for url in urls_
                if results[url].outcome not in TRANSIENT
            }
        )
        _save(cache_dir, cache)
    return [results[url] for url in wanted]


def _ask(url: str, agent: str, politeness: Politeness, now: Callable[[], float]) -> LinkResult:
    timeout = politeness.timeout
    result = _request(url, "HEAD", agent, timeout, now)
    if result.outcome == "busy":  # wait as asked, then one GET (some refuse HEAD this way)
        time.sleep(min(max(result.retry_after, politeness.delay), MAX_RETRY_AFTER))
        return _request(url, "GET", agent, timeout, now)
    if result.outcome == "unreachable" or (result.status or 0) in HEAD_REFUSED:
        time.sleep(politeness.delay)  # a second request to the same website: the same pause
        second = _request(url, "GET", agent, timeout, now)
        if second.outcome != "unreachable" or result.outcome == "unreachable":
            return second
    return result


class _SameMethodRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect with the same method: a HEAD stays a HEAD (urllib would GET)."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: Any,
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is None:
            return None
        return urllib.request.Request(
            new.full_url, headers=dict(new.header_items()), method=req.get_method()
        )


_OPENER = urllib.request.build_opener(_SameMethodRedirects)


def _request(
    url: str, method: str, agent: str, timeout: float, now: Callable[[], float]
) -> LinkResult:
    request = urllib.request.Request(url, method=method, headers={"User-Agent": agent})
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            if method == "GET":
                response.read(1024)  # enough to know it answers; the rest is not needed
            final = response.geturl()
            status = response.status
    except urllib.error.HTTPError as exc:
        if exc.code == TOO_MANY_REQUESTS:
            wait = _seconds(exc.headers.get("Retry-After", ""))
            return LinkResult(url, "busy", exc.code, "too many requests", now(), retry_after=wait)
        return LinkResult(url, "broken", exc.code, str(exc.reason), now())
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return LinkResult(url, "unreachable", None, str(reason) or type(exc).__name__, now())
    if final.rstrip("/") != url.rstrip("/"):
        return LinkResult(url, "moved", status, final, now())
    return LinkResult(url, "ok", status, "", now())


def _seconds(retry_after: str) -> float:
    """A `Retry-After` in seconds: a number of seconds, or an HTTP date; 0 when unreadable."""
    text = retry_after.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return 0.0
    return max(0.0, when.timestamp() - time.time())


def _load(cache_dir: Path) -> dict[str, LinkResult]:
    try:
        data = json.loads((cache_dir / CACHE_FILE).read_text(encoding="utf-8"))
        if data.get("version") != CACHE_VERSION:
            return {}
        return {
            url: LinkResult(url, e["outcome"], e["status"], e["detail"], float(e["checked"]))
            for url, e in data["links"].items()
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}  # no cache, or a damaged one: ask again


def _save(cache_dir: Path, cache: dict[str, LinkResult]) -> None:
    links = {
        url: {"outcome": r.outcome, "status": r.status, "detail": r.detail, "checked": r.checked}
        for url, r in sorted(cache.items())
    }
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        temporary = cache_dir / f"{CACHE_FILE}.{threading.get_ident()}.tmp"
        temporary.write_text(json.dumps({"version": CACHE_VERSION, "links": links}, indent=1))
        temporary.replace(cache_dir / CACHE_FILE)
    except OSError:
        pass  # a read-only checkout: the next run asks again
