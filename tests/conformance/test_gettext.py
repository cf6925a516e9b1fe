"""The catalogs are what gettext's own tools accept: `msgfmt -c --check-format`, as translators'
tools (Poedit, Weblate) read them, on the committed catalogs and on catalogs the engine writes."""

from __future__ import annotations

import subprocess
from pathlib import Path

from babel.messages.pofile import read_po, write_po

from tests.helpers import REPO, copy_sample_sources, require_command, run_cli

#: What msgfmt says of any template (.pot): its header's fields are placeholders until a
#: translator starts a catalog from it. Anything else is a finding.
TEMPLATE_PLACEHOLDERS = (
    "header field 'PO-Revision-Date' still has the initial default value",
    "header field 'Last-Translator' still has the initial default value",
    "header field 'Language-Team' still has the initial default value",
    "header field 'Language' missing in header",
)


def msgfmt_problems(path: Path) -> list[str]:
    """Every error and warning `msgfmt -c --check-format` reports for one catalog."""
    msgfmt = require_command("msgfmt")
    result = subprocess.run(
        [msgfmt, "-c", "--check-format", "-o", "/dev/null", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    if path.suffix == ".pot":
        lines = [line for line in lines if not line.endswith(TEMPLATE_PLACEHOLDERS)]
    if result.returncode != 0 and not lines:
        lines = [f"msgfmt exited {result.returncode}"]
    return lines


def catalogs(root: Path) -> list[Path]:
    return sorted((root / "locales").rglob("*.po")) + sorted((root / "locales").glob("*.pot"))


def test_committed_catalogs_pass_msgfmt() -> None:
    found = catalogs(REPO)
    assert [p.name for p in found].count("messages.pot") == 1 and len(found) >= 2
    problems = {p.relative_to(REPO).as_posix(): msgfmt_problems(p) for p in found}
    assert problems == {p: [] for p in problems}


def test_update_writes_catalogs_msgfmt_accepts(tmp_path: Path) -> None:
    """A new language's catalog, and a string that goes away and comes back, stay valid."""
    site = copy_sample_sources(tmp_path / "site")
    partial = site / "templates/partials/_home_intro.html"
    original = partial.read_text(encoding="utf-8")
    extra = "{% trans %}Parking is free for patients.{% endtrans %}"
    partial.write_text(original + extra, encoding="utf-8")
    update(site)
    es = site / "locales/es/LC_MESSAGES/messages.po"
    translate(es, "Parking is free for patients.", "El estacionamiento es gratuito.")
    partial.write_text(original, encoding="utf-8")  # the string goes: obsolete (#~) in es
    update(site)
    assert '#~ msgid "Parking is free for patients."' in es.read_text(encoding="utf-8")
    partial.write_text(original + extra, encoding="utf-8")  # and comes back
    update(site)
    text = es.read_text(encoding="utf-8")
    assert text.count("Parking is free for patients.") == 1, "defined twice"
    assert 'msgstr "El estacionamiento es gratuito."' in text
    # a language with no catalog yet gets one with a complete header
    config = site / "site.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("languages:\n", "languages:\n  fr: {}\n", 1),
        encoding="utf-8",
    )
    update(site)
    assert (site / "locales/fr/LC_MESSAGES/messages.po").is_file()
    problems = {p.relative_to(site).as_posix(): msgfmt_problems(p) for p in catalogs(site)}
    new_catalog_placeholders = {
        "header field 'PO-Revision-Date' still has the initial default value",
        "header field 'Last-Translator' still has the initial default value",
    }
    fr = problems.pop("locales/fr/LC_MESSAGES/messages.po")
    assert all(line.split("warning: ")[-1] in new_catalog_placeholders for line in fr), fr
    assert problems == {p: [] for p in problems}


def test_template_is_rewritten_only_when_its_strings_change(tmp_path: Path) -> None:
    site = copy_sample_sources(tmp_path / "site")
    update(site)
    pot = site / "locales/messages.pot"
    first = pot.read_bytes()
    update(site)
    assert pot.read_bytes() == first  # no new date, no diff to commit
    assert first.startswith(b"# Translations template") and b"charset=utf-8" in first


def update(site: Path) -> None:
    result = run_cli("i18n", "update", "--site", str(site))
    assert result.returncode == 0, result.stderr


def translate(path: Path, msgid: str, msgstr: str) -> None:
    with path.open("rb") as handle:
        catalog = read_po(handle)
    catalog[msgid].string = msgstr
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, sort_by_file=True)
