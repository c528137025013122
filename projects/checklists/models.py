"""A project's answers to the edition: checklist item responses and key-question answers,
stored by the edition's stable ids, never by its wording."""

from __future__ import annotations

from peewee import CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, TextField

from playbook.readiness import NOT_STARTED, STATUSES
from projects.auth.models import User
from projects.db import BaseModel, utcnow
from projects.projects.models import Project


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
    answer = TextField(default="")  # Markdown, rendered and sanitized on display
    updated_by = ForeignKeyField(User, backref="answers", null=True, on_delete="SET NULL")
    updated_at = DateTimeField(default=utcnow)
    version = IntegerField(default=1)

    class Meta:
        indexes = ((("project", "question_id"), True),)
