"""Who may see and change which project. Every project lookup goes through here."""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required
from peewee import JOIN

from projects.auth.models import User
from projects.projects.models import Membership, Project

VIEW, EDIT, MANAGE = "view", "edit", "manage"
# What each project role may do; the project's lead and admins may do everything.
PROJECT_ROLE_CAN = {
    "owner": {VIEW, EDIT, MANAGE},
    "editor": {VIEW, EDIT},
    "viewer": {VIEW},
}


def visible_projects(user: User):
    """An unexecuted query of the projects this user may see."""
    query = Project.select()
    if user.sees_everything:
        return query
    member = Membership.select(Membership.project).where(Membership.user == user)
    return query.where((Project.lead == user) | Project.id.in_(member))


def can(user: User, project: Project, action: str, membership_role: str | None) -> bool:
    """May `user`, whose role on the project is `membership_role` (None: not a member)?"""
    if user.role == "admin" or project.lead_id == user.id:
        return True
    if action == VIEW and user.role == "leadership":
        return True
    return action in PROJECT_ROLE_CAN.get(membership_role, set())


def project_or_404(slug: str, action: str = VIEW) -> Project:
    """The project the signed-in user asked for: 404 if they may not see it, 403 if they may
    see it but not do `action`. Another project's slug looks exactly like a missing one."""
    user = current_user._get_current_object()
    row = (
        Project.select(Project, Membership.role.alias("my_role"))
        .join(
            Membership,
            JOIN.LEFT_OUTER,
            on=(Membership.project == Project.id) & (Membership.user == user.id),
        )
        .where(Project.slug == slug)
        .objects()
        .get_or_none()
    )
    if row is None or not can(user, row, VIEW, row.my_role):
        abort(404)
    if action != VIEW and not can(user, row, action, row.my_role):
        abort(403)
    row.my_permissions = {a for a in (VIEW, EDIT, MANAGE) if can(user, row, a, row.my_role)}
    return row


def role_required(*roles: str):
    """Only users with one of these roles may use the view; others get 403."""

    def decorate(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorate
