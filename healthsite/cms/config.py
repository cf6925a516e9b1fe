"""Decap CMS's configuration, made from the content models each time the editor opens (each
field by `fields.py`).

Nothing here is kept by hand: every collection's fields come from the pydantic models in
`content/models.py` (types, required flags, limits, patterns, allowed values), their labels and
hints from `cms.words`, the people to choose from from the clinic file, and the languages from
`site.yaml`. A field added to a model appears in the form; a field without words fails
`tests/unit/test_cms_config.py`.

Languages use Decap's i18n (`multiple_files`): a field that the model's translation
(`ExerciseTranslation`, ...) also has is translatable, every other field comes from the main
language's entry and is not shown for a translation. The translation's own record (who
translated it, who checked it) is the `provenance` widget of `cms/static/admin.js`.
"""

from __future__ import annotations

from typing import Any

from healthsite.cms.fields import (
    BODY,
    IMAGE_FOLDER,
    SiteFacts,
    field_order,
    form_field,
    with_words,
)
from healthsite.cms.words import WORDS
from healthsite.content.clinic import CLINIC_FILE
from healthsite.content.clinic_models import ClinicMeta
from healthsite.content.documents import META_MODELS, TRANSLATION_MODELS
from healthsite.content.sources import FOLDERS, Kind

#: What a collection is called in the form, and the field that names each entry.
COLLECTIONS: dict[Kind, tuple[str, str, str]] = {
    Kind.EXERCISE: ("Exercises", "Exercise", "name"),
    Kind.ARTICLE: ("Articles", "Article", "title"),
    Kind.PAGE: ("Pages", "Page", "title"),
}


def decap_config(facts: SiteFacts) -> dict[str, Any]:
    """The configuration `CMS.init({config})` receives (admin.js adds the backend's address)."""
    config: dict[str, Any] = {
        "load_config_file": False,
        "backend": {"name": "proxy", "branch": "main"},
        "local_backend": True,
        "publish_mode": "simple",
        "locale": "en",
        "media_folder": f"{facts.static_dir}/{IMAGE_FOLDER}",
        "public_folder": IMAGE_FOLDER,
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [*(_folder_collection(kind, facts) for kind in COLLECTIONS)],
    }
    config["collections"].append(_clinic_collection(facts))
    if len(facts.languages) > 1:
        config["i18n"] = {
            "structure": "multiple_files",
            "locales": list(facts.languages),
            "default_locale": facts.languages[0],
        }
    return config


def _folder_collection(kind: Kind, facts: SiteFacts) -> dict[str, Any]:
    label, singular, identifier = COLLECTIONS[kind]
    folder = next(name for name, k in FOLDERS.items() if k == kind)
    model, translation = META_MODELS[kind], TRANSLATION_MODELS[kind]
    translatable = set(translation.model_fields) if len(facts.languages) > 1 else set()
    fields = [form_field(model, name, facts, translatable) for name in field_order(model)]
    if translatable:  # the translation's own record, after the page's fields
        extra = [n for n in translation.model_fields if n not in model.model_fields]
        fields += [form_field(translation, name, facts, translatable) for name in extra]
    body = with_words(
        {"name": BODY, "widget": "markdown", "modes": ["raw"], "required": False}, WORDS[BODY]
    )
    fields.append({**body, "i18n": True} if translatable else body)
    collection: dict[str, Any] = {
        "name": folder,
        "label": label,
        "label_singular": singular,
        "folder": f"{facts.content_dir}/{folder}",
        "extension": "md",
        "format": "frontmatter",
        "create": True,
        "identifier_field": identifier,
        "summary": f"{{{{{identifier}}}}}",
        "slug": "{{slug}}",
        "preview_path": f"{folder}/{{{{slug}}}}/" if kind != Kind.PAGE else "{{slug}}/",
        "fields": fields,
    }
    if kind == Kind.EXERCISE:
        collection["media_folder"] = f"/{facts.static_dir}/{IMAGE_FOLDER}"
        collection["public_folder"] = IMAGE_FOLDER
    if translatable:
        collection["i18n"] = True
    return collection


def _clinic_collection(facts: SiteFacts) -> dict[str, Any]:
    fields = [form_field(ClinicMeta, name, facts, set()) for name in ClinicMeta.model_fields]
    return {
        "name": "clinic",
        "label": "Clinic details",
        "editor": {"preview": False},
        "files": [
            {
                "name": "clinic",
                "label": "Clinic details: phones, address, hours, people",
                "file": f"{facts.content_dir}/{CLINIC_FILE}",
                "format": "yaml",
                "fields": fields,
            }
        ],
    }
