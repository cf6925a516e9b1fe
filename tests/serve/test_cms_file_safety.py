"""The editor's backend over real HTTP (`build.py edit`): links, pipes and odd paths refused.

One running edit server on a copy of the fixture site; each test makes its own links, pipes or
files in that copy (and beside it, "outside the site") and asks the server as Decap's page
does. Every answer is JSON with an error naming the file, within seconds, and nothing outside
the site is read or changed.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from healthsite.cms.handlers import MAX_REQUEST
from healthsite.cms.uploads import UPLOAD_LIMIT
from tests.helpers import VALID_SITE, Served, serving

BRIDGE = (VALID_SITE / "content/exercises/bridge.md").read_text(encoding="utf-8")
SECRET = "---\nname: private notes outside the site\n---\n"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with serving(tmp_path_factory.mktemp("cms-safety"), edit=True) as server:
        yield server


@pytest.fixture
def outside(served: Served, request: pytest.FixtureRequest) -> Path:
    """A file beside the site folder (the server's site is `<tmp>/src`)."""
    folder = served.site.parent / f"outside-{request.node.name[:40]}"
    folder.mkdir()
    (folder / "secret.md").write_text(SECRET)
    return folder


def api(served: Served, action: str, timeout: float = 5, **params: Any) -> tuple[int, Any]:
    """POST one of Decap's actions to the local backend, as the editing page does."""
    body = json.dumps({"action": action, "params": {"branch": "main", **params}}).encode()
    request = urllib.request.Request(
        served.url + "api/v1", data=body, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def save(served: Served, path: str, raw: str, **more: Any) -> tuple[int, Any]:
    entry = {"slug": Path(path).stem, "path": path, "raw": raw, **more}
    options = {"commitMessage": "x", "useWorkflow": False, "status": "draft"}
    return api(served, "persistEntry", dataFiles=[entry], assets=[], options=options)


def test_a_link_to_a_file_outside_is_not_read_over_http(served: Served, outside: Path) -> None:
    (served.site / "content/exercises/leak.md").symlink_to(outside / "secret.md")
    status, reply = api(served, "getEntry", path="content/exercises/leak.md")
    assert status == 422
    assert reply["error"].startswith("content/exercises/leak.md: is a link to a file outside")
    assert "private notes" not in json.dumps(reply)
    _, listed = api(served, "entriesByFolder", folder="content/exercises", extension="md", depth=1)
    assert "private notes" not in json.dumps(listed)
    assert "content/exercises/bridge.md" in [entry["file"]["path"] for entry in listed]


def test_a_save_through_a_link_leaves_the_file_outside_untouched(
    served: Served, outside: Path
) -> None:
    (served.site / "content/exercises/linked.md").symlink_to(outside / "secret.md")
    changed = BRIDGE.replace("name: Bridge", "name: Linked")
    status, reply = save(served, "content/exercises/linked.md", changed)
    assert status == 422 and "link" in reply["error"], reply
    assert (outside / "secret.md").read_text() == SECRET
    # a link inside the site may be read, but a save never goes through it either
    (served.site / "content/exercises/alias.md").symlink_to("bridge.md")
    status, reply = save(served, "content/exercises/alias.md", changed)
    assert status == 422 and "is a symbolic link" in reply["error"], reply
    assert (served.site / "content/exercises/bridge.md").read_text() == BRIDGE


def test_a_named_pipe_does_not_hang_the_editor(served: Served) -> None:
    os.mkfifo(served.site / "content/exercises/x.md")
    start = time.monotonic()
    status, reply = api(served, "getEntry", path="content/exercises/x.md")
    assert status == 422
    assert reply["error"].startswith("content/exercises/x.md: is a named pipe")
    status, reply = save(served, "content/exercises/x.md", BRIDGE.replace("Bridge", "X"))
    assert status == 422 and "named pipe" in reply["error"]
    status, _ = api(served, "entriesByFolder", folder="content/exercises", extension="md", depth=1)
    assert status == 200
    assert time.monotonic() - start < 5


def test_a_dangling_link_is_named_not_followed(served: Served) -> None:
    (served.site / "content/exercises/gone.md").symlink_to("nowhere.md")
    status, reply = api(served, "getEntry", path="content/exercises/gone.md")
    assert status == 422
    assert reply["error"].startswith("content/exercises/gone.md: is a link to something")
    assert save(served, "content/exercises/gone.md", BRIDGE)[0] == 422
    assert not (served.site / "content/exercises/nowhere.md").exists()


@pytest.mark.parametrize(
    "path", ["content/exercises/../../escape.md", "content/exercises/..", "/tmp/escape.md"]
)
def test_a_path_out_of_the_folder_is_refused_for_pages_and_media(served: Served, path: str) -> None:
    before = sorted(p.name for p in served.site.parent.iterdir())
    assert save(served, path, BRIDGE)[0] in (403, 422)
    new_path = {"newPath": path}
    assert save(served, "content/exercises/bridge.md", BRIDGE, **new_path)[0] in (403, 422)
    media = path.replace("content/exercises", "static/img").replace(".md", ".svg")
    asset = {"path": media, "content": base64.b64encode(b"<svg/>").decode(), "encoding": "base64"}
    assert api(served, "persistMedia", asset=asset, options={})[0] in (403, 422)
    assert api(served, "getMediaFile", path=media)[0] in (403, 422)
    assert api(served, "getMediaFile", path="static/img/../../site.yaml")[0] == 422
    assert sorted(p.name for p in served.site.parent.iterdir()) == before
    assert (served.site / "content/exercises/bridge.md").read_text() == BRIDGE


def test_a_link_on_the_way_cannot_lead_a_page_or_picture_out_of_its_folder(
    served: Served,
) -> None:
    """`content/exercises/up` → the site folder: `up/site.yaml` is inside the site, but not in
    a folder the editor opens; nothing is read or written through the link."""
    (served.site / "content/exercises/up").symlink_to("../..", target_is_directory=True)
    (served.site / "static/img/up").symlink_to("../..", target_is_directory=True)
    settings = (served.site / "site.yaml").read_text()
    status, reply = api(served, "getEntry", path="content/exercises/up/site.yaml")
    assert status == 422 and "outside the folders the editor opens" in reply["error"]
    assert "base_url" not in json.dumps(reply)
    assert save(served, "content/exercises/up/escape.md", BRIDGE)[0] == 422
    asset = {"path": "static/img/up/x.svg", "content": "PHN2Zy8+", "encoding": "base64"}
    assert api(served, "persistMedia", asset=asset, options={})[0] == 422
    assert not (served.site / "escape.md").exists() and not (served.site / "x.svg").exists()
    assert (served.site / "site.yaml").read_text() == settings


def test_an_upload_larger_than_the_builds_limit_is_refused(served: Served) -> None:
    """One byte over the limit for a static file, sent whole: refused before it is decoded."""
    data = base64.b64encode(bytes(UPLOAD_LIMIT + 1)).decode()
    asset = {"path": "static/img/huge.png", "content": data, "encoding": "base64"}
    status, reply = api(served, "persistMedia", timeout=60, asset=asset, options={})
    assert status == 413
    assert reply["error"].startswith("static/img/huge.png: is 100 MB; a file of this kind may")
    assert not (served.site / "static/img/huge.png").exists()


def test_a_request_larger_than_any_upload_is_answered_before_its_body(served: Served) -> None:
    head = (
        f"POST /api/v1 HTTP/1.1\r\nHost: 127.0.0.1:{served.port}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {MAX_REQUEST + 1}\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", served.port), timeout=5) as sock:
        sock.sendall(head.encode())
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head_part, _, body = answer.partition(b"\r\n\r\n")
    assert head_part.startswith(b"HTTP/1.1 413"), answer[:200]
    assert json.loads(body) == {"error": "the file is too large to be saved: at most 100 MB"}
