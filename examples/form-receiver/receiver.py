"""A minimal receiver for healthsite's contact form: checks the fields, drops robots, and emails
each message to the clinic over an encrypted SMTP connection. It keeps nothing: no database, no
log of the messages' contents, no cookies, no analytics.

An example to adapt, outside the engine: Python's standard library only, as a WSGI application
(run it with any WSGI server behind the clinic's web server, under HTTPS). Settings come from the
environment:

    FORM_SITE_ORIGIN   the site's origin, e.g. https://www.example-clinic.org (CORS, redirects)
    FORM_THANKS_URL    where a browser without JavaScript goes after sending (default:
                       <origin>/contact/?sent=1); FORM_ERROR_URL likewise after a refusal
    FORM_MAIL_TO       the clinic's mailbox;  FORM_MAIL_FROM  the sender address
    FORM_SMTP_HOST     the mail server;  FORM_SMTP_PORT (587);  FORM_SMTP_USER, FORM_SMTP_PASSWORD
    FORM_HONEYPOT      the trap field's name (default: website), as form.honeypot in clinic.yaml
"""

from __future__ import annotations

import os
import smtplib
import ssl
from collections.abc import Callable, Iterable, Mapping
from email.message import EmailMessage
from urllib.parse import parse_qs

LIMITS = {"name": 100, "phone": 30, "email": 200, "message": 500}
CHOICES = {
    "contact_time": {"any", "morning", "afternoon"},
    "reason": {"new-appointment", "existing-patient", "other"},
}
MAX_BODY = 8 * 1024

Send = Callable[[EmailMessage], None]


def fields(form: Mapping[str, str], honeypot: str) -> dict[str, str] | None:
    """The submission's fields, checked as the form checks them; None to refuse it."""
    if form.get(honeypot):
        return None  # a robot filled in the hidden field
    found = {key: form.get(key, "").strip() for key in (*LIMITS, *CHOICES)}
    if not found["name"] or not (found["phone"] or found["email"]):
        return None
    if any(len(found[key]) > limit for key, limit in LIMITS.items()):
        return None
    if any(found[key] and found[key] not in allowed for key, allowed in CHOICES.items()):
        return None
    return found


def message(found: Mapping[str, str], settings: Mapping[str, str]) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = settings["FORM_MAIL_FROM"]
    mail["To"] = settings["FORM_MAIL_TO"]
    mail["Subject"] = "Website contact form: please call or write back"  # no health details
    if found["email"]:
        mail["Reply-To"] = found["email"]
    mail.set_content("\n".join(f"{key}: {found[key]}" for key in found))
    return mail


def smtp_sender(settings: Mapping[str, str]) -> Send:
    def send(mail: EmailMessage) -> None:
        port = int(settings.get("FORM_SMTP_PORT", "587"))
        with smtplib.SMTP(settings["FORM_SMTP_HOST"], port, timeout=20) as smtp:
            smtp.starttls(context=ssl.create_default_context())  # never in clear text
            if settings.get("FORM_SMTP_USER"):
                smtp.login(settings["FORM_SMTP_USER"], settings["FORM_SMTP_PASSWORD"])
            smtp.send_message(mail)

    return send


def make_app(
    settings: Mapping[str, str], send: Send | None = None
) -> Callable[..., Iterable[bytes]]:
    origin = settings["FORM_SITE_ORIGIN"].rstrip("/")
    thanks = settings.get("FORM_THANKS_URL", f"{origin}/contact/?sent=1")
    refused = settings.get("FORM_ERROR_URL", f"{origin}/contact/?sent=0")
    honeypot = settings.get("FORM_HONEYPOT", "website")
    deliver = send or smtp_sender(settings)

    def app(environ: dict, start_response: Callable) -> Iterable[bytes]:  # type: ignore[type-arg]
        cors = [("Access-Control-Allow-Origin", origin), ("Vary", "Origin")]
        if environ["REQUEST_METHOD"] == "OPTIONS":
            start_response(
                "204 No Content",
                [
                    *cors,
                    ("Access-Control-Allow-Methods", "POST"),
                    ("Access-Control-Allow-Headers", "Accept"),
                ],
            )
            return [b""]
        if environ["REQUEST_METHOD"] != "POST":
            start_response("405 Method Not Allowed", [("Allow", "POST, OPTIONS")])
            return [b""]
        length = int(environ.get("CONTENT_LENGTH") or 0)
        if length > MAX_BODY:
            start_response("413 Content Too Large", cors)
            return [b""]
        body = environ["wsgi.input"].read(length).decode("utf-8", "replace")
        form = {key: values[0] for key, values in parse_qs(body).items()}
        found = fields(form, honeypot)
        wants_json = "application/json" in environ.get("HTTP_ACCEPT", "")
        if found is None:
            status, where = "400 Bad Request", refused
        else:
            deliver(message(found, settings))
            status, where = "200 OK", thanks
        if wants_json:  # contact.js: a 2xx answer means "sent"
            start_response(status, [*cors, ("Content-Type", "application/json")])
            return [b'{"ok": %s}' % (b"true" if found else b"false")]
        start_response("303 See Other", [("Location", where)])  # a browser without JavaScript
        return [b""]

    return app


if __name__ == "__main__":  # a local trial: python receiver.py (not for production)
    from wsgiref.simple_server import make_server

    with make_server("127.0.0.1", 8025, make_app(os.environ)) as server:
        server.serve_forever()
