"""Readiness reports (blueprint "reports"): project and portfolio PDFs, CSV, snapshots, jobs."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from projects import jobs
    from projects.reports import cli, tasks  # noqa: F401 - registers the huey task
    from projects.reports.views import bp

    jobs.init_app(app)
    app.register_blueprint(bp)
    app.cli.add_command(cli.report_cli)
