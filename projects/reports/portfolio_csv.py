"""The portfolio as CSV, streamed: projects are read a batch at a time on their stored
readiness, so the download starts at once and each row costs the same at any size."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from peewee import JOIN, Tuple

from playbook.edition import Edition
from playbook.readiness import RATING_LABELS, change_in_points
from projects.auth.models import User
from projects.checklists.queries import overdue_counts, stale_counts
from projects.checklists.scores import stored_readiness
from projects.measures.figures import HEADLINE, headline_figures
from projects.projects.models import Project
from projects.reports.baseline import newest_baseline
from projects.reports.portfolio_report import portfolio_projects
from projects.research.queries import open_critical_and_high
from projects.spreadsheets import csv_lines

BATCH = 500


def header(edition: Edition) -> list[str]:
    return [
        "Project",
        "Slug",
        "Agency",
        "Office",
        "Lead",
        "Phase",
        "Overall readiness %",
        "Rating",
        "Reviewed readiness %",
        "Phase readiness %",
        *(f"Play {play.number} %" for play in edition.plays),
        "Done",
        "In progress",
        "Not started",
        "Not applicable",
        "Overdue items",
        "Stale items",
        "Open critical findings",
        "Change since snapshot or 90 days (points)",
        *(
            f"{key.title()} {column}"
            for key in HEADLINE
            for column in ("latest %", "period", "previous %", "target %")
        ),
    ]


def portfolio_csv_lines(user: User | None, edition: Edition, now: datetime) -> Iterator[str]:
    """One row per active project the user may see (None: all), by name; UTF-8 with BOM and
    neutralized cells via projects.spreadsheets."""
    return csv_lines(header(edition), _rows(user, edition, now))


def _rows(user: User | None, edition: Edition, now: datetime) -> Iterator[list]:
    baseline = newest_baseline(today=now.date())
    before = baseline[1] if baseline else {}
    for batch in project_batches(user):
        ids = [p.id for p in batch]
        readiness = stored_readiness(ids)
        overdue, stale = overdue_counts(ids, now.date()), stale_counts(ids, now)
        critical = open_critical_and_high(ids)
        cx = headline_figures(ids)
        for p in batch:
            r = readiness[p.id].readiness
            was = before.get(str(p.id))
            change = change_in_points(was["overall"], r.overall.score) if was else None
            yield [
                p.name,
                p.slug,
                p.agency,
                p.office,
                p.lead_name or "No lead yet",
                p.phase.title(),
                _percent(r.overall.percent),
                RATING_LABELS[r.overall.rating],
                _percent(r.overall.reviewed.percent),
                _percent(r.phase.percent),
                *(
                    _percent(r.plays[n.number].percent) if n.number in r.plays else ""
                    for n in edition.plays
                ),
                r.overall.done,
                r.overall.in_progress,
                r.overall.not_started,
                r.overall.not_applicable,
                overdue[p.id],
                stale[p.id],
                critical[p.id]["critical"],
                "" if change is None else change,
                *(cell for key in HEADLINE for cell in _figures(cx[p.id].get(key))),
            ]


def _figures(measure) -> list:
    """A headline measure's cells: latest value, its period, the value before, the target."""
    if measure is None:
        return ["", "", "", ""]
    return [
        _number(measure.latest_value),
        measure.latest_period,
        _number(measure.previous_value),
        _number(measure.target),
    ]


def _number(value: float | None) -> object:
    return "" if value is None else round(value, 1)


def project_batches(user: User | None) -> Iterator[list[Project]]:
    """The projects by name, BATCH at a time, each batch starting after the last one's
    (name, id): no OFFSET, so the last batch costs what the first does."""
    query = (
        portfolio_projects(user)
        .select(Project, User.name.alias("lead_name"))
        .join(User, JOIN.LEFT_OUTER, on=Project.lead == User.id)
        .order_by(Project.name, Project.id)
        .limit(BATCH)
    )
    after = None
    while True:
        page = query if after is None else query.where(Tuple(Project.name, Project.id) > after)
        batch = list(page.objects())
        if not batch:
            return
        yield batch
        after = (batch[-1].name, batch[-1].id)


def _percent(value: int | None) -> object:
    return "" if value is None else value
