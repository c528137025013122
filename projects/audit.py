"""The audit log: every change, who made it, when, and the values before and after."""

from __future__ import annotations

from flask_login import current_user
from peewee import CharField, DateTimeField, ForeignKeyField

from projects.auth.models import User
from projects.db import BaseModel, JSONField, utcnow
from projects.projects.models import Project


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


def record(
    action: str,
    obj,
    *,
    project: Project | None = None,
    before=None,
    after=None,
    user: User | None = None,
) -> AuditEvent:
    """Record a change; call it inside the transaction that makes the change.

    `obj` is a saved model instance, or a (type, id) pair for things named by another id.
    """
    if user is None and current_user and current_user.is_authenticated:
        user = current_user._get_current_object()
    object_type, object_id = obj if isinstance(obj, tuple) else (type(obj).__name__, obj.id)
    return AuditEvent.create(
        project=project,
        user=user,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        before=before,
        after=after,
    )


def changes(before: dict | None, after: dict | None) -> list[tuple[str, object, object]]:
    """The fields that differ, for showing an event as "field: old -> new"."""
    before, after = before or {}, after or {}
    keys = sorted(set(before) | set(after))
    return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]
