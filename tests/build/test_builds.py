"""Building small sites: determinism, drafts, overrides, base paths, the CLI and scaffolding."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from healthsite.diagnostics import BuildFailed
from tests.helpers import REPO, WriteTree, build_site, run_cli, tree_digest


def test_valid_site_builds_clean(valid_site: Path) -> None:
    report = build_site(valid_site, strict_mode=True)
    assert report.diagnostics == []
    # home, 2 lists, contact, routine, offline, 404, search, article, 2 exercises, privacy
    assert report.pages == 12
    assert (valid_site / "site/exercises/knee-hug/index.html").is_file()


def test_same_input_gives_byte_identical_output(valid_site: Path, tmp_path: Path) -> None:
    build_site(valid_site)
    first = tree_digest(valid_site / "site")
    copy = tmp_path / "again"
    import shutil

    shutil.copytree(valid_site, copy, ignore=shutil.ignore_patterns("site"))
    build_site(copy)
    assert tree_digest(copy / "site") == first


def test_rebuild_replaces_the_old_site_and_drops_stale_files(valid_site: Path) -> None:
    build_site(valid_site)
    (valid_site / "content/exercises/knee-hug.md").unlink()
    (valid_site / "content/articles/back-care.md").write_text(
        (valid_site / "content/articles/back-care.md")
        .read_text()
        .replace("[[exercise knee-hug]]", "")
        .replace(", knee-hug]", "]")
    )
    build_site(valid_site)
    assert not (valid_site / "site/exercises/knee-hug").exists()
    assert [p.name for p in valid_site.iterdir() if p.is_dir() and p.name.startswith("site")] == [
        "site"
    ]


def test_drafts_are_left_out_unless_asked_for(write_tree: WriteTree) -> None:
    page = "---\ntitle: Coming soon\nsummary: Not ready.\ndraft: true\n---\nText\n"
    site = write_tree({"content/pages/soon.md": page})
    build_site(site)
    assert not (site / "site/soon").exists()
    build_site(site, drafts=True)
    assert (site / "site/soon/index.html").is_file()


def test_embedding_a_draft_exercise_is_an_error(write_tree: WriteTree) -> None:
    text = (REPO / "tests/sites/valid/content/exercises/knee-hug.md").read_text()
    site = write_tree(
        {"content/exercises/knee-hug.md": text.replace("---\n", "---\ndraft: true\n", 1)}
    )
    with pytest.raises(BuildFailed) as failure:
        build_site(site)
    assert {d.message for d in failure.value.diagnostics} == {
        "embedded exercise: exercise 'knee-hug' is a draft",
        "exercises[2]: exercise 'knee-hug' is a draft",
    }


def test_site_templates_override_the_theme(write_tree: WriteTree) -> None:
    site = write_tree(
        {"templates/partials/_disclaimer.html": '<p class="own">Our own words.</p>\n'}
    )
    build_site(site)
    assert (
        '<p class="own">Our own words.</p>'
        in (site / "site/exercises/bridge/index.html").read_text()
    )


def test_base_url_with_a_path_prefixes_every_internal_link(
    write_tree: WriteTree, valid_site: Path
) -> None:
    config = (
        (valid_site / "site.yaml")
        .read_text()
        .replace("https://clinic.test/", "https://clinic.test/patients/")
    )
    site = write_tree({"site.yaml": config})
    build_site(site)
    html = (site / "site/articles/back-care/index.html").read_text()
    hrefs = re.findall(r'(?:href|src)="(/[^"]*)"', html)
    assert hrefs and all(h.startswith("/patients/") for h in hrefs), hrefs
    assert not any(h.startswith("/patients/patients/") for h in hrefs), hrefs  # cards too
    assert '<link rel="canonical" href="https://clinic.test/patients/articles/back-care/">' in html


def test_raw_html_in_markdown_is_sanitized_in_the_output(write_tree: WriteTree) -> None:
    page = (
        "---\ntitle: Tricky\nsummary: Hostile input.\n---\n"
        '<script>alert(1)</script>\n\n<p onmouseover="x()">Hello</p>\n\n'
        '<a href="javascript:alert(1)">click</a> <img src="/img/pose.svg" onerror="x()" '
        'alt="pixel">\n'
    )
    site = write_tree({"content/pages/tricky.md": page})
    build_site(site)
    html = (site / "site/tricky/index.html").read_text()
    assert "alert(1)" not in html and "onmouseover" not in html and "javascript:" not in html
    assert "onerror" not in html and 'alt="pixel"' in html


def test_template_runtime_error_names_template_and_line(write_tree: WriteTree) -> None:
    site = write_tree(
        {
            "templates/page.html": "{% extends 'base.html' %}\n{% block content %}\n"
            "<h1>{{ page.meta.subtitle }}</h1>\n{% endblock %}\n"
        }
    )
    with pytest.raises(BuildFailed) as failure:
        build_site(site)
    [problem] = failure.value.diagnostics
    assert (problem.location.path, problem.location.line, problem.code) == (
        "templates/page.html",
        3,
        "template",
    )
    assert "subtitle" in problem.message


def test_review_due_is_a_warning_that_does_not_stop_the_build(write_tree: WriteTree) -> None:
    text = (REPO / "tests/sites/valid/content/exercises/knee-hug.md").read_text()
    site = write_tree({"content/exercises/knee-hug.md": text.replace("2027-01-10", "2026-05-20")})
    report = build_site(site, strict_mode=True)
    assert [(d.code, d.severity.value) for d in report.diagnostics] == [("review-due", "warning")]


def test_cli_build_prints_a_summary(valid_site: Path) -> None:
    result = run_cli("--site", str(valid_site))
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(
        r"Reading level: \d+ pages from grade \d+(\.\d)? to \d+(\.\d)? "
        r"\(hardest: content/\S+\.md\); "
        r"python build\.py report lists every page\.\n"
        r"Built 12 pages \(\d+ files, \d+ KB\) into site/ in \d+\.\d\d s \(\d+ files written\), "
        r"0 warnings\.\n",
        result.stdout,
    )


@pytest.mark.parametrize("command", [[], ["build"], ["serve"], ["new"], ["init"]])
def test_every_command_has_help(command: list[str]) -> None:
    result = run_cli(*command, "--help")
    assert result.returncode == 0
    assert result.stdout.startswith("usage: healthsite")


def test_missing_site_yaml_is_a_clear_error(tmp_path: Path) -> None:
    result = run_cli("build", "--site", str(tmp_path))
    assert result.returncode == 1
    assert result.stderr.startswith("site.yaml: error[config]: no site.yaml in ")
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("kind", ["article", "exercise"])
def test_new_scaffolds_a_draft_that_cannot_be_published_unfinished(
    valid_site: Path, kind: str
) -> None:
    result = run_cli("new", kind, 'Wall "push" up', "--site", str(valid_site))
    assert result.returncode == 0, result.stderr
    assert "[REPLACE: …] placeholders to fill in" in result.stdout
    path = valid_site / f"content/{kind}s/wall-push-up.md"
    assert path.is_file()
    assert run_cli("new", kind, 'Wall "push" up', "--site", str(valid_site)).returncode == 1
    # a draft: built without it, and a --drafts preview lists what is left to write
    build_site(valid_site)
    assert not (valid_site / f"site/{kind}s/wall-push-up").exists()
    report = build_site(valid_site, drafts=True)
    assert (valid_site / f"site/{kind}s/wall-push-up/index.html").is_file()
    codes = {d.code for d in report.diagnostics}
    assert codes <= {"placeholder", "sources"} and "placeholder" in codes
    # published as it is: every placeholder is an error naming its line, and nothing is written
    path.write_text(path.read_text().replace("draft: true", "draft: false"))
    with pytest.raises(BuildFailed) as failure:
        build_site(valid_site)
    placeholders = [d for d in failure.value.diagnostics if d.code == "placeholder"]
    assert placeholders and all(d.is_error and d.location.line for d in placeholders)


def test_a_new_one_side_exercise_is_a_draft_that_builds(valid_site: Path) -> None:
    assert run_cli("new", "exercise", "Side plank", "--site", str(valid_site)).returncode == 0
    text = (valid_site / "content/exercises/side-plank.md").read_text()
    assert "sides: each-side" in text
    assert 'one_repetition_is: "[REPLACE: what one repetition is' in text
    build_site(valid_site)  # a draft: nothing in it stops the site's build


def test_new_exercise_chooses_only_what_its_name_says() -> None:
    from healthsite.scaffold.guess import guess

    assert guess("Wall push-up").values == {
        "category": "strengthening",
        "position": "standing",
        "sides": "both-together",
        "equipment": "wall",
    }
    assert guess("Single knee to chest").values == {
        "position": "lying-on-back",
        "sides": "each-side",
        "equipment": "mat",
    }
    assert guess("Nerve glide").values == {}  # nothing certain: all left to the editor


def test_init_starts_a_site_that_builds_once_the_clinic_is_filled_in(tmp_path: Path) -> None:
    folder = tmp_path / "new-clinic"
    result = run_cli("init", str(folder), "--name", "Harbor Physio & Spine")
    assert result.returncode == 0, result.stderr
    assert "replace the 8 placeholders" in result.stdout
    with pytest.raises(BuildFailed) as failure:
        build_site(folder, strict_mode=True)
    found = failure.value.diagnostics
    assert {d.code for d in found} == {"placeholder", "example-address"}
    assert all(
        d.location.path == "content/data/clinic.yaml" for d in found if d.code != "example-address"
    )
    clinic = folder / "content/data/clinic.yaml"
    text = clinic.read_text()
    for placeholder, value in {
        "the clinic's main phone number, like (213) 555-0100": "(213) 555-0100",
        "the clinic's town or city": "Long Beach",
        "the two-letter country code, like US": "US",
        "the clinic's time zone, like America/Los_Angeles": "America/Los_Angeles",
        "the opening time, like 09:00": "08:30",
        "the closing time, like 17:00": "17:00",
        "the lead clinician's name, like Dr. Ana Ruiz": "Dr. Ana Ruiz",
        "their credentials, like MD or DPT": "DPT",
    }.items():
        text = text.replace(f"[REPLACE: {placeholder}]", value)
    clinic.write_text(text)
    config = folder / "site.yaml"
    config.write_text(config.read_text().replace("www.example.org", "harbor-physio.test"))
    report = build_site(folder, strict_mode=True)
    assert report.pages >= 5
    assert "Harbor Physio &amp; Spine" in (folder / "site/index.html").read_text()
    assert run_cli("init", str(folder)).returncode == 1  # never overwrites


@pytest.mark.parametrize("output", [".", "content", "static/out", "../elsewhere", "/tmp/x"])
def test_output_dir_can_never_be_a_source_folder(
    write_tree: WriteTree, valid_site: Path, output: str
) -> None:
    config = (valid_site / "site.yaml").read_text() + f"output_dir: '{output}'\n"
    site = write_tree({"site.yaml": config})
    with pytest.raises(BuildFailed) as failure:
        build_site(site)
    assert [d.code for d in failure.value.diagnostics] == ["invalid"]
    assert (site / "content/articles/back-care.md").is_file()


def test_a_folder_healthsite_did_not_make_is_never_replaced(valid_site: Path) -> None:
    (valid_site / "site").mkdir()
    (valid_site / "site/notes.txt").write_text("my own file")
    with pytest.raises(BuildFailed) as failure:
        build_site(valid_site)
    assert [d.code for d in failure.value.diagnostics] == ["output"]
    assert (valid_site / "site/notes.txt").read_text() == "my own file"
    (valid_site / "site/notes.txt").unlink()  # an empty folder is fine, and so is our own build
    build_site(valid_site)
    build_site(valid_site)


def test_unknown_language_is_a_config_error(write_tree: WriteTree, valid_site: Path) -> None:
    site = write_tree(
        {
            "site.yaml": (valid_site / "site.yaml")
            .read_text()
            .replace("language: en", "language: zz")
        }
    )
    with pytest.raises(BuildFailed) as failure:
        build_site(site)
    assert [d.headline() for d in failure.value.diagnostics] == [
        "site.yaml:5: error[invalid]: language: unknown language code 'zz'"
    ]


PAGE = "---\ntitle: Pictures\nsummary: Images in the body.\n---\n"


def test_body_images_are_fingerprinted_and_must_exist(write_tree: WriteTree) -> None:
    site = write_tree({"content/pages/pictures.md": PAGE + "![A grey square](/img/pose.svg)\n"})
    build_site(site)
    html = (site / "site/pictures/index.html").read_text()
    # a drawing: sanitised, fingerprinted, its size written so the page does not jump
    assert re.search(
        r'<img src="/static/img/pose\.[0-9a-f]{10}\.svg" alt="A grey square" '
        r'width="10" height="10" fetchpriority="high" decoding="async">',
        html,
    )

    site = write_tree({"content/pages/pictures.md": PAGE + "Text\n\n![A square](img/posse.svg)\n"})
    with pytest.raises(BuildFailed) as failure:
        build_site(site)
    [problem] = failure.value.diagnostics
    assert problem.headline() == (
        "content/pages/pictures.md:7: error[missing-file]: image "
        "'img/posse.svg': no such file in the static folder"
    )
    assert problem.hint == "did you mean 'img/pose.svg'?"


def test_images_from_other_websites_are_refused(write_tree: WriteTree) -> None:
    site = write_tree({"content/pages/pictures.md": PAGE + "![Pixel](https://ads.example/p.gif)\n"})
    with pytest.raises(BuildFailed) as failure:
        build_site(site)
    assert [d.headline() for d in failure.value.diagnostics] == [
        "content/pages/pictures.md:5: error[third-party]: image from another website: "
        "https://ads.example/p.gif"
    ]


def test_embed_right_under_a_paragraph_still_becomes_a_card(
    write_tree: WriteTree, valid_site: Path
) -> None:
    article = (valid_site / "content/articles/back-care.md").read_text()
    site = write_tree(
        {
            "content/articles/back-care.md": article.replace(
                "## Strength\n\n[[exercise bridge]]",
                "## Strength\nDo this:\n[[exercise bridge]]\nThen rest.",
            )
        }
    )
    build_site(site)
    html = (site / "site/articles/back-care/index.html").read_text()
    assert "HSEMBED" not in html and 'id="ex-bridge"' in html


def test_markdown_links_get_the_base_path(write_tree: WriteTree, valid_site: Path) -> None:
    config = (valid_site / "site.yaml").read_text().replace("clinic.test/", "clinic.test/p/")
    site = write_tree(
        {
            "site.yaml": config,
            "content/pages/links.md": PAGE + "[Bridge](/exercises/bridge/) and [top](#top) and "
            "[NHS](https://www.nhs.uk/)\n",
        }
    )
    build_site(site)
    html = (site / "site/links/index.html").read_text()
    assert 'href="/p/exercises/bridge/"' in html and 'href="#top"' in html
    assert 'href="https://www.nhs.uk/"' in html


def test_embed_inside_a_callout_stays_inside_it(write_tree: WriteTree, valid_site: Path) -> None:
    article = (valid_site / "content/articles/back-care.md").read_text()
    site = write_tree(
        {
            "content/articles/back-care.md": article.replace(
                "## Strength\n\n[[exercise bridge]]",
                '## Strength\n\n!!! tip "Try this"\n    Start here:\n'
                "    [[exercise bridge]]\n    Then rest.",
            )
        }
    )
    build_site(site)
    html = (site / "site/articles/back-care/index.html").read_text()
    tip = html[html.index('<div class="admonition tip">') :]
    assert tip.index('id="ex-bridge"') < tip.index("Then rest.") < tip.index("</div>\n<h2")
    assert "<pre>" not in html


def test_a_regional_language_code_works(write_tree: WriteTree, valid_site: Path) -> None:
    site = write_tree(
        {
            "site.yaml": (valid_site / "site.yaml")
            .read_text()
            .replace("language: en", "language: en-US")
        }
    )
    build_site(site, strict_mode=True)
    assert '<html lang="en-US">' in (site / "site/exercises/bridge/index.html").read_text()


def test_pagefind_reads_only_the_searchable_part_of_each_page(tmp_path: Path) -> None:
    from healthsite.search.pagefind import index_site, searchable
    from healthsite.search.pagefind_service import index_pages

    page = (
        '<!doctype html><html lang="es"><head><title>T</title><script>x</script></head>'
        '<body><nav>menu</nav><article class="a" data-pagefind-body><article>inner'
        "</article><p>text</p></article><footer>f</footer></body></html>"
    )
    cut = searchable(page)
    assert cut == (
        '<!doctype html><html lang="es"><head><meta charset="utf-8"><title>T</title>'
        '</head><body><article class="a" data-pagefind-body><article>inner'
        "</article><p>text</p></article></body></html>"
    )
    assert searchable("<html><body><main>nothing marked</main></body></html>") is None
    # what Pagefind would skip is left out before it parses the page, unless it holds filters
    # or metadata (which Pagefind reads even there); void elements end at their tag
    ignored = (
        "<html><body><main data-pagefind-body><p>a</p><div data-pagefind-ignore><div>x</div>"
        '</div><img data-pagefind-ignore="all" src="i.svg" alt="y"><p>b</p>'
        '<aside data-pagefind-ignore><span data-pagefind-filter="k:v"></span>z</aside>'
        "</main></body></html>"
    )
    # words inside another attribute's value are not the attribute
    titled = '<main data-pagefind-body><abbr title="a data-pagefind-ignore b">MRI</abbr></main>'
    assert '<abbr title="a data-pagefind-ignore b">MRI</abbr>' in (searchable(titled) or "")
    assert (searchable(ignored) or "").endswith(
        "<body><main data-pagefind-body><p>a</p><p>b</p><aside data-pagefind-ignore><span "
        'data-pagefind-filter="k:v"></span>z</aside></main></body></html>'
    )
    # given the whole folder, Pagefind indexes it in place and the site is left as it was
    (tmp_path / "page.html").write_text(page)
    assert index_site(tmp_path).pages == 1
    assert (tmp_path / "page.html").read_text() == page
    assert (tmp_path / "pagefind" / "pagefind.js").is_file()
    shutil.rmtree(tmp_path / "pagefind")
    # a site whose theme marks nothing to find gets no index, and the build goes on
    assert index_pages(tmp_path, [("index.html", "<html><body>x</body></html>")]).pages == 0
    assert not (tmp_path / "pagefind").exists()
    assert (tmp_path / "page.html").is_file()


def test_a_search_index_that_fails_is_a_clear_error_and_keeps_the_site(
    valid_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_site(valid_site)
    out = valid_site / "site"
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    failing = tmp_path / "pagefind"
    failing.write_text("#!/bin/sh\necho 'Error: the disk is full' >&2\nexit 3\n")
    failing.chmod(0o755)
    for binary, said in (
        (failing, "search index: Pagefind failed (exit 3): Error: the disk is full"),
        (tmp_path / "missing", "search index: Pagefind could not be started ("),
    ):
        monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(binary))
        with pytest.raises(BuildFailed) as failed:
            build_site(valid_site, clean=True)
        [diagnostic] = failed.value.diagnostics
        assert diagnostic.code == "search"
        assert said in diagnostic.message
        assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
        assert sorted(p.name for p in valid_site.iterdir() if p.name.startswith("site")) == [
            "site",
            "site.yaml",
        ]


def test_the_pagefind_binary_is_the_configured_then_the_newest_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    from pagefind_bin import get_executable

    from healthsite.search.pagefind import pagefind_executable

    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/opt/pagefind/pagefind")
    assert pagefind_executable() == Path("/opt/pagefind/pagefind")
    monkeypatch.delenv("PAGEFIND_BINARY_PATH")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    monkeypatch.setattr(sys, "executable", str(bin_dir / "python"))
    assert pagefind_executable() == Path(get_executable())  # nothing beside Python: the wheel's
    (bin_dir / "pagefind_extended").write_text("#!/bin/sh\n")
    (bin_dir / "pagefind_extended").chmod(0o755)
    assert pagefind_executable() == bin_dir / "pagefind_extended"  # where setup.sh puts 1.6


def test_new_works_in_a_site_whose_settings_still_hold_placeholders(tmp_path: Path) -> None:
    """Right after `init` (no --name), the editor's next step is `new`: the placeholders in
    site.yaml stop publishing, not a new draft. A real mistake there still stops it, in words."""
    folder = tmp_path / "clinic"
    assert run_cli("init", str(folder)).returncode == 0
    made = run_cli("new", "exercise", "Wall push-up", "--site", str(folder))
    assert made.returncode == 0, made.stderr
    assert (folder / "content/exercises/wall-push-up.md").is_file()
    config = folder / "site.yaml"
    config.write_text(config.read_text() + "languages: [en, klingon]\n")
    refused = run_cli("new", "exercise", "Side plank", "--site", str(folder))
    assert refused.returncode == 1
    first, *rest = refused.stderr.splitlines()
    assert first == "error: site.yaml must be put right before a new page can be made:"
    assert rest and all(line.startswith("site.yaml:") for line in rest), refused.stderr
    assert "placeholder" not in refused.stderr and "Traceback" not in refused.stderr
    assert not (folder / "content/exercises/side-plank.md").exists()
