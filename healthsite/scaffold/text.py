"""The text of new files. Everything a scaffold cannot know is a `[REPLACE: what to write]`
placeholder: the build refuses to publish a page (or a clinic file) that still holds one."""

from __future__ import annotations

ARTICLE = """\
---
# A new article. Lines starting with '#' are comments. Field guide: docs/content-guide.md
# Replace each [REPLACE: ...] (the brackets too) with your own words.
# The page is not published while it says 'draft: true' or while a [REPLACE: ...] is left.
title: {title}
# One or two plain sentences; shown in lists and search results.
summary: "[REPLACE: a one-sentence summary of the article, in plain words]"
# Keys of people in content/data/clinic.yaml: who wrote it and which clinician checked it.
author: {author}
reviewer: {reviewer}
# Dates as YYYY-MM-DD. last_reviewed is the day a clinician checked the whole page.
last_reviewed: "[REPLACE: the day a clinician checked the whole page, like {today}]"
next_review_due: "[REPLACE: the day of the next review, like {due}]"
# The day it first goes on the site (without it, last_reviewed is shown):
# published: {today}
# Words people might search for, e.g. [sleep, pillows]
tags: []
# Exercises this article recommends: file names from content/exercises/ without '.md'.
exercises: []
# Where the advice comes from. At least one, for example:
#   - title: Exercises for back pain
#     publisher: NHS inform
#     url: https://www.nhsinform.scot/
sources: []
# Drafts are not published. Set to false after a clinician has reviewed it.
draft: true
---
[REPLACE: the article, in short paragraphs and everyday words, with '##' before each section title]

<!--
Notes for you; they are never shown on the site.

To show an exercise card, put a line like this on its own, with a blank line before and after,
using the file name of the exercise (content/exercises/bridge.md) without '.md':

[[exercise bridge]]

Callouts ('tip', 'caution', 'note', 'warning', 'important') look like this, with the text
indented by four spaces:

!!! tip "Pace yourself"
    Do a little every day rather than a lot on one day.

Links to other pages of the site use their address, e.g. [the bridge](/exercises/bridge/) or
[the stop signs](/exercises/bridge/#stop-if-heading).
-->
"""

EXERCISE = """\
---
# A new exercise. Lines starting with '#' are comments. Field guide: docs/content-guide.md
# Replace each [REPLACE: ...] (the brackets too) with your own words.
# The page is not published while it says 'draft: true' or while a [REPLACE: ...] is left.
name: {title}
# Other names patients might search for, e.g. [glute bridge, hip raise]
alternate_names: []
# One or two plain sentences: what the exercise is for.
summary: "[REPLACE: what the exercise is for, in one or two plain sentences]"
{guessed}# One of: {categories}
category: {category}
# One or more of: {areas}
# in square brackets, e.g. [lower-back, hips]
body_areas: {body_areas}
# Where the patient starts. One of: {positions}
position: {position}
# One or more of: {equipment}
# in square brackets, e.g. [mat, pillow]
equipment: {equipment_value}
# One of: {levels}
level: "[REPLACE: one of {levels_or}]"
# both-together (e.g. both legs at once), each-side (one side, then the other),
# or alternating (left, right, left...)
sides: {sides}
# Required when sides is each-side or alternating, e.g. "lifting and lowering one leg".
one_repetition_is: {one_repetition}
# 2 to 10 steps, in order, one action each.
steps:
  - "[REPLACE: the first step: one action, in plain words]"
  - "[REPLACE: the next step]"
# Short reminders about good form, e.g. [Keep breathing., Move slowly.]
key_points: []
# The usual starting dose; the reviewing clinician checks it. Add hold_seconds: 5 if the
# patient holds a position; remove rest_seconds if there is no rest between sets.
dose:
  sets: 1
  reps: 5
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
# Dates as YYYY-MM-DD. last_reviewed is the day a clinician checked the whole page.
last_reviewed: "[REPLACE: the day a clinician checked the whole page, like {today}]"
next_review_due: "[REPLACE: the day of the next review, like {due}]"
# Drafts are not published. Set to false after a clinician has reviewed it.
draft: true
---
"""

SITE_YAML = """\
# Site settings. Every field is described in docs/configuration.md of healthsite.
# Replace each [REPLACE: ...] (the brackets too) with your own words.
title: {name}
tagline: Exercise and self-care guides from our clinical team
description: Patient information and exercise guides, reviewed by our clinicians.
# The address the site will be published at; used for canonical links, sitemap and feed.
# The build warns while it is still www.example.org.
base_url: https://www.example.org/
language: en
# Pages whose text reads above this US school grade get a warning (patient materials: 6 to 8).
readability:
  max_grade: 8
"""

CLINIC_YAML = """\
# The clinic: the single source of truth for how patients reach you.
# Replace each [REPLACE: ...] (the brackets too) with your own words.
# The site is not published while a [REPLACE: ...] is left in this file.
name: {name}
# As people dial them locally, in quotes; the site makes the international tel: links.
phones:
  main: "[REPLACE: the clinic's main phone number, like (213) 555-0100]"
address:
  street: ""
  locality: "[REPLACE: the clinic's town or city]"
  region: ""
  postal_code: ""
  country: "[REPLACE: the two-letter country code, like US]"
# A time zone name, e.g. America/New_York, America/Chicago, America/Denver,
# America/Los_Angeles, Europe/London
timezone: "[REPLACE: the clinic's time zone, like America/Los_Angeles]"
# Opening hours: days as Mo Tu We Th Fr Sa Su, times as "HH:MM" in quotes (24-hour clock).
hours:
  - days: [Mo, Tu, We, Th, Fr]
    opens: "[REPLACE: the opening time, like 09:00]"
    closes: "[REPLACE: the closing time, like 17:00]"
# What patients should do in an emergency where the clinic is (911 in the US and Canada).
emergency: If you have a medical emergency, call 911 or go to the nearest emergency department.
# Authors and clinical reviewers; content refers to them by key.
people:
  - key: lead-clinician
    name: "[REPLACE: the lead clinician's name, like Dr. Ana Ruiz]"
    credentials: "[REPLACE: their credentials, like MD or DPT]"
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
A file here that overrides nothing and that no template includes has no effect: the build warns
about it. See docs/templates.md in healthsite for the variables each template receives.
"""
