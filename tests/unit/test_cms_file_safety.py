"""The editor's backend reads by the site's input rule and never writes through a link.

Real links, named pipes and files outside a temporary site folder; each test would have failed
before the backend went through `SiteFiles` and `cms.disk` (it read and wrote with plain
`read_bytes`/`write_bytes`, following links and opening pipes).
"""

from __future__ import annotations

import base64
import os
import stat
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from healthsite.cms.backend import LocalBackend, LocaleAlias
from healthsite.cms.names import name_problem, shape_problem
from healthsite.cms.uploads import UPLOAD_LIMIT
from healthsite.inputs import STATIC_LIMIT, TEXT_LIMIT

PAGE = "---\nname: Bridge\n---\n"
SECRET = "---\nname: a file outside the site\n---\n"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)
OPTIONS = {"commitMessage": "x", "useWorkflow": False, "status": "draft"}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "content/exercises").mkdir(parents=True)
    (root / "static/img").mkdir(parents=True)
    (root / "content/exercises/bridge.md").write_text(PAGE)
    (root / "site.yaml").write_text("title: x\n")
    return root


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the site, with a file a link could lead to."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.md").write_text(SECRET)
    return folder


@pytest.fixture
def backend(site: Path) -> LocalBackend:
    return LocalBackend(
        site, writable=["content", "static"], aliases=[LocaleAlias("content/exercises", "en")]
    )


def call(backend: LocalBackend, action: str, **params: object) -> tuple[int, Any]:
    return backend.handle({"action": action, "params": {"branch": "main", **params}})


def save(backend: LocalBackend, path: str, raw: str = PAGE, **more: object) -> tuple[int, Any]:
    entry = {"slug": "x", "path": path, "raw": raw, **more}
    return call(backend, "persistEntry", dataFiles=[entry], assets=[], options=OPTIONS)


def upload(backend: LocalBackend, path: str, data: bytes) -> tuple[int, Any]:
    asset = {"path": path, "content": base64.b64encode(data).decode(), "encoding": "base64"}
    return call(backend, "persistMedia", asset=asset, options={"commitMessage": "x"})


def within(seconds: float, job: Callable[[], tuple[int, Any]]) -> tuple[int, Any]:
    """`job`'s answer, or a failed test if it takes longer (a pipe opened waits for ever)."""
    answer: list[tuple[int, Any]] = []
    worker = threading.Thread(target=lambda: answer.append(job()), daemon=True)
    worker.start()
    worker.join(seconds)
    assert answer, f"no answer within {seconds} s: the backend waits on something"
    return answer[0]


def files_in(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


# -- reading --------------------------------------------------------------------------------


def test_a_link_to_a_file_outside_the_site_is_not_read(
    backend: LocalBackend, site: Path, outside: Path
) -> None:
    (site / "content/exercises/leak.md").symlink_to(outside / "secret.md")
    status, reply = call(backend, "getEntry", path="content/exercises/leak.en.md")
    assert status == 422
    assert reply["error"].startswith("content/exercises/leak.md: is a link to a file outside")
    assert SECRET not in str(reply)
    listed = call(backend, "entriesByFolder", folder="content/exercises", extension="md", depth=1)
    assert [e["file"]["path"] for e in listed[1]] == ["content/exercises/bridge.en.md"]
    assert SECRET not in str(listed)


def test_a_link_to_a_picture_outside_the_site_is_not_read(
    backend: LocalBackend, site: Path, outside: Path
) -> None:
    (outside / "key.png").write_bytes(PNG)
    (site / "static/img/key.png").symlink_to(outside / "key.png")
    status, reply = call(backend, "getMediaFile", path="static/img/key.png")
    assert status == 422 and "outside the site folder" in reply["error"]
    assert call(backend, "getMedia", mediaFolder="static/img") == (200, [])


def test_a_named_pipe_is_never_opened(backend: LocalBackend, site: Path) -> None:
    os.mkfifo(site / "content/exercises/x.md")
    status, reply = within(5, lambda: call(backend, "getEntry", path="content/exercises/x.en.md"))
    assert status == 422
    assert reply["error"].startswith("content/exercises/x.md: is a named pipe, not an ordinary")
    listed = within(
        5,
        lambda: call(
            backend, "entriesByFolder", folder="content/exercises", extension="md", depth=1
        ),
    )
    assert [e["file"]["path"] for e in listed[1]] == ["content/exercises/bridge.en.md"]
    status, reply = within(5, lambda: save(backend, "content/exercises/x.en.md"))
    assert status == 422 and "named pipe" in reply["error"]
    assert stat.S_ISFIFO((site / "content/exercises/x.md").lstat().st_mode)


def test_a_dangling_link_is_an_error_naming_it(backend: LocalBackend, site: Path) -> None:
    (site / "content/exercises/gone.md").symlink_to(site / "content/exercises/nowhere.md")
    status, reply = call(backend, "getEntry", path="content/exercises/gone.en.md")
    assert status == 422
    assert reply["error"].startswith(
        "content/exercises/gone.md: is a link to something that does not exist"
    )
    status, reply = save(backend, "content/exercises/gone.en.md")
    assert status == 422 and "symbolic link" in reply["error"]
    assert not (site / "content/exercises/nowhere.md").exists()  # not made through the link


def test_a_file_over_the_builds_limit_or_not_utf8_is_refused_in_words(
    backend: LocalBackend, site: Path
) -> None:
    (site / "content/exercises/huge.md").write_bytes(b"x" * (TEXT_LIMIT + 1))
    latin1 = "---\nname: Caf\xe9\n---\n".encode("latin-1")
    (site / "content/exercises/latin1.md").write_bytes(latin1)
    status, reply = call(backend, "getEntry", path="content/exercises/huge.en.md")
    assert status == 422 and "a file of this kind may be at most 1 MB" in reply["error"]
    status, reply = call(backend, "getEntry", path="content/exercises/latin1.en.md")
    assert status == 422 and "not saved as UTF-8" in reply["error"]


def test_a_byte_order_mark_is_dropped_as_the_build_drops_it(
    backend: LocalBackend, site: Path
) -> None:
    (site / "content/exercises/bom.md").write_bytes(b"\xef\xbb\xbf" + PAGE.encode())
    status, reply = call(backend, "getEntry", path="content/exercises/bom.en.md")
    assert status == 200 and reply["data"] == PAGE


# -- writing --------------------------------------------------------------------------------


def test_a_save_never_writes_through_a_link_to_a_file_outside(
    backend: LocalBackend, site: Path, outside: Path
) -> None:
    (site / "content/exercises/leak.md").symlink_to(outside / "secret.md")
    status, reply = save(backend, "content/exercises/leak.en.md", "---\nname: Changed\n---\n")
    assert status == 422 and "symbolic link" in reply["error"]
    assert (outside / "secret.md").read_text() == SECRET
    assert (site / "content/exercises/leak.md").is_symlink()


def test_a_save_never_writes_through_a_link_inside_the_site(
    backend: LocalBackend, site: Path
) -> None:
    """A link that stays in the site may be read, as the build reads it, but not written."""
    (site / "content/exercises/alias.md").symlink_to("bridge.md")
    assert call(backend, "getEntry", path="content/exercises/alias.en.md")[1]["data"] == PAGE
    status, _ = save(backend, "content/exercises/alias.en.md", "---\nname: Changed\n---\n")
    assert status == 422
    assert (site / "content/exercises/bridge.md").read_text() == PAGE


def test_a_linked_folder_on_the_way_is_refused_for_saves_uploads_and_deletes(
    backend: LocalBackend, site: Path, outside: Path
) -> None:
    (site / "content/pages").symlink_to(outside, target_is_directory=True)
    (site / "static/img/shared").symlink_to(outside, target_is_directory=True)
    status, reply = save(backend, "content/pages/about.md")
    assert status == 422
    assert reply["error"].startswith("content/pages: is a symbolic link (to a folder elsewhere)")
    assert upload(backend, "static/img/shared/x.png", PNG)[0] == 422
    options = {"commitMessage": "x"}
    assert call(backend, "deleteFile", path="content/pages/secret.md", options=options)[0] == 422
    assert files_in(outside) == ["secret.md"]
    assert (outside / "secret.md").read_text() == SECRET


def test_an_upload_never_replaces_a_link_target_outside(
    backend: LocalBackend, site: Path, outside: Path
) -> None:
    (outside / "logo.png").write_bytes(PNG)
    (site / "static/img/logo.png").symlink_to(outside / "logo.png")
    status, reply = upload(backend, "static/img/logo.png", PNG + b"changed")
    assert status == 422 and "symbolic link" in reply["error"]
    assert (outside / "logo.png").read_bytes() == PNG


def test_a_rename_never_moves_onto_a_link_or_another_file(
    backend: LocalBackend, site: Path, outside: Path
) -> None:
    (site / "content/exercises/leak.md").symlink_to(outside / "secret.md")
    leak = "content/exercises/leak.en.md"
    assert save(backend, "content/exercises/bridge.en.md", newPath=leak)[0] == 422
    (site / "content/exercises/other.md").write_text(PAGE)
    status, reply = save(
        backend, "content/exercises/bridge.en.md", newPath="content/exercises/other.en.md"
    )
    assert status == 409 and "exists" in reply["error"]
    assert (outside / "secret.md").read_text() == SECRET


def test_a_save_is_whole_and_keeps_the_files_permissions(backend: LocalBackend, site: Path) -> None:
    page = site / "content/exercises/bridge.md"
    page.chmod(0o600)
    assert save(backend, "content/exercises/bridge.en.md", "---\nname: Bridge 2\n---\n")[0] == 200
    assert page.read_text() == "---\nname: Bridge 2\n---\n"
    assert stat.S_IMODE(page.stat().st_mode) == 0o600
    assert files_in(site / "content/exercises") == ["bridge.md"]  # no partial file left


@pytest.mark.parametrize(
    "path",
    [
        "content/exercises/../../outside.md",
        "content/../../outside.md",
        "content/exercises/..",
        "../site/content/exercises/x.md",
        "/etc/passwd",
        "C:/Windows/x.md",
        "content\\exercises\\x.md",
        "content/exercises/x\x00.md",
        "content/exercises/.hidden.md",
        "content/.git/config",
        "content//exercises/x.md",
        "content/exercises/./x.md",
    ],
)
def test_a_path_that_leaves_its_folder_is_refused_for_every_action(
    backend: LocalBackend, site: Path, path: str
) -> None:
    before = files_in(site.parent)
    assert save(backend, path)[0] in (403, 422)
    assert save(backend, "content/exercises/bridge.en.md", newPath=path)[0] in (403, 422)
    assert call(backend, "getEntry", path=path)[0] in (403, 422)
    assert call(backend, "getMediaFile", path=path)[0] in (403, 422)
    assert upload(backend, path.replace(".md", ".png"), PNG)[0] in (403, 422)
    assert call(backend, "deleteFile", path=path, options={"commitMessage": "x"})[0] in (403, 422)
    assert files_in(site.parent) == before
    assert (site / "content/exercises/bridge.md").read_text() == PAGE


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("gpj.\u202eevil.md", "invisible or control character (U+202E)"),  # right-to-left override
        ("bri\u200bdge.md", "invisible or control character (U+200B)"),  # zero-width space
        ("\uff42\uff52\uff49\uff44\uff47\uff45.md", "unusual form"),  # full-width "bridge"
        ("bridge\u2215x.md", "U+2215"),  # division slash, a look-alike '/'
        ("Cafe\u0301.md", "unusual form"),  # 'é' as e + combining accent (not NFC)
        ("con.md", "Windows keeps for a device"),
        ("what?.md", "'?'"),
        ("bridge .md", None),
        ("x" * 300 + ".md", "too long"),
    ],
)
def test_new_names_are_plain(name: str, why: str | None, backend: LocalBackend) -> None:
    problem = shape_problem(f"content/exercises/{name}") or name_problem(name)
    assert (problem is None) == (why is None), problem
    if why is not None:
        assert problem is not None and why in problem
        status, reply = save(backend, f"content/exercises/{name}")
        assert status == 422 and why in reply["error"]


def test_a_spanish_name_is_plain() -> None:
    assert name_problem("rodilla-niño.md") is None
    assert name_problem("ejercicio (1).png") is None


# -- uploads --------------------------------------------------------------------------------


def test_an_upload_must_be_the_picture_its_name_says(backend: LocalBackend, site: Path) -> None:
    assert upload(backend, "static/img/dot.png", PNG)[0] == 200
    page = b"<!doctype html><script>alert(1)</script>"
    status, reply = upload(backend, "static/img/photo.jpg", page)
    assert status == 415 and "the name says JPG" in reply["error"]
    status, reply = upload(backend, "static/img/dot.jpg", PNG)
    assert status == 415 and "image/png" in reply["error"]
    status, reply = upload(backend, "static/img/page.html", page)
    assert status == 415 and "only pictures and videos" in reply["error"]
    assert files_in(site / "static/img") == ["dot.png"]


@pytest.mark.parametrize(
    "svg",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'
        b'<a x:href="javascript:alert(1)"><text>hi</text></a></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><p/></foreignObject></svg>',
        b"<html><body>not a picture</body></html>",
        b"<svg><unclosed></svg>",
    ],
)
def test_an_svg_with_code_or_not_an_svg_is_refused(backend: LocalBackend, svg: bytes) -> None:
    status, reply = upload(backend, "static/img/pose.svg", svg)
    assert status == 415, reply


def test_a_plain_svg_is_accepted(backend: LocalBackend, site: Path) -> None:
    svg = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><circle r="1"/></svg>'
    assert upload(backend, "static/img/pose.svg", svg)[0] == 200
    assert (site / "static/img/pose.svg").read_bytes() == svg


def test_an_upload_over_the_builds_limit_is_refused_before_it_is_decoded(
    backend: LocalBackend, site: Path
) -> None:
    assert UPLOAD_LIMIT == STATIC_LIMIT  # the build's limit for a static file
    size = UPLOAD_LIMIT + 3
    asset = {"path": "static/img/big.png", "content": "A" * (size // 3 * 4), "encoding": "base64"}
    status, reply = call(backend, "persistMedia", asset=asset, options={"commitMessage": "x"})
    assert status == 413
    assert reply["error"].startswith("static/img/big.png: is 100 MB; a file of this kind may be")
    assert not (site / "static/img/big.png").exists()


def test_a_page_over_the_builds_limit_is_not_saved(backend: LocalBackend, site: Path) -> None:
    status, reply = save(backend, "content/exercises/long.en.md", "x" * (TEXT_LIMIT + 1))
    assert status == 413 and "at most 1 MB" in reply["error"]
    assert not (site / "content/exercises/long.md").exists()
