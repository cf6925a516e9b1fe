"""`check-links` asks real servers, politely: a real HTTP server on this machine answers."""

from __future__ import annotations

import http.server
import itertools
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from healthsite.report.external import Politeness, check_links
from tests.helpers import run_cli


class Recorder:
    """What the server saw: each request's method, path, User-Agent and time, and how many
    requests were in progress at once."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.requests: list[tuple[str, str, str, float]] = []
        self.active = 0
        self.most_at_once = 0


def make_handler(seen: Recorder) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_HEAD(self) -> None:
            self.answer(body=False)

        def do_GET(self) -> None:
            self.answer(body=True)

        def answer(self, body: bool) -> None:
            with seen.lock:
                seen.requests.append(
                    (self.command, self.path, self.headers.get("User-Agent", ""), time.time())
                )
                seen.active += 1
                seen.most_at_once = max(seen.most_at_once, seen.active)
            try:
                time.sleep(0.05)  # long enough for overlapping requests to show
                self.route(body)
            finally:
                with seen.lock:
                    seen.active -= 1

        def route(self, body: bool) -> None:
            path = self.path
            if path == "/moved":
                self.send_response(301)
                self.send_header("Location", "/ok")
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif path == "/no-head" and self.command == "HEAD":
                self.send_response(405)
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif path == "/busy":  # always too many requests, and says how long to wait
                self.send_response(429)
                self.send_header("Retry-After", "1")
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif path == "/slow":
                time.sleep(1.5)
                self.reply(200, body)
            elif path in ("/ok", "/no-head", "/a", "/b", "/c"):
                self.reply(200, body)
            else:
                self.reply(404, body)

        def reply(self, status: int, body: bool) -> None:
            text = b"<p>page</p>"
            self.send_response(status)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(text)))
            self.end_headers()
            if body:
                self.wfile.write(text)

    return Handler


@pytest.fixture
def server() -> Iterator[tuple[str, Recorder]]:
    seen = Recorder()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), make_handler(seen))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", seen
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_each_answer_head_then_get_redirects_and_time_limits(
    server: tuple[str, Recorder], tmp_path: Path
) -> None:
    base, seen = server
    urls = [f"{base}/ok", f"{base}/gone", f"{base}/moved", f"{base}/no-head", f"{base}/slow"]
    polite = Politeness(delay=0.0, timeout=0.5)
    results = {r.url: r for r in check_links(urls, tmp_path, "test-agent/1", polite)}
    assert (results[f"{base}/ok"].outcome, results[f"{base}/ok"].status) == ("ok", 200)
    assert (results[f"{base}/gone"].outcome, results[f"{base}/gone"].status) == ("broken", 404)
    assert results[f"{base}/moved"].outcome == "moved"
    assert results[f"{base}/moved"].detail == f"{base}/ok"
    assert (results[f"{base}/no-head"].outcome, results[f"{base}/no-head"].status) == ("ok", 200)
    assert results[f"{base}/slow"].outcome == "unreachable"  # the time limit, not a hang
    methods = [(method, path) for method, path, _, _ in seen.requests]
    assert ("HEAD", "/ok") in methods and ("GET", "/ok") not in methods  # HEAD was enough
    assert ("HEAD", "/no-head") in methods and ("GET", "/no-head") in methods  # GET after 405
    assert {agent for _, _, agent, _ in seen.requests} == {"test-agent/1"}


def test_one_request_at_a_time_per_website_with_a_pause(
    server: tuple[str, Recorder], tmp_path: Path
) -> None:
    base, seen = server
    urls = [f"{base}/a", f"{base}/b", f"{base}/c"]
    check_links(urls, tmp_path, "test-agent/1", Politeness(delay=0.3, timeout=5))
    assert seen.most_at_once == 1
    times = [when for _, _, _, when in seen.requests]
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    assert len(gaps) == 2 and min(gaps) >= 0.3


def test_a_busy_website_is_left_alone_as_asked_and_not_called_broken(
    server: tuple[str, Recorder], tmp_path: Path
) -> None:
    base, seen = server
    polite = Politeness(delay=0.0, timeout=5)
    [result] = check_links([f"{base}/busy"], tmp_path, "agent", polite)
    assert (result.outcome, result.status) == ("busy", 429)
    [(_, _, _, first), (method, _, _, second)] = seen.requests
    assert method == "GET" and second - first >= 1.0  # waited for its Retry-After, asked once
    # not kept: the next run asks again
    check_links([f"{base}/busy"], tmp_path, "agent", polite)
    assert len(seen.requests) == 4


def test_answers_are_kept_and_expire(server: tuple[str, Recorder], tmp_path: Path) -> None:
    base, seen = server
    polite = Politeness(delay=0.0, timeout=5, max_age=3600)
    first = check_links([f"{base}/ok"], tmp_path, "agent", polite)
    again = check_links([f"{base}/ok"], tmp_path, "agent", polite)
    assert len(seen.requests) == 1  # the second run asked nobody
    assert not first[0].cached and again[0].cached and again[0].outcome == "ok"
    later = check_links([f"{base}/ok"], tmp_path, "agent", polite, now=lambda: time.time() + 7200)
    assert len(seen.requests) == 2 and not later[0].cached  # too old: asked again
    check_links([f"{base}/ok"], tmp_path, "agent", polite, refresh=True)
    assert len(seen.requests) == 3
    (tmp_path / "links.json").write_text("{not json")  # a damaged cache: ask again, no crash
    assert check_links([f"{base}/ok"], tmp_path, "agent", polite)[0].outcome == "ok"


def test_check_links_command_reports_every_link_with_where_it_is(
    server: tuple[str, Recorder], valid_site: Path
) -> None:
    base, seen = server
    article = valid_site / "content/articles/back-care.md"
    article.write_text(
        article.read_text().replace(
            'url: "https://www.nhs.uk/conditions/back-pain/"', f'url: "{base}/ok"'
        )
        + f"\nSee [an old page]({base}/gone).\n"
    )
    for name in ("bridge", "knee-hug"):
        path = valid_site / f"content/exercises/{name}.md"
        path.write_text(
            path.read_text()
            .replace("https://www.nhsinform.scot/", f"{base}/moved")
            .replace("https://www.nhs.uk/conditions/back-pain/", f"{base}/ok")
        )
    result = run_cli("check-links", "--site", str(valid_site), "--delay", "0")
    assert result.returncode == 1, result.stderr  # a broken link: CI may use it
    lines = result.stdout.splitlines()
    assert lines[0] == "Checking 3 links on 1 websites (one request at a time per website)..."
    gone = f"content/articles/back-care.md:{len(article.read_text().splitlines())}"
    moved = f"content/exercises/bridge.md:{_line_of(valid_site / 'content/exercises/bridge.md')}"
    assert f"broken      404  {base}/gone (Not Found)  [{gone}]" in lines
    assert f"moved       200  {base}/moved → now {base}/ok  [{moved}]" in lines
    assert any(line.startswith(f"ok          200  {base}/ok  [") for line in lines)
    assert lines[-1] == "3 links: 1 ok, 1 moved, 1 broken or unreachable."
    agents = {agent for _, _, agent, _ in seen.requests}
    assert agents == {"healthsite-link-check/0.1.0 (checks the links of https://clinic.test/)"}
    # a build never asks anyone
    count = len(seen.requests)
    assert run_cli("build", "--site", str(valid_site)).returncode == 0
    assert len(seen.requests) == count


def _line_of(path: Path) -> int:
    """The line of the first source address (`url:`) in an exercise file."""
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if "url:" in line)
