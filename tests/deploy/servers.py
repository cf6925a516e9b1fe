"""The real web servers from Debian's packages, run in the foreground on free ports for the tests.

Each server gets a small main configuration of our own (pid file, logs and state in a temporary
folder, no system service, no port below 1024) that includes the file `deploy-config` wrote,
exactly as a clinic's server would include it.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.helpers import require_command

APACHE_MODULES = "/usr/lib/apache2/modules"
#: What a Debian server has enabled by default, and what the generated config asks for.
APACHE_LOAD = (
    "mpm_event",
    "authz_core",
    "authz_host",
    "mime",
    "dir",
    "alias",
    "filter",
    "deflate",
    "headers",
    "ssl",
    "socache_shmcb",
)


@dataclass(frozen=True, slots=True)
class Ports:
    https: int
    http: int


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def check_command(server: str, main: Path) -> list[str]:
    """The server's own configuration check, on the main file."""
    if server == "nginx":
        nginx = require_command("nginx")
        return [nginx, "-t", "-q", "-p", str(main.parent), "-c", str(main), "-e", "stderr"]
    if server == "caddy":
        return [
            require_command("caddy"),
            "validate",
            "--config",
            str(main),
            "--adapter",
            "caddyfile",
        ]
    return [require_command("apachectl"), "-f", str(main), "-t"]


def run_command(server: str, main: Path) -> list[str]:
    if server == "nginx":
        nginx = require_command("nginx")
        return [nginx, "-p", str(main.parent), "-c", str(main), "-e", "stderr"]
    if server == "caddy":
        return [require_command("caddy"), "run", "--config", str(main), "--adapter", "caddyfile"]
    return [require_command("apache2"), "-f", str(main), "-DFOREGROUND"]


def main_config(server: str, site_file: Path, work: Path, ports: Ports) -> Path:
    """A main configuration around `site_file`, everything kept inside `work`."""
    work.mkdir(parents=True, exist_ok=True)
    if server == "nginx":
        text = f"""daemon off;
worker_processes 1;
pid {work}/nginx.pid;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {work}/body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    include {site_file};
}}
"""
        name = "nginx.conf"
    elif server == "caddy":
        text = f"""{{
    admin off
    storage file_system {work}/caddy-data
    http_port {ports.http}
    https_port {ports.https}
    skip_install_trust
}}
import {site_file}
"""
        name = "Caddyfile"
    else:
        modules = "\n".join(
            f"LoadModule {m}_module {APACHE_MODULES}/mod_{m}.so" for m in APACHE_LOAD
        )
        user = "User www-data\nGroup www-data\n" if os.geteuid() == 0 else ""
        text = f"""ServerRoot {work}
{modules}
{user}DefaultRuntimeDir {work}
PidFile {work}/httpd.pid
ErrorLog {work}/error.log
LogLevel warn
ServerName localhost
Listen {ports.https}
Listen {ports.http}
TypesConfig /etc/mime.types
Include {site_file}
"""
        name = "httpd.conf"
    main = work / name
    main.write_text(text, encoding="utf-8")
    return main


def check(server: str, main: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        check_command(server, main),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=_env(main.parent),
    )


@contextlib.contextmanager
def running(server: str, main: Path, ports: Ports) -> Iterator[subprocess.Popen[str]]:
    """The server in the foreground until the block ends; fails with its log if it won't start."""
    log = main.parent / f"{server}.out"
    with log.open("w") as out:
        process = subprocess.Popen(
            run_command(server, main),
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
            env=_env(main.parent),
        )
    try:
        _wait_for(ports.https, process, log)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


def _wait_for(port: int, process: subprocess.Popen[str], log: Path) -> None:
    deadline = time.monotonic() + 30  # generous: the machine is shared and may be slow
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped: {log.read_text()}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"the server did not listen on {port}: {log.read_text()}")


def _env(work: Path) -> dict[str, str]:
    """Caddy keeps its state under XDG folders and HOME: inside the temporary folder."""
    return {
        "PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
        "HOME": str(work),
        "XDG_DATA_HOME": str(work / "xdg-data"),
        "XDG_CONFIG_HOME": str(work / "xdg-config"),
        "LANG": "C.UTF-8",
    }
