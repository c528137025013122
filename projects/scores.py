"""Readiness for stored projects: fetch statuses in one query, let `playbook` do the sums."""

from __future__ import annotations

from collections import defaultdict

from playbook.edition import Edition
from playbook.readiness import ProjectReadiness, project_readiness
from projects.checklists.models import ItemResponse
from projects.projects.models import Project


def statuses_by_project(project_ids: list[int]) -> dict[int, dict[str, str]]:
    statuses: dict[int, dict[str, str]] = defaultdict(dict)
    if project_ids:
        rows = (
            ItemResponse.select(ItemResponse.project, ItemResponse.item_id, ItemResponse.status)
            .where(ItemResponse.project.in_(project_ids))
            .tuples()
        )
        for project_id, item_id, status in rows:
            statuses[project_id][item_id] = status
    return statuses


def readiness_of(projects: list[Project], edition: Edition) -> dict[int, ProjectReadiness]:
    statuses = statuses_by_project([p.id for p in projects])
    return {p.id: project_readiness(edition, statuses[p.id], p.phase) for p in projects}
