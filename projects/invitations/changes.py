"""Creating, sending, using, resending and canceling one-time links; every change audited,
and every message sent only after the change is committed."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from peewee import JOIN, IntegrityError

from projects import audit
from projects.auth import sessions
from projects.auth.changes import unlock
from projects.auth.models import User
from projects.db import db, for_update, utcnow
from projects.invitations.models import INVITATION, PASSWORD_RESET, AccessLink
from projects.mail.messages import link as page_link
from projects.mail.tasks import send
from projects.owners import changes as owners
from projects.passwords import hash_password
from projects.projects.models import PROJECT_ROLES, Membership, Project

INVITED_ROLE = "lead"  # an invitation from a project's members page: a project lead's powers


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _lifetime(kind: str) -> timedelta:
    config = current_app.config
    if kind == INVITATION:
        return timedelta(days=config["INVITATION_DAYS"])
    return timedelta(minutes=config["PASSWORD_RESET_MINUTES"])


def _fresh(link: AccessLink) -> str:
    """Give the link a new secret and a new expiry (the old secret stops working)."""
    token = secrets.token_urlsafe(32)
    link.token_hash = digest(token)
    link.expires_at = utcnow() + _lifetime(link.kind)
    return token


def invite(
    email: str,
    *,
    by: User,
    name: str = "",
    role: str = INVITED_ROLE,
    project: Project | None = None,
    project_role: str = "",
) -> AccessLink:
    """Invite someone with no account, and email them their link."""
    link = AccessLink(
        kind=INVITATION,
        email=email.strip().lower(),
        name=name.strip(),
        role=role,
        project=project,
        project_role=project_role if project else "",
        created_by=by,
    )
    token = _fresh(link)
    with db.atomic():
        link.save()
        audit.record(
            "invited",
            link,
            project=project,
            user=by,
            after={"email": link.email, "role": role, "project role": link.project_role},
        )
    _send_invitation(link, token)
    return link


def _send_invitation(link: AccessLink, token: str) -> None:
    project = Project.get_or_none(Project.id == link.project_id) if link.project_id else None
    inviter = User.get_or_none(User.id == link.created_by_id) if link.created_by_id else None
    send(
        link.email,
        f"You are invited to {project.name} on Playbook Tracker"
        if project
        else "You are invited to Playbook Tracker",
        "invitation",
        project=project,
        project_role=PROJECT_ROLES.get(link.project_role, "").lower(),
        inviter=inviter.name if inviter else "An administrator",
        address=page_link("invitations.accept", token=token),
        expires_at=link.expires_at,
    )


def link_for_owner(email: str, *, name: str, project: Project, by: User | None) -> str:
    """The address of a one-time link for someone named owner of a project's work who has no
    account, for the email that tells them about it: their pending invitation to the project
    when there is one, else a new one (as an editor of the project). Only a hash of a link's
    secret is stored, so the pending invitation gets a new secret and expiry; the link in an
    older email stops working, the newest one works."""
    email = email.strip().lower()
    with db.atomic():
        link = for_update(
            AccessLink.select()
            .where(
                (AccessLink.kind == INVITATION)
                & (AccessLink.email == email)
                & (AccessLink.project == project)
                & AccessLink.used_at.is_null()
                & AccessLink.canceled_at.is_null()
            )
            .order_by(AccessLink.id.desc())
        ).first()
        if link is not None:
            token = _fresh(link)
            link.save()
            audit.record("resent", link, project=project, user=by)
        else:
            link = AccessLink(
                kind=INVITATION,
                email=email,
                name=name.strip(),
                role=INVITED_ROLE,
                project=project,
                project_role=owners.MEMBER_ROLE,
                created_by=by,
            )
            token = _fresh(link)
            link.save()
            audit.record(
                "invited",
                link,
                project=project,
                user=by,
                after={"email": email, "role": INVITED_ROLE, "project role": link.project_role},
            )
    return page_link("invitations.accept", token=token)


def pending_invitations():
    """Invitations not yet used or canceled, newest first (expired ones too: resend them)."""
    return (
        AccessLink.select(AccessLink, Project)
        .join(Project, on=AccessLink.project == Project.id, join_type=JOIN.LEFT_OUTER)
        .where(
            (AccessLink.kind == INVITATION)
            & AccessLink.used_at.is_null()
            & AccessLink.canceled_at.is_null()
        )
        .order_by(AccessLink.created_at.desc(), AccessLink.id.desc())
    )


def resend(link: AccessLink, *, by: User) -> bool:
    """A new link (the old one stops working) with a new expiry, emailed again."""
    with db.atomic():
        locked = for_update(AccessLink.select().where(AccessLink.id == link.id)).get()
        if locked.used_at or locked.canceled_at:
            return False
        token = _fresh(locked)
        locked.save()
        audit.record("resent", locked, project=locked.project_id, user=by)
    _send_invitation(locked, token)
    return True


def cancel(link: AccessLink, *, by: User) -> bool:
    with db.atomic():
        changed = (
            AccessLink.update(canceled_at=utcnow())
            .where(
                (AccessLink.id == link.id)
                & AccessLink.used_at.is_null()
                & AccessLink.canceled_at.is_null()
            )
            .execute()
        )
        if changed:
            audit.record("canceled", link, project=link.project_id, user=by)
    return bool(changed)


def find(token: str, kind: str) -> AccessLink | None:
    """The link this secret opens, if it still works."""
    if not token or len(token) > 100:
        return None
    return AccessLink.get_or_none(
        (AccessLink.token_hash == digest(token))
        & (AccessLink.kind == kind)
        & AccessLink.usable(utcnow())
    )


def _use(link: AccessLink) -> bool:
    """Mark the link used, unless someone used it first: a link works once."""
    return bool(
        AccessLink.update(used_at=utcnow())
        .where((AccessLink.id == link.id) & AccessLink.usable(utcnow()))
        .execute()
    )


def accept(token: str, name: str, password: str) -> tuple[User | None, Project | None, str]:
    """Turn an invitation into an account with this person's own name and password, and
    every pending invitation for their address into memberships. (user, project to land in,
    "") or (None, None, why not)."""
    password_hash = hash_password(password)  # slow: before the transaction takes its lock
    gone = "This invitation link has expired or was already used. Ask for a new one."
    try:
        with db.atomic():
            link = find(token, INVITATION)
            if link is None or not _use(link):
                return None, None, gone
            user = User.create(
                email=link.email, name=name.strip(), role=link.role, password_hash=password_hash
            )
            AccessLink.update(user=user).where(AccessLink.id == link.id).execute()
            audit.record("accepted invitation", link, project=link.project_id, user=user)
            landing = None
            others = AccessLink.select().where(
                (AccessLink.kind == INVITATION)
                & (AccessLink.email == link.email)
                & AccessLink.usable(utcnow())
            )
            for invitation in [link, *others]:
                if invitation.project_id and invitation.project_role in PROJECT_ROLES:
                    membership, _ = Membership.get_or_create(
                        project=invitation.project_id,
                        user=user,
                        defaults={"role": invitation.project_role},
                    )
                    audit.record(
                        "added member",
                        membership,
                        project=invitation.project_id,
                        user=user,
                        after={"user": user.email, "role": membership.role, "by": "invitation"},
                    )
                    landing = landing or Project.get_by_id(invitation.project_id)
                if invitation.id != link.id:
                    _use(invitation)
            # Work they were named owner of before they had an account is theirs now.
            handed = owners.hand_over(link.email, user)
            if landing is None and handed:
                landing = Project.get_by_id(handed[0])
    except IntegrityError:
        return (
            None,
            None,
            (
                "An account with this email address already exists. Sign in, or reset your "
                "password from the sign-in page."
            ),
        )
    return user, landing, ""


RESETS_PER_HOUR = 3


def _resets_in_the_last_hour(user: User) -> int:
    since = utcnow() - timedelta(hours=1)
    return (
        AccessLink.select()
        .where(
            (AccessLink.user == user)
            & (AccessLink.kind == PASSWORD_RESET)
            & (AccessLink.created_at > since)
        )
        .count()
    )


def request_reset(email: str) -> None:
    """Email a reset link to the account with this address, if there is an active one. The
    caller says the same thing either way, so the page does not tell who has an account."""
    user = User.get_or_none((User.email == email.strip().lower()) & User.active)
    if user is None:
        return
    link = AccessLink(kind=PASSWORD_RESET, email=user.email, user=user, created_by=user)
    token = _fresh(link)
    with db.atomic():
        # Anyone may ask for anyone's address: at most RESETS_PER_HOUR emails an hour reach an
        # account, counted in the database (every worker and host sees the same count) under
        # the person's row lock, so asking in parallel does not get past it either.
        for_update(User.select(User.id).where(User.id == user.id)).get()
        if _resets_in_the_last_hour(user) >= RESETS_PER_HOUR:
            audit.record("refused a password reset email (too many this hour)", user, user=user)
            return
        # The newest link is the one that works: an older email's link stops.
        AccessLink.update(canceled_at=utcnow()).where(
            (AccessLink.user == user)
            & (AccessLink.kind == PASSWORD_RESET)
            & AccessLink.usable(utcnow())
        ).execute()
        link.save()
        audit.record("requested password reset", link, user=user)
    send(
        user.email,
        "Reset your Playbook Tracker password",
        "password_reset",
        name=user.name,
        address=page_link("invitations.reset_password", token=token),
        expires_at=link.expires_at,
        minutes=current_app.config["PASSWORD_RESET_MINUTES"],
    )


def reset(token: str, password: str) -> User | None:
    """Set a new password from a reset link; it ends every session and every other reset
    link of the account. None when the link no longer works."""
    password_hash = hash_password(password)
    with db.atomic():
        link = find(token, PASSWORD_RESET)
        if link is None or link.user_id is None or not _use(link):
            return None
        user = User.get_or_none((User.id == link.user_id) & User.active)
        if user is None:
            return None
        User.update(password_hash=password_hash, version=User.version + 1).where(
            User.id == user.id
        ).execute()
        sessions.end_everywhere(user.id)
        AccessLink.update(canceled_at=utcnow()).where(
            (AccessLink.user == user)
            & (AccessLink.kind == PASSWORD_RESET)
            & AccessLink.usable(utcnow())
        ).execute()
        audit.record("updated", user, user=user, after={"password reset by email": True})
        unlock(user)
    return User.get_by_id(user.id)
