"""A notice by email when someone is made the owner of a piece of work by someone else.
Sent after the change is committed, from what was saved before and after. An owner without an
account gets the notice too, with a link to make their account instead of links they could
not open."""

from __future__ import annotations

from datetime import date

from projects.auth.models import User
from projects.invitations.changes import link_for_owner
from projects.mail.messages import link
from projects.mail.tasks import send
from projects.owners.models import OutsideOwner, outside_id
from projects.projects.models import Project


def assigned(
    owner,
    by: User,
    *,
    project: Project,
    title: str,
    due: date | None,
    endpoint: str,
    **values,
) -> bool:
    """Tell the new owner (a user's id or an outside owner's key, projects.owners.models),
    unless they assigned it to themselves; True when a notice went."""
    outside = outside_id(owner)
    if outside is not None:
        return _assigned_outside(outside, by, project=project, title=title, due=due)
    if not owner or owner == by.id:
        return False
    person = User.get_or_none((User.id == owner) & User.active)
    if person is None:
        return False
    send(
        person.email,
        f"{by.name} assigned you work on {project.name}",
        "assigned",
        name=person.name,
        by=by.name,
        project=project.name,
        title=title,
        due=due,
        address=link(endpoint, **values),
        my_work=link("mywork.index"),
    )
    return True


def _assigned_outside(
    outside_owner_id: int, by: User, *, project: Project, title: str, due: date | None
) -> bool:
    person = OutsideOwner.get_or_none(
        (OutsideOwner.id == outside_owner_id) & OutsideOwner.user.is_null()
    )
    if person is None:
        return False
    send(
        person.email,
        f"{by.name} assigned you work on {project.name}",
        "assigned_outside",
        name=person.name,
        by=by.name,
        project=project.name,
        title=title,
        due=due,
        invitation=link_for_owner(person.email, name=person.name, project=project, by=by),
    )
    return True


def items_assigned(project: Project, before: dict, rows: list, by: User, edition) -> int:
    """Notices for the checklist items of a play save whose owner changed: `before` maps item
    ids to the rows as loaded before the save, `rows` are the rows saved now."""
    sent = 0
    for row in rows:
        item_id = getattr(row, "item_id", None)
        if item_id is None or item_id not in edition.items:
            continue
        old = before.get(item_id)
        if row.owner_key and row.owner_key != (old.owner_key if old else 0):
            item = edition.items[item_id]
            sent += assigned(
                row.owner_key,
                by,
                project=project,
                title=f"{item.id} {item.text}",
                due=row.due_date,
                endpoint="checklists.play",
                slug=project.slug,
                number=item.play,
                _anchor=f"item-{item.id}",
            )
    return sent


__all__ = ["assigned", "items_assigned"]
