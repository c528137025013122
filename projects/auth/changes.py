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
    with db.atomic():
        user = User.get_or_none(User.email == email)
        if user is None or not user.active:
            check_password(None, password)  # same time as a real check
            return None, wrong
        now = utcnow()
        if user.locked_until and user.locked_until > now:
            return None, (
                f"This account is locked after {limit} failed sign-ins. Try again after "
                f"{user.locked_until:%H:%M} UTC, or ask an admin to unlock it."
            )
        if not check_password(user.password_hash, password):
            user.failed_sign_ins += 1
            if user.failed_sign_ins >= limit:
                user.locked_until = now + timedelta(minutes=current_app.config["LOCKOUT_MINUTES"])
                user.failed_sign_ins = 0
                audit.record("locked", user, user=user)
            user.save()
            return None, wrong
        user.failed_sign_ins = 0
        user.locked_until = None
        user.save()
    return user, None
