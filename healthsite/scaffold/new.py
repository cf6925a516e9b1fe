"""Scaffolding: new content files with every field explained, and new sites for other clinics.

Allowed values in the comments come from the schema in `models.py`, so a scaffold can never
offer a value the build would reject.
"""

from __future__ import annotations

import datetime as dt
import typing
from pathlib import Path

from healthsite.config import CONFIG_FILE, load_config
from healthsite.content.clinic import CLINIC_FILE
from healthsite.content.models import BodyArea, Category, Equipment, Level, Position, Sides
from healthsite.content.placeholders import MARK
from healthsite.content.sources import slugify
from healthsite.content.yaml_lines import parse_yaml
from healthsite.scaffold.guess import guess
from healthsite.scaffold.text import (
    ARTICLE,
    CLINIC_YAML,
    EXERCISE,
    PRIVACY_PAGE,
    SITE_YAML,
    TEMPLATES_README,
)
from healthsite.today import build_today


class ScaffoldError(Exception):
    """The file or folder could not be created; the message says why and what to do."""


def new_entry(site: Path, kind: str, title: str) -> tuple[Path, int]:
    """Write `content/articles/<slug>.md` or `content/exercises/<slug>.md` as a draft; returns
    the file and how many placeholders it holds for the editor to fill in."""
    config, problems = load_config(site)
    # a placeholder still in site.yaml stops publishing, not writing a new draft
    blocking = [d for d in problems if d.is_error and d.code != "placeholder"]
    if config is None or blocking:
        lines = "\n".join(d.headline() for d in blocking or problems)
        raise ScaffoldError(
            f"{CONFIG_FILE} must be put right before a new page can be made:\n{lines}"
        )
    slug = slugify(title)
    if not slug:
        raise ScaffoldError(f"the title {title!r} has no letters or digits to make a file name")
    folder = config.content_dir / ("articles" if kind == "article" else "exercises")
    path = folder / f"{slug}.md"
    if path.exists():
        raise ScaffoldError(f"{path} already exists; choose another title or edit that file")
    author, reviewer = _people(config.content_dir / CLINIC_FILE)
    today = build_today()
    fields = {
        "title": _quote(title),
        "author": author,
        "reviewer": reviewer,
        "today": today.isoformat(),
        "due": two_years_after(today).isoformat(),
    }
    if kind == "article":
        text = ARTICLE.format(**fields)
    else:
        text = EXERCISE.format(**fields, **_exercise_choices(title))
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path, count_placeholders(text)


def init_site(folder: Path, clinic_name: str | None) -> Path:
    """Create a new site folder; it builds once the clinic's details replace the placeholders."""
    if folder.exists() and any(folder.iterdir()):
        raise ScaffoldError(f"{folder} is not empty; choose a new folder")
    for sub in (
        "content/articles",
        "content/exercises",
        "content/pages",
        "content/data",
        "templates",
        "static/img",
    ):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    name = _quote(clinic_name) if clinic_name else '"[REPLACE: the clinic\'s name]"'
    (folder / CONFIG_FILE).write_text(SITE_YAML.format(name=name), encoding="utf-8")
    (folder / "content" / CLINIC_FILE).write_text(CLINIC_YAML.format(name=name), encoding="utf-8")
    (folder / "content/pages/privacy.md").write_text(PRIVACY_PAGE, encoding="utf-8")
    (folder / "templates/README.md").write_text(TEMPLATES_README, encoding="utf-8")
    (folder / ".gitignore").write_text(
        "/site/\n.healthsite-cache/\n.healthsite-preview/\n", encoding="utf-8"
    )
    return folder


def created_entry(path: Path, left: int) -> str:
    """What `new` tells the editor about the file it wrote."""
    return (
        f"Created {path}: a draft, with {_plural(left, '[REPLACE: …] placeholder')} to fill "
        "in.\nIt is published once every placeholder is replaced, a clinician has reviewed it "
        "and it says 'draft: false'."
    )


def created_site(folder: Path, program: str) -> str:
    """What `init` tells the editor to do next: fill in the placeholders, then preview."""
    files = [folder / "site.yaml", folder / "content/data/clinic.yaml"]
    left = sum(count_placeholders(f.read_text(encoding="utf-8")) for f in files)
    return (
        f"Created a new site in {folder}.\nNext: replace the {_plural(left, 'placeholder')} "
        f"([REPLACE: …]) in {files[0]} and {files[1]} with the clinic's details,\n"
        f"then run: {program} serve --site {folder}"
    )


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def count_placeholders(text: str) -> int:
    """How many `[REPLACE: …]` a new file holds outside its comments."""
    return sum(len(MARK.findall(line)) for line in text.splitlines() if not line.startswith("#"))


def _people(clinic_file: Path) -> tuple[str, str]:
    """Default author and reviewer, from the clinic's people even while its file is unfinished.

    Clinics list their lead clinician first (the reviewer) and the writing team last (the
    author); the editor changes either in the file.
    """
    keys: list[str] = []
    if clinic_file.is_file():
        doc, _ = parse_yaml(clinic_file.read_text(encoding="utf-8"), CLINIC_FILE)
        people = doc.data.get("people") if doc is not None else None
        if isinstance(people, tuple):
            keys = [
                p["key"] for p in people if isinstance(p, dict) and isinstance(p.get("key"), str)
            ]
    if not keys:
        return (
            '"[REPLACE: the key of the person who wrote it, from content/data/clinic.yaml]"',
            '"[REPLACE: the key of the clinician who checked it, from content/data/clinic.yaml]"',
        )
    return keys[-1], keys[0]


def _exercise_choices(name: str) -> dict[str, str]:
    """Each choice field's line: what the name settles, else a placeholder listing the choices."""
    known = guess(name)

    def choice(field: str, alias: object, words: str) -> str:
        value = known.get(field)
        return value if value else f'"[REPLACE: {words} {_or(alias)}]"'

    equipment = known.get("equipment")
    guessed = [f for f in ("category", "position", "equipment", "sides") if known.get(f)]
    note = (
        f"# {', '.join(guessed)}: chosen from the name {_quote(name)}; check them.\n"
        if guessed
        else ""
    )
    return {
        "guessed": note,
        "categories": _join(Category),
        "areas": _join(BodyArea),
        "positions": _join(Position),
        "equipment": _join(Equipment),
        "levels": _join(Level),
        "levels_or": _or(Level),
        "category": choice("category", Category, "one of"),
        "body_areas": '"[REPLACE: the body areas it works, from the list above]"',
        "position": choice("position", Position, "where the patient starts: one of"),
        "equipment_value": f"[{equipment}]"
        if equipment
        else '"[REPLACE: what the patient needs, from the list above; none if nothing]"',
        "sides": choice("sides", Sides, "one of"),
        # one side at a time: say what counts as one repetition (the build requires it)
        "one_repetition": '"[REPLACE: what one repetition is, e.g. lifting and lowering one leg]"'
        if known.get("sides") in ("each-side", "alternating")
        else '""',
    }


def _join(alias: object) -> str:
    return ", ".join(typing.get_args(alias))


def _or(alias: object) -> str:
    """`a, b or c`."""
    values = typing.get_args(alias)
    return ", ".join(values[:-1]) + " or " + values[-1]


def two_years_after(day: dt.date) -> dt.date:
    """The usual next review date (the editing UI's default too)."""
    try:
        return day.replace(year=day.year + 2)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 2, day=28)


def _quote(text: str) -> str:
    """A YAML double-quoted scalar, safe for any title."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'
