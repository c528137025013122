"""Changing projects: creating, editing facts, archiving, and adding or removing members."""

from __future__ import annotations

from peewee import IntegrityError

from projects import audit
from projects.auth.models import User
from projects.checklists import scores
from projects.db import db, for_update
from projects.projects.models import Membership, Project
from projects.saves import Edit, Outcome, save

FACTS = ("name", "agency", "office", "phase", "summary", "lead", "start_date", "target_date")


def facts(project: Project) -> dict:
    """The facts a person edits, as the form holds them."""
    values = {f: getattr(project, f) for f in FACTS if f != "lead"}
    values["lead"] = project.lead_id
    return values


def _cleaned(values: dict) -> dict:
    return {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}


def create(values: dict, *, slug: str, user: User, phase_gated: bool = False) -> Project:
    """`phase_gated`: its phase moves forward only through assessments (issue 14)."""
    with db.atomic():
        project = Project.create(slug=slug, phase_gated=phase_gated, **_cleaned(values))
        Membership.create(project=project, user=user, role="owner")
        scores.refresh(project)
        audit.record("created", project, project=project, after=audit_values(project), user=user)
    return project


def audit_values(project: Project) -> dict:
    return {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in facts(project).items()}


def edit(project: Project, values: dict, *, version, original, user: User) -> Outcome:
    """Save a person's edit of the facts, merging with anything saved since they loaded it."""
    return save(
        Edit(
            Project.select().where(Project.id == project.id),
            _cleaned(values),
            version,
            original,
            values=facts,
        ),
        user=user,
        project=project,
        then=lambda: scores.refresh(project),  # the phase decides which items count
    )


def set_archived(project: Project, archived: bool) -> bool:
    """Archive the project (or restore it: `archived` False). False when it already was so
    (someone else got there first, or a second click): nothing changes, no event is recorded.

    The state is a condition of the UPDATE, not read before it, so two people at once cannot
    both change it: on PostgreSQL the second UPDATE waits for the first's row lock and then
    finds nothing to change; SQLite runs them one after the other."""
    with db.atomic():
        changed = (
            Project.update(archived=archived, version=Project.version + 1)
            .where((Project.id == project.id) & (Project.archived != archived))
            .execute()
        )
        if changed:
            audit.record(
                "archived" if archived else "unarchived",
                project,
                project=project,
                before={"archived": not archived},
                after={"archived": archived},
            )
    return bool(changed)


def add_member(project: Project, user: User, role: str, reviewer: bool = False) -> bool:
    """False when they are a member already (a second click of the same button, say)."""
    try:
        with db.atomic():
            membership = Membership.create(project=project, user=user, role=role, reviewer=reviewer)
            audit.record(
                "added member",
                membership,
                project=project,
                after={"user": user.email, "role": role, "reviewer": reviewer},
            )
    except IntegrityError:
        return False
    return True


def remove_member(project: Project, user_id: int) -> Membership | None:
    """The membership removed; None when it was already gone (a double submit)."""
    with db.atomic():
        membership = for_update(
            Membership.select(Membership, User)
            .join(User)
            .where((Membership.project == project) & (Membership.user == user_id))
        ).get_or_none()
        if membership is None:
            return None
        membership.delete_instance()
        audit.record(
            "removed member",
            ("Membership", membership.id),
            project=project,
            before={"user": membership.user.email, "role": membership.role},
        )
    return membership


def set_reviewer(project: Project, user_id: int, reviewer: bool) -> bool:
    """Give a member the reviewer right, or take it away. False when it already was so (or
    they are not a member): nothing changes, no event is recorded."""
    with db.atomic():
        changed = (
            Membership.update(reviewer=reviewer)
            .where(
                (Membership.project == project.id)
                & (Membership.user == user_id)
                & (Membership.reviewer != reviewer)
            )
            .execute()
        )
        if changed:
            email = User.select(User.email).where(User.id == user_id).scalar()
            audit.record(
                "gave reviewer right" if reviewer else "took reviewer right",
                ("Membership", user_id),
                project=project,
                before={"user": email, "reviewer": not reviewer},
                after={"user": email, "reviewer": reviewer},
            )
    return bool(changed)
