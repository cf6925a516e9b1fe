"""The example form receiver (examples/form-receiver/) takes what the contact form sends."""

from __future__ import annotations

import importlib.util
import io
from email.message import EmailMessage
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlencode

from tests.helpers import REPO

SETTINGS = {
    "FORM_SITE_ORIGIN": "https://www.example-clinic.org",
    "FORM_MAIL_TO": "front-desk@example-clinic.org",
    "FORM_MAIL_FROM": "website@example-clinic.org",
    "FORM_SMTP_HOST": "smtp.invalid",
}
FORM = {
    "name": "Ana Pérez",
    "phone": "(213) 555-0100",
    "email": "",
    "contact_time": "morning",
    "reason": "new-appointment",
    "message": "Please call me about an appointment.",
    "website": "",
}


def receiver() -> ModuleType:
    path = REPO / "examples/form-receiver/receiver.py"
    spec = importlib.util.spec_from_file_location("form_receiver", Path(path))
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def post(app: Any, form: dict[str, str], accept: str = "") -> tuple[str, dict[str, str], bytes]:
    body = urlencode(form).encode()
    seen: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        seen.update(status=status, headers=dict(headers))

    environ = {
        "REQUEST_METHOD": "POST",
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_ACCEPT": accept,
        "wsgi.input": io.BytesIO(body),
    }
    out = b"".join(app(environ, start_response))
    return seen["status"], seen["headers"], out


def test_a_message_is_mailed_and_answered_both_ways() -> None:
    sent: list[EmailMessage] = []
    app = receiver().make_app(SETTINGS, sent.append)
    status, headers, body = post(app, FORM, "application/json")
    assert status.startswith("200") and body == b'{"ok": true}'
    assert headers["Access-Control-Allow-Origin"] == "https://www.example-clinic.org"
    [mail] = sent
    assert mail["To"] == "front-desk@example-clinic.org"
    assert "Ana Pérez" in mail.get_content() and "appointment" not in mail["Subject"]
    status, headers, _ = post(app, FORM)  # a browser without JavaScript
    assert status.startswith("303")
    assert headers["Location"] == "https://www.example-clinic.org/contact/?sent=1"


def test_robots_and_bad_fields_are_refused_and_nothing_is_sent() -> None:
    sent: list[EmailMessage] = []
    app = receiver().make_app(SETTINGS, sent.append)
    for bad in (
        {**FORM, "website": "http://spam.example"},
        {**FORM, "phone": "", "email": ""},
        {**FORM, "reason": "prescription"},
        {**FORM, "message": "x" * 501},
    ):
        status, _, body = post(app, bad, "application/json")
        assert status.startswith("400") and body == b'{"ok": false}'
    assert sent == []
