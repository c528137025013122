"""The read-only JSON API for signed-in users, under /api/v1/."""

from __future__ import annotations

from flask import Blueprint, Flask

from projects.security import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def init_app(app: Flask) -> None:
    from projects.api import views  # noqa: F401 - registers the routes

    app.register_blueprint(bp)
    csrf.exempt(bp)  # read-only GET endpoints; it answers no POST at all
