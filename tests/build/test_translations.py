"""Translations: drafted through the hook, merged with their source, checked for drift."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from healthsite.diagnostics import BuildFailed
from tests.helpers import REPO, WriteTree, build_site, html_pages, run_cli

SPANISH = "languages:\n  es:\n    tagline: Guías para su espalda\n"
HOOK = "translation:\n  hook: tests.translators.fake:translate\n"


@pytest.fixture
def bilingual(write_tree: WriteTree, valid_site: Path) -> Path:
    """The valid site with Spanish added, and the sample site's Spanish template catalog."""
    config = (valid_site / "site.yaml").read_text()
    shutil.copytree(REPO / "locales", valid_site / "locales")
    return write_tree({"site.yaml": config + SPANISH + HOOK})


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text().split("---")[1])


def test_translate_drafts_every_page_through_the_hook(bilingual: Path) -> None:
    result = run_cli("translate", "--to", "es", "--site", str(bilingual))
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith("4 drafts written.\n")
    drafted = sorted(
        p.relative_to(bilingual).as_posix() for p in bilingual.glob("content/*/*.es.md")
    )
    assert drafted == [
        "content/articles/back-care.es.md",
        "content/exercises/bridge.es.md",
        "content/exercises/knee-hug.es.md",
        "content/pages/privacy.es.md",
    ]
    meta = front_matter(bilingual / "content/exercises/bridge.es.md")
    assert meta["translation"]["method"] == "machine"
    assert meta["translation"]["reviewed_by"] == ""
    assert meta["translation"]["translator"] == "tests.translators.fake:translate"
    assert meta["steps"][0] == "[es] Lie on your back with your knees bent."
    assert "category" not in meta and "dose" not in meta  # facts stay in the source only
    body = (bilingual / "content/articles/back-care.es.md").read_text()
    assert "\n[[exercise bridge]]\n" in body  # embeds are not translated

    # nothing changed since: nothing to draft
    again = run_cli("translate", "--to", "es", "--site", str(bilingual))
    assert again.stdout.endswith("0 drafts written.\n")


def test_the_hook_gets_markdown_and_the_glossary(bilingual: Path) -> None:
    from healthsite.build.pipeline import load
    from healthsite.i18n.hook import draft_translations
    from tests.translators import fake

    fake.CALLS.clear()
    draft_translations(load(bilingual), "es", ("bridge",))
    [(source, target, glossary)] = fake.CALLS
    assert (source, target) == ("en", "es")
    assert {"Test Clinic", "Dr. Sam Lee", "(213) 555-0100", "+12135550100"} <= set(glossary)


def test_unreviewed_machine_drafts_are_marked_and_kept_safe(bilingual: Path) -> None:
    run_cli("translate", "--to", "es", "--site", str(bilingual))
    build_site(bilingual)
    page = (bilingual / "site/es/exercises/bridge/index.html").read_text()
    assert '<html lang="es">' in page
    assert '<meta name="robots" content="noindex">' in page
    assert 'class="translation-notice' in page
    # the safety text waits for a person: the reviewed English steps are shown, marked English
    assert "[es] Lie on your back" not in page
    assert re.search(r'lang="en"[^>]*>\s*<li>Lie on your back with your knees bent\.</li>', page)
    assert "[es] Strengthens the muscles" in page  # other text is the draft
    sitemap = (bilingual / "site/sitemap.xml").read_text()
    assert "/es/exercises/bridge/" not in sitemap and "/es/" in sitemap


def test_publishing_unreviewed_safety_text_is_an_explicit_choice(bilingual: Path) -> None:
    run_cli("translate", "--to", "es", "--site", str(bilingual))
    config = (bilingual / "site.yaml").read_text()
    (bilingual / "site.yaml").write_text(config + "  publish_unreviewed_safety_text: true\n")
    build_site(bilingual)
    page = (bilingual / "site/es/exercises/bridge/index.html").read_text()
    assert "[es] Lie on your back" in page


def test_a_changed_source_makes_its_translation_out_of_date(bilingual: Path) -> None:
    run_cli("translate", "--to", "es", "--site", str(bilingual))
    source = bilingual / "content/exercises/bridge.md"
    source.write_text(source.read_text().replace("Strengthens the muscles", "Builds the muscles"))
    report = build_site(bilingual, strict_mode=True)  # not safety text: stays a warning
    assert [(d.code, d.severity.value, d.location.path) for d in report.diagnostics] == [
        ("translation-stale", "warning", "content/exercises/bridge.es.md")
    ]
    assert "content/exercises/bridge.md changed" in report.diagnostics[0].message

    source.write_text(source.read_text().replace("reps: 5", "reps: 6"))  # the dose: safety
    with pytest.raises(BuildFailed) as failure:
        build_site(bilingual, strict_mode=True)
    [problem] = failure.value.diagnostics
    assert problem.code == "translation-stale-safety" and problem.is_error
    assert "bridge.md changed since it was translated (including its safety text" in problem.message
    assert problem.hint.startswith('update the translation, then set source_digest: "')


def test_stamp_records_a_checked_translation(bilingual: Path) -> None:
    run_cli("translate", "--to", "es", "--site", str(bilingual))
    source = bilingual / "content/exercises/bridge.md"
    source.write_text(source.read_text().replace("reps: 5", "reps: 6"))
    result = run_cli(
        "i18n", "stamp", str(bilingual / "content/exercises/bridge.es.md"), "--site", str(bilingual)
    )
    assert result.returncode == 0, result.stderr
    assert build_site(bilingual, strict_mode=True).diagnostics == []


def test_a_translation_must_say_everything_the_source_says(bilingual: Path) -> None:
    run_cli("translate", "--to", "es", "--site", str(bilingual))
    path = bilingual / "content/exercises/bridge.es.md"
    meta_text = path.read_text()
    path.write_text(
        meta_text.replace("- '[es] Lower your hips slowly.'\n", "").replace(
            "- '[es] Lower your hips slowly.'", ""
        )
    )
    with pytest.raises(BuildFailed) as failure:
        build_site(bilingual)
    assert [d.code for d in failure.value.diagnostics] == ["translation-mismatch"]
    assert (
        "steps: 2 item(s), but content/exercises/bridge.md has 3"
        in failure.value.diagnostics[0].message
    )


def test_translation_without_a_source_and_unknown_language(bilingual: Path) -> None:
    (bilingual / "content/pages/about.es.md").write_text(
        "---\ntranslation:\n  method: human\n  translator: Ana\ntitle: Sobre\nsummary: S\n---\n"
    )
    (bilingual / "content/pages/privacy.fr.md").write_text("---\ntitle: x\n---\n")
    with pytest.raises(BuildFailed) as failure:
        build_site(bilingual)
    found = failure.value.diagnostics
    assert sorted((d.code, d.location.path) for d in found if d.is_error) == [
        ("language", "content/pages/privacy.fr.md"),
        ("translation-source", "content/pages/about.es.md"),
    ]
    # the pages with no Spanish version are named, not dropped without a word
    assert {d.code for d in found if not d.is_error} == {"translation-missing"}


def test_pseudo_translator_is_built_in(write_tree: WriteTree, valid_site: Path) -> None:
    config = (valid_site / "site.yaml").read_text() + SPANISH + "translation:\n  hook: pseudo\n"
    site = write_tree({"site.yaml": config})
    assert run_cli("translate", "--to", "es", "--site", str(site)).returncode == 0
    meta = front_matter(site / "content/exercises/bridge.es.md")
    assert meta["name"].startswith("Ɓŕîđĝé")
    assert len(meta["summary"]) > 1.25 * len(
        "Strengthens the muscles of your buttocks and lower back."
    )
    build_site(site)


def test_every_page_lists_its_language_versions_both_ways(sample_site: Path) -> None:
    links = {}
    for path in html_pages(sample_site):
        html = path.read_text()
        found = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))
        canonical = re.search(r'<link rel="canonical" href="([^"]+)">', html)
        if canonical and found:
            links[canonical.group(1)] = found
    assert len(links) >= 20
    for page, alternates in links.items():
        assert page in alternates.values(), f"{page} does not list itself"
        assert "x-default" in alternates
        for lang, other in alternates.items():
            if lang != "x-default":
                assert links[other][lang] == other and page in links[other].values(), (
                    f"{other} does not link back to {page}"
                )


def test_a_dose_change_alone_is_caught(bilingual: Path) -> None:
    run_cli("translate", "--to", "es", "--site", str(bilingual))
    source = bilingual / "content/exercises/bridge.md"
    source.write_text(source.read_text().replace("hold_seconds: 3", "hold_seconds: 5"))
    report = build_site(bilingual)
    assert [d.code for d in report.diagnostics] == ["translation-stale-safety"]


def test_translate_never_overwrites_a_file_it_cannot_read(bilingual: Path) -> None:
    broken = bilingual / "content/pages/privacy.es.md"
    broken.write_text(
        "---\ntranslation:\n  method: human\n  translator: Ana\ntitle: Privacidad\n---\n"
    )
    result = run_cli("translate", "--to", "es", "--site", str(bilingual))
    assert result.returncode == 0
    assert "privacy" not in result.stdout
    assert "Privacidad" in broken.read_text()


def test_a_draft_source_keeps_its_translation_waiting(bilingual: Path) -> None:
    run_cli("translate", "--to", "es", "--site", str(bilingual))
    page = bilingual / "content/pages/privacy.md"
    page.write_text(page.read_text().replace("---\n", "---\ndraft: true\n", 1))
    report = build_site(bilingual)
    assert report.diagnostics == []
    assert not (bilingual / "site/es/privacy").exists()
