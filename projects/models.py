"""The tracker's records. Answers point at the edition's stable ids, never at its wording."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from flask_login import UserMixin
from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

from playbook.edition import PHASES
from playbook.readiness import NOT_STARTED, STATUSES
from projects.db import db

ROLES = {
    "admin": "Admin",
    "lead": "Project lead",
    "contracting": "Contracting officer",
    "leadership": "Leadership",
}
PROJECT_ROLES = {"owner": "Owner", "editor": "Editor", "viewer": "Viewer"}


def utcnow() -> datetime:
    """Naive UTC, the same on SQLite and PostgreSQL."""
    return datetime.now(UTC).replace(tzinfo=None)


class JSONField(TextField):
    def db_value(self, value):
        return None if value is None else json.dumps(value, sort_keys=True, default=str)

    def python_value(self, value):
        return None if value is None else json.loads(value)


class BaseModel(Model):
    class Meta:
        database = db
        legacy_table_names = False


class User(BaseModel, UserMixin):
    email = CharField(unique=True)
    name = CharField()
    password_hash = CharField()
    role = CharField(choices=list(ROLES.items()), index=True)
    active = BooleanField(default=True)
    failed_sign_ins = IntegerField(default=0)
    locked_until = DateTimeField(null=True)
    created_at = DateTimeField(default=utcnow)

    def get_id(self) -> str:
        return str(self.id)

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def role_label(self) -> str:
        return ROLES.get(self.role, self.role)

    @property
    def sees_everything(self) -> bool:
        """Admins and leadership see every project; others see the ones they belong to."""
        return self.role in ("admin", "leadership")


class Project(BaseModel):
    slug = CharField(unique=True)
    name = CharField()
    agency = CharField(index=True)
    office = CharField(default="")
    phase = CharField(choices=[(p, p.title()) for p in PHASES], default=PHASES[0], index=True)
    summary = TextField(default="")
    lead = ForeignKeyField(
        User, backref="led_projects", null=True, on_delete="SET NULL", index=True
    )
    start_date = DateField(null=True)
    target_date = DateField(null=True)
    edition = CharField()
    archived = BooleanField(default=False, index=True)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)
    version = IntegerField(default=1)

    def __str__(self) -> str:
        return self.name


class Membership(BaseModel):
    project = ForeignKeyField(Project, backref="memberships", on_delete="CASCADE")
    user = ForeignKeyField(User, backref="memberships", on_delete="CASCADE", index=True)
    role = CharField(choices=list(PROJECT_ROLES.items()))

    class Meta:
        indexes = ((("project", "user"), True),)


class ItemResponse(BaseModel):
    project = ForeignKeyField(Project, backref="item_responses", on_delete="CASCADE")
    item_id = CharField()
    status = CharField(choices=[(s, s) for s in STATUSES], default=NOT_STARTED)
    justification = TextField(default="")  # required when not applicable
    note = TextField(default="")
    evidence_url = CharField(default="", max_length=2000)
    owner = ForeignKeyField(User, backref="owned_items", null=True, on_delete="SET NULL")
    due_date = DateField(null=True)
    reviewed_by = ForeignKeyField(User, backref="reviewed_items", null=True, on_delete="SET NULL")
    reviewed_at = DateTimeField(null=True)
    updated_by = ForeignKeyField(User, backref="updated_items", null=True, on_delete="SET NULL")
    updated_at = DateTimeField(default=utcnow)
    version = IntegerField(default=1)

    class Meta:
        indexes = ((("project", "item_id"), True),)


class QuestionAnswer(BaseModel):
    project = ForeignKeyField(Project, backref="question_answers", on_delete="CASCADE")
    question_id = CharField()
    answer = TextField(default="")  # Markdown, rendered and sanitised on display
    updated_by = ForeignKeyField(User, backref="answers", null=True, on_delete="SET NULL")
    updated_at = DateTimeField(default=utcnow)
    version = IntegerField(default=1)

    class Meta:
        indexes = ((("project", "question_id"), True),)


class EditionRecord(BaseModel):
    """An edition imported by an agency; the newest active one replaces the built-in edition."""

    name = CharField(unique=True)
    data = JSONField()
    active = BooleanField(default=False, index=True)
    imported_at = DateTimeField(default=utcnow)
    imported_by = CharField(default="")


class AuditEvent(BaseModel):
    """Who changed what, when, with the values before and after."""

    project = ForeignKeyField(Project, backref="audit_events", null=True, on_delete="CASCADE")
    user = ForeignKeyField(User, backref="audit_events", null=True, on_delete="SET NULL")
    at = DateTimeField(default=utcnow, index=True)
    action = CharField()
    object_type = CharField()
    object_id = CharField()
    before = JSONField(null=True)
    after = JSONField(null=True)

    class Meta:
        indexes = ((("project", "at"), False),)


MODELS = [User, Project, Membership, ItemResponse, QuestionAnswer, EditionRecord, AuditEvent]
