"""Reading findings for other features, the API and reports: which items they support, the
open problems other pages show (one query for many projects, never one per project)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from peewee import fn

from projects.projects.models import Project
from projects.research.models import (
    SEVERITIES,
    STATUSES,
    UNRESOLVED,
    Finding,
    FindingItem,
    attach_links,
)


def items_with_findings(project_ids: list[int]) -> dict[int, set[str]]:
    """For each project, the checklist items that at least one finding supports (one query).
    A done item with a linked finding counts as having evidence."""
    found: dict[int, set[str]] = {pid: set() for pid in project_ids}
    if project_ids:
        rows = (
            FindingItem.select(Finding.project, FindingItem.item_id)
            .join(Finding)
            .where(Finding.project.in_(project_ids))
            .distinct()
            .tuples()
        )
        for project_id, item_id in rows:
            found.setdefault(project_id, set()).add(item_id)
    return found


def findings_for_items(project: Project, item_ids: list[str]) -> dict[str, list[Finding]]:
    """The project's findings linked to these items, keyed by item id, in one query."""
    linked: dict[str, list[Finding]] = defaultdict(list)
    if not item_ids:
        return linked
    rows = (
        Finding.select(
            Finding.id,
            Finding.title,
            Finding.severity,
            Finding.status,
            Finding.research_date,
            FindingItem.item_id.alias("linked_item"),
        )
        .join(FindingItem)
        .where((Finding.project == project) & FindingItem.item_id.in_(item_ids))
        .order_by(Finding.research_date.desc(), Finding.id.desc())
        .objects()
    )
    for finding in rows:
        linked[finding.linked_item].append(finding)
    return linked


def open_by_severity(project: Project) -> dict[str, int]:
    """How many open findings the project has at each severity, most severe first."""
    counts = dict.fromkeys(SEVERITIES, 0)
    rows = (
        Finding.select(Finding.severity, fn.COUNT(Finding.id))
        .where((Finding.project == project) & Finding.status.in_(UNRESOLVED))
        .group_by(Finding.severity)
        .tuples()
    )
    for severity, n in rows:
        counts[severity] = n
    return counts


def open_critical_and_high(project_ids: list[int]) -> dict[int, dict[str, int]]:
    """Open critical and high findings per project, in one grouped query."""
    counts = {pid: {"critical": 0, "high": 0} for pid in project_ids}
    if project_ids:
        rows = (
            Finding.select(Finding.project, Finding.severity, fn.COUNT(Finding.id))
            .where(
                Finding.project.in_(project_ids)
                & Finding.status.in_(UNRESOLVED)
                & Finding.severity.in_(("critical", "high"))
            )
            .group_by(Finding.project, Finding.severity)
            .tuples()
        )
        for project_id, severity, n in rows:
            counts[project_id][severity] = n
    return counts


def findings_newest_first(project: Project) -> list[Finding]:
    """Every finding of the project, newest research first, with its plays, items and tags."""
    return attach_links(
        list(
            Finding.select()
            .where(Finding.project == project)
            .order_by(Finding.research_date.desc(), Finding.id.desc())
        )
    )


SEVERITY_ORDER = ("critical", "high", "medium", "low")


@dataclass(frozen=True)
class FindingLine:
    project_id: int
    title: str
    severity: str
    severity_label: str
    status_label: str
    research_date: date | None


def open_finding_lines(project_ids: list[int]) -> dict[int, list[FindingLine]]:
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


def findings_version(project_ids_query) -> tuple:
    """Count and newest change of the findings, for the report cache's fingerprint."""
    return (
        Finding.select(fn.COUNT(Finding.id), fn.MAX(Finding.updated_at))
        .where(Finding.project.in_(project_ids_query))
        .tuples()
        .get()
    )
