"""Trends: the stored readiness scores recorded once a day per project and play, so pages
show the change over 30 and 90 days without anyone freezing a snapshot by hand."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from projects.trends import tasks  # noqa: F401 - registers the daily task
