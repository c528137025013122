"""Reading the email the app sent, as the person it went to would: the outbox folder (no
MAIL_SERVER) or what a real SMTP server on loopback received (tests/test_mail.py)."""

from __future__ import annotations

import re
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

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
