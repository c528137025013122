"""Stored reports: frozen snapshots (never changed once made), background jobs and their cache."""

from __future__ import annotations

import hashlib
import json

from peewee import (
    BlobField,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from projects.auth.models import User
from projects.db import BaseModel, JSONField, utcnow
from projects.projects.models import Project

PROJECT, PORTFOLIO = "project", "portfolio"
KINDS = {PROJECT: "Project report", PORTFOLIO: "Portfolio report"}
QUEUED, RUNNING, DONE, FAILED = JOB_STATUSES = ("queued", "running", "done", "failed")
JOB_STATUS_LABELS = {
    QUEUED: "Waiting to start",
    RUNNING: "Being built",
    DONE: "Ready",
    FAILED: "Failed",
}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def canonical_json(value) -> bytes:
    """The same bytes for the same data, whatever the database hands back."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str).encode()


class SnapshotIsFrozen(RuntimeError):
    """Snapshots are records: once stored they are never changed or deleted."""


class Snapshot(BaseModel):
    """A frozen report: its data and PDF exactly as they were, with their SHA-256."""

    kind = CharField(choices=list(KINDS.items()), index=True)
    # RESTRICT: a frozen record must not disappear with the project it describes.
    project = ForeignKeyField(
        Project, backref="snapshots", null=True, on_delete="RESTRICT", index=True
    )
    label = CharField(max_length=200)
    data = JSONField()
    scores = JSONField()  # {project id: {"name", "overall", "plays"}} for later comparisons
    pdf = BlobField()
    sha256 = CharField(max_length=64)
    data_sha256 = CharField(max_length=64)
    created_by = ForeignKeyField(
        User, backref="snapshots", null=True, on_delete="SET NULL", index=True
    )
    created_by_name = CharField(default="")
    created_at = DateTimeField(default=utcnow, index=True)

    def save(self, *args, **kwargs):
        if self.id is not None and not kwargs.get("force_insert"):
            raise SnapshotIsFrozen("a frozen snapshot cannot be changed")
        return super().save(*args, **kwargs)

    def delete_instance(self, *args, **kwargs):
        raise SnapshotIsFrozen("a frozen snapshot cannot be deleted")

    @classmethod
    def update(cls, *args, **kwargs):
        raise SnapshotIsFrozen("frozen snapshots cannot be changed")

    @classmethod
    def delete(cls):
        raise SnapshotIsFrozen("frozen snapshots cannot be deleted")

    @property
    def pdf_bytes(self) -> bytes:
        return bytes(self.pdf)  # PostgreSQL hands back a memoryview

    def problems(self) -> list[str]:
        """What no longer matches the hashes taken when it was frozen (empty: intact)."""
        found = []
        if sha256(self.pdf_bytes) != self.sha256:
            found.append("the PDF file")
        if sha256(canonical_json(self.data)) != self.data_sha256:
            found.append("the report data")
        return found


class ReportCache(BaseModel):
    """A finished PDF for one version of the data; asking again returns it at once."""

    key = CharField(max_length=64, unique=True)
    data = JSONField()
    scores = JSONField()
    pdf = BlobField()
    pages = IntegerField(default=0)
    created_at = DateTimeField(default=utcnow, index=True)

    @property
    def pdf_bytes(self) -> bytes:
        return bytes(self.pdf)


class ReportJob(BaseModel):
    """A report being built in the background; any web worker can show its progress."""

    kind = CharField(choices=list(KINDS.items()), default=PORTFOLIO)
    requested_by = ForeignKeyField(User, backref="report_jobs", on_delete="CASCADE", index=True)
    status = CharField(choices=[(s, s) for s in JOB_STATUSES], default=QUEUED, index=True)
    progress = IntegerField(default=0)  # 0..100
    stage = CharField(default="Waiting for a worker to start")
    error = TextField(default="")
    cache_key = CharField(max_length=64, default="", index=True)
    # Set while the job is queued or running, cleared when it ends: one job at a time per
    # report, person and version of the data (see tasks.active_key); NULLs never collide.
    active_key = CharField(max_length=100, null=True, unique=True)
    worker = CharField(max_length=100, default="")  # projects.jobs.worker_id() of the runner
    attempts = IntegerField(default=0)
    created_at = DateTimeField(default=utcnow, index=True)
    updated_at = DateTimeField(default=utcnow)
    finished_at = DateTimeField(null=True)

    @property
    def status_label(self) -> str:
        return JOB_STATUS_LABELS[self.status]
