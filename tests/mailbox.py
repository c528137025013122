"""Reading the email the app sent, as the person it went to would: the outbox folder (no
MAIL_SERVER) or what a real SMTP server on loopback received (`smtp_server`, aiosmtpd)."""

from __future__ import annotations

import re
import socket
from contextlib import contextmanager
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from flask import Flask


def outbox(app: Flask) -> list[EmailMessage]:
    """Every message written to the app's instance/outbox/, oldest first."""
    folder = Path(app.instance_path) / "outbox"
    if not folder.is_dir():
        return []
    return [
        BytesParser(policy=policy.default).parsebytes(path.read_bytes())
        for path in sorted(folder.glob("*.eml"))
    ]


def text_of(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content()


def html_of(message: EmailMessage) -> str:
    return message.get_body(("html",)).get_content()


def link_in(message: EmailMessage, path: str) -> str:
    """The path (and query) of the one link in the plain-text part that leads under `path`."""
    found = re.findall(r"https?://[^/\s]+(" + re.escape(path) + r"[^\s]*)", text_of(message))
    assert len(set(found)) == 1, (path, found, text_of(message))
    return found[0]


class Received:
    """An aiosmtpd handler that keeps every message it is given."""

    def __init__(self):
        self.messages = []
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(BytesParser(policy=policy.default).parsebytes(envelope.content))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


USER, SECRET = "tracker", "smtp-password-for-tests"


def authenticate(server, session, envelope, mechanism, auth_data):
    ok = auth_data.login == USER.encode() and auth_data.password == SECRET.encode()
    return AuthResult(success=ok)


@contextmanager
def smtp_server():
    """A real SMTP server on loopback that keeps what it receives: (controller, handler)."""
    handler = Received()
    controller = Controller(
        handler,
        hostname="127.0.0.1",
        port=free_port(),
        authenticator=authenticate,
        auth_require_tls=False,  # loopback only: the test server has no certificate
    )
    controller.start()
    try:
        yield controller, handler
    finally:
        controller.stop()


def smtp_settings(controller) -> dict:
    """The app's mail settings for that server (its user and password)."""
    return {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": controller.port,
        "MAIL_USERNAME": USER,
        "MAIL_PASSWORD": SECRET,
        "MAIL_SENDER": "Playbook Tracker <tracker@agency.gov>",
        "BASE_URL": "https://playbook.agency.gov",
    }
