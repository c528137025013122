"""The people and things the integrity tests save to, created through the app's own code."""

from __future__ import annotations

from datetime import date

from playbook.contracts import default_answers
from projects.contracts.changes import start_package
from projects.contracts.models import PackageClause
from projects.projects.models import Membership
from projects.research import changes as findings
from tests.conftest import PASSWORD, make_project, make_user


def play_writers(count: int, role: str = "lead"):
    """A project and `count` people who may edit it (editors), each with a play of their own."""
    people = [make_user(role) for _ in range(count)]
    project = make_project(members=dict.fromkeys(people, "editor"))
    return project, people


def finding(project, author) -> int:
    values = {
        "title": "People cannot find the fee before they start",
        "insight": "Most participants looked for the fee on the start page.",
        "method": "interviews",
        "research_date": date(2026, 3, 2),
        "participants": 8,
        "user_groups": "first-time applicants",
        "severity": "high",
        "confidence": 3,
        "status": "open",
        "status_reason": "",
        "recommendation": "",
        "evidence_links": "",
        "tags": ["fees"],
        "plays": [1],
        "items": ["p01.c1"],
    }
    return findings.create(project, values, author, privacy_checked=False).id


def contract_package(project, author) -> tuple[int, int]:
    """A package started from the project's facts, and the id of its first clause."""
    answers = default_answers(
        agency_name=project.agency,
        program_name="Permits",
        project_name=project.name,
        service_summary="Residents apply for permits online.",
    )
    package = start_package(project, "Contract language", answers, author)
    entry = (
        PackageClause.select()
        .where(PackageClause.package == package.id)
        .order_by(PackageClause.position)
        .first()
    )
    return package.id, entry.id


def spec(server, person, who: str, index: int, scenario: str, saves: int, **extra) -> dict:
    return {
        "base_url": server.url,
        "email": person.email,
        "password": PASSWORD,
        "who": who,
        "index": index,
        "scenario": scenario,
        "saves": saves,
        **extra,
    }


def add_member(project, person, role: str) -> None:
    Membership.create(project=project, user=person, role=role)


def set_role(project, person, role: str) -> None:
    Membership.update(role=role).where(
        (Membership.project == project) & (Membership.user == person)
    ).execute()
