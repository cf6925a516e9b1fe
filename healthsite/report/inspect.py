"""The build's stages up to the checks, without rendering or writing: what the report reads.

It parses every file (drafts too), puts the site together as a build would, and keeps every
problem the build would report, so the report and the build never disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from healthsite.build.parse_cache import parse_all
from healthsite.config import SiteConfig, load_config, load_site_clinic
from healthsite.content.clinic import Clinic
from healthsite.content.documents import Document, TranslationDoc
from healthsite.content.sources import discover
from healthsite.diagnostics import Diagnostic, ordered
from healthsite.render.environment import make_environment
from healthsite.render.overrides import template_ids
from healthsite.site.assemble import assemble
from healthsite.site.assets import collect_assets
from healthsite.site.links import checked_links
from healthsite.site.routes import plan
from healthsite.site.site_model import SiteModel


@dataclass(frozen=True, slots=True)
class Inspection:
    """A site as the build sees it, before anything is rendered."""

    config: SiteConfig | None
    clinic: Clinic | None = None
    documents: tuple[Document, ...] = ()
    """Every parsed page in the main language, drafts included."""
    translations: tuple[TranslationDoc, ...] = ()
    models: dict[str, SiteModel] = field(default_factory=dict)
    """The published site per language (empty when the clinic file has errors)."""
    diagnostics: tuple[Diagnostic, ...] = ()


def inspect_site(root: Path, *, today: dt.date | None = None) -> Inspection:
    """Load, discover, parse, assemble and check links, collecting every problem."""
    config, found = load_config(root, today=today)
    if config is None:
        return Inspection(None, diagnostics=tuple(found))
    clinic, problems = load_site_clinic(config)
    found += problems
    sources, problems = discover(config.content_dir, config.files, config.languages)
    found += problems
    documents, translations, broken, unreadable = [], [], set(), []
    for source, (parsed, problems) in zip(sources, parse_all(sources), strict=True):
        found += problems
        if parsed is None:
            broken.add(source.slug)
            unreadable.append(source)
        elif isinstance(parsed, TranslationDoc):
            translations.append(parsed)
        else:
            documents.append(parsed)
    models: dict[str, SiteModel] = {}
    if clinic is not None:
        assets, unread = collect_assets(config.static_dir, config.files)
        found += unread
        site, problems = assemble(config, clinic, documents, assets, broken, translations)
        models = site.models
        found += problems
        ids = template_ids(make_environment(config.templates_dir, None, config.files))
        found += checked_links(site, plan(models), ids, documents, unreadable)[1]
    return Inspection(
        config, clinic, tuple(documents), tuple(translations), models, tuple(ordered(found))
    )
