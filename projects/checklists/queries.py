"""Reading checklists for other features, the API and reports: item statuses and responses,
and readiness (fetched in one query for many projects; `playbook` does the sums)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from peewee import fn

from playbook.readiness import (
    ACCEPTED,
    DONE,
    IN_PROGRESS,
    NOT_STARTED,
    STALE_AFTER,
    is_overdue,
)
from projects.checklists.models import ItemResponse
from projects.measures.models import Measure
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


@dataclass(frozen=True)
class ItemStates:
    """What the project page needs of one project's items."""

    statuses: dict[str, str]  # item id -> status
    accepted: set[str]  # done items whose evidence a reviewer accepted
    overdue: int  # open items past their due date


def item_states(project_id: int, today: date) -> ItemStates:
    """statuses_by_project, accepted_items and overdue_counts of one project, in one query."""
    statuses, accepted, overdue = {}, set(), 0
    rows = (
        ItemResponse.select(
            ItemResponse.item_id, ItemResponse.status, ItemResponse.review, ItemResponse.due_date
        )
        .where(ItemResponse.project == project_id)
        .tuples()
    )
    for item_id, status, review, due in rows:
        statuses[item_id] = status
        if status == DONE and review == ACCEPTED:
            accepted.add(item_id)
        overdue += is_overdue(status, due, today)
    return ItemStates(statuses, accepted, overdue)


def responses_by_item(project: Project) -> dict[str, ItemResponse]:
    """The project's saved item responses, keyed by checklist item id."""
    return {r.item_id: r for r in ItemResponse.select().where(ItemResponse.project == project)}


def overdue_counts(project_ids: list[int], today: date) -> dict[int, int]:
    """Open items (not started or in progress) past their due date, per project, in one query:
    the rule of `playbook.readiness.is_overdue`, counted in SQL."""
    return _open_items_counted(project_ids, ItemResponse.due_date < today)


def stale_counts(project_ids: list[int], now: datetime) -> dict[int, int]:
    """Open items nobody has updated for 90 days, per project, in one query: the rule of
    `playbook.readiness.is_stale_open`, counted in SQL (it moves with the date, so it is
    never stored)."""
    return _open_items_counted(project_ids, ItemResponse.updated_at < now - STALE_AFTER)


def done_with_links(project_ids: list[int]) -> dict[int, set[str]]:
    """The done items of each project that link to evidence (an address, or one of the
    project's measures on play 12), in one query."""
    return _done_items(
        project_ids,
        (ItemResponse.evidence_url != "") | ItemResponse.evidence_measure.is_null(False),
    )


def evidence_choices(project: Project) -> dict[int, str]:
    """The project's measures an item can take as evidence: id -> name, in the project's
    order."""
    query = (
        Measure.select(Measure.id, Measure.name)
        .where(Measure.project == project)
        .order_by(Measure.position, Measure.name, Measure.id)
        .tuples()
    )
    return dict(query)


def accepted_items(project_ids: list[int]) -> dict[int, set[str]]:
    """The done items of each project whose evidence a reviewer accepted, in one query."""
    return _done_items(project_ids, ItemResponse.review == ACCEPTED)


def _open_items_counted(project_ids: list[int], condition) -> dict[int, int]:
    counts = dict.fromkeys(project_ids, 0)
    if project_ids:
        rows = (
            ItemResponse.select(ItemResponse.project, fn.COUNT(ItemResponse.id))
            .where(
                ItemResponse.project.in_(project_ids)
                & ItemResponse.status.in_((NOT_STARTED, IN_PROGRESS))
                & condition
            )
            .group_by(ItemResponse.project)
            .tuples()
        )
        counts.update(rows)
    return counts


def _done_items(project_ids: list[int], condition) -> dict[int, set[str]]:
    found: dict[int, set[str]] = {pid: set() for pid in project_ids}
    if project_ids:
        rows = (
            ItemResponse.select(ItemResponse.project, ItemResponse.item_id)
            .where(
                ItemResponse.project.in_(project_ids) & (ItemResponse.status == DONE) & condition
            )
            .tuples()
        )
        for project_id, item_id in rows:
            found[project_id].add(item_id)
    return found
