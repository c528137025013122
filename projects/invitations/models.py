"""One-time links: invitations (to become a user, and perhaps a member of a project) and
password resets. Only a SHA-256 of the link's secret is stored, so a copy of the database
opens nobody's account."""

from __future__ import annotations

from peewee import CharField, DateTimeField, ForeignKeyField

from projects.auth.models import User
from projects.db import BaseModel, utcnow
from projects.projects.models import Project

INVITATION, PASSWORD_RESET = "invitation", "password_reset"


class AccessLink(BaseModel):
    kind = CharField(max_length=20, choices=[(INVITATION, INVITATION), (PASSWORD_RESET, "reset")])
    token_hash = CharField(max_length=64, unique=True)
    email = CharField(max_length=255, index=True)
    name = CharField(default="", max_length=255)  # an invitation's suggested name
    role = CharField(default="", max_length=20)  # an invitation's role across the installation
    # A reset: whose password; an invitation: the account it became, once accepted.
    user = ForeignKeyField(User, backref="access_links", null=True, on_delete="CASCADE")
    project = ForeignKeyField(Project, backref="invitations", null=True, on_delete="CASCADE")
    project_role = CharField(default="", max_length=20)
    created_by = ForeignKeyField(User, backref="links_created", null=True, on_delete="SET NULL")
    created_at = DateTimeField(default=utcnow)
    expires_at = DateTimeField()
    used_at = DateTimeField(null=True)
    canceled_at = DateTimeField(null=True)

    @classmethod
    def usable(cls, now):
        """Links that still work at `now`: neither used, canceled nor expired."""
        return (cls.used_at.is_null()) & (cls.canceled_at.is_null()) & (cls.expires_at > now)
