"""Password hashing with argon2id, and which new passwords are too easy to guess."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
# Verified against when the email is unknown, so both answers take the same time.
_DUMMY_HASH = _hasher.hash("not a real password")
MIN_LENGTH = 12
COMMON_PASSWORDS = Path(__file__).with_name("common_passwords.txt")
# What people add to a common password to pass a length rule: digits and symbols at the end.
_ADDED = re.compile(r"[\W\d_]+$")
_SEPARATORS = re.compile(r"[\s.\-_]+")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def password_problem(password: str) -> str | None:
    """A reason a new password is not acceptable, in words a person understands."""
    if len(password) < MIN_LENGTH:
        return f"Enter a password of at least {MIN_LENGTH} characters"
    if password.strip() != password:
        return "Remove the spaces at the start or end of the password"
    if is_common(password):
        return (
            "Choose a password that is harder to guess: this one is on a list of common passwords"
        )
    return None


def is_common(password: str) -> bool:
    """On the shipped list as it is, or once the digits and symbols added to its end are
    taken off ("Password2024!" is "password"); a run of one character counts too."""
    lowered = password.lower()
    compact = _SEPARATORS.sub("", lowered)  # "correct horse battery staple" is on it too
    common = common_passwords()
    candidates = {lowered, compact, _ADDED.sub("", lowered), _ADDED.sub("", compact)}
    return bool(candidates & common) or len(set(compact)) <= 2


@cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))
