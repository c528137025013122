"""User-research findings: the research log of a project, evidence for its plays."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("research", __name__)


def init_app(app: Flask) -> None:
    from projects.research import import_views, views  # noqa: F401 - registers the routes

    app.register_blueprint(bp)
