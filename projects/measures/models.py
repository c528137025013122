"""Service measures of a project, their values per period, and the project's API tokens.

Each measure stores its latest figures (latest period, value and the value before it), kept
in the same transaction as every value write (`changes.record_value`, `changes.count_answer`),
so a portfolio of thousands of projects sorts and filters on them without reading values.
"""

from __future__ import annotations

from peewee import (
    CharField,
    DateTimeField,
    DoubleField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from playbook import measures as catalog
from projects.auth.models import User
from projects.db import BaseModel, utcnow
from projects.projects.models import Project

SOURCES = {"form": "Form", "import": "Import", "api": "API", "feedback": "Feedback"}


class Measure(BaseModel):
    project = ForeignKeyField(Project, backref="measures", on_delete="CASCADE")
    key = CharField(max_length=40)  # a slug: an A-11 driver's key, a catalog key or custom
    name = CharField(max_length=200)
    description = TextField(default="")
    unit = CharField(max_length=20, choices=list(catalog.UNITS.items()))
    direction = CharField(max_length=10, choices=list(catalog.DIRECTIONS.items()))
    target = DoubleField(null=True)
    driver = CharField(max_length=20, default="")  # '' or an A-11 driver key
    period_kind = CharField(max_length=10, default=catalog.MONTH)
    position = IntegerField(default=0)
    version = IntegerField(default=1)
    # Stored latest figures, written with every value (changes.refresh_latest).
    latest_period = CharField(max_length=10, default="")
    latest_value = DoubleField(null=True)
    previous_value = DoubleField(null=True)

    class Meta:
        indexes = (
            (("project", "key"), True),
            (("key", "latest_value"), False),
        )

    @property
    def unit_label(self) -> str:
        return catalog.UNITS.get(self.unit, self.unit)

    @property
    def direction_label(self) -> str:
        return catalog.DIRECTIONS.get(self.direction, self.direction)

    @property
    def is_driver(self) -> bool:
        return bool(self.driver)

    @property
    def change(self) -> str:
        """ "better", "worse", "same" or "" since the previous period."""
        return catalog.change(self.latest_value, self.previous_value, self.direction)

    @property
    def meets_target(self) -> bool | None:
        return catalog.meets(self.latest_value, self.target, self.direction)

    def show(self, value: float | None) -> str:
        return catalog.format_value(value, self.unit)


# The columns counting each answer of the 5-point scale, 1 to 5.
ANSWERS = ("answers_1", "answers_2", "answers_3", "answers_4", "answers_5")


class MeasureValue(BaseModel):
    measure = ForeignKeyField(Measure, backref="values", on_delete="CASCADE")
    period = CharField(max_length=10)  # "2026-07" or "2026-Q3" (playbook.measures)
    value = DoubleField(null=True)
    # A-11 drivers: how many answered, and how many gave each score (1 .. 5).
    responses = IntegerField(default=0)
    answers_1 = IntegerField(default=0)
    answers_2 = IntegerField(default=0)
    answers_3 = IntegerField(default=0)
    answers_4 = IntegerField(default=0)
    answers_5 = IntegerField(default=0)
    offered = IntegerField(null=True)  # how many were offered the survey
    customers = IntegerField(null=True)  # number of customers or transactions
    source = CharField(max_length=10, choices=list(SOURCES.items()), default="form")
    updated_by = ForeignKeyField(User, backref="measure_values", null=True, on_delete="SET NULL")
    updated_at = DateTimeField(default=utcnow)
    version = IntegerField(default=1)

    class Meta:
        indexes = ((("measure", "period"), True),)

    @property
    def answers(self) -> tuple[int, int, int, int, int]:
        return tuple(getattr(self, name) for name in ANSWERS)

    @classmethod
    def answer_columns(cls) -> list:
        """The five answer counts as columns, 1 to 5, for queries."""
        return [getattr(cls, name) for name in ANSWERS]


class ApiToken(BaseModel):
    """A token that lets a program read and write one project's measures. Only its SHA-256 is
    stored; `prefix` (its first 8 characters) lets people tell tokens apart."""

    project = ForeignKeyField(Project, backref="api_tokens", on_delete="CASCADE")
    name = CharField(max_length=100)
    token_hash = CharField(max_length=64, unique=True)
    prefix = CharField(max_length=8)
    created_by = ForeignKeyField(
        User, backref="created_api_tokens", null=True, on_delete="SET NULL"
    )
    created_at = DateTimeField(default=utcnow)
    last_used_at = DateTimeField(null=True)
    revoked_at = DateTimeField(null=True)

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class MeasureUpload(BaseModel):
    """A checked CSV of figures waiting for its preview to be confirmed: kept in the database,
    not in a worker's memory, so the confirming request may reach any worker."""

    token = CharField(max_length=64, unique=True)
    project = ForeignKeyField(Project, backref="measure_uploads", on_delete="CASCADE")
    user = ForeignKeyField(User, backref="measure_uploads", on_delete="CASCADE")
    filename = CharField(max_length=255, default="")
    text = TextField()
    created_at = DateTimeField(default=utcnow, index=True)
