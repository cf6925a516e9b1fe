"""`deploy-config` output, checked by the real nginx, Caddy and Apache and then served by each.

Each server checks its file (`nginx -t`, `caddy validate`, `apachectl -t`), then serves a copy of
the built sample site over HTTPS (a certificate made for the test) on free ports, and real HTTP
requests check what a visitor's browser and a search engine get.
"""

from __future__ import annotations

import gzip
import html
import http.client
import re
import shutil
import ssl
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.deploy import servers
from tests.helpers import require_command, run_cli

SERVERS = ("nginx", "caddy", "apache")
META_CSP = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


@dataclass(frozen=True, slots=True)
class Served:
    server: str
    ports: servers.Ports
    tls: ssl.SSLContext
    site: Path
    config: str

    def get(
        self, path: str, headers: dict[str, str] | None = None, *, https: bool = True
    ) -> tuple[int, dict[str, str], bytes]:
        if https:
            conn: http.client.HTTPConnection = http.client.HTTPSConnection(
                "localhost", self.ports.https, context=self.tls, timeout=30
            )
        else:
            conn = http.client.HTTPConnection("localhost", self.ports.http, timeout=30)
        try:
            conn.request("GET", path, headers=headers or {})
            response = conn.getresponse()
            return (
                response.status,
                {k.lower(): v for k, v in response.getheaders()},
                response.read(),
            )
        finally:
            conn.close()


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            require_command("openssl"),
            "req", "-x509", "-nodes", "-days", "2",
            "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )  # fmt: skip
    return cert, key


@pytest.fixture(scope="module")
def public_site(sample_site: Path) -> Iterator[Path]:
    """The built site where a server's unprivileged workers can read it (as on a real host)."""
    parent = Path(tempfile.mkdtemp(prefix="healthsite-served-"))
    target = parent / "site"
    shutil.copytree(sample_site, target)
    for path in (parent, *target.rglob("*"), target):
        path.chmod(0o755 if path.is_dir() else 0o644)
    yield target
    shutil.rmtree(parent, ignore_errors=True)


@pytest.fixture(scope="module", params=SERVERS)
def served(
    request: pytest.FixtureRequest,
    sample_site: Path,
    public_site: Path,
    certificate: tuple[Path, Path],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Served]:
    server: str = request.param
    work = tmp_path_factory.mktemp(server)
    ports = servers.Ports(https=servers.free_port(), http=servers.free_port())
    cert, key = certificate
    site_file = work / f"site-{server}.conf"
    made = run_cli(
        "deploy-config", server, "--site", str(sample_site.parent),
        "--server-name", "localhost", "--root", str(public_site),
        "--port", str(ports.https), "--http-port", str(ports.http),
        "--tls-cert", str(cert), "--tls-key", str(key), "--hsts", "--output", str(site_file),
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    main = servers.main_config(server, site_file, work, ports)
    checked = servers.check(server, main)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    with servers.running(server, main, ports):
        yield Served(
            server,
            ports,
            ssl.create_default_context(cafile=str(cert)),
            public_site,
            site_file.read_text(encoding="utf-8"),
        )


def meta_policy(body: bytes) -> str:
    match = META_CSP.search(body.decode("utf-8"))
    assert match, "no <meta> policy"
    return html.unescape(match.group(1))


@pytest.mark.parametrize(
    "path", ["/", "/search/", "/es/search/", "/contact/", "/es/contact/", "/exercises/bridge/"]
)
def test_each_page_gets_its_meta_policy_as_a_header_and_the_rest(served: Served, path: str) -> None:
    status, headers, body = served.get(path)
    assert status == 200
    assert headers["content-security-policy"] == meta_policy(body) + "; frame-ancestors 'none'"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert "camera=()" in headers["permissions-policy"]
    assert headers["x-frame-options"] == "DENY"
    assert headers["strict-transport-security"] == "max-age=31536000"  # asked for with --hsts
    assert headers["cache-control"] == "no-cache"
    assert headers["content-type"].lower() == "text/html; charset=utf-8"


def test_fingerprinted_files_are_cached_for_good_and_compressed(served: Served) -> None:
    css = next(served.site.glob("static/css/site.*.css"))
    path = "/" + css.relative_to(served.site).as_posix()
    status, headers, body = served.get(path, {"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["cache-control"] == "public, max-age=31536000, immutable"
    assert headers["content-encoding"] == "gzip"
    assert "accept-encoding" in headers.get("vary", "").lower()
    assert gzip.decompress(body) == css.read_bytes()
    assert headers["content-type"].startswith("text/css")
    # a page is compressed too, and revalidated
    status, headers, body = served.get("/exercises/", {"Accept-Encoding": "gzip"})
    assert (status, headers["content-encoding"]) == (200, "gzip")
    assert gzip.decompress(body) == (served.site / "exercises/index.html").read_bytes()


def test_pagefind_files_keep_their_own_compression(served: Served) -> None:
    fragment = next(served.site.glob("pagefind/fragment/*.pf_fragment"))
    path = "/" + fragment.relative_to(served.site).as_posix()
    status, headers, body = served.get(path, {"Accept-Encoding": "gzip"})
    assert status == 200 and body == fragment.read_bytes()  # as Pagefind wrote it
    assert "content-encoding" not in headers
    assert headers["content-type"] == "application/octet-stream"
    assert headers["cache-control"] == "public, max-age=31536000, immutable"
    status, headers, _ = served.get("/pagefind/pagefind.js")
    assert status == 200 and headers["cache-control"] == "no-cache"  # not fingerprinted


@pytest.mark.parametrize(
    ("path", "media_type"),
    [
        ("/clinic.vcf", "text/vcard"),
        ("/feed.xml", "application/atom+xml"),
        ("/sitemap.xml", "xml"),
        ("/pagefind/wasm.en.pagefind", "application/octet-stream"),
        ("/robots.txt", "text/plain"),
    ],
)
def test_media_types(served: Served, path: str, media_type: str) -> None:
    status, headers, _ = served.get(path)
    assert status == 200
    assert media_type in headers["content-type"], headers["content-type"]


@pytest.mark.parametrize(
    ("path", "lang", "page_file"),
    [
        ("/no-such-page/", "en", "404.html"),
        ("/exercises/no-such-exercise/", "en", "404.html"),
        ("/es/no-such-page/", "es", "es/404.html"),
        ("/es/exercises/nada/", "es", "es/404.html"),
        ("/.healthsite-output", "en", "404.html"),
        ("/_headers", "en", "404.html"),
    ],
)
def test_missing_pages_get_the_404_page_in_their_language(
    served: Served, path: str, lang: str, page_file: str
) -> None:
    status, headers, body = served.get(path)
    assert status == 404
    assert body == (served.site / page_file).read_bytes()
    assert f'<html lang="{lang}"' in body.decode("utf-8")
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["content-security-policy"].endswith("frame-ancestors 'none'")


def test_plain_http_goes_to_https(served: Served) -> None:
    status, headers, _ = served.get("/exercises/", https=False)
    assert status in (301, 308)
    assert headers["location"].startswith("https://localhost")


def test_no_server_version_is_announced(served: Served) -> None:
    _, headers, _ = served.get("/")
    assert not re.search(r"\d", headers.get("server", "")), headers.get("server")


@pytest.mark.parametrize(
    ("server", "options"),
    [
        ("nginx", ["--no-tls"]),
        ("apache", ["--no-tls"]),
        ("caddy", []),  # Caddy's own automatic HTTPS: the usual way to run it
        ("caddy", ["--no-tls"]),
    ],
)
def test_other_variants_pass_the_servers_own_checks(
    sample_site: Path, tmp_path: Path, server: str, options: list[str]
) -> None:
    site_file = tmp_path / "site.conf"
    made = run_cli(
        "deploy-config", server, "--site", str(sample_site.parent), "--root", str(sample_site),
        "--port", str(servers.free_port()), "--output", str(site_file), *options,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    ports = servers.Ports(servers.free_port(), servers.free_port())
    checked = servers.check(server, servers.main_config(server, site_file, tmp_path, ports))
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_htaccess_on_shared_apache_hosting(
    sample_site: Path, public_site: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The same rules as an .htaccess file in the uploaded folder, under a host's own config."""
    work = tmp_path_factory.mktemp("htaccess")
    made = run_cli(
        "deploy-config", "htaccess", "--site", str(sample_site.parent),
        "--output", str(public_site / ".htaccess"),
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    (public_site / ".htaccess").chmod(0o644)
    port = servers.free_port()
    host = work / "host.conf"  # what a shared host's own configuration looks like
    host.write_text(
        f"<VirtualHost *:{port}>\n    DocumentRoot {public_site}\n"
        f"    <Directory {public_site}>\n        AllowOverride All\n"
        "        Require all granted\n    </Directory>\n</VirtualHost>\n",
        encoding="utf-8",
    )
    ports = servers.Ports(port, servers.free_port())
    main = servers.main_config("apache", host, work, ports)
    assert servers.check("apache", main).returncode == 0
    try:
        with servers.running("apache", main, ports):
            plain = Served(
                "apache", servers.Ports(0, port), ssl.create_default_context(), public_site, ""
            )
            status, headers, body = plain.get("/es/search/", https=False)
            assert status == 200
            assert (
                headers["content-security-policy"] == meta_policy(body) + "; frame-ancestors 'none'"
            )
            status, headers, body = plain.get("/es/nada/", https=False)
            assert status == 404 and body == (public_site / "es/404.html").read_bytes()
            status, headers, _ = plain.get("/.htaccess", https=False)
            assert status == 404
    finally:
        (public_site / ".htaccess").unlink()


@pytest.mark.parametrize("server", SERVERS)
def test_a_published_editor_gets_its_own_policy_and_the_site_keeps_its_own(
    server: str,
    sample_site: Path,
    public_site: Path,
    certificate: tuple[Path, Path],
    tmp_path: Path,
) -> None:
    """With `editor.published`, /admin/ must not get the site's policy (it forbids what Decap
    CMS runs); its page's own <meta> policy rules it, the server adds only frame-ancestors."""
    source = tmp_path / "source"
    shutil.copytree(sample_site.parent / "content/data", source / "content/data")
    settings = (sample_site.parent / "site.yaml").read_text(encoding="utf-8")
    (source / "site.yaml").write_text(settings + "\neditor:\n  published: true\n", "utf-8")
    ports = servers.Ports(https=servers.free_port(), http=servers.free_port())
    cert, key = certificate
    site_file = tmp_path / "site.conf"
    made = run_cli(
        "deploy-config", server, "--site", str(source), "--server-name", "localhost",
        "--root", str(public_site), "--port", str(ports.https), "--http-port", str(ports.http),
        "--tls-cert", str(cert), "--tls-key", str(key), "--output", str(site_file),
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    main = servers.main_config(server, site_file, tmp_path, ports)
    checked = servers.check(server, main)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    editor = public_site / "admin"
    editor.mkdir()
    (editor / "index.html").write_text("<!doctype html><title>Editor</title>\n", "utf-8")
    for path in (editor, editor / "index.html"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    try:
        with servers.running(server, main, ports):
            served = Served(
                server, ports, ssl.create_default_context(cafile=str(cert)), public_site, ""
            )
            for path in ("/admin/", "/admin/index.html"):
                status, headers, _ = served.get(path)
                assert status == 200, path
                assert headers["content-security-policy"] == "frame-ancestors 'none'", path
                assert headers["cross-origin-opener-policy"] == "same-origin-allow-popups"
                assert headers["cache-control"] == "no-cache"
                assert headers["x-content-type-options"] == "nosniff"
            for path in ("/", "/es/search/", "/administration-tips/"):  # the site keeps its own
                status, headers, body = served.get(path)
                if status == 200:
                    want = meta_policy(body) + "; frame-ancestors 'none'"
                    assert headers["content-security-policy"] == want, path
                assert "'self'" in headers["content-security-policy"], path
                assert headers["cross-origin-opener-policy"] == "same-origin", path
    finally:
        shutil.rmtree(editor)
