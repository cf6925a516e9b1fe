"""What the editing form calls each content field, and the hint under it, in editors' words.

Keyed by `Model.field`, where `Model` is the class that declares the field (`Reviewed.author`
serves articles and exercises alike). `cms.config` builds the form from the models and takes
the words from here; `tests/unit/test_cms_config.py` fails when a model field has none, so a
new field cannot reach the form without a label and a hint an editor understands.
"""

from __future__ import annotations

from typing import NamedTuple


class Words(NamedTuple):
    label: str
    hint: str


WORDS: dict[str, Words] = {
    # -- shared by articles and exercises --------------------------------------------------
    "Reviewed.author": Words("Written by", "The person or team who wrote this page."),
    "Reviewed.reviewer": Words(
        "Checked by (clinician)",
        "The clinician who checked that the advice is correct and safe. Patients see their name.",
    ),
    "Reviewed.last_reviewed": Words(
        "Last checked on",
        "The day a clinician last checked the whole page. It cannot be in the future.",
    ),
    "Reviewed.next_review_due": Words(
        "Check again by",
        "When the page must be checked again; usually two years after the last check. "
        "The site warns when this date has passed.",
    ),
    "Reviewed.sources": Words(
        "Sources",
        "Where the advice comes from: guidelines or patient information from trusted "
        "organisations. Shown under 'Sources'.",
    ),
    "Reviewed.draft": Words(
        "Draft (keep off the site)",
        "Switch this off once a clinician has checked the page: drafts are not published.",
    ),
    "Source.title": Words("Title", "The title of the guideline, leaflet or web page."),
    "Source.publisher": Words("Published by", "Who published it, e.g. NHS or NICE."),
    "Source.url": Words("Web address", "Starting with https://. Leave empty for a printed source."),
    "Source.accessed": Words("Read on", "The day you read it (optional)."),
    # -- articles ---------------------------------------------------------------------------
    "ArticleMeta.title": Words("Title", "The page heading and the browser tab's title."),
    "ArticleMeta.summary": Words(
        "Summary",
        "One or two plain sentences. Shown in lists, in search results and in link previews.",
    ),
    "ArticleMeta.published": Words(
        "First published on",
        "Sorts articles (newest first) and dates the news feed. Leave empty to use the "
        "'last checked' date.",
    ),
    "ArticleMeta.tags": Words(
        "Keywords", "Words search engines may use; patients never see them. Optional."
    ),
    "ArticleMeta.exercises": Words(
        "Exercises in this article",
        "Shown as 'Exercises in this article', in this order. To show an exercise's card "
        "inside the text, put [[exercise name]] on a line of its own in the text below.",
    ),
    "ArticleMeta.videos": Words(
        "Videos", "Short videos kept on this site, with captions or a written description."
    ),
    "ArticleMeta.slug": Words(
        "Web address name (rarely needed)",
        "Leave empty: the page's address comes from its title. Lowercase letters, digits "
        "and single hyphens only.",
    ),
    # -- exercises --------------------------------------------------------------------------
    "ExerciseMeta.name": Words("Name", "The exercise's name, e.g. Bridge."),
    "ExerciseMeta.alternate_names": Words(
        "Other names",
        "Names patients might search for, e.g. glute bridge, hip raise. One per line.",
    ),
    "ExerciseMeta.summary": Words(
        "What it is for", "One or two plain sentences: what the exercise helps with."
    ),
    "ExerciseMeta.category": Words(
        "Type of exercise", "Groups the list of exercises. Choose the one that fits best."
    ),
    "ExerciseMeta.body_areas": Words("Body areas", "The parts of the body it works."),
    "ExerciseMeta.position": Words("Starting position", "How the patient starts."),
    "ExerciseMeta.equipment": Words(
        "Equipment", "What the patient needs. Choose 'No equipment' if nothing."
    ),
    "ExerciseMeta.level": Words("Level", "How demanding it is."),
    "ExerciseMeta.sides": Words(
        "Sides of the body",
        "Both together (bridge), each side in turn (clamshell) or alternating (bird dog).",
    ),
    "ExerciseMeta.one_repetition_is": Words(
        "One repetition is…",
        "Required when the sides are 'each side in turn' or 'alternating'. Finish the "
        "sentence 'One repetition is …', e.g. lifting and lowering your top knee once.",
    ),
    "ExerciseMeta.steps": Words(
        "Steps",
        "2 to 10 steps, in order, one action each. Short sentences patients can follow "
        "while they move.",
    ),
    "ExerciseMeta.key_points": Words("Key points", "Short reminders about good form. Optional."),
    "ExerciseMeta.dose": Words(
        "How much to do",
        "The usual starting dose, in whole numbers. The site turns it into a sentence.",
    ),
    "ExerciseMeta.dose_note": Words(
        "Note under the dose", "Shown under the dose. Leave the usual note unless you need another."
    ),
    "ExerciseMeta.flare_up_friendly": Words(
        "Gentle enough during a flare-up",
        "Switch on to show a 'Gentle during flare-ups' badge.",
    ),
    "ExerciseMeta.flare_up_advice": Words(
        "During a flare-up", "What to change, or whether to skip it, when pain flares up."
    ),
    "ExerciseMeta.stop_if": Words(
        "Stop and get advice if",
        "At least one. Always include a line about sharp or severe pain. Shown before the steps.",
    ),
    "ExerciseMeta.not_suitable_if": Words(
        "Check with a clinician first if",
        "Who should ask their clinician before trying it, e.g. after recent surgery.",
    ),
    "ExerciseMeta.images": Words(
        "Pictures", "Drawings of the position and the movement, each with a description."
    ),
    "ExerciseMeta.videos": Words(
        "Videos", "Short videos kept on this site, with captions or a written description."
    ),
    "ExerciseMeta.slug": Words(
        "Web address name (rarely needed)",
        "Leave empty: the page's address comes from its name. Lowercase letters, digits "
        "and single hyphens only.",
    ),
    "Image.src": Words(
        "Picture",
        "A photo (JPEG from your phone is fine: the site makes it small and removes its "
        "location) or a drawing (SVG, PNG).",
    ),
    "Image.alt": Words(
        "Description for screen readers",
        "Required. Describe the starting position and the movement, not just the name: "
        "where the body is, what moves and which way.",
    ),
    "Image.caption": Words("Caption", "A short line shown under the picture. Optional."),
    "Video.src": Words("Video file (MP4)", "The video saved as MP4 (H.264). At most 50 MB."),
    "Video.webm": Words(
        "The same video as WebM", "Optional: offered first to browsers that play it."
    ),
    "Video.poster": Words(
        "Still picture", "A photo from the video: shown before it plays, and printed in its place."
    ),
    "Video.title": Words("Title", "What the video shows, in a few words. Shown under it."),
    "Video.speech": Words(
        "Someone speaks in it", "Tick if anyone talks: then a captions file is required."
    ),
    "Video.captions": Words(
        "Captions (.vtt)", "A WebVTT file of everything said. Required when someone speaks."
    ),
    "Video.descriptions": Words(
        "Audio descriptions (.vtt)", "Optional: a WebVTT file describing what is shown, not said."
    ),
    "Video.transcript": Words(
        "What the video shows, in words",
        "Required when nobody speaks: say the steps it shows, for people who cannot see it.",
    ),
    "Dose.sets": Words("Sets", "How many sets: 1 to 10."),
    "Dose.reps": Words("Repetitions in each set", "1 to 50."),
    "Dose.hold_seconds": Words(
        "Hold each for (seconds)", "Leave empty if there is no hold. 1 to 300."
    ),
    "Dose.rest_seconds": Words(
        "Rest between sets (seconds)", "Leave empty if there is no rest. 0 to 600."
    ),
    "Dose.times_per_day": Words("Times a day", "1 to 10."),
    # -- plain pages ------------------------------------------------------------------------
    "PageMeta.title": Words("Title", "The page heading."),
    "PageMeta.summary": Words("Summary", "One sentence, shown in search results."),
    "PageMeta.slug": Words(
        "Web address name (rarely needed)",
        "Leave empty: the page's address comes from its file name.",
    ),
    "PageMeta.draft": Words("Draft (keep off the site)", "Drafts are not published."),
    # -- translations -----------------------------------------------------------------------
    "*.translation": Words(
        "About this translation",
        "Who translated it, and whether a clinician has checked it.",
    ),
    "Provenance.method": Words(
        "Translated by", "A person, or a machine (a translation service) that a person checks."
    ),
    "Provenance.translator": Words(
        "Translator", "The translator's name, or the translation service's."
    ),
    "Provenance.reviewed_by": Words(
        "Checked by",
        "The person who checked the translation. Until someone has, machine-translated "
        "safety text (steps, stop-if) is not published.",
    ),
    "Provenance.source_digest": Words(
        "Matches the main-language page",
        "Tick once the translation says everything the main-language page says now; the "
        "site warns when that page changes later.",
    ),
    "Provenance.safety_digest": Words(
        "Matches the safety text",
        "Set with the tick above: the steps, dose and stop-if lines it was checked against.",
    ),
    "ImageText.alt": Words(
        "Description for screen readers", "The picture's description in this language."
    ),
    "ImageText.caption": Words("Caption", "The caption in this language."),
    # -- the clinic -------------------------------------------------------------------------
    "ClinicMeta.name": Words("Clinic name", "As patients know it. Shown on every page."),
    "ClinicMeta.phones": Words("Phone numbers", "As people dial them locally."),
    "ClinicMeta.email": Words("Email", "Only if the clinic answers email from patients. Optional."),
    "ClinicMeta.address": Words("Address", "Fill in only what the clinic has confirmed."),
    "ClinicMeta.map_url": Words(
        "Map link",
        "A plain https:// link to the clinic on a map. Never an embedded map: it would "
        "track visitors.",
    ),
    "ClinicMeta.timezone": Words("Time zone", "Where the clinic's opening hours apply."),
    "ClinicMeta.hours": Words(
        "Opening hours", "One line for each set of days with the same hours."
    ),
    "ClinicMeta.closures": Words("Closures", "Holidays and other days the clinic is closed."),
    "ClinicMeta.emergency": Words(
        "Emergency notice",
        "What to do in an emergency. Shown on every page, so keep it short and exact.",
    ),
    "ClinicMeta.people": Words(
        "People",
        "Authors, clinical reviewers and clinicians patients may see. Pages refer to them "
        "by their key.",
    ),
    "ClinicMeta.specialties": Words("Specialties", "What the clinic treats, for search engines."),
    "ClinicMeta.languages": Words("Languages spoken", "Codes such as en or es. One per line."),
    "ClinicMeta.form": Words(
        "Contact form",
        "Off unless the clinic has a secure (https://) address that receives messages.",
    ),
    "ClinicMeta.translations": Words(
        "In other languages", "The clinic's own words in the site's other languages."
    ),
    "Phones.main": Words("Main number", "Shown on every page."),
    "Phones.appointments": Words("Appointments", "Optional."),
    "Phones.fax": Words("Fax", "Optional."),
    "Address.street": Words("Street", "Optional."),
    "Address.locality": Words("City or town", "Required."),
    "Address.region": Words("State or region", "Optional, e.g. CA."),
    "Address.postal_code": Words("Postal code", "Optional."),
    "Address.country": Words("Country", "Required."),
    "Hours.days": Words("Days", "The days with these hours."),
    "Hours.opens": Words("Opens at", "24-hour time, e.g. 08:30."),
    "Hours.closes": Words("Closes at", "24-hour time, e.g. 17:00; 24:00 for midnight."),
    "Closure.first_day": Words("First day closed", "The first day the clinic is closed."),
    "Closure.last_day": Words("Last day closed", "The same day for a one-day closure."),
    "Closure.note": Words("Note", "e.g. Thanksgiving. Optional."),
    "Person.key": Words(
        "Key",
        "A short name pages use for this person: lowercase letters, digits and hyphens, "
        "e.g. jane-doe. Do not change it once pages use it.",
    ),
    "Person.name": Words("Name", "As patients see it, e.g. Dr. Jane Doe."),
    "Person.credentials": Words("Credentials", "e.g. MD, PT. Optional."),
    "Person.role": Words("Role", "e.g. Lead physical therapist. Optional."),
    "ContactForm.enabled": Words("Offer the contact form", "Only with an https:// address below."),
    "ContactForm.endpoint": Words(
        "Where the form sends messages",
        "An https:// address from a form service that receives messages for the clinic.",
    ),
    "ContactForm.honeypot": Words(
        "Spam trap field name",
        "A hidden field robots fill in and people leave empty. Leave as it is.",
    ),
    "ClinicText.emergency": Words("Emergency notice", "The emergency notice in this language."),
    "ClinicText.roles": Words("Roles", "Each person's role in this language."),
    "ClinicText.closures": Words(
        "Closure notes", "The closures' notes in this language, in the same order."
    ),
    # -- the Markdown text of a page --------------------------------------------------------
    "body": Words(
        "Text",
        "Markdown: ## for a section heading, - for a list item, **bold**. "
        "[[exercise bridge]] on a line of its own shows an exercise's card. "
        "The content guide explains the rest.",
    ),
}

#: What one item of a list of sentences or words is called in the form.
ITEM_WORDS: dict[str, str] = {
    "alternate_names": "Other name",
    "steps": "Step",
    "key_points": "Key point",
    "stop_if": "Stop and get advice if…",
    "not_suitable_if": "Check with a clinician first if…",
    "tags": "Keyword",
    "languages": "Language code",
    "closures": "Closure note",
}
