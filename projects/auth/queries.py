"""Reads about people that other features use: finding someone by name or email address, and
their two-step sign-in (the account and admin pages)."""

from __future__ import annotations

from peewee import fn

from projects.auth.models import RecoveryCode, SecondFactor, User


def second_factor_of(user: User) -> SecondFactor | None:
    """The person's authenticator app, or None while two-step sign-in is off for them."""
    return SecondFactor.get_or_none(SecondFactor.user == user.id)


def recovery_codes_left(user: User) -> int:
    return (
        RecoveryCode.select()
        .where((RecoveryCode.user == user.id) & RecoveryCode.used_at.is_null())
        .count()
    )


def with_second_factor(users: list[User]) -> set[int]:
    """The ids of these people who have two-step sign-in on (one query for a whole list)."""
    ids = [u.id for u in users]
    rows = SecondFactor.select(SecondFactor.user).where(SecondFactor.user.in_(ids))
    return {row.user_id for row in rows}


def people_matching(words: str):
    """An unexecuted query of everyone whose name or email address contains `words` (any case;
    on SQLite, case is ignored for the letters A to Z only), in a stable order: by name, then by
    when they were added. No words: everyone."""
    query = User.select()
    if words:
        query = query.where(User.name.contains(words) | User.email.contains(words))
    return query.order_by(User.name, User.id)


def person_with_email(email: str) -> User | None:
    """The person who signs in with this address (addresses are stored in lower case)."""
    return User.get_or_none(User.email == email.strip().lower())


def people_called(name: str, limit: int = 10) -> list[User]:
    """People whose full name is `name`, in any case, those who can sign in first."""
    return list(
        User.select()
        .where(fn.LOWER(User.name) == fn.LOWER(name.strip()))
        .order_by(User.active.desc(), User.name, User.id)
        .limit(limit)
    )


def active_people_matching(words: str, limit: int = 10) -> list[User]:
    """Up to `limit` people who can sign in whose name or email address contains `words`."""
    return list(people_matching(words).where(User.active).limit(limit))
