"""Handing a message over: to the SMTP server when MAIL_SERVER is set, else into
instance/outbox/ as an .eml file (the `make run` default), which the outbox page lists."""

from __future__ import annotations

import re
import secrets
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

from flask import current_app

from projects.db import utcnow

# Written-at to the microsecond, so names sort in the order the messages were written.
OUTBOX_NAME = re.compile(r"^\d{8}T\d{12}-[0-9a-f]{8}\.eml$")


def outbox() -> Path:
    return Path(current_app.instance_path) / "outbox"


def deliver(message: EmailMessage) -> str:
    """Send the message (SMTP) or keep it (outbox); returns where it went, for the log.
    Raises on a failure the worker should retry (the server is down, refuses us)."""
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        folder = outbox()
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{utcnow():%Y%m%dT%H%M%S%f}-{secrets.token_hex(4)}.eml"
        (folder / name).write_bytes(bytes(message))
        return f"outbox/{name}"
    with smtplib.SMTP(
        config["MAIL_SERVER"], int(config["MAIL_PORT"]), timeout=config["MAIL_TIMEOUT"]
    ) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls(context=ssl.create_default_context())
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        smtp.send_message(message)
    return f"{config['MAIL_SERVER']}:{config['MAIL_PORT']}"


@dataclass(frozen=True)
class Kept:
    """A message in the outbox, as its page lists it."""

    name: str
    to: str
    subject: str
    written: datetime

    def read(self) -> EmailMessage:
        return read(self.name)


def read(name: str) -> EmailMessage:
    """One message of the outbox by its file name; FileNotFoundError for anything else."""
    if not OUTBOX_NAME.match(name):
        raise FileNotFoundError(name)
    data = (outbox() / name).read_bytes()
    return BytesParser(policy=policy.default).parsebytes(data)


def kept(most: int = 200) -> list[Kept]:
    """The newest messages of the outbox, newest first."""
    folder = outbox()
    if not folder.is_dir():
        return []
    names = sorted((p.name for p in folder.iterdir() if OUTBOX_NAME.match(p.name)), reverse=True)
    found = []
    for name in names[:most]:
        headers = BytesParser(policy=policy.default).parsebytes(
            (folder / name).read_bytes(), headersonly=True
        )
        found.append(
            Kept(
                name,
                str(headers["To"] or ""),
                str(headers["Subject"] or ""),
                datetime.strptime(name[:15], "%Y%m%dT%H%M%S"),
            )
        )
    return found


def parts(message: EmailMessage) -> tuple[str, str]:
    """The plain-text and HTML parts of a message."""
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    return (text.get_content() if text else "", html.get_content() if html else "")
