"""Offline reading: the service worker a build publishes at the site's root (`sw.js`).

The worker's code is a theme static file (`js/service-worker.js`, fingerprinted like any other);
`sw.js` (its path is in the route table) is a few lines the build writes: this build's settings,
then that file. The settings
carry a version made from everything the site's shell and its health facts are made from
(engine, settings, clinic, catalogs, static files, templates, every document's front matter), so
`sw.js` changes with every rebuild that changes them; browsers then install the new worker, and
it brings the pages a patient kept up to date. Page bodies are not part of the version: pages
are fetched from the network first whenever there is one, so an edited article reaches patients
without a new worker, and the quick rebuild of an edited body stays quick.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping

import jinja2

from healthsite.site.routes import OFFLINE_PAGE, SEARCH_BUNDLE, SHELL_PAGES
from healthsite.site.site_model import SiteModel

#: The worker's code, among the static files (a site may replace it like any other).
WORKER_CODE = "js/service-worker.js"
#: Files every offline visit needs, fetched when the worker is installed. Exercise pages and
#: their pictures are kept as they are opened (and when added to the routine).
SHELL_ASSETS = ("css/site.css", "css/print.css", "js/site.js", "js/routine.js", "img/favicon.svg")
#: Never answered by the worker: the search index must always be the current build's (the
#: worker keeps only pages and `static/` files anyway), and tools served beside the site (an
#: editor's admin page) are not the patients' pages.
BYPASS = (f"{SEARCH_BUNDLE}/", "admin/")


def templates_digest(env: jinja2.Environment) -> str:
    """Every template the environment can load, by name and text: a changed or new one (the
    theme's or a site's override) changes it."""
    assert env.loader is not None
    digest = hashlib.sha256()
    for name in sorted(env.list_templates()):
        source, _filename, _uptodate = env.loader.get_source(env, name)
        digest.update(f"{name}\0{len(source)}\0".encode())
        digest.update(source.encode())
    return digest.hexdigest()


def service_worker(models: Mapping[str, SiteModel], version: str) -> bytes:
    """`sw.js`: the settings of this build for the worker's code, then the code itself."""
    main = next(model for model in models.values() if model.is_main_language)
    root = main.config.url_prefix
    assets = main.assets

    def page(model: SiteModel, route: str) -> str:
        return root + (model.lang_prefix + route).lstrip("/")

    code = assets.dest(WORKER_CODE)
    settings = {
        "version": version[:16],
        "scope": root,
        "static": root + "static/",
        "precache": [page(m, route) for m in models.values() for route in SHELL_PAGES]
        + [root + dest for dest in map(assets.dest, SHELL_ASSETS) if dest is not None],
        # the offline page of each language, by the start of its addresses ("" = the main one)
        "offline": {m.lang_prefix.strip("/"): page(m, OFFLINE_PAGE) for m in models.values()},
        "bypass": [root + path for path in BYPASS],
    }
    text = (
        "// Made by healthsite for this build of the site; the code is in the file it imports.\n"
        f"self.HEALTHSITE = {json.dumps(settings, indent=1, sort_keys=True)};\n"
    )
    if code is not None:
        text += f"importScripts({json.dumps(root + code)});\n"
    return text.encode()
