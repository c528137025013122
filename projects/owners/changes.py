"""Naming an owner without an account, and handing their work to the account they make."""

from __future__ import annotations

from dataclasses import dataclass

from peewee import IntegrityError

from projects import audit
from projects.auth.models import User
from projects.db import db
from projects.owners.models import OutsideOwner
from projects.projects.models import Membership, Project

MEMBER_ROLE = "editor"  # what someone named owner of a project's work becomes on joining it


@dataclass(frozen=True)
class Named:
    """An owner typed into a form: someone without an account, by name and email address."""

    name: str
    email: str


def resolve(project: Project, owner, by: User) -> int | str:
    """A form's owner as a key (`projects.owners.models`): a typed name and address become the
    user who signs in with that address, when there is one, else the project's outside owner
    with that address (added the first time; a new spelling of the name replaces the old)."""
    if not isinstance(owner, Named):
        return owner
    email, name = owner.email.strip().lower(), " ".join(owner.name.split())
    user = User.get_or_none((User.email == email) & User.active)
    if user is not None:
        return user.id
    with db.atomic():
        found = OutsideOwner.get_or_none(
            (OutsideOwner.project == project) & (OutsideOwner.email == email)
        )
        if found is None:
            try:
                with db.atomic():
                    found = OutsideOwner.create(
                        project=project, name=name, email=email, created_by=by
                    )
                    audit.record(
                        "named outside owner",
                        found,
                        project=project,
                        user=by,
                        after={"name": name, "email": email},
                    )
            except IntegrityError:  # someone named the same address at the same moment
                found = OutsideOwner.get(
                    (OutsideOwner.project == project) & (OutsideOwner.email == email)
                )
        elif found.name != name:
            before = found.name
            OutsideOwner.update(name=name).where(OutsideOwner.id == found.id).execute()
            audit.record(
                "renamed outside owner",
                found,
                project=project,
                user=by,
                before={"name": before},
                after={"name": name},
            )
    return found.key


def hand_over(email: str, user: User) -> list[int]:
    """Give everything owned under this address by someone without an account to the account
    just made with it, and make them an editor of those projects; call inside the transaction
    that makes the account. Versions move on, so a form loaded before cannot put the outside
    owner back. Returns the ids of the projects."""
    from projects.checklists.models import ItemResponse
    from projects.research.models import Finding

    projects = []
    rows = OutsideOwner.select().where(
        (OutsideOwner.email == email.strip().lower()) & OutsideOwner.user.is_null()
    )
    for outside in rows:
        moved = {}
        for label, model in (("checklist items", ItemResponse), ("findings", Finding)):
            moved[label] = (
                model.update(owner=user, outside_owner=None, version=model.version + 1)
                .where(model.outside_owner == outside.id)
                .execute()
            )
        OutsideOwner.update(user=user).where(OutsideOwner.id == outside.id).execute()
        audit.record(
            "handed over work",
            outside,
            project=outside.project_id,
            user=user,
            after={"name": outside.name, "email": outside.email} | moved,
        )
        membership, added = Membership.get_or_create(
            project=outside.project_id, user=user, defaults={"role": MEMBER_ROLE}
        )
        if added:
            audit.record(
                "added member",
                membership,
                project=outside.project_id,
                user=user,
                after={"user": user.email, "role": MEMBER_ROLE, "by": "invitation"},
            )
        projects.append(outside.project_id)
    return projects


def stop_weekly_email(email: str) -> bool:
    """Stop the weekly email to an owner without an account, on every project that names the
    address (audited on each); False when it was stopped already."""
    with db.atomic():
        owners = list(
            OutsideOwner.select().where(
                (OutsideOwner.email == email.lower()) & OutsideOwner.weekly_digest
            )
        )
        ids = [owner.id for owner in owners]
        OutsideOwner.update(weekly_digest=False).where(OutsideOwner.id.in_(ids)).execute()
        for owner in owners:
            audit.record(
                "updated",
                owner,
                project=Project(id=owner.project_id),
                before={"weekly email": True},
                after={"weekly email": False},
            )
    return bool(owners)
