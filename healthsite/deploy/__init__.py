"""Going live on a server the clinic runs: web server configurations made from the site's settings.

`config_text` is what `healthsite deploy-config nginx|caddy|apache|htaccess` prints or writes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from healthsite import __version__
from healthsite.config import SiteConfig
from healthsite.content.clinic import Clinic
from healthsite.deploy.apache import apache_config, htaccess
from healthsite.deploy.caddy import caddy_config
from healthsite.deploy.nginx import nginx_config
from healthsite.deploy.rules import HostRules, Tls, host_rules, letsencrypt

__all__ = ["SERVERS", "HostRules", "Tls", "config_text", "host_rules", "options_rules"]

#: Each server: how its file is written, and where the file goes.
SERVERS: dict[str, tuple[Callable[[HostRules, str], str], str]] = {
    "nginx": (
        nginx_config,
        "Save as /etc/nginx/sites-available/{name}, link it from sites-enabled/,\n"
        "check with `nginx -t`, then `systemctl reload nginx`.",
    ),
    "caddy": (
        caddy_config,
        "Add to /etc/caddy/Caddyfile (Caddy gets the HTTPS certificate itself),\n"
        "check with `caddy validate --config /etc/caddy/Caddyfile`, then `systemctl reload caddy`.",
    ),
    "apache": (
        apache_config,
        "Save as /etc/apache2/sites-available/{name}.conf, run `a2enmod headers deflate ssl`\n"
        "and `a2ensite {name}`, check with `apachectl -t`, then `systemctl reload apache2`.",
    ),
    "htaccess": (
        htaccess,
        "Save as .htaccess in the folder the site is uploaded to (shared Apache hosting).\n"
        "The host must allow overrides (AllowOverride All) and have mod_headers.",
    ),
}


def config_text(config: SiteConfig, server: str, rules: HostRules) -> str:
    """The whole file for `server`, opening with where it goes and how it was made."""
    write, where = SERVERS[server]
    header = (
        f"{server} configuration for {config.settings.title}, made by healthsite {__version__}\n"
        "(`deploy-config`) from site.yaml and clinic.yaml. Make it again when the site's\n"
        "address, languages, search or contact form change.\n"
        + where.format(name=rules.server_name)
        + "\nDocs: docs/deploying.md"
    )
    return write(rules, header)


def options_rules(config: SiteConfig, clinic: Clinic, options: Any) -> HostRules:
    """The rules `deploy-config`'s options ask for (see `healthsite deploy-config --help`)."""
    name = options.server_name or urlsplit(config.settings.base_url).hostname or "localhost"
    tls = None  # Caddy gets its own certificate unless told which to use
    if options.server != "caddy" or options.tls_cert:
        default = letsencrypt(name)
        tls = Tls(options.tls_cert or default.certificate, options.tls_key or default.key)
    return host_rules(
        config,
        clinic,
        root=options.root,
        server_name=name,
        hsts=options.hsts,
        tls=tls,
        port=options.port,
        http_port=options.http_port,
        plain_http=options.no_tls,
    )
