"""The site files (sitemap, feed, robots.txt, `_headers`, the contact card, the browse lists):
each made from the whole site by its own function, at the path the route table gives it."""

from __future__ import annotations

from collections.abc import Callable

from healthsite.render.feeds import atom_feed, robots, sitemap
from healthsite.render.offline import service_worker
from healthsite.render.security import headers_file, route_paths, site_rules
from healthsite.render.vcard import clinic_vcard
from healthsite.search.facets import browse_index
from healthsite.site.artifact import Artifact
from healthsite.site.routes import FileKind, FileRoute, Routes
from healthsite.site.site_model import Site


def make_site_file(
    route: FileRoute, site: Site, routes: Routes, version: Callable[[], str]
) -> Artifact:
    """One site file's bytes, at its route's path. `version` gives a digest of everything the
    file is made from (the service worker carries it)."""
    return Artifact(route.dest_path, _content(route, site, routes, version))


def _content(route: FileRoute, site: Site, routes: Routes, version: Callable[[], str]) -> bytes:
    main = site.main
    if route.kind is FileKind.SITEMAP:
        return sitemap(site.models, routes.pages)
    if route.kind is FileKind.FEED:
        return atom_feed(site.models[route.lang])
    if route.kind is FileKind.ROBOTS:
        return robots(main)
    if route.kind is FileKind.HEADERS:
        form = site.clinic.meta.form
        search = site.config.settings.search.enabled
        published = site.config.settings.editor.published
        paths = site_rules(route_paths(routes, search)) if published else ()
        return headers_file(search, form.endpoint if form.enabled else None, paths)
    if route.kind is FileKind.VCARD:
        return clinic_vcard(site.clinic, site.config.settings.base_url)
    if route.kind is FileKind.SERVICE_WORKER:
        return service_worker(site.models, version())
    return browse_index(site.models[route.lang])
