"""A person's own My work settings."""

from __future__ import annotations

from projects import audit
from projects.auth.models import User
from projects.db import db


def set_weekly_digest(user: User, wanted: bool) -> bool:
    """Turn the person's weekly email on or off; False when it already was so."""
    with db.atomic():
        changed = (
            User.update(weekly_digest=wanted)
            .where((User.id == user.id) & (User.weekly_digest != wanted))
            .execute()
        )
        if changed:
            audit.record(
                "updated",
                user,
                user=user,
                before={"weekly email": not wanted},
                after={"weekly email": wanted},
            )
    return bool(changed)
