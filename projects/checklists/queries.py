"""Reading checklists for other features, the API and reports: item statuses and responses,
and readiness (fetched in one query for many projects; `playbook` does the sums)."""

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


def responses_by_item(project: Project) -> dict[str, ItemResponse]:
    """The project's saved item responses, keyed by checklist item id."""
    return {r.item_id: r for r in ItemResponse.select().where(ItemResponse.project == project)}
