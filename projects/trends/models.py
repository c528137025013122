"""A daily copy of the stored readiness scores (projects.checklists.models.ReadinessScore)."""

from __future__ import annotations

from peewee import DateField, DoubleField, ForeignKeyField, IntegerField

from projects.db import BaseModel
from projects.projects.models import Project


class ScoreHistory(BaseModel):
    """One project's readiness on one play (0: the whole project) as it stood on `day`."""

    project = ForeignKeyField(Project, backref="score_history", on_delete="CASCADE")
    play = IntegerField()
    day = DateField(index=True)
    score = DoubleField(null=True)
    phase_score = DoubleField(null=True)
    done = IntegerField(default=0)
    in_progress = IntegerField(default=0)
    not_started = IntegerField(default=0)
    not_applicable = IntegerField(default=0)

    class Meta:
        table_name = "score_history"
        indexes = ((("project", "play", "day"), True),)
