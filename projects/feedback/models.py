"""The public feedback form of a project: its settings, the responses people send, the
per-address counts that hold back spam, and the findings recorded from comments."""

from __future__ import annotations

from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from projects.auth.models import User
from projects.db import BaseModel, JSONField, utcnow
from projects.projects.models import Project
from projects.research.models import Finding

LANGUAGE_NAMES = {"en": "English", "es": "Español"}


class FeedbackForm(BaseModel):
    """A project's public form: on or off, its address key (made once, never changed, so
    links on other sites keep working), the title the public sees, and the Paperwork
    Reduction Act control number and expiry shown on the form when set."""

    project = ForeignKeyField(Project, backref="feedback_forms", unique=True, on_delete="CASCADE")
    key = CharField(max_length=64, unique=True)  # secrets.token_urlsafe(32): 256 bits
    enabled = BooleanField(default=False)
    public_title = CharField(max_length=200, default="")  # empty: the project's name
    pra_number = CharField(max_length=20, default="")  # OMB control number, e.g. 1234-5678
    pra_expires = DateField(null=True)
    updated_by = ForeignKeyField(User, backref="feedback_forms", null=True, on_delete="SET NULL")
    updated_at = DateTimeField(default=utcnow)
    version = IntegerField(default=1)

    def title_for(self, project: Project) -> str:
        return self.public_title or project.name


class FeedbackResponse(BaseModel):
    """One person's answers, anonymous: the period it counts in, the score they gave each
    driver they answered ({"satisfaction": 4, ...}), an optional comment that passed the
    privacy guard, and the language they answered in."""

    project = ForeignKeyField(Project, backref="feedback_responses", on_delete="CASCADE")
    period = CharField(max_length=10)  # the month it counts in, "2026-07"
    answers = JSONField()
    comment = TextField(default="")
    language = CharField(max_length=5, default="en")
    survey = CharField(max_length=100, default="")  # the survey edition it answered
    created_at = DateTimeField(default=utcnow)

    class Meta:
        # The project's latest comments, newest first, a page at a time.
        indexes = ((("project", "created_at"), False),)


class FeedbackThrottle(BaseModel):
    """Submissions counted per client address (a keyed hash of it, never the address) in the
    current window, so the limit holds across workers and hosts."""

    address_hash = CharField(max_length=64, unique=True)
    window_start = DateTimeField(index=True)
    submissions = IntegerField(default=0)


class FindingFeedback(BaseModel):
    """A research finding recorded from feedback comments: the comments it came from."""

    finding = ForeignKeyField(Finding, backref="feedback_links", on_delete="CASCADE")
    response = ForeignKeyField(FeedbackResponse, backref="finding_links", on_delete="CASCADE")

    class Meta:
        indexes = ((("finding", "response"), True),)
