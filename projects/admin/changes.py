"""Changing users: adding them, an admin's edits of name, role, access and password, and
ending a person's sessions."""

from __future__ import annotations

from peewee import IntegrityError

from projects import audit
from projects.auth import changes as auth_changes
from projects.auth.models import User
from projects.db import db
from projects.owners import changes as owners
from projects.passwords import hash_password
from projects.saves import Edit, Outcome, save

EDITABLE = ("name", "role", "active")


def public(user: User) -> dict:
    return {"email": user.email, "name": user.name, "role": user.role, "active": user.active}


def values(user: User) -> dict:
    """What an admin edits, as the form holds it."""
    return {f: getattr(user, f) for f in EDITABLE}


def create_user(email: str, name: str, role: str, password: str) -> User | None:
    """The new user; None when the email address is taken."""
    try:
        with db.atomic():
            user = User.create(
                email=email.strip().lower(),
                name=name.strip(),
                role=role,
                password_hash=hash_password(password),
            )
            audit.record("created", user, after=public(user))
            owners.hand_over(user.email, user)  # work named to this address is theirs now
    except IntegrityError:
        return None
    return user


def edit_user(
    user_id: int, submitted: dict, *, version, original, password: str = "", unlock: bool = False
) -> Outcome:
    """Save an admin's edit, merged with anything saved since the page was loaded. A new
    password is written with the edit, never compared; it and removing access end every
    session the person has. Unlocking lets the account try signing in again at once."""
    also, note = {}, {}
    if password:
        also["password_hash"] = hash_password(password)
        note["password changed"] = True
    if unlock:
        with db.atomic():
            auth_changes.unlock(User.get_by_id(user_id))
    return save(
        Edit(
            User.select().where(User.id == user_id),
            {k: v.strip() if isinstance(v, str) else v for k, v in submitted.items()},
            version,
            original,
            values=values,
            apply=_apply,
            also=also,
            note=note,
        )
    )


def _apply(user: User, changes: dict) -> None:
    """Put the changes on the row (read under lock); a new password or lost access ends every
    session the person has."""
    for key, value in changes.items():
        setattr(user, key, value)
    if "password_hash" in changes or changes.get("active") is False:
        user.session_generation += 1
