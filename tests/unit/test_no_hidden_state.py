"""No hidden state: each render notes what it read in its own recorder, the garbage collector is
given back as it was, and what builds learn is replaced whole, never changed in place."""

from __future__ import annotations

import gc
import threading
from dataclasses import replace
from pathlib import Path

from healthsite.build.builder import Builder
from healthsite.build.heap import collector_paused
from healthsite.build.memory import Learned, Memory
from healthsite.render.environment import load_templates
from healthsite.render.pages import Renderer
from healthsite.site.routes import plan
from tests.helpers import TODAY, assembled


def test_renders_in_two_threads_at_once_record_what_each_read(valid_site: Path) -> None:
    site, _ = assembled(valid_site)
    templates = load_templates(site.config)
    renderer = Renderer(site.main, templates)
    jobs = {job.dest_path: job for job in plan(site.models).pages["en"]}
    pair = [jobs["articles/back-care/index.html"], jobs["contact/index.html"]]
    alone = {job.dest_path: renderer.render(job) for job in pair}
    assert alone[pair[0].dest_path][1].deps != alone[pair[1].dest_path][1].deps
    mixed: list[str] = []
    start = threading.Barrier(2)

    def render_many(job: object) -> None:
        start.wait()
        for _ in range(30):
            artifact, read = renderer.render(job)  # type: ignore[arg-type]
            expected_artifact, expected = alone[artifact.dest_path]
            if (read.deps, read.templates, artifact) != (
                expected.deps,
                expected.templates,
                expected_artifact,
            ):
                mixed.append(artifact.dest_path)

    threads = [threading.Thread(target=render_many, args=(job,)) for job in pair]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert mixed == []


def test_the_collector_is_given_back_as_it_was() -> None:
    assert gc.get_freeze_count() == 0
    with collector_paused():
        assert gc.get_freeze_count() > 0  # what existed before is out of the collector's way
    assert gc.get_freeze_count() == 0 and gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            assert gc.get_freeze_count() == 0  # a caller's own arrangement is left alone
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_build_leaves_the_callers_collector_as_it_was(valid_site: Path) -> None:
    before = gc.get_freeze_count()
    Builder(valid_site).build(today=TODAY)
    assert gc.get_freeze_count() == before == 0


def test_what_builds_learn_is_replaced_whole(valid_site: Path) -> None:
    builder = Builder(valid_site)
    builder.build(today=TODAY)
    first = builder.memory.learned
    manifest = first.manifest
    assert manifest is not None and first.last is not None
    outputs = dict(manifest.outputs)
    (valid_site / "content/articles/back-care.md").write_text(
        (valid_site / "content/articles/back-care.md").read_text().replace("Stay", "Do stay")
    )
    builder.build(today=TODAY, changed={valid_site / "content/articles/back-care.md"})
    second = builder.memory.learned
    assert second is not first and second.manifest is not manifest
    assert manifest.outputs == outputs  # the last build's manifest is as it was
    assert second.manifest is not None and second.manifest.outputs != outputs


def test_a_refresh_does_not_overwrite_a_build_that_wrote_meanwhile(tmp_path: Path) -> None:
    memory = Memory(tmp_path, persist=False)
    writes = memory.writes
    with memory.writing(tmp_path / "site", in_place=False):
        pass
    assert memory.writes == writes + 1
    refreshed = memory.update(
        lambda now: replace(now, unread=frozenset()), unless_written_since=writes
    )
    assert refreshed is None and memory.learned == Learned()
    kept = memory.update(
        lambda now: replace(now, unread=frozenset()), unless_written_since=writes + 1
    )
    assert kept is memory.learned and kept.unread == frozenset()
