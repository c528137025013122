"""Made-up history for the demo portfolio, so its trends show on the first visit: today's
stored scores, and the same scores a little lower every week back to 120 days ago."""

from __future__ import annotations

from datetime import timedelta

from projects.checklists.models import ReadinessScore
from projects.db import bulk_insert, utcnow
from projects.trends.models import ScoreHistory

WEEKS = 17


def seed_history(project_ids: list[int]) -> None:
    """Weekly history for these (new demo) projects; call in the seeding transaction."""
    if not project_ids:
        return
    today = utcnow().date()
    stored = list(ReadinessScore.select().where(ReadinessScore.project.in_(project_ids)).dicts())
    rows = []
    for week in range(WEEKS, -1, -1):
        day = today - timedelta(weeks=week)
        share = 1 - 0.45 * week / WEEKS  # each project got there over the last four months
        for row in stored:
            rows.append(
                {
                    "project": row["project"],
                    "play": row["play"],
                    "day": day,
                    "score": None if row["score"] is None else round(row["score"] * share, 4),
                    "phase_score": None
                    if row["phase_score"] is None
                    else round(row["phase_score"] * share, 4),
                    "done": round(row["done"] * share),
                    "in_progress": row["in_progress"],
                    "not_started": row["not_started"] + row["done"] - round(row["done"] * share),
                    "not_applicable": row["not_applicable"],
                }
            )
    ScoreHistory.delete().where(ScoreHistory.project.in_(project_ids)).execute()
    bulk_insert(ScoreHistory, rows)
