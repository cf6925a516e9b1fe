"""`SiteFiles`: the one rule every walk and read of a site follows."""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import pytest

from healthsite.inputs import STATIC_LIMIT, TEXT_LIMIT, Refused, SiteFiles, decode_text


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "static/img").mkdir(parents=True)
    (root / "static/img/a.svg").write_text("<svg/>")
    (root / "static/.hidden").write_text("x")
    (tmp_path / "outside.txt").write_text("secret")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside/b.txt").write_text("secret")
    return root


def codes(diagnostics: list) -> dict[str, str]:
    return {d.location.path: d.code for d in diagnostics}


def test_a_walk_finds_ordinary_files_and_follows_links_that_stay_inside(site: Path) -> None:
    (site / "shared").mkdir()
    (site / "shared/c.css").write_text("a{}")
    (site / "static/same.svg").symlink_to("img/a.svg")
    (site / "static/shared").symlink_to("../shared")
    files, problems = SiteFiles.of(site).walk(site / "static")
    assert files == [("img", "a.svg"), ("same.svg",), ("shared", "c.css")]
    assert problems == []


def test_a_walk_refuses_links_out_pipes_sockets_and_dangling_links(site: Path) -> None:
    static = site / "static"
    (static / "leak.txt").symlink_to(site.parent / "outside.txt")
    (static / "etc").symlink_to(site.parent / "outside")
    (static / "gone.svg").symlink_to("nowhere.svg")
    (static / "loop").symlink_to(".")
    (static / "up").symlink_to("..")
    os.mkfifo(static / "pipe.css")
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(static / "live.sock"))
        files, problems = SiteFiles.of(site).walk(static)
    assert files == [("img", "a.svg")]
    assert codes(problems) == {
        "static/leak.txt": "link-outside",
        "static/etc": "link-outside",
        "static/gone.svg": "broken-link",
        "static/loop": "link-loop",
        "static/up": "link-loop",
        "static/pipe.css": "not-a-file",
        "static/live.sock": "not-a-file",
    }


def test_links_into_hidden_folders_and_the_output_are_refused(site: Path) -> None:
    (site / ".git").mkdir()
    (site / ".git/config").write_text("[remote]")
    (site / "site").mkdir()
    (site / "site/index.html").write_text("old")
    (site / "static/config").symlink_to("../.git/config")
    (site / "static/old.html").symlink_to("../site/index.html")
    files, problems = SiteFiles.of(site, (Path("site"),)).walk(site / "static")
    assert files == [("img", "a.svg")]
    assert codes(problems) == {"static/config": "link-outside", "static/old.html": "link-outside"}


def test_a_folder_that_is_itself_a_link_out_is_refused_whole(site: Path) -> None:
    (site / "templates").symlink_to(site.parent / "outside")
    files, problems = SiteFiles.of(site).walk(site / "templates")
    assert files == []
    assert codes(problems) == {"templates": "link-outside"}


def test_a_read_never_opens_a_pipe_and_never_waits(site: Path) -> None:
    os.mkfifo(site / "site.yaml")
    done = threading.Event()

    def read() -> None:
        with pytest.raises(Refused) as refused:
            SiteFiles.of(site).read_text(site / "site.yaml")
        assert refused.value.diagnostic.code == "not-a-file"
        done.set()

    threading.Thread(target=read, daemon=True).start()
    assert done.wait(5), "reading a named pipe blocked"


def test_a_read_through_a_linked_folder_is_checked_too(site: Path) -> None:
    (site / "content").symlink_to(site.parent / "outside")
    with pytest.raises(Refused) as refused:
        SiteFiles.of(site).read_text(site / "content/b.txt")
    assert refused.value.diagnostic.code == "link-outside"


def test_sizes_are_checked_before_reading(site: Path) -> None:
    big = site / "static/video.mp4"
    with big.open("wb") as handle:
        handle.truncate(STATIC_LIMIT + 1)  # sparse: nothing is really written
    start = time.monotonic()
    with pytest.raises(Refused) as refused:
        SiteFiles.of(site).digest(big, STATIC_LIMIT)
    assert time.monotonic() - start < 1
    assert refused.value.diagnostic.code == "too-large"
    assert "is 100 MB" in refused.value.diagnostic.message  # 100 MB and one byte
    assert SiteFiles.of(site).digest(site / "static/img/a.svg", STATIC_LIMIT)[1] == 6


def test_os_errors_are_words_not_errno(site: Path) -> None:
    with pytest.raises(Refused) as refused:
        SiteFiles.of(site).read_text(site / "static/img", TEXT_LIMIT)
    assert refused.value.diagnostic.code == "not-a-file"
    assert "folder" in refused.value.diagnostic.message
    assert "Errno" not in refused.value.diagnostic.render()


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (b"\xef\xbb\xbf---\ntitle: x\n", "---\ntitle: x\n"),  # Windows' byte-order mark
        ("caf\u00e9\r\n".encode(), "caf\u00e9\r\n"),
        (b"", ""),
    ],
)
def test_utf8_text_is_read_with_or_without_a_byte_order_mark(data: bytes, text: str) -> None:
    assert decode_text(data, "x.md") == text


@pytest.mark.parametrize(
    ("data", "line", "words"),
    [
        (b"a\nb\nCl\xedn", 3, "not saved as UTF-8"),
        (b"a\nb\x00c", 2, "NUL"),
        ("hi".encode("utf-16"), 0, "UTF-16"),
        (b"\x89PNG\r\n\x1a\n\x00", 0, "not text"),
    ],
)
def test_text_that_is_not_utf8_is_refused_at_its_line(data: bytes, line: int, words: str) -> None:
    with pytest.raises(Refused) as refused:
        decode_text(data, "x.md")
    diagnostic = refused.value.diagnostic
    assert (diagnostic.code, diagnostic.location.line) == ("encoding", line)
    assert words in diagnostic.message
