"""Outgoing email: composed with a plain-text and an HTML part, sent by the background worker
through SMTP (MAIL_SERVER and friends) with retries, or, with no MAIL_SERVER, written to
instance/outbox/ as .eml files that admins can read on the outbox page."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("mail", __name__, url_prefix="/admin/outbox")


def init_app(app: Flask) -> None:
    from projects.mail import tasks, views  # noqa: F401 - registers the routes and tasks

    app.register_blueprint(bp)
