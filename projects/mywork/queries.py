"""What is assigned to whom, across projects: open checklist items and findings with an owner
or a due date, each as a `Task` with where the work is done.

Each kind of work is a *source*: a function that returns the tasks of some people on some
projects. Checklist items and findings are registered here; assessment actions
(projects/assessments/work.py) and items waiting for someone's review
(projects/checklists/work.py) plug in with `register_source` from their own package, without
this module knowing them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from flask import url_for
from peewee import JOIN

from playbook.readiness import IN_PROGRESS, NOT_STARTED, STATUS_LABELS
from projects.access import managed_projects
from projects.auth.models import User
from projects.checklists.models import ItemResponse
from projects.editions import active_edition
from projects.owners.models import OutsideOwner
from projects.owners.queries import OWNER_NAME
from projects.projects.models import Membership, Project
from projects.research.models import STATUSES, UNRESOLVED, Finding

DUE_SOON = timedelta(days=14)  # due within two weeks: "due soon"
MOST_ROWS = 500  # per kind of work, so a page stays readable and quick at any size
OVERDUE, SOON, LATER = "overdue", "soon", "later"
GROUPS = {OVERDUE: "Overdue", SOON: "Due in the next 14 days", LATER: "No date or due later"}


@dataclass(frozen=True)
class Task:
    """One piece of work someone is assigned, as My work lists it."""

    kind: str  # a key of KINDS
    title: str
    project_name: str
    project_slug: str
    due_date: date | None
    status: str  # in words
    url: str
    owner_id: int | None  # None for nobody, or someone without an account
    owner_name: str  # "" when nobody owns it; "Name (no account)" for someone without one

    def urgency(self, today: date) -> str:
        if self.due_date is not None and self.due_date < today:
            return OVERDUE
        if self.due_date is not None and self.due_date <= today + DUE_SOON:
            return SOON
        return LATER


# Who and where a source is asked about: these people (None: anyone, or nobody assigned) on
# these projects (a subquery of project ids), and only overdue work when `overdue_on` is set.
# `outside_email`: only the work of the owner without an account with this address (asked only
# of the kinds of work that can have one: checklist items and findings).
@dataclass(frozen=True)
class Scope:
    owner: User | None
    projects: object  # an unexecuted query of project ids
    overdue_on: date | None = None
    outside_email: str = ""


Source = Callable[[Scope], list[Task]]
KINDS: dict[str, str] = {}
SOURCES: dict[str, Source] = {}


def register_source(kind: str, label: str, source: Source) -> None:
    """Add a kind of work to My work (assessment actions and reviews register here)."""
    KINDS[kind] = label
    SOURCES[kind] = source


ACTIVE = Project.archived == False  # noqa: E712


def _owned(query, model, scope: Scope):
    """Narrow a source's query (joined to User and OutsideOwner) to the scope's owner."""
    if scope.outside_email:
        return query.where(OutsideOwner.email == scope.outside_email)
    if scope.owner is not None:
        return query.where(model.owner == scope.owner)
    return query.where(
        model.owner.is_null(False)
        | model.outside_owner.is_null(False)
        | model.due_date.is_null(False)
    )


def checklist_items(scope: Scope) -> list[Task]:
    """Open checklist items (not started or in progress) with an owner or a due date."""
    query = (
        ItemResponse.select(
            ItemResponse.item_id,
            ItemResponse.status,
            ItemResponse.due_date,
            ItemResponse.owner,
            Project.slug,
            Project.name,
            OWNER_NAME,
        )
        .join(Project)
        .switch(ItemResponse)
        .join(User, JOIN.LEFT_OUTER, on=ItemResponse.owner == User.id)
        .switch(ItemResponse)
        .join(OutsideOwner, JOIN.LEFT_OUTER, on=ItemResponse.outside_owner == OutsideOwner.id)
        .where(
            ItemResponse.status.in_((NOT_STARTED, IN_PROGRESS))
            & ItemResponse.project.in_(scope.projects)
            & ACTIVE
        )
    )
    query = _owned(query, ItemResponse, scope)
    if scope.overdue_on is not None:
        query = query.where(ItemResponse.due_date < scope.overdue_on)
    query = query.order_by(ItemResponse.due_date.asc(nulls="LAST"), Project.name, ItemResponse.id)
    items = active_edition().items
    tasks = []
    for item_id, status, due, owner_id, slug, project_name, owner_name in query.limit(
        MOST_ROWS
    ).tuples():
        item = items.get(item_id)
        if item is None:  # an answer kept for an item this edition does not have
            continue
        tasks.append(
            Task(
                "item",
                f"{item.id} {item.text}",
                project_name,
                slug,
                due,
                STATUS_LABELS.get(status, status),
                url_for("checklists.play", slug=slug, number=item.play, _anchor=f"item-{item.id}"),
                owner_id,
                owner_name or "",
            )
        )
    return tasks


def findings(scope: Scope) -> list[Task]:
    """Open or planned findings with an owner or a due date."""
    query = (
        Finding.select(
            Finding.id,
            Finding.title,
            Finding.status,
            Finding.due_date,
            Finding.owner,
            Project.slug,
            Project.name,
            OWNER_NAME,
        )
        .join(Project)
        .switch(Finding)
        .join(User, JOIN.LEFT_OUTER, on=Finding.owner == User.id)
        .switch(Finding)
        .join(OutsideOwner, JOIN.LEFT_OUTER, on=Finding.outside_owner == OutsideOwner.id)
        .where(Finding.status.in_(UNRESOLVED) & Finding.project.in_(scope.projects) & ACTIVE)
    )
    query = _owned(query, Finding, scope)
    if scope.overdue_on is not None:
        query = query.where(Finding.due_date < scope.overdue_on)
    query = query.order_by(Finding.due_date.asc(nulls="LAST"), Project.name, Finding.id)
    return [
        Task(
            "finding",
            title,
            project_name,
            slug,
            due,
            STATUSES.get(status, status),
            url_for("research.detail", slug=slug, finding_id=finding_id),
            owner_id,
            owner_name or "",
        )
        for finding_id, title, status, due, owner_id, slug, project_name, owner_name in query.limit(
            MOST_ROWS
        ).tuples()
    ]


register_source("item", "Checklist items", checklist_items)
register_source("finding", "Research findings", findings)


def member_projects(user: User):
    """Ids of the active projects the person leads or belongs to (a subquery)."""
    member = Membership.select(Membership.project).where(Membership.user == user)
    return Project.select(Project.id).where(
        ((Project.lead == user) | Project.id.in_(member)) & ACTIVE
    )


def managed_active_projects(user: User):
    """Ids of the active projects the person leads or owns (a subquery)."""
    return managed_projects(user).select(Project.id).where(ACTIVE)


def tasks_of(user: User, today: date, *, kinds=None, project_slug: str = "") -> list[Task]:
    """Everything assigned to this person on the projects they are on, most urgent first."""
    projects = member_projects(user)
    if project_slug:
        projects = projects.where(Project.slug == project_slug)
    found = [
        task
        for kind, source in SOURCES.items()
        if not kinds or kind in kinds
        for task in source(Scope(user, projects))
    ]
    return sorted(found, key=lambda t: _urgent_first(t, today))


def tasks_of_outside_owner(email: str, today: date) -> list[Task]:
    """Everything owned by the person without an account with this address, on any active
    project, most urgent first."""
    scope = Scope(None, Project.select(Project.id).where(ACTIVE), outside_email=email)
    found = [task for source in (checklist_items, findings) for task in source(scope)]
    return sorted(found, key=lambda t: _urgent_first(t, today))


def overdue_on_my_projects(user: User, today: date) -> list[tuple[str, list[Task]]]:
    """The overdue work on the projects this person leads or owns, by owner (nobody's last)."""
    scope = Scope(None, managed_active_projects(user), overdue_on=today)
    found = [task for source in SOURCES.values() for task in source(scope)]
    people: dict[str, list[Task]] = {}
    for task in sorted(found, key=lambda t: (t.owner_name == "", t.owner_name.lower())):
        people.setdefault(task.owner_name, []).append(task)
    return [
        (name, sorted(tasks, key=lambda t: _urgent_first(t, today)))
        for name, tasks in people.items()
    ]


def _urgent_first(task: Task, today: date) -> tuple:
    rank = {OVERDUE: 0, SOON: 1, LATER: 2}[task.urgency(today)]
    return (rank, task.due_date or date.max, task.project_name, task.title)


def my_project_choices(user: User) -> list[tuple[str, str]]:
    """(slug, name) of the active projects the person is on, for the filter."""
    rows = (
        Project.select(Project.slug, Project.name)
        .where(Project.id.in_(member_projects(user)))
        .order_by(Project.name)
        .limit(MOST_ROWS)
        .tuples()
    )
    return list(rows)
