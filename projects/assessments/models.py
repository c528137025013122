"""Assessments, their panel, the rating of each play and the actions they set."""

from __future__ import annotations

from peewee import (
    BlobField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from playbook.assessment import RATING_LABELS, gate_label
from projects.auth.models import User
from projects.db import BaseModel, JSONField, utcnow
from projects.projects.models import Project
from projects.reports.models import canonical_json, sha256

OPEN, CLOSED = ACTION_STATUSES = ("open", "closed")
ACTION_STATUS_LABELS = {OPEN: "Open", CLOSED: "Closed"}


class AssessmentIsFrozen(RuntimeError):
    """A completed assessment is a record: its data and PDF never change."""


class Assessment(BaseModel):
    """One assessment of a project at a phase gate. Open while the panel works; completing it
    records the outcome and freezes its data and PDF with their SHA-256."""

    # RESTRICT: a record must not disappear with the project it describes.
    project = ForeignKeyField(Project, backref="assessments", on_delete="RESTRICT", index=True)
    from_phase = CharField(max_length=20)
    to_phase = CharField(max_length=20)
    held_on = DateField()
    lead_assessor = ForeignKeyField(
        User, backref="assessments_led", null=True, on_delete="SET NULL", index=True
    )
    outcome = CharField(max_length=30, default="")
    summary = TextField(default="")
    created_by = ForeignKeyField(
        User, backref="assessments_opened", null=True, on_delete="SET NULL", index=True
    )
    created_at = DateTimeField(default=utcnow)
    completed_at = DateTimeField(null=True)
    completed_by_name = CharField(default="")
    data = JSONField(null=True)  # the frozen report data
    pdf = BlobField(null=True)
    sha256 = CharField(max_length=64, default="")
    data_sha256 = CharField(max_length=64, default="")
    version = IntegerField(default=1)

    @property
    def completed(self) -> bool:
        return self.completed_at is not None

    @property
    def gate(self) -> str:
        return gate_label(self.to_phase)

    @property
    def outcome_label(self) -> str:
        return RATING_LABELS.get(self.outcome, "Not decided yet")

    @property
    def panel_ids(self) -> set[int]:
        known = getattr(self, "_panel_ids", None)
        if known is None:
            known = {p.user_id for p in self.panel}
            self._panel_ids = known
        return known

    @property
    def pdf_bytes(self) -> bytes:
        return bytes(self.pdf or b"")

    def problems(self) -> list[str]:
        """What no longer matches the hashes taken when it was frozen (empty: intact)."""
        found = []
        if sha256(self.pdf_bytes) != self.sha256:
            found.append("the PDF file")
        if sha256(canonical_json(self.data)) != self.data_sha256:
            found.append("the assessment data")
        return found

    def save(self, *args, **kwargs):
        if self.id is not None and self._frozen_before():
            raise AssessmentIsFrozen("a completed assessment cannot be changed")
        return super().save(*args, **kwargs)

    def _frozen_before(self) -> bool:
        stored = Assessment.select(Assessment.completed_at).where(Assessment.id == self.id).scalar()
        return stored is not None


class Panelist(BaseModel):
    """A member of an assessment's panel, with the notes they draft while it is open."""

    assessment = ForeignKeyField(Assessment, backref="panel", on_delete="CASCADE")
    user = ForeignKeyField(User, backref="panels", on_delete="CASCADE", index=True)
    notes = TextField(default="")
    updated_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("assessment", "user"), True),)


class PlayRating(BaseModel):
    """The lead assessor's rating of one play, with what went well and what to improve."""

    assessment = ForeignKeyField(Assessment, backref="ratings", on_delete="CASCADE")
    play = IntegerField()
    rating = CharField(max_length=30, default="")
    went_well = TextField(default="")
    to_improve = TextField(default="")
    updated_at = DateTimeField(null=True)
    version = IntegerField(default=1)

    class Meta:
        indexes = ((("assessment", "play"), True),)

    @property
    def rating_label(self) -> str:
        return RATING_LABELS.get(self.rating, "Not rated yet")


class AssessmentAction(BaseModel):
    """Something the team must improve, from a play's "to improve": owner, due date, status;
    closing it records what was done."""

    assessment = ForeignKeyField(Assessment, backref="actions", on_delete="CASCADE", index=True)
    project = ForeignKeyField(
        Project, backref="assessment_actions", on_delete="CASCADE", index=True
    )
    play = IntegerField()
    text = TextField()
    owner = ForeignKeyField(
        User, backref="assessment_actions", null=True, on_delete="SET NULL", index=True
    )
    due_date = DateField(null=True)  # None: by the re-assessment
    status = CharField(max_length=20, default=OPEN, index=True)
    what_was_done = TextField(default="")
    closed_by = ForeignKeyField(User, backref="closed_actions", null=True, on_delete="SET NULL")
    closed_at = DateTimeField(null=True)
    created_at = DateTimeField(default=utcnow)
    version = IntegerField(default=1)

    class Meta:
        table_name = "assessment_action"

    @property
    def status_label(self) -> str:
        return ACTION_STATUS_LABELS[self.status]
