"""Sign-in attempts, slowed down per account and per client address in the database, and the
changes that end a person's sessions."""

from __future__ import annotations

import hashlib
import math
from datetime import datetime, timedelta

from flask import current_app
from peewee import IntegrityError

from projects import audit
from projects.auth import sessions
from projects.auth.models import SignInThrottle, User
from projects.db import db, for_update, utcnow
from projects.passwords import check_password, hash_password

# Counts quiet this long are forgotten, and pruned.
FORGET_AFTER = timedelta(days=1)
ZERO = timedelta(0)
REFUSED = "The email address or password is not right, or there have been too many attempts"


def account_key(email: str) -> str:
    """The throttle key of an email address, known or not (a digest: typed addresses are not
    kept)."""
    return "account:" + hashlib.sha256(email.strip().lower().encode()).hexdigest()[:40]


def address_key(address: str | None) -> str:
    return f"address:{address or 'unknown'}"


def delay(failures: int, limit: int) -> timedelta:
    """How long the attempt after `failures` failures must wait: nothing below `limit`, then
    2, 4, 8 ... seconds, never more than the configured longest wait."""
    if failures < limit:
        return ZERO
    longest = current_app.config["SIGN_IN_MAX_DELAY_MINUTES"] * 60
    return timedelta(seconds=min(2 ** min(failures - limit + 1, 30), longest))


def _count(key: str, limit: int, now: datetime) -> tuple[timedelta, int]:
    """Count one attempt under `key` (inside the caller's transaction), before its password is
    checked, so parallel attempts are all counted and none slips past the limit. Returns how
    long this attempt was early (zero: it may be checked) and the failures counted now."""
    row = for_update(SignInThrottle.select().where(SignInThrottle.key == key)).first()
    if row is None:
        SignInThrottle.create(key=key, failures=1, last_attempt=now, not_before=None)
        return ZERO, 1
    forgotten = row.last_attempt < now - FORGET_AFTER
    early = ZERO if forgotten or not row.not_before else max(row.not_before - now, ZERO)
    failures = 1 if forgotten else row.failures + 1
    wait = delay(failures, limit)
    SignInThrottle.update(
        failures=failures, last_attempt=now, not_before=now + wait if wait else None
    ).where(SignInThrottle.id == row.id).execute()
    return early, failures


def _count_attempt(email: str, address: str | None) -> tuple[timedelta, int]:
    """Count the attempt for the account and for the address, in one transaction; how long it
    was early (zero: check the password) and the account's failures now."""
    config = current_app.config
    now = utcnow()
    for attempt in range(3):
        try:
            with db.atomic():
                # Always the account first, then the address: two attempts never wait on
                # each other's locks in opposite order.
                account_early, failures = _count(
                    account_key(email), config["MAX_FAILED_SIGN_INS"], now
                )
                address_early, _ = _count(
                    address_key(address), config["MAX_FAILED_SIGN_INS_PER_ADDRESS"], now
                )
                SignInThrottle.delete().where(
                    SignInThrottle.last_attempt < now - FORGET_AFTER
                ).execute()
            return max(account_early, address_early), failures
        except IntegrityError:  # a parallel first attempt created the same key: count again
            if attempt == 2:
                raise
    raise AssertionError("not reached")


def _waiting(email: str, address: str | None) -> timedelta:
    """How long until both the account and the address may try again."""
    now = utcnow()
    keys = [account_key(email), address_key(address)]
    latest = (
        SignInThrottle.select(SignInThrottle.not_before)
        .where(SignInThrottle.key.in_(keys) & SignInThrottle.not_before.is_null(False))
        .order_by(SignInThrottle.not_before.desc())
        .scalar()
    )
    return max(latest - now, ZERO) if latest else ZERO


def _not_a_failure(email: str, address: str | None) -> None:
    """A right password: the account starts again, and the address takes back the attempt
    counted before the check (people signing in from one office are not failures)."""
    limit = current_app.config["MAX_FAILED_SIGN_INS_PER_ADDRESS"]
    address_row = SignInThrottle.key == address_key(address)
    with db.atomic():
        SignInThrottle.delete().where(SignInThrottle.key == account_key(email)).execute()
        SignInThrottle.update(failures=SignInThrottle.failures - 1).where(
            address_row & (SignInThrottle.failures > 0)
        ).execute()
        SignInThrottle.update(not_before=None).where(
            address_row & (SignInThrottle.failures < limit)
        ).execute()


def refusal(wait: timedelta) -> str:
    """The one answer to a wrong password, an unknown or inactive account, and an attempt made
    too early: none of them tells a stranger which it was."""
    if wait <= ZERO:
        return f"{REFUSED}: check them and try again."
    minutes = max(1, math.ceil(wait.total_seconds() / 60))
    return f"{REFUSED}: try again in {minutes} minute{'s' if minutes != 1 else ''}."


def check_sign_in(
    email: str, password: str, address: str | None = None
) -> tuple[User | None, str | None]:
    """The user these details sign in, or None and why not.

    Every attempt is counted for its account (known or not) and its client address before the
    password is checked; from the limit on, each further attempt must wait a growing delay,
    and one made too early is refused unchecked, whatever its password. The counts live in the
    database, so they hold across workers and hosts."""
    early, failures = _count_attempt(email, address)
    if early > ZERO:
        return None, refusal(_waiting(email, address))
    user = User.get_or_none(User.email == email)
    if user is None or not user.active:
        check_password(None, password)  # the same time as a real check
        return None, refusal(_waiting(email, address))
    # The slow hash check runs outside any transaction, so it never holds the write lock.
    if check_password(user.password_hash, password):
        _not_a_failure(email, address)
        return user, None
    if failures == current_app.config["MAX_FAILED_SIGN_INS"]:
        with db.atomic():
            audit.record("sign-ins slowed", user, user=user, after={"failures": failures})
    return None, refusal(_waiting(email, address))


def unlock(email: str) -> None:
    """Let an account try again at once (an admin's decision); the address counts stay."""
    SignInThrottle.delete().where(SignInThrottle.key == account_key(email)).execute()


def slowed_until(emails: list[str]) -> dict[str, datetime]:
    """For each of these accounts that must wait before its next sign-in, until when."""
    keys = {account_key(e): e for e in emails}
    rows = SignInThrottle.select().where(
        SignInThrottle.key.in_(list(keys)) & (SignInThrottle.not_before > utcnow())
    )
    return {keys[row.key]: row.not_before for row in rows}


def sign_out_everywhere(user: User, *, by: User) -> None:
    """End every session this person has, on every device."""
    with db.atomic():
        sessions.end_everywhere(user.id)
        audit.record("signed out everywhere", user, user=by)


def change_own_password(user: User, password: str) -> User:
    """A person's new password; it ends their other sessions (the caller starts a new one)."""
    password_hash = hash_password(password)  # slow: before the transaction takes its lock
    with db.atomic():
        User.update(password_hash=password_hash, version=User.version + 1).where(
            User.id == user.id
        ).execute()
        sessions.end_everywhere(user.id)
        audit.record("updated", user, user=user, after={"password changed": True})
    return User.get_by_id(user.id)
