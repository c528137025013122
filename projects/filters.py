"""Template filters and globals: dates, statuses and Markdown shown the same on every page."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask

from playbook.readiness import RATING_LABELS, STATUS_LABELS
from projects.audit import changes
from projects.auth.models import ROLES
from projects.markdown import render_markdown
from projects.projects.models import PROJECT_ROLES


def format_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{value:%d %B %Y, %H:%M} UTC".lstrip("0")
    return f"{value:%d %B %Y}".lstrip("0")


def init_app(app: Flask) -> None:
    app.add_template_filter(render_markdown, "markdown")
    app.add_template_filter(format_date, "date")
    app.add_template_global(STATUS_LABELS, "STATUS_LABELS")
    app.add_template_global(RATING_LABELS, "RATING_LABELS")
    app.add_template_global(ROLES, "ROLES")
    app.add_template_global(PROJECT_ROLES, "PROJECT_ROLES")
    app.add_template_global(form_errors, "form_errors")
    app.add_template_global(changes, "changes")


def form_errors(*forms) -> list[tuple[str, str]]:
    """Every error in the forms (None skipped), nested lists included, as (field id, message)
    for the error summary. A form of many rows (a play's checklist) names the row of each
    error through its `row_names`: {field name prefix: the row's name}."""
    found: list[tuple[str, str]] = []
    for form in forms:
        if form is not None:
            found.extend(_errors_of(form))
    return found


def _errors_of(form) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = [("", message) for message in getattr(form, "form_errors", [])]
    rows = getattr(form, "row_names", None) or {}

    def named(field, message: str) -> str:
        row = next((name for prefix, name in rows.items() if field.name.startswith(prefix)), None)
        return f"{row}: {message}" if row else message

    def walk(field) -> None:
        if hasattr(field, "entries"):  # FieldList
            for entry in field.entries:
                walk(entry)
        elif hasattr(field, "form") and hasattr(field.form, "_fields"):  # FormField
            for sub in field.form:
                walk(sub)
        else:
            found.extend(
                (field.id, named(field, message))
                for message in field.errors
                if isinstance(message, str)
            )

    for field in form:
        walk(field)
    return found
