"""What the preview answers, and to whom: only this computer's browser, never a web page's tricks.

The preview shows drafts. A web page the editor has open elsewhere must not read them, through
DNS rebinding (`evil.example` made to point at 127.0.0.1, so the browser sends `Host:
evil.example`), nor listen to the reload websocket from another origin. So every request must
name a loopback host (`localhost`, `127.0.0.1`, `[::1]`), an IP address, or the host the editor
asked for with `--host`; the websocket also accepts only its own origin. A request path that
cannot name a file (a NUL byte, bytes that are not UTF-8) is a plain 400, never a traceback.
"""

from __future__ import annotations

import errno
import ipaddress
import logging
import os
import socket
from typing import Any
from urllib.parse import urlsplit

from tornado import web
from tornado.netutil import bind_sockets

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain"})
log = logging.getLogger("healthsite.serve")


def allowed_host(host_name: str, served_host: str) -> bool:
    """Is `host_name` (from a request's Host header, without the port) this computer's?

    An IP address is allowed: a rebinding attack needs a name, since the browser sends the
    name it looked up. So is the name given with `--host`.
    """
    name = host_name.strip("[]").rstrip(".").lower()
    if not name:
        return False
    if name in LOOPBACK_NAMES or name.endswith(".localhost") or name == served_host.lower():
        return True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


class LocalOnly(web.RequestHandler):
    """A handler that answers only requests for this computer's preview (see the module)."""

    served_host = "127.0.0.1"

    def prepare(self) -> Any:
        if not allowed_host(self.request.host_name, self.served_host):
            raise web.HTTPError(403, "the preview answers only to this computer's addresses")
        if "\x00" in self.request.path or "%00" in self.request.path:
            raise web.HTTPError(400, "a NUL byte in the path")
        return super().prepare()

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        """Refused requests are quiet; anything else is one line, not a traceback (unless
        HEALTHSITE_DEBUG is set)."""
        if isinstance(value, web.HTTPError):
            return
        if os.environ.get("HEALTHSITE_DEBUG"):
            super().log_exception(typ, value, tb)
            return
        request = self.request
        log.error(
            "error: %s %s: %s: %s (set HEALTHSITE_DEBUG=1 for details)",
            request.method,
            request.path,
            typ.__name__ if typ else "error",
            value,
        )


def same_origin(origin: str, host: str) -> bool:
    """A websocket's `Origin` names the page's own server: scheme http(s), same host:port."""
    parts = urlsplit(origin)
    return parts.scheme in ("http", "https") and parts.netloc.lower() == host.lower()


def listen(host: str, port: int) -> list[socket.socket] | str:
    """The preview's listening sockets, bound before the first build (so a port in use is
    said at once), or what is wrong in words, with what to do."""
    try:
        return bind_sockets(port, address=host)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            return (
                f"port {port} is already in use, perhaps by another preview: stop it, or "
                f"choose another port with --port {port + 1}"
            )
        if exc.errno in (errno.EACCES, errno.EPERM):
            return f"port {port} is reserved for the system: choose one above 1023, like 8000"
        return f"'{host}' is not an address of this computer: leave --host out to use 127.0.0.1"
