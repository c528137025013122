"""Service assessments: a panel reviews a project against each play before it moves to its
next phase, rates each play, sets actions, and the outcome freezes the assessment."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("assessments", __name__)


def init_app(app: Flask) -> None:
    from projects.assessments import action_views, views, work  # noqa: F401 - routes, My work

    app.register_blueprint(bp)
