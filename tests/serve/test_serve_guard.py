"""`serve` answers only this computer, and answers nonsense plainly: over real sockets.

A web page open in the editor's browser must not read drafts through DNS rebinding (a foreign
`Host`), nor listen on the reload websocket (a foreign `Origin`); a malformed path gets a 400 or
404 and nothing but that in the terminal.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator

import pytest

from healthsite.serve.guard import allowed_host, same_origin
from tests.helpers import REPO, VALID_SITE, Served, serving


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with serving(tmp_path_factory.mktemp("guard")) as server:
        yield server


def raw(served: Served, request: str) -> tuple[int, str]:
    """Send `request` as written (no client tidies it up); the status and the whole answer."""
    with socket.create_connection(("127.0.0.1", served.port), timeout=5) as sock:
        sock.sendall(request.encode("latin-1"))
        data = b""
        while b"\r\n\r\n" not in data or not request.startswith("GET /livereload "):
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    text = data.decode("latin-1")
    return int(text.split(" ", 2)[1]), text


def get(served: Served, path: str, host: str | None = None, extra: str = "") -> tuple[int, str]:
    host = host or f"127.0.0.1:{served.port}"
    return raw(served, f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n{extra}\r\n")


def upgrade(served: Served, origin: str | None) -> int:
    headers = (
        f"GET /livereload HTTP/1.1\r\nHost: 127.0.0.1:{served.port}\r\n"
        "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
    )
    if origin is not None:
        headers += f"Origin: {origin}\r\n"
    return raw(served, headers + "\r\n")[0]


@pytest.mark.parametrize(
    "path",
    [
        "/..%00/etc/passwd",
        "/%00",
        "/index.html%00.txt",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/..%2f..%2f..%2fetc%2fpasswd",
        "//etc/passwd",
        "/static/../../etc/passwd",
        "/a%c0%af",
        "/%zz",
        "/" + "a" * 5000,
        "/..\\..\\etc\\passwd",
    ],
)
def test_a_malformed_path_is_a_plain_refusal_never_a_traceback(served: Served, path: str) -> None:
    before = len(served.lines)
    status, answer = get(served, path)
    assert status in (400, 403, 404), answer[:300]
    assert "root:" not in answer
    said = "\n".join(served.lines[before:])
    assert "Traceback" not in said and "Uncaught" not in said, said


def test_a_foreign_host_is_refused_so_dns_rebinding_reads_nothing(served: Served) -> None:
    status, answer = get(served, "/", host=f"evil.example:{served.port}")
    assert status == 403
    assert "Test Clinic" not in answer
    for host in (f"localhost:{served.port}", f"127.0.0.1:{served.port}", "[::1]", "127.0.0.1"):
        status, answer = get(served, "/", host=host)
        assert status == 200, host
        assert "Test Clinic" in answer
    assert get(served, "/livereload.js", host="evil.example")[0] == 403


def test_the_reload_websocket_accepts_only_the_preview_s_own_pages(served: Served) -> None:
    assert upgrade(served, f"http://127.0.0.1:{served.port}") == 101
    assert upgrade(served, None) == 101  # not a browser: no page to speak for
    assert upgrade(served, "http://evil.example") == 403
    assert upgrade(served, f"http://evil.example:{served.port}") == 403
    assert upgrade(served, "null") == 403


def test_hosts_the_preview_answers_to() -> None:
    for name in ("localhost", "127.0.0.1", "[::1]", "::1", "app.localhost", "LOCALHOST."):
        assert allowed_host(name, "127.0.0.1"), name
    assert allowed_host("192.168.1.20", "0.0.0.0")  # an address: no name to rebind
    assert allowed_host("laptop.lan", "laptop.lan")  # the --host the editor chose
    for name in ("evil.example", "localhost.evil.example", "127.0.0.1.evil.example", ""):
        assert not allowed_host(name, "127.0.0.1"), name


def test_same_origin_is_scheme_host_and_port() -> None:
    assert same_origin("http://127.0.0.1:8000", "127.0.0.1:8000")
    assert not same_origin("http://127.0.0.1:8001", "127.0.0.1:8000")
    assert not same_origin("file://", "127.0.0.1:8000")
    assert not same_origin("null", "127.0.0.1:8000")


def test_a_port_in_use_is_said_at_once_in_words() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [
                sys.executable,
                str(REPO / "build.py"),
                "serve",
                "--site",
                str(VALID_SITE),
                "--port",
                str(port),
            ],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        )
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert f"port {port} is already in use" in result.stdout
    assert not (VALID_SITE / ".healthsite-preview").exists()  # nothing was built
