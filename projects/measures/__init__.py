"""Customer experience: a project's service measures (the A-11 drivers and operational
measures), their values per period, entered by form, CSV import or the API with per-project
tokens."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("measures", __name__)


def init_app(app: Flask) -> None:
    from projects.measures import models  # noqa: F401 - the tables

    app.register_blueprint(bp)
