"""Contract language for contracting officers: packages built from the clause library."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("contracts", __name__)


def init_app(app: Flask) -> None:
    from projects.contracts import agency_views, officer_views, views  # noqa: F401 - routes

    app.register_blueprint(bp)
