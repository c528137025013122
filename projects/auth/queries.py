"""Reads about people's two-step sign-in that the account and admin pages use."""

from __future__ import annotations

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
