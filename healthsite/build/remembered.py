"""What a build leaves for the next: its manifest (every output with what it was made from)
and its site, for `serve`'s quick way (both kept by `memory.py`)."""

from __future__ import annotations

from healthsite.build.manifest import Manifest
from healthsite.build.memory import LastSite
from healthsite.build.outputs import Made
from healthsite.build.parse_cache import Parsed
from healthsite.build.receipt import Stamp
from healthsite.build.report import BuildReport, kept_report
from healthsite.build.search_index import Bundle
from healthsite.build.write import Written
from healthsite.render.environment import Templates
from healthsite.site.links import LinkTargets
from healthsite.site.routes import Routes
from healthsite.site.site_model import Site


def build_manifest(
    made: Made, written: Written, bundle: Bundle, report: BuildReport, inputs: Stamp | None
) -> Manifest:
    """The manifest of this build: every output with what it was made from."""
    return Manifest(
        made.outputs,
        written.assets,
        made.globals,
        made.dep_digests,
        made.template_digests,
        report.index_pending,
        bundle,
        # taken before reading: a file saved during this build makes the next one look
        inputs.value if inputs is not None else None,
        kept_report(report),
    )


def last_site(
    site: Site,
    routes: Routes,
    targets: LinkTargets,
    templates: Templates,
    parsed: Parsed,
    made: Made,
    report: BuildReport,
) -> LastSite:
    """This build's site, for the quick way of the next (in `serve`)."""
    return LastSite(
        site,
        routes,
        made.values,
        templates,
        list(report.diagnostics),
        parsed.problems_of,
        {doc.src_path: doc for model in site.models.values() for doc in model.documents},
        targets=targets,
    )
