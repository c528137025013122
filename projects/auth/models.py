"""People who sign in, and their role across the whole installation."""

from __future__ import annotations

from flask_login import UserMixin
from peewee import BooleanField, CharField, DateTimeField, IntegerField

from projects.db import BaseModel, utcnow

ROLES = {
    "admin": "Admin",
    "lead": "Project lead",
    "contracting": "Contracting officer",
    "leadership": "Leadership",
}


class User(BaseModel, UserMixin):
    email = CharField(unique=True)
    name = CharField()
    password_hash = CharField()
    role = CharField(choices=list(ROLES.items()), index=True)
    active = BooleanField(default=True)
    failed_sign_ins = IntegerField(default=0)
    locked_until = DateTimeField(null=True)
    created_at = DateTimeField(default=utcnow)
    version = IntegerField(default=1)

    def get_id(self) -> str:
        return str(self.id)

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def role_label(self) -> str:
        return ROLES.get(self.role, self.role)
