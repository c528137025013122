"""My work: everything assigned to the signed-in person across projects, overdue first, and
for the projects they lead or own, the overdue work of everyone on them."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("mywork", __name__)


def init_app(app: Flask) -> None:
    from projects.mywork import digest, views  # noqa: F401 - registers the routes and task

    app.register_blueprint(bp)
