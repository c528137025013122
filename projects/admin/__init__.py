"""Admins manage who may sign in and with which role."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("admin", __name__, url_prefix="/admin")


def init_app(app: Flask) -> None:
    from projects.admin import cli, views  # noqa: F401 - registers the routes

    app.register_blueprint(bp)
    app.cli.add_command(cli.create_user)
