"""What a report compares against, and the change in points since it: the newest frozen
snapshot, or with none, the readiness recorded 90 days before (projects.trends)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from peewee import fn

from playbook.readiness import change_in_points
from projects.checklists.models import WHOLE_PROJECT
from projects.db import utcnow
from projects.reports.models import PORTFOLIO, PROJECT, Snapshot
from projects.reports.records import HISTORY, Baseline
from projects.trends.models import ScoreHistory

HISTORY_DAYS = 90  # with no snapshot, compare with the readiness recorded this long before


def newest_baseline(project_id: int | None = None, today: date | None = None):
    """The newest frozen snapshot to compare with: the portfolio's, or for one project the
    newest of its own and the portfolio's; with none, the recorded history 90 days back.
    Returns (Baseline, scores by project id as snapshots keep them), or None."""
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
        return recorded_baseline(project_id, today or utcnow().date())
    return Baseline(row.id, row.label, row.created_at), row.scores or {}


def recorded_baseline(project_id: int | None, today: date):
    """The scores recorded on the newest day at least 90 days before `today` (for one project,
    or every project recorded that day), in the shape snapshots keep them; None when the
    history does not go back that far. Two queries."""
    recorded = ScoreHistory.select(fn.MAX(ScoreHistory.day)).where(
        ScoreHistory.day <= today - timedelta(days=HISTORY_DAYS)
    )
    if project_id is not None:
        recorded = recorded.where(ScoreHistory.project == project_id)
    day = recorded.scalar()
    if day is None:
        return None
    rows = ScoreHistory.select(ScoreHistory.project, ScoreHistory.play, ScoreHistory.score).where(
        ScoreHistory.day == day
    )
    if project_id is not None:
        rows = rows.where(ScoreHistory.project == project_id)
    scores: dict[str, dict] = defaultdict(lambda: {"name": "", "overall": None, "plays": {}})
    for pid, play, score in rows.tuples().iterator():
        if play == WHOLE_PROJECT:
            scores[str(pid)]["overall"] = score
        else:
            scores[str(pid)]["plays"][str(play)] = score
    label = f"Readiness recorded {HISTORY_DAYS} days earlier"
    return Baseline(0, label, datetime.combine(day, time()), HISTORY), dict(scores)


def play_change(before: dict | None, number: int, score: float | None) -> int | None:
    if not before:
        return None
    return change_in_points(before["plays"].get(str(number)), score)
