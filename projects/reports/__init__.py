"""Readiness reports: project and portfolio PDFs, CSV, frozen snapshots and report jobs."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("reports", __name__)


def init_app(app: Flask) -> None:
    from projects.reports import cli, tasks, views  # noqa: F401 - registers routes and the task

    app.register_blueprint(bp)
    app.cli.add_command(cli.report_cli)
