"""Projects: the home page, creating, editing and archiving projects, members and history."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("projects", __name__)


def init_app(app: Flask) -> None:
    from projects.projects import views  # noqa: F401 - registers the routes

    app.register_blueprint(bp)
