"""People who sign in, their role across the whole installation, their second factor (an
authenticator app and recovery codes), and the counts that slow down guessing their passwords
and codes."""

from __future__ import annotations

from flask_login import UserMixin
from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField

from projects.db import BaseModel, utcnow

ROLES = {
    "admin": "Admin",
    "lead": "Project lead",
    "contracting": "Contracting officer",
    "leadership": "Leadership",
    "assessor": "Assessor",
}


class User(BaseModel, UserMixin):
    email = CharField(unique=True)
    name = CharField()
    password_hash = CharField()
    role = CharField(choices=list(ROLES.items()), index=True)
    active = BooleanField(default=True)
    # Stored in each session at sign-in; moving it on ends every session started before.
    session_generation = IntegerField(default=1)
    created_at = DateTimeField(default=utcnow)
    version = IntegerField(default=1)
    # The weekly email of a person's overdue and due-soon work; they may turn it off.
    weekly_digest = BooleanField(default=True)
    digest_week = CharField(default="", max_length=10)  # ISO week last sent, e.g. 2026-W49

    def get_id(self) -> str:
        return str(self.id)

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def role_label(self) -> str:
        return ROLES.get(self.role, self.role)


class SignInThrottle(BaseModel):
    """Failed sign-ins counted under one key: an account ("account:" and a digest of the email
    address, known or not, so an unknown address behaves like a real one) or a client address
    ("address:" and the address). From `limit` failures on, each attempt must wait until
    `not_before`; a key quiet for a day is forgotten (and pruned)."""

    key = CharField(max_length=200, unique=True)
    failures = IntegerField(default=0)
    not_before = DateTimeField(null=True)
    last_attempt = DateTimeField(index=True)


class SecondFactor(BaseModel):
    """A person's authenticator app, once they have confirmed it with a code: the key it shares
    with us (kept as is: checking a code needs it) and the last time step a code was accepted
    for, so that no code works twice. A table of its own, so the key is never loaded with the
    user on every request."""

    user = ForeignKeyField(User, backref="second_factors", unique=True, on_delete="CASCADE")
    key = CharField(max_length=64)
    last_step = IntegerField(null=True)
    turned_on_at = DateTimeField(default=utcnow)


class RecoveryCode(BaseModel):
    """One of a person's recovery codes, stored as a hash; `used_at` is set when it signs them
    in, and then it never works again."""

    user = ForeignKeyField(User, backref="recovery_codes", on_delete="CASCADE")
    code_hash = CharField(max_length=64)
    used_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("user", "code_hash"), True),)
