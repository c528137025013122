"""The JSON API under /api/v1/: reads for signed-in users, and a project's measures read and
written with that project's API token (projects/measures/api_views.py)."""

from __future__ import annotations

from flask import Blueprint, Flask

from projects.security import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def init_app(app: Flask) -> None:
    from projects.api import views  # noqa: F401 - registers the routes
    from projects.measures import api_views  # noqa: F401 - the measures routes, with tokens

    app.register_blueprint(bp)
    # GET endpoints, and writes that take only an API token, never the session cookie.
    csrf.exempt(bp)
