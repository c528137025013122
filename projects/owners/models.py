"""An owner of work who has no account, per project."""

from __future__ import annotations

from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField

from projects.auth.models import User
from projects.db import BaseModel, utcnow
from projects.projects.models import Project

# How an owner is held in a form and in the audit log: a user's id (an int, 0 for nobody) or
# "outside-<id>" for an owner without an account.
NOBODY = 0
OUTSIDE = "outside-"


class OutsideOwner(BaseModel):
    """Someone named as the owner of a project's work who cannot sign in. Items and findings
    point at this row (never at the same time as at a user); once the person accepts their
    invitation, their work moves to their account and `user` says which one."""

    project = ForeignKeyField(Project, backref="outside_owners", on_delete="CASCADE")
    name = CharField(max_length=200)
    email = CharField(max_length=255, index=True)  # in lower case
    user = ForeignKeyField(User, backref="outside_roles", null=True, on_delete="SET NULL")
    digest_week = CharField(default="", max_length=10)  # the ISO week of the last digest
    # Off once the person follows "stop this email" in a digest: for their address on every
    # project (projects.mywork.digest).
    weekly_digest = BooleanField(default=True)
    created_by = ForeignKeyField(
        User, backref="outside_owners_named", null=True, on_delete="SET NULL"
    )
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("project", "email"), True),)

    @property
    def key(self) -> str:
        return f"{OUTSIDE}{self.id}"

    @property
    def label(self) -> str:
        return f"{self.name} (no account)"


def owner_key(owner_id: int | None, outside_owner_id: int | None) -> int | str:
    """The owner of a row as forms and the audit log hold it."""
    if owner_id:
        return owner_id
    if outside_owner_id:
        return f"{OUTSIDE}{outside_owner_id}"
    return NOBODY


def outside_id(key) -> int | None:
    """The outside owner's id in a key, or None when the key names a user or nobody."""
    text = str(key or "")
    if text.startswith(OUTSIDE) and text[len(OUTSIDE) :].isdigit():
        return int(text[len(OUTSIDE) :])
    return None


def owner_columns(key) -> dict:
    """The row's two owner columns for a key: at most one of them is set."""
    outside = outside_id(key)
    if outside is not None:
        return {"owner": None, "outside_owner": outside}
    user = int(key) if str(key or "").isdigit() else 0
    return {"owner": user or None, "outside_owner": None}


def as_key(value) -> int | str:
    """A submitted choice as a key: a user's id as an int, an outside owner as "outside-<id>"."""
    if isinstance(value, int):
        return value
    text = str(value or "").strip()
    return int(text) if text.isdigit() else text
