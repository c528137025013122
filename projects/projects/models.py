"""Projects and the people who belong to them."""

from __future__ import annotations

from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    DoubleField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from playbook.edition import PHASES
from projects.auth.models import User
from projects.db import BaseModel, utcnow

PROJECT_ROLES = {"owner": "Owner", "editor": "Editor", "viewer": "Viewer"}


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
    archived = BooleanField(default=False, index=True)
    # Moving to the next phase needs a met assessment for that gate (issue 14); set from
    # PHASE_CHANGE_REQUIRES_ASSESSMENT when the project is created.
    phase_gated = BooleanField(default=False)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)
    version = IntegerField(default=1)
    # Sort keys for lists by overall readiness, kept by projects.checklists.scores with the
    # stored scores: projects with nothing applicable come last either way round, and an index
    # with the name serves each order, ties included.
    lowest_first = DoubleField(default=2.0)  # the score; 2 when nothing is applicable
    highest_first = DoubleField(default=1.0)  # minus the score; 1 when nothing is applicable

    class Meta:
        # A save writes only the fields it changed, never an old copy of the sort keys.
        only_save_dirty = True
        # Lists of active projects, a page at a time, by each order the portfolio offers.
        indexes = (
            (("archived", "name"), False),
            (("archived", "agency", "name"), False),
            (("archived", "lowest_first", "name"), False),
            (("archived", "highest_first", "name"), False),
        )

    def __str__(self) -> str:
        return self.name


class Membership(BaseModel):
    project = ForeignKeyField(Project, backref="memberships", on_delete="CASCADE")
    user = ForeignKeyField(User, backref="memberships", on_delete="CASCADE", index=True)
    role = CharField(choices=list(PROJECT_ROLES.items()))
    reviewer = BooleanField(default=False)  # may review evidence on the project (access.py)

    class Meta:
        indexes = ((("project", "user"), True),)
