"""Decap's local-backend protocol, answered as decap-server answers it (its `localFs` mode)."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

import pytest

from healthsite.cms.backend import LocalBackend, LocaleAlias


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "content/exercises").mkdir(parents=True)
    (tmp_path / "static/img").mkdir(parents=True)
    (tmp_path / "content/exercises/bridge.md").write_text("---\nname: Bridge\n---\n")
    (tmp_path / "content/exercises/bridge.es.md").write_text("---\nname: Puente\n---\n")
    (tmp_path / "content/exercises/notes.txt").write_text("not a page")
    (tmp_path / "site.yaml").write_text("title: x\n")
    return tmp_path


@pytest.fixture
def backend(site: Path) -> LocalBackend:
    return LocalBackend(
        site,
        writable=["content", "static"],
        aliases=[LocaleAlias("content/exercises", "en")],
    )


def call(backend: LocalBackend, action: str, **params: object) -> tuple[int, object]:
    return backend.handle({"action": action, "params": {"branch": "main", **params}})


def test_info_says_what_decap_server_says(backend: LocalBackend, site: Path) -> None:
    assert backend.handle({"action": "info"}) == (
        200,
        {"repo": site.name, "publish_modes": ["simple"], "type": "local_fs"},
    )


def test_entries_by_folder_name_every_language_as_decap_expects(backend: LocalBackend) -> None:
    status, entries = call(
        backend, "entriesByFolder", folder="content/exercises", extension="md", depth=1
    )
    assert status == 200
    assert isinstance(entries, list)
    assert [e["file"]["path"] for e in entries] == [
        "content/exercises/bridge.es.md",
        "content/exercises/bridge.en.md",  # bridge.md, the main language's file
    ]
    text = "---\nname: Bridge\n---\n"
    assert entries[1] == {
        "data": text,
        "file": {
            "path": "content/exercises/bridge.en.md",
            "label": None,
            "id": hashlib.sha256(text.encode()).hexdigest(),
        },
    }


def test_get_entry_of_a_missing_file_is_nulls_like_decap_server(backend: LocalBackend) -> None:
    assert call(backend, "getEntry", path="content/exercises/gone.md") == (
        200,
        {"data": None, "file": {"path": "content/exercises/gone.md", "label": None, "id": None}},
    )


def test_persist_entry_writes_each_language_to_its_own_file(
    backend: LocalBackend, site: Path
) -> None:
    status, reply = call(
        backend,
        "persistEntry",
        dataFiles=[
            {"slug": "wall", "path": "content/exercises/wall.en.md", "raw": "---\nname: W\n---\n"},
            {"slug": "wall", "path": "content/exercises/wall.es.md", "raw": "---\nname: P\n---\n"},
        ],
        assets=[],
        options={"commitMessage": "Create", "useWorkflow": False, "status": "draft"},
    )
    assert (status, reply) == (200, {"message": "entry persisted"})
    assert (site / "content/exercises/wall.md").read_text() == "---\nname: W\n---\n"
    assert (site / "content/exercises/wall.es.md").read_text() == "---\nname: P\n---\n"
    assert not (site / "content/exercises/wall.en.md").exists()


def test_a_refused_file_means_nothing_is_written(site: Path) -> None:
    from healthsite.cms.backend import BackendError

    def prepare(path: str, raw: str) -> str:
        if path.endswith(".es.md"):
            raise BackendError(422, "Not saved. In Spanish: Name: required field is missing")
        return raw

    backend = LocalBackend(
        site,
        writable=["content"],
        aliases=[LocaleAlias("content/exercises", "en")],
        prepare=prepare,
    )
    status, reply = call(
        backend,
        "persistEntry",
        dataFiles=[
            {"slug": "x", "path": "content/exercises/x.en.md", "raw": "---\nname: X\n---\n"},
            {"slug": "x", "path": "content/exercises/x.es.md", "raw": "---\n---\n"},
        ],
        assets=[],
        options={"commitMessage": "Create", "useWorkflow": False, "status": "draft"},
    )
    assert status == 422
    assert reply == {"error": "Not saved. In Spanish: Name: required field is missing"}
    assert not (site / "content/exercises/x.md").exists()


@pytest.mark.parametrize(
    "path",
    ["../outside.md", "content/../../outside.md", "/etc/passwd", "site.yaml", "templates/x.html"],
)
def test_nothing_outside_the_editable_folders_is_read_or_written(
    backend: LocalBackend, site: Path, path: str
) -> None:
    status, _ = call(
        backend,
        "persistEntry",
        dataFiles=[{"slug": "x", "path": path, "raw": "x"}],
        assets=[],
        options={"commitMessage": "x", "useWorkflow": False, "status": "draft"},
    )
    assert status in (403, 422)
    assert call(backend, "getMediaFile", path=path)[0] in (403, 404, 422)
    assert (site / "site.yaml").read_text() == "title: x\n"


def test_a_symbolic_link_out_of_the_site_is_refused(backend: LocalBackend, site: Path) -> None:
    outside = site.parent / f"{site.name}-outside"
    outside.mkdir()
    (site / "content/linked").symlink_to(outside, target_is_directory=True)
    status, _ = call(
        backend,
        "persistEntry",
        dataFiles=[{"slug": "x", "path": "content/linked/x.md", "raw": "x"}],
        assets=[],
        options={"commitMessage": "x", "useWorkflow": False, "status": "draft"},
    )
    assert status == 422
    assert list(outside.iterdir()) == []


def test_media_round_trip(backend: LocalBackend, site: Path) -> None:
    picture = b"<svg xmlns='http://www.w3.org/2000/svg'/>"
    status, media = call(
        backend,
        "persistMedia",
        asset={
            "path": "static/img/dot.svg",
            "content": base64.b64encode(picture).decode(),
            "encoding": "base64",
        },
        options={"commitMessage": "Upload"},
    )
    assert status == 200
    assert isinstance(media, dict) and media["name"] == "dot.svg"
    assert (site / "static/img/dot.svg").read_bytes() == picture
    status, listed = call(backend, "getMedia", mediaFolder="static/img")
    assert [m["path"] for m in listed] == ["static/img/dot.svg"]  # type: ignore[union-attr]
    assert (
        call(backend, "deleteFile", path="static/img/dot.svg", options={"commitMessage": "x"})[0]
        == 200
    )
    assert not (site / "static/img/dot.svg").exists()


def test_unknown_and_workflow_actions_are_refused_as_decap_server_refuses_them(
    backend: LocalBackend,
) -> None:
    assert backend.handle({"action": "drop tables"})[0] == 422
    assert call(backend, "unpublishedEntries") == (
        422,
        {"error": "Unknown action unpublishedEntries"},
    )
    assert backend.handle("not an object")[0] == 422
