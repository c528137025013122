"""The portfolio dashboard: every project the user may see, by play."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("portfolio", __name__)


def init_app(app: Flask) -> None:
    from projects.portfolio import views  # noqa: F401 - registers the routes

    app.register_blueprint(bp)
