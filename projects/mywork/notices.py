"""A notice by email when someone is made the owner of a piece of work by someone else.
Sent after the change is committed, from what was saved before and after."""

from __future__ import annotations

from datetime import date

from projects.auth.models import User
from projects.mail.messages import link
from projects.mail.tasks import send
from projects.projects.models import Project


def assigned(
    owner_id: int | None,
    by: User,
    *,
    project: Project,
    title: str,
    due: date | None,
    endpoint: str,
    **values,
) -> bool:
    """Tell the new owner (unless they assigned it to themselves); True when a notice went."""
    if not owner_id or owner_id == by.id:
        return False
    owner = User.get_or_none((User.id == owner_id) & User.active)
    if owner is None:
        return False
    send(
        owner.email,
        f"{by.name} assigned you work on {project.name}",
        "assigned",
        name=owner.name,
        by=by.name,
        project=project.name,
        title=title,
        due=due,
        address=link(endpoint, **values),
        my_work=link("mywork.index"),
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
        if row.owner_id and row.owner_id != (old.owner_id if old else None):
            item = edition.items[item_id]
            sent += assigned(
                row.owner_id,
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
