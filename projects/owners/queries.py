"""Reading owners for forms and pages: who may be named owner of a project's work, and the
names of owners, users and people without accounts alike, in one query."""

from __future__ import annotations

from peewee import fn

from projects.auth.models import User
from projects.owners.models import OutsideOwner
from projects.projects.models import Project
from projects.projects.queries import people_choices

# The owner's name in a query left-joined to User and to OutsideOwner: a user's name, or
# "Name (no account)" for someone without an account; None when nobody owns the row.
OWNER_NAME = fn.COALESCE(User.name, OutsideOwner.name.concat(" (no account)"))


def outside_owners(project: Project) -> list[OutsideOwner]:
    """The project's owners without accounts (not those who have made one since), by name."""
    return list(
        OutsideOwner.select()
        .where((OutsideOwner.project == project) & OutsideOwner.user.is_null())
        .order_by(OutsideOwner.name, OutsideOwner.id)
    )


def owner_choices(project: Project) -> list[tuple[int | str, str]]:
    """Who may be named owner: "No owner yet", the lead and members, then the people without
    accounts already named on the project."""
    return people_choices(project) + [(o.key, o.label) for o in outside_owners(project)]


def outside_names(ids) -> dict[str, str]:
    """{"outside-<id>": "Name (no account)"} of these outside owners (keyed as forms hold
    them, so they mix with users' {id: name}); no query when there are none."""
    ids = {i for i in ids if i}
    if not ids:
        return {}
    rows = OutsideOwner.select(OutsideOwner.id, OutsideOwner.name).where(
        OutsideOwner.id.in_(list(ids))
    )
    return {o.key: o.label for o in rows}
