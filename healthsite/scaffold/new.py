"""Scaffolding: new content files with every field explained, and new sites for other clinics.

Allowed values in the comments come from the schema in `models.py`, so a scaffold can never
offer a value the build would reject.
"""

from __future__ import annotations

import datetime as dt
import typing
from pathlib import Path

from healthsite.config import CONFIG_FILE, load_config
from healthsite.content.clinic import load_clinic
from healthsite.content.models import BodyArea, Category, Equipment, Level, Position, Sides
from healthsite.content.sources import slugify
from healthsite.today import build_today


class ScaffoldError(Exception):
    """The file or folder could not be created; the message says why and what to do."""


def new_entry(site: Path, kind: str, title: str) -> Path:
    """Write `content/articles/<slug>.md` or `content/exercises/<slug>.md` as a valid draft."""
    config, problems = load_config(site)
    if config is None or any(d.is_error for d in problems):
        raise ScaffoldError("; ".join(d.headline() for d in problems))
    slug = slugify(title)
    if not slug:
        raise ScaffoldError(f"the title {title!r} has no letters or digits to make a file name")
    folder = config.content_dir / ("articles" if kind == "article" else "exercises")
    path = folder / f"{slug}.md"
    if path.exists():
        raise ScaffoldError(f"{path} already exists; choose another title or edit that file")
    author, reviewer = _people(config.content_dir, config.settings.content_dir)
    today = build_today()
    fields = {
        "title": _quote(title),
        "author": author,
        "reviewer": reviewer,
        "today": today.isoformat(),
        "due": two_years_after(today).isoformat(),
    }
    text = (ARTICLE if kind == "article" else EXERCISE).format(**fields, **_choices())
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def init_site(folder: Path, clinic_name: str) -> Path:
    """Create a new site folder that builds as it is."""
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
    (folder / CONFIG_FILE).write_text(SITE_YAML.format(name=_quote(clinic_name)), encoding="utf-8")
    (folder / "content/data/clinic.yaml").write_text(
        CLINIC_YAML.format(name=_quote(clinic_name)), encoding="utf-8"
    )
    (folder / "content/pages/privacy.md").write_text(PRIVACY_PAGE, encoding="utf-8")
    (folder / "templates/README.md").write_text(TEMPLATES_README, encoding="utf-8")
    (folder / ".gitignore").write_text(
        "/site/\n.healthsite-cache/\n.healthsite-preview/\n", encoding="utf-8"
    )
    return folder


def _people(content_dir: Path, content_rel: str) -> tuple[str, str]:
    """Default author and reviewer, so the draft is valid as written.

    Clinics list their lead clinician first (the reviewer) and the writing team last (the
    author); the editor changes either in the file.
    """
    clinic, _ = load_clinic(content_dir, content_rel)
    if clinic is None:
        return "your-key", "reviewer-key"
    keys = list(clinic.people)
    return keys[-1], keys[0]


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


def _choices() -> dict[str, str]:
    def join(alias: object) -> str:
        return ", ".join(typing.get_args(alias))

    return {
        "categories": join(Category),
        "areas": join(BodyArea),
        "positions": join(Position),
        "equipment": join(Equipment),
        "levels": join(Level),
        "sides": join(Sides),
    }


ARTICLE = """\
---
# A new article. Lines starting with '#' are comments. Field guide: docs/content-guide.md
title: {title}
# One or two plain sentences; shown in lists and search results.
summary: Replace this with a one-sentence summary of the article.
# Keys of people in content/data/clinic.yaml: who wrote it and which clinician checked it.
author: {author}
reviewer: {reviewer}
# Dates as YYYY-MM-DD. Set last_reviewed when a clinician has checked the whole page.
published: {today}
last_reviewed: {today}
next_review_due: {due}
tags: []
# Exercises this article recommends: file names from content/exercises/ without '.md'.
exercises: []
# Where the advice comes from. At least one, for example:
#   - title: Exercises for back pain
#     publisher: NHS inform
#     url: https://www.nhsinform.scot/
sources: []
# Drafts are not published. Set to false after review.
draft: true
---
Write the article here in Markdown. Use '##' for sections.

<!--
To show an exercise card, put a line like this on its own, with a blank line before and after:

[[exercise bridge]]

using the file name of the exercise (content/exercises/bridge.md) without '.md'.
-->

!!! tip "A helpful tip"
    Callouts: 'tip', 'caution', 'note', 'warning', 'important'. Indent the text by four spaces.
"""

EXERCISE = """\
---
# A new exercise. Lines starting with '#' are comments. Field guide: docs/content-guide.md
name: {title}
# Other names patients might search for, e.g. [glute bridge, hip raise]
alternate_names: []
# One or two plain sentences: what the exercise is for.
summary: Replace this with what the exercise is for.
# One of: {categories}
category: strengthening
# One or more of: {areas}
body_areas: [lower-back]
# One of: {positions}
position: lying-on-back
# One or more of: {equipment}
equipment: [mat]
# One of: {levels}
level: beginner
# One of: {sides}
sides: both-together
# Required when sides is each-side or alternating, e.g. "lifting and lowering one leg".
one_repetition_is: ""
# 2 to 10 steps, in order, one action each.
steps:
  - Replace with the first step.
  - Replace with the second step.
# Short reminders about good form.
key_points: []
# The usual starting dose. Remove hold_seconds or rest_seconds if they do not apply.
dose:
  sets: 1
  reps: 5
  hold_seconds: 3
  rest_seconds: 30
  times_per_day: 2
dose_note: This is a usual starting dose. Your physical therapist may change it.
# true if it is gentle enough to try during a flare-up.
flare_up_friendly: false
flare_up_advice: During a flare-up, do fewer repetitions and stop if it increases your pain.
# At least one. Always include a stop-if-pain line.
stop_if:
  - It causes sharp or severe pain.
  - Pain, numbness or tingling spreads down your leg.
# Who should check with a clinician before trying it.
not_suitable_if: []
# Illustrations in static/, each with alt text describing the position and movement.
images: []
# Where the advice comes from. At least one, for example:
#   - title: Exercises for back pain
#     publisher: NHS inform
#     url: https://www.nhsinform.scot/
sources: []
# Keys of people in content/data/clinic.yaml.
author: {author}
reviewer: {reviewer}
last_reviewed: {today}
next_review_due: {due}
# Drafts are not published. Set to false after a clinician has reviewed it.
draft: true
---
"""

SITE_YAML = """\
# Site settings. Every field is described in docs/configuration.md of healthsite.
title: {name}
tagline: Exercise and self-care guides from our clinical team
description: Patient information and exercise guides, reviewed by our clinicians.
# The address the site will be published at; used for canonical links, sitemap and feed.
base_url: https://www.example.org/
language: en
"""

CLINIC_YAML = """\
# The clinic: the single source of truth for how patients reach you.
name: {name}
# As people dial them locally; the site makes the international tel: links.
phones:
  main: "(213) 555-0100"
address:
  locality: Your city
  region: ""
  country: US
timezone: America/Los_Angeles
hours:
  - days: [Mo, Tu, We, Th, Fr]
    opens: "09:00"
    closes: "17:00"
emergency: If you have a medical emergency, call 911 or go to the nearest emergency department.
# Authors and clinical reviewers; content refers to them by key.
people:
  - key: lead-clinician
    name: Replace with the lead clinician's name
    credentials: MD
    role: Lead clinician
  - key: editorial-team
    name: Patient Education Team
    credentials: ""
    role: Editorial team
# The contact form needs an https:// endpoint that receives it (a form service). Until then
# the contact page offers phone contact only.
form:
  enabled: false
"""

PRIVACY_PAGE = """\
---
title: Privacy
summary: What this website does and does not collect about you.
---
This website sets no cookies, runs no analytics and loads nothing from other websites.
"""

TEMPLATES_README = """\
Templates placed here override healthsite's theme file by file: copy a file from the theme
(for example `partials/_speak_with_us.html`) into this folder with the same path and edit it.
See docs/templates.md in healthsite for the variables each template receives.
"""
