"""Project facts and checklist item lines for reports, for many projects in one query each."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from peewee import JOIN

from playbook.edition import Edition
from playbook.readiness import NOT_STARTED, is_overdue, is_stale_open
from projects.auth.models import User
from projects.checklists.models import ItemResponse
from projects.measures.models import Measure
from projects.owners.models import OutsideOwner
from projects.owners.queries import OWNER_NAME
from projects.projects.models import Project
from projects.reports.records import ItemLine, ProjectFacts


def project_facts(project: Project, lead_name: str | None) -> ProjectFacts:
    return ProjectFacts(
        project.id,
        project.slug,
        project.name,
        project.agency,
        project.office,
        project.phase,
        project.summary,
        lead_name or "No lead yet",
        project.start_date,
        project.target_date,
        project.archived,
    )


def item_rows(project_ids: list[int]) -> dict[int, dict[str, tuple]]:
    """Every recorded item of these projects in one query, with the owner's name and the name
    of the measure it takes as evidence."""
    found: dict[int, dict[str, tuple]] = defaultdict(dict)
    if not project_ids:
        return found
    rows = (
        ItemResponse.select(
            ItemResponse.project,
            ItemResponse.item_id,
            ItemResponse.status,
            OWNER_NAME,
            ItemResponse.due_date,
            ItemResponse.evidence_url,
            ItemResponse.justification,
            ItemResponse.note,
            ItemResponse.updated_at,
            Measure.name,
        )
        .join(User, JOIN.LEFT_OUTER, on=ItemResponse.owner == User.id)
        .switch(ItemResponse)
        .join(OutsideOwner, JOIN.LEFT_OUTER, on=ItemResponse.outside_owner == OutsideOwner.id)
        .switch(ItemResponse)
        .join(Measure, JOIN.LEFT_OUTER, on=ItemResponse.evidence_measure == Measure.id)
        .where(ItemResponse.project.in_(project_ids))
        .tuples()
    )
    for project_id, item_id, *rest in rows:
        found[project_id][item_id] = tuple(rest)
    return found


def item_lines(
    edition: Edition, recorded: dict[str, tuple], now: datetime, supported: set[str] = frozenset()
) -> list[ItemLine]:
    today = now.date()
    lines = []
    for play in edition.plays:
        for item in play.checklist:
            status, owner, due, evidence, justification, note, updated, measure = recorded.get(
                item.id, (NOT_STARTED, None, None, "", "", "", None, None)
            )
            lines.append(
                ItemLine(
                    item.id,
                    item.play,
                    item.text,
                    item.phase,
                    status,
                    owner or "",
                    due,
                    evidence or "",
                    justification or "",
                    note or "",
                    updated,
                    is_overdue(status, due, today),
                    is_stale_open(status, updated, now),
                    item.id in supported,
                    measure or "",
                )
            )
    return lines
