"""Freezing reports: their data and PDF stored unchanged, with SHA-256 fingerprints."""

from __future__ import annotations

import json
from datetime import date

from projects import audit
from projects.auth.models import User
from projects.db import db
from projects.projects.models import Project
from projects.reports.models import PROJECT, Snapshot, canonical_json, sha256


def quarter_label(day: date, kind_label: str) -> str:
    """A default label such as "Portfolio, Q2 2026"."""
    return f"{kind_label}, Q{(day.month - 1) // 3 + 1} {day.year}"


def freeze(
    *,
    kind: str,
    label: str,
    data: dict,
    scores: dict,
    pdf: bytes,
    user: User | None,
    project: Project | None = None,
) -> Snapshot:
    # Store the data exactly as it will read back, so its fingerprint checks out later.
    data = json.loads(canonical_json(data))
    with db.atomic():
        snapshot = Snapshot.create(
            kind=kind,
            project=project if kind == PROJECT else None,
            label=label,
            data=data,
            scores=scores,
            pdf=pdf,
            sha256=sha256(pdf),
            data_sha256=sha256(canonical_json(data)),
            created_by=user,
            created_by_name=user.name if user else "a flask command",
        )
        audit.record(
            "froze",
            snapshot,
            project=project,
            user=user,
            after={"kind": kind, "label": label, "sha256": snapshot.sha256},
        )
    return snapshot
