"""Open assessment actions in My work (projects.mywork lists the kinds registered with it)."""

from __future__ import annotations

from flask import url_for
from peewee import JOIN

from projects.assessments.models import OPEN, AssessmentAction
from projects.auth.models import User
from projects.mywork.queries import ACTIVE, MOST_ROWS, Scope, Task, register_source
from projects.projects.models import Project


def open_actions(scope: Scope) -> list[Task]:
    """Open actions from assessments: every action has an owner, and a due date unless it is
    due by the re-assessment."""
    query = (
        AssessmentAction.select(
            AssessmentAction.id,
            AssessmentAction.play,
            AssessmentAction.text,
            AssessmentAction.due_date,
            AssessmentAction.owner,
            Project.slug,
            Project.name,
            User.name,
        )
        .join(Project)
        .switch(AssessmentAction)
        .join(User, JOIN.LEFT_OUTER, on=AssessmentAction.owner == User.id)
        .where(
            (AssessmentAction.status == OPEN)
            & AssessmentAction.project.in_(scope.projects)
            & ACTIVE
        )
    )
    if scope.owner is not None:
        query = query.where(AssessmentAction.owner == scope.owner)
    if scope.overdue_on is not None:
        query = query.where(AssessmentAction.due_date < scope.overdue_on)
    query = query.order_by(
        AssessmentAction.due_date.asc(nulls="LAST"), Project.name, AssessmentAction.id
    )
    return [
        Task(
            "action",
            f"Play {play}: {text}",
            project_name,
            slug,
            due,
            "Open" if due else "Open, due by the re-assessment",
            url_for("assessments.close_action", slug=slug, action_id=action_id),
            owner_id,
            owner_name or "",
        )
        for action_id, play, text, due, owner_id, slug, project_name, owner_name in query.limit(
            MOST_ROWS
        ).tuples()
    ]


register_source("action", "Assessment actions", open_actions)
