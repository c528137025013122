"""The portfolio's rows: the projects a person may see, filtered, sorted and paged in SQL on
the stored readiness, so a page costs the same with 10 projects or 10,000."""

from __future__ import annotations

from peewee import JOIN, Case

from playbook.edition import PHASES
from projects.access import visible_projects
from projects.assessments.queries import with_last_outcome
from projects.auth.models import User
from projects.auth.queries import people_matching
from projects.measures.figures import SATISFACTION, below_target, by_latest
from projects.projects.models import Project

SORTS = {
    "name": "Name",
    "agency": "Agency",
    "phase": "Phase",
    "readiness": "Overall readiness (lowest first)",
    "-readiness": "Overall readiness (highest first)",
    "-satisfaction": "Customer satisfaction (highest first)",
    "satisfaction": "Customer satisfaction (lowest first)",
}
# The portfolio's filter on customer experience.
BELOW_TARGET = "below-target"
CX_FILTERS = {BELOW_TARGET: "Satisfaction or trust below target"}


def filtered_projects(user: User, filters: dict):
    """An unexecuted, unordered query of the active projects that match. (`archived == False`
    rather than `~archived`: only the comparison lets the database use the indexes.)"""
    query = visible_projects(user).where(Project.archived == False)  # noqa: E712
    if filters.get("agency"):
        query = query.where(Project.agency == filters["agency"])
    if filters.get("phase"):
        query = query.where(Project.phase == filters["phase"])
    if filters.get("lead"):
        leads = people_matching(filters["lead"]).select(User.id).order_by()
        query = query.where(Project.lead.in_(leads))
    if filters.get("assessment"):
        ids, excluded = with_last_outcome(filters["assessment"])
        query = query.where(Project.id.not_in(ids) if excluded else Project.id.in_(ids))
    if filters.get("cx") == BELOW_TARGET:
        query = query.where(Project.id.in_(below_target()))
    return query


def with_leads(query):
    return query.select(Project, User).join(User, JOIN.LEFT_OUTER, on=Project.lead == User.id)


def in_order(query, sort: str):
    """Every order ends with name and id, so pages never repeat or skip a project; an index on
    (archived, key, name) serves each one but phase."""
    tail = (Project.name, Project.id)
    if sort == "readiness":
        return query.order_by(Project.lowest_first, *tail)
    if sort == "-readiness":
        return query.order_by(Project.highest_first, *tail)
    if sort == "phase":
        return query.order_by(Case(Project.phase, [(p, i) for i, p in enumerate(PHASES)]), *tail)
    if sort in ("satisfaction", "-satisfaction"):
        joined, order = by_latest(query, SATISFACTION, highest_first=sort.startswith("-"))
        return joined.order_by(order, *tail)
    if sort == "agency":
        return query.order_by(Project.agency, *tail)
    return query.order_by(*tail)
