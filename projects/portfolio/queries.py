"""The portfolio's rows: the projects a person may see, filtered and sorted."""

from __future__ import annotations

from peewee import JOIN

from playbook.edition import PHASES
from projects.access import visible_projects
from projects.auth.models import User
from projects.projects.models import Project


def filtered_projects(user: User, filters: dict):
    query = (
        visible_projects(user)
        .select(Project, User)
        .join(User, JOIN.LEFT_OUTER, on=Project.lead == User.id)
        .where(~Project.archived)
    )
    if filters["agency"]:
        query = query.where(Project.agency == filters["agency"])
    if filters["phase"]:
        query = query.where(Project.phase == filters["phase"])
    if filters["lead"]:
        query = query.where(Project.lead == filters["lead"])
    return query.order_by(Project.name)


def sorted_rows(projects: list[Project], readiness: dict, sort: str) -> list[Project]:
    if sort in ("readiness", "-readiness"):
        sign = -1 if sort == "-readiness" else 1

        def key(p):
            # Either way round, projects with nothing applicable come last and ties go by name.
            score = readiness[p.id].overall.score
            return (score is None, sign * (score or 0), p.name)

        return sorted(projects, key=key)
    if sort == "phase":
        return sorted(projects, key=lambda p: (PHASES.index(p.phase), p.name))
    if sort == "agency":
        return sorted(projects, key=lambda p: (p.agency, p.name))
    return projects
