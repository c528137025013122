"""Contract language for contracting officers: packages built from the clause library."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("contracts", __name__)


def init_app(app: Flask) -> None:
    from projects.contracts import agency_views, views  # noqa: F401 - registers the routes

    app.register_blueprint(bp)
