"""Sign-in attempts, slowed down per account and per client address in the database, and the
changes that end a person's sessions."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from datetime import datetime, timedelta

from flask import current_app
from peewee import IntegrityError

from projects import audit
from projects.auth import second_factor, sessions
from projects.auth.models import RecoveryCode, SecondFactor, SignInThrottle, User
from projects.db import db, for_update, utcnow
from projects.passwords import check_password, hash_password

# Counts quiet this long are forgotten, and pruned.
FORGET_AFTER = timedelta(days=1)
ZERO = timedelta(0)
REFUSED = "The email address or password is not right, or there have been too many attempts"
CODE_REFUSED = "That code is not right, or there have been too many attempts"
PROOF_REFUSED = "The password or code is not right, or there have been too many attempts"


def account_key(email: str) -> str:
    """The throttle key of an email address, known or not (a digest: typed addresses are not
    kept)."""
    return "account:" + hashlib.sha256(email.strip().lower().encode()).hexdigest()[:40]


def address_key(address: str | None) -> str:
    return f"address:{address or 'unknown'}"


def code_key(user: User) -> str:
    """The throttle key of a person's codes: apart from their password's, which a right
    password clears, so that knowing the password buys no fresh guesses at the code."""
    return f"code:{user.id}"


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


def _count_attempt(limits: dict[str, int]) -> tuple[timedelta, int]:
    """Count one attempt under each key (with its limit), in one transaction; how long it was
    early (zero: check it) and the failures counted now under the first key."""
    now = utcnow()
    for attempt in range(3):
        try:
            with db.atomic():
                # Always in the callers' one order (the account first, then the address): two
                # attempts never wait on each other's locks in opposite order.
                counted = [_count(key, limit, now) for key, limit in limits.items()]
                SignInThrottle.delete().where(
                    SignInThrottle.last_attempt < now - FORGET_AFTER
                ).execute()
            return max(early for early, _ in counted), counted[0][1]
        except IntegrityError:  # a parallel first attempt created the same key: count again
            if attempt == 2:
                raise
    raise AssertionError("not reached")


def _waiting(keys: list[str]) -> timedelta:
    """How long until every one of these keys may try again."""
    now = utcnow()
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


def refusal(wait: timedelta, refused: str = REFUSED, check: str = "check them") -> str:
    """The one answer to a wrong password, an unknown or inactive account, and an attempt made
    too early: none of them tells a stranger which it was. (Codes get theirs, in their words.)"""
    if wait <= ZERO:
        return f"{refused}: {check} and try again."
    minutes = max(1, math.ceil(wait.total_seconds() / 60))
    return f"{refused}: try again in {minutes} minute{'s' if minutes != 1 else ''}."


def check_sign_in(
    email: str, password: str, address: str | None = None
) -> tuple[User | None, str | None]:
    """The user these details sign in, or None and why not.

    Every attempt is counted for its account (known or not) and its client address before the
    password is checked; from the limit on, each further attempt must wait a growing delay,
    and one made too early is refused unchecked, whatever its password. The counts live in the
    database, so they hold across workers and hosts."""
    config = current_app.config
    keys = {
        account_key(email): config["MAX_FAILED_SIGN_INS"],
        address_key(address): config["MAX_FAILED_SIGN_INS_PER_ADDRESS"],
    }
    early, failures = _count_attempt(keys)
    if early > ZERO:
        return None, refusal(_waiting(list(keys)))
    user = User.get_or_none(User.email == email)
    if user is None or not user.active:
        check_password(None, password)  # the same time as a real check
        return None, refusal(_waiting(list(keys)))
    # The slow hash check runs outside any transaction, so it never holds the write lock.
    if check_password(user.password_hash, password):
        _not_a_failure(email, address)
        return user, None
    if failures == config["MAX_FAILED_SIGN_INS"]:
        with db.atomic():
            audit.record("sign-ins slowed", user, user=user, after={"failures": failures})
    return None, refusal(_waiting(list(keys)))


def unlock(user: User) -> None:
    """Let an account try its password and codes again at once (an admin's decision); the
    address counts stay."""
    keys = [account_key(user.email), code_key(user)]
    SignInThrottle.delete().where(SignInThrottle.key.in_(keys)).execute()


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


def turn_on_second_factor(user: User, key: str, code: str) -> tuple[list[str] | None, str | None]:
    """Turn two-step sign-in on with the app that shows `code` for `key`: its recovery codes
    (shown once, stored hashed), or None and why not. It ends the person's other sessions, all
    started with a password alone (the caller starts a new one)."""
    now = utcnow()
    step = second_factor.matching_step(key, code, now)
    if step is None:
        return None, (
            "That code does not match the key: check the time on your phone and enter the "
            "newest code your app shows"
        )
    codes = second_factor.new_recovery_codes()
    try:
        with db.atomic():
            # The step stays used: the code just typed cannot sign anyone in.
            SecondFactor.create(user=user.id, key=key, last_step=step, turned_on_at=now)
            _replace_recovery_codes(user, codes)
            sessions.end_everywhere(user.id)
            audit.record("two-step sign-in turned on", user, user=user)
    except IntegrityError:  # turned on meanwhile, from another tab
        return None, "Two-step sign-in is already on"
    return codes, None


def new_recovery_codes(user: User) -> list[str]:
    """Ten new recovery codes; the old ones, used or not, stop working."""
    codes = second_factor.new_recovery_codes()
    with db.atomic():
        _replace_recovery_codes(user, codes)
        audit.record("recovery codes replaced", user, user=user)
    return codes


def _replace_recovery_codes(user: User, codes: list[str]) -> None:
    RecoveryCode.delete().where(RecoveryCode.user == user.id).execute()
    RecoveryCode.insert_many(
        [{"user": user.id, "code_hash": second_factor.recovery_hash(c)} for c in codes]
    ).execute()


def turn_off_second_factor(user: User) -> None:
    """The person turns two-step sign-in off (having proved it is them)."""
    with db.atomic():
        _remove_second_factor(user)
        audit.record("two-step sign-in turned off", user, user=user)


def reset_second_factor(user: User, *, by: User) -> bool:
    """An admin removes a person's app and recovery codes (a lost phone) and ends every session
    they have; they sign in with their password next time (and set up an app again if
    REQUIRE_MFA is on). False when there was nothing to reset."""
    with db.atomic():
        if not _remove_second_factor(user):
            return False
        SignInThrottle.delete().where(SignInThrottle.key == code_key(user)).execute()
        sessions.end_everywhere(user.id)
        audit.record("two-step sign-in reset", user, user=by)
    return True


def _remove_second_factor(user: User) -> bool:
    RecoveryCode.delete().where(RecoveryCode.user == user.id).execute()
    return bool(SecondFactor.delete().where(SecondFactor.user == user.id).execute())


def check_code(user: User, code: str) -> str | None:
    """None when `code`, from the person's app or one of their recovery codes, proves it is
    them; otherwise the one refusal, whatever was wrong. An app code's time step, and a
    recovery code, then never work again."""
    return _throttled(user, lambda: _use_code(user, code), CODE_REFUSED, "enter the newest code")


def check_password_or_code(user: User, password: str, code: str) -> str | None:
    """None when the password, or else the code, proves it is the person (before a change such
    as turning two-step sign-in off); otherwise the one refusal. Counted with the codes, so a
    borrowed session cannot guess either freely."""

    def right() -> bool:
        return check_password(user.password_hash, password) if password else _use_code(user, code)

    return _throttled(user, right, PROOF_REFUSED, "check them")


def _throttled(user: User, attempt: Callable[[], bool], refused: str, check: str) -> str | None:
    """Count an attempt under the person's code key before making it, as passwords are
    counted: from MAX_FAILED_SIGN_INS failures on, each one waits longer, and one made too
    early is refused unchecked."""
    key, limit = code_key(user), current_app.config["MAX_FAILED_SIGN_INS"]
    early, failures = _count_attempt({key: limit})
    if early > ZERO:
        return refusal(_waiting([key]), refused, check)
    if attempt():  # outside the counting transaction: the password hash check is slow
        SignInThrottle.delete().where(SignInThrottle.key == key).execute()
        return None
    if failures == limit:
        with db.atomic():
            audit.record("two-step codes slowed", user, user=user, after={"failures": failures})
    return refusal(_waiting([key]), refused, check)


def _use_code(user: User, code: str) -> bool:
    """Accept an app code for a time step after the last one used, or an unused recovery code,
    and mark it used, in one transaction: two requests with one code cannot both pass."""
    now = utcnow()
    with db.atomic():
        if second_factor.is_app_code(code):
            query = SecondFactor.select().where(SecondFactor.user == user.id)
            factor = for_update(query).first()
            step = factor and second_factor.matching_step(
                factor.key, code, now, after=factor.last_step
            )
            if step is None:
                return False
            SecondFactor.update(last_step=step).where(SecondFactor.id == factor.id).execute()
            return True
        used = (
            RecoveryCode.update(used_at=now)
            .where(
                (RecoveryCode.user == user.id)
                & (RecoveryCode.code_hash == second_factor.recovery_hash(code))
                & RecoveryCode.used_at.is_null()
            )
            .execute()
        )
        if used:
            audit.record("recovery code used", user, user=user)
        return bool(used)
