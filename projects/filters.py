"""Template filters and globals: dates, statuses and Markdown shown the same on every page."""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import urljoin

from flask import Flask, current_app
from markupsafe import Markup, escape

from playbook.readiness import (
    RATING_LABELS,
    REVIEW_LABELS,
    STATUS_LABELS,
    Readiness,
    evidence_words,
)
from projects.auth.models import ROLES
from projects.markdown import render_markdown
from projects.projects.models import PROJECT_ROLES


def format_date(value: date | datetime | None) -> str:
    """Dates as U.S. readers write them: "September 7, 2026", "September 7, 2026, 3:05 p.m. UTC"."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        hour = value.hour % 12 or 12
        noon = "a.m." if value.hour < 12 else "p.m."
        return f"{format_day(value)}, {hour}:{value:%M} {noon} UTC"
    return format_day(value)


def format_day(value: date) -> str:
    """The day alone, of a date or a moment."""
    return f"{value:%B} {value.day}, {value.year}"


def heat_cell(r: Readiness, href: str | None = None, name: str | None = None) -> Markup:
    """A heat-map cell: its number on screen, its words read out with it (the legend shows
    them on screen, so 13 plays still fit across). `name` says what the cell is about to a
    screen reader, so a link makes sense on its own: "Building permits, play 2: ...". Built in
    Python, not a macro: at 15 cells a row the macro was most of the portfolio page's time."""
    words = f"{RATING_LABELS[r.rating]}: {name}" if name else RATING_LABELS[r.rating]
    inner = f'{r.label}<span class="usa-sr-only"> {escape(words)}</span>'
    if href:
        inner = f'<a href="{escape(href)}">{inner}</a>'
    sort = r.percent if r.percent is not None else -1
    # Markup.format() escapes too, but at twice the cost; the rating, label and sort value are
    # computed (never typed by anyone), and the rest is escaped above.
    cell = f'<td class="pt-heat pt-heat--{r.rating}" data-sort-value="{sort}">{inner}</td>'
    return Markup(cell)  # noqa: S704


def init_app(app: Flask) -> None:
    app.add_template_filter(render_markdown, "markdown")
    app.add_template_filter(format_date, "date")
    app.add_template_global(STATUS_LABELS, "STATUS_LABELS")
    app.add_template_global(RATING_LABELS, "RATING_LABELS")
    app.add_template_global(REVIEW_LABELS, "REVIEW_LABELS")
    app.add_template_global(evidence_words, "evidence_words")
    app.add_template_global(heat_cell, "heat_cell")
    app.add_template_global(ROLES, "ROLES")
    app.add_template_global(PROJECT_ROLES, "PROJECT_ROLES")
    app.add_template_global(form_errors, "form_errors")
    app.add_template_global(identifier, "identifier")


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


# The pages a federal site's identifier links to, under the agency's address by default.
REQUIRED_LINKS = (
    ("About {agency}", "about"),
    ("Accessibility statement", "accessibility"),
    ("FOIA requests", "foia"),
    ("No FEAR Act data", "no-fear-act"),
    ("Office of the Inspector General", "oig"),
    ("Performance reports", "performance"),
    ("Privacy policy", "privacy"),
)


def identifier() -> dict:
    """What the USWDS identifier at the foot of every page says: the agency, this site's domain
    and the required links, from the configuration (never from the request)."""
    config = current_app.config
    links = list(config["AGENCY_LINKS"])
    if not links and config["AGENCY_URL"]:
        links = [
            (label.format(agency=config["AGENCY_NAME"]), urljoin(config["AGENCY_URL"], path))
            for label, path in REQUIRED_LINKS
        ]
    return {
        "agency": config["AGENCY_NAME"],
        "url": config["AGENCY_URL"],
        "domain": config["SITE_DOMAIN"],
        "links": links,
    }
