"""Factories for findings: plain functions with keyword defaults."""

from __future__ import annotations

from datetime import date
from itertools import count

from projects.auth.models import User
from projects.projects.models import Project
from projects.research import changes
from projects.research.models import Finding

_serial = count(1)


def finding_values(**fields) -> dict:
    n = next(_serial)
    return {
        "title": f"Finding {n}",
        "insight": "People could not find the fee before they started.",
        "method": "usability_testing",
        "research_date": date(2026, 3, 2),
        "participants": 6,
        "user_groups": "P1 to P6, first-time applicants",
        "severity": "high",
        "confidence": 3,
        "status": "open",
        "status_reason": "",
        "recommendation": "",
        "evidence_links": "",
        "tags": [],
        "plays": [],
        "items": [],
        **fields,
    }


def make_finding(project: Project, user: User | None = None, **fields) -> Finding:
    user = user or project.lead
    return changes.create(project, finding_values(**fields), user, privacy_checked=False)
