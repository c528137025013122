"""Sign-in attempts: counting failures and locking an account, in the database."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app

from projects import audit
from projects.auth.models import User
from projects.db import db, utcnow
from projects.passwords import check_password


def check_sign_in(email: str, password: str) -> tuple[User | None, str | None]:
    """The user these details sign in, or None and why not. Failures and lock-outs are kept
    in the database, so they hold across workers and hosts."""
    limit = current_app.config["MAX_FAILED_SIGN_INS"]
    wrong = "The email address or password is not right. Check them and try again."
    user = User.get_or_none(User.email == email)
    if user is None or not user.active:
        check_password(None, password)  # same time as a real check
        return None, wrong
    if user.locked_until and user.locked_until > utcnow():
        return None, _locked(limit, user.locked_until)
    # The slow hash check runs before the transaction, so it never holds the write lock.
    if check_password(user.password_hash, password):
        with db.atomic():
            User.update(failed_sign_ins=0, locked_until=None).where(User.id == user.id).execute()
        return user, None
    with db.atomic():
        # Counted in the database, not read and written back: parallel failures all count.
        User.update(failed_sign_ins=User.failed_sign_ins + 1).where(User.id == user.id).execute()
        failures = User.select(User.failed_sign_ins).where(User.id == user.id).scalar()
        if failures >= limit:
            until = utcnow() + timedelta(minutes=current_app.config["LOCKOUT_MINUTES"])
            User.update(locked_until=until, failed_sign_ins=0).where(User.id == user.id).execute()
            audit.record("locked", user, user=user)
    return None, wrong


def _locked(limit: int, until) -> str:
    return (
        f"This account is locked after {limit} failed sign-ins. Try again after "
        f"{until:%H:%M} UTC, or ask an admin to unlock it."
    )
