"""Recording the day's scores: one INSERT ... SELECT from the stored scores, so it costs the
same few statements at ten projects or ten thousand, and running it again the same day
replaces that day's copy rather than adding a second one."""

from __future__ import annotations

from datetime import date

from peewee import SqliteDatabase, Value

from projects.checklists.models import ReadinessScore
from projects.db import db, utcnow
from projects.trends.models import ScoreHistory

COPIED = ("project", "play", "score", "phase_score", "done", "in_progress", "not_started")
COPIED += ("not_applicable",)


def record(day: date | None = None) -> int:
    """Record every project's stored scores as they stand, for `day` (today, UTC); returns
    the number of rows recorded."""
    day = day or utcnow().date()
    # SQLite keeps dates as ISO text; PostgreSQL wants a date (psycopg2 sends it typed).
    value = Value(day.isoformat() if isinstance(db.obj, SqliteDatabase) else day)
    with db.atomic():
        ScoreHistory.delete().where(ScoreHistory.day == day).execute()
        source = ReadinessScore.select(
            *(getattr(ReadinessScore, name) for name in COPIED[:2]),
            value,
            *(getattr(ReadinessScore, name) for name in COPIED[2:]),
        )
        fields = [ScoreHistory.project, ScoreHistory.play, ScoreHistory.day]
        fields += [getattr(ScoreHistory, name) for name in COPIED[2:]]
        ScoreHistory.insert_from(source, fields).execute()
    return ScoreHistory.select().where(ScoreHistory.day == day).count()
