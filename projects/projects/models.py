"""Projects and the people who belong to them."""

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
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)
    version = IntegerField(default=1)

    class Meta:
        indexes = ((("archived", "name"), False),)  # lists of active projects by name, paged

    def __str__(self) -> str:
        return self.name


class Membership(BaseModel):
    project = ForeignKeyField(Project, backref="memberships", on_delete="CASCADE")
    user = ForeignKeyField(User, backref="memberships", on_delete="CASCADE", index=True)
    role = CharField(choices=list(PROJECT_ROLES.items()))

    class Meta:
        indexes = ((("project", "user"), True),)
