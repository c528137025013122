"""Invitations and password resets: one-time links, sent by email, that expire, work once and
are stored only as hashes. An invited person sets their own name and password and lands in
the project they were invited to; nobody types a password for anyone else."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("invitations", __name__)
# Reached without signing in: the link in the email is the proof (see tests/test_invitations).
PUBLIC = {"invitations.accept", "invitations.forgot_password", "invitations.reset_password"}


def init_app(app: Flask) -> None:
    from projects.invitations import views  # noqa: F401 - registers the routes

    app.register_blueprint(bp)
