"""The frozen snapshot a report compares against, and the change in points since it."""

from __future__ import annotations

from playbook.readiness import change_in_points
from projects.reports.models import PORTFOLIO, PROJECT, Snapshot
from projects.reports.records import Baseline


def newest_baseline(project_id: int | None = None) -> tuple[Baseline, dict] | None:
    """The newest frozen snapshot to compare with: the portfolio's, or for one project the
    newest of its own and the portfolio's. One query; only the scores column is read."""
    query = Snapshot.select(Snapshot.id, Snapshot.label, Snapshot.created_at, Snapshot.scores)
    if project_id is None:
        query = query.where(Snapshot.kind == PORTFOLIO)
    else:
        query = query.where(
            (Snapshot.kind == PORTFOLIO)
            | ((Snapshot.kind == PROJECT) & (Snapshot.project == project_id))
        )
    row = query.order_by(Snapshot.created_at.desc(), Snapshot.id.desc()).first()
    if row is None:
        return None
    return Baseline(row.id, row.label, row.created_at), row.scores or {}


def play_change(before: dict | None, number: int, score: float | None) -> int | None:
    if not before:
        return None
    return change_in_points(before["plays"].get(str(number)), score)
