"""A project's checklists: one page per play with its items and key questions."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("checklists", __name__)


def init_app(app: Flask) -> None:
    from projects.checklists import views, work  # noqa: F401 - routes, My work

    app.register_blueprint(bp)
