"""The portfolio's rows: the projects a person may see, filtered, sorted and paged in SQL on
the stored readiness, so a page costs the same with 10 projects or 10,000."""

from __future__ import annotations

from peewee import JOIN, Case

from playbook.edition import PHASES
from projects.access import visible_projects
from projects.auth.models import User
from projects.checklists.models import WHOLE_PROJECT, ReadinessScore
from projects.projects.models import Project

SORTS = {
    "name": "Name",
    "agency": "Agency",
    "phase": "Phase",
    "readiness": "Overall readiness (lowest first)",
    "-readiness": "Overall readiness (highest first)",
}


def filtered_projects(user: User, filters: dict):
    """An unexecuted, unordered query of the active projects that match, with their leads and
    overall stored score."""
    query = (
        visible_projects(user)
        .select(Project, User, ReadinessScore.score)
        .join(User, JOIN.LEFT_OUTER, on=Project.lead == User.id)
        .switch(Project)
        .join(
            ReadinessScore,
            JOIN.LEFT_OUTER,
            on=(ReadinessScore.project == Project.id) & (ReadinessScore.play == WHOLE_PROJECT),
        )
        .where(~Project.archived)
    )
    if filters.get("agency"):
        query = query.where(Project.agency == filters["agency"])
    if filters.get("phase"):
        query = query.where(Project.phase == filters["phase"])
    if filters.get("lead"):
        query = query.where(Project.lead == filters["lead"])
    return query


def in_order(query, sort: str):
    """Every order ends with name and id, so pages never repeat or skip a project."""
    tail = (Project.name, Project.id)
    if sort in ("readiness", "-readiness"):
        score = ReadinessScore.score.desc() if sort == "-readiness" else ReadinessScore.score.asc()
        # Either way round, projects with nothing applicable come last.
        return query.order_by(ReadinessScore.score.is_null(), score, *tail)
    if sort == "phase":
        return query.order_by(Case(Project.phase, [(p, i) for i, p in enumerate(PHASES)]), *tail)
    if sort == "agency":
        return query.order_by(Project.agency, *tail)
    return query.order_by(*tail)
