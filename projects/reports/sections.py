"""What research findings and contract packages add to reports, for many projects at once
(one query each, never one per project)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from peewee import JOIN, fn

from projects.contracts.models import PACKAGE_STATUSES, ContractPackage, Revision
from projects.research.models import SEVERITIES, STATUSES, UNRESOLVED, Finding

SEVERITY_ORDER = ("critical", "high", "medium", "low")


@dataclass(frozen=True)
class FindingLine:
    project_id: int
    title: str
    severity: str
    severity_label: str
    status_label: str
    research_date: date | None


@dataclass(frozen=True)
class ContractLine:
    project_id: int
    title: str
    status_label: str
    detail: str


def open_findings(project_ids: list[int]) -> dict[int, list[FindingLine]]:
    """Findings not yet addressed, most severe first."""
    found: dict[int, list[FindingLine]] = defaultdict(list)
    if not project_ids:
        return found
    rows = (
        Finding.select(
            Finding.project, Finding.title, Finding.severity, Finding.status, Finding.research_date
        )
        .where(Finding.project.in_(project_ids) & Finding.status.in_(UNRESOLVED))
        .order_by(Finding.research_date.desc(), Finding.id)
        .tuples()
    )
    for project_id, title, severity, status, research_date in rows:
        found[project_id].append(
            FindingLine(
                project_id,
                title,
                severity,
                SEVERITIES.get(severity, severity.title()),
                STATUSES.get(status, status),
                research_date,
            )
        )
    rank = {s: n for n, s in enumerate(SEVERITY_ORDER)}
    for lines in found.values():
        lines.sort(key=lambda f: rank.get(f.severity, len(rank)))
    return found


def contract_packages(project_ids: list[int]) -> dict[int, list[ContractLine]]:
    """Each project's contract packages: status, latest exported revision, last change."""
    found: dict[int, list[ContractLine]] = defaultdict(list)
    if not project_ids:
        return found
    rows = (
        ContractPackage.select(
            ContractPackage.project,
            ContractPackage.title,
            ContractPackage.status,
            ContractPackage.updated_at,
            fn.MAX(Revision.number).alias("latest"),
        )
        .join(Revision, JOIN.LEFT_OUTER, on=Revision.package == ContractPackage.id)
        .where(ContractPackage.project.in_(project_ids))
        .group_by(
            ContractPackage.id,
            ContractPackage.project,
            ContractPackage.title,
            ContractPackage.status,
            ContractPackage.updated_at,
        )
        .order_by(ContractPackage.title, ContractPackage.id)
        .tuples()
    )
    for project_id, title, status, updated_at, latest in rows:
        revision = f"revision {latest} exported" if latest else "not exported yet"
        found[project_id].append(
            ContractLine(
                project_id,
                title,
                PACKAGE_STATUSES.get(status, status),
                f"{revision} · last changed {updated_at:%d %B %Y}".replace(" 0", " "),
            )
        )
    return found


def version_of_findings(project_ids_query) -> tuple:
    """Count and newest change of the findings, for the report cache's fingerprint."""
    return (
        Finding.select(fn.COUNT(Finding.id), fn.MAX(Finding.updated_at))
        .where(Finding.project.in_(project_ids_query))
        .tuples()
        .get()
    )


def version_of_contracts(project_ids_query) -> tuple:
    return (
        ContractPackage.select(fn.COUNT(ContractPackage.id), fn.MAX(ContractPackage.updated_at))
        .where(ContractPackage.project.in_(project_ids_query))
        .tuples()
        .get()
    )
