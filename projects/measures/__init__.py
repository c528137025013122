"""Customer experience: a project's service measures (the A-11 drivers and operational
measures) and their figures per period, entered by form, imported from CSV or written through
the API with per-project tokens (projects/measures/api_views.py, on the API blueprint)."""

from __future__ import annotations

from flask import Blueprint, Flask

from playbook.measures import period_label

bp = Blueprint("measures", __name__)


def init_app(app: Flask) -> None:
    from projects.measures import token_views, views  # noqa: F401 - registers the routes

    app.register_blueprint(bp)
    app.add_template_filter(period_label, "period")
