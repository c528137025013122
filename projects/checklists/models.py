"""A project's answers to the edition: checklist item responses and key-question answers,
stored by the edition's stable ids, never by its wording."""

from __future__ import annotations

from peewee import (
    CharField,
    DateField,
    DateTimeField,
    DoubleField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from playbook.readiness import NOT_REVIEWED, NOT_STARTED, REVIEW_LABELS, STATUSES
from projects.auth.models import User
from projects.db import BaseModel, utcnow
from projects.measures.models import Measure
from projects.owners.models import OutsideOwner, owner_key
from projects.projects.models import Project


class ItemResponse(BaseModel):
    project = ForeignKeyField(Project, backref="item_responses", on_delete="CASCADE")
    item_id = CharField()
    status = CharField(choices=[(s, s) for s in STATUSES], default=NOT_STARTED)
    justification = TextField(default="")  # required when not applicable
    note = TextField(default="")
    evidence_url = CharField(default="", max_length=2000)
    # Play 12 ("Use data to drive decisions"): one of the project's measures as evidence.
    evidence_measure = ForeignKeyField(
        Measure, backref="evidence_for", null=True, on_delete="SET NULL"
    )
    owner = ForeignKeyField(User, backref="owned_items", null=True, on_delete="SET NULL")
    # Or someone without an account (never both: projects.owners.models.owner_columns)
    outside_owner = ForeignKeyField(OutsideOwner, backref="items", null=True, on_delete="SET NULL")
    due_date = DateField(null=True)
    # Evidence review: who marked the item done (they may not review it), the verdict of
    # someone else ("accepted" or "needs_evidence"), with their comment; cleared whenever the
    # status or the evidence changes.
    done_by = ForeignKeyField(User, backref="items_done", null=True, on_delete="SET NULL")
    review = CharField(
        max_length=20, default=NOT_REVIEWED, choices=[(k, v) for k, v in REVIEW_LABELS.items()]
    )
    review_comment = TextField(default="")
    reviewed_by = ForeignKeyField(User, backref="reviewed_items", null=True, on_delete="SET NULL")
    reviewed_at = DateTimeField(null=True)
    updated_by = ForeignKeyField(User, backref="updated_items", null=True, on_delete="SET NULL")
    updated_at = DateTimeField(default=utcnow)
    version = IntegerField(default=1)

    class Meta:
        indexes = ((("project", "item_id"), True),)

    @property
    def owner_key(self) -> int | str:
        """Who owns the item, as forms hold it: a user's id, "outside-<id>" or 0."""
        return owner_key(self.owner_id, self.outside_owner_id)


class QuestionAnswer(BaseModel):
    project = ForeignKeyField(Project, backref="question_answers", on_delete="CASCADE")
    question_id = CharField()
    answer = TextField(default="")  # Markdown, rendered and sanitized on display
    updated_by = ForeignKeyField(User, backref="answers", null=True, on_delete="SET NULL")
    updated_at = DateTimeField(default=utcnow)
    version = IntegerField(default=1)

    class Meta:
        indexes = ((("project", "question_id"), True),)


WHOLE_PROJECT = 0  # the `play` of a project's overall row in ReadinessScore


class ReadinessScore(BaseModel):
    """What `playbook.readiness` says of a project, stored so lists can sort, filter and page
    in SQL: one row per play and one for the whole project (play 0). Written by
    `projects.checklists.scores` in the transaction of every change that moves them; overdue
    and stale counts are not stored, since they change with the date, not with a save."""

    project = ForeignKeyField(Project, backref="scores", on_delete="CASCADE")
    play = IntegerField()
    score = DoubleField(null=True)  # 0..1, null when nothing is applicable
    done = IntegerField(default=0)
    in_progress = IntegerField(default=0)
    not_started = IntegerField(default=0)
    not_applicable = IntegerField(default=0)
    with_evidence = IntegerField(default=0)  # done items with a link or a supporting finding
    phase_score = DoubleField(null=True)  # the same, over the items the phase expects
    phase_done = IntegerField(default=0)
    phase_in_progress = IntegerField(default=0)
    phase_not_started = IntegerField(default=0)
    phase_not_applicable = IntegerField(default=0)
    # Reviewed readiness: done items a reviewer accepted, and their score (playbook.readiness)
    accepted = IntegerField(default=0)
    reviewed_score = DoubleField(null=True)
    phase_accepted = IntegerField(default=0)
    phase_reviewed_score = DoubleField(null=True)

    class Meta:
        table_name = "readiness_score"
        indexes = (
            (("project", "play"), True),
            (("play", "score"), False),  # the portfolio's sort by readiness
        )
