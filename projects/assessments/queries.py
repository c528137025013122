"""Reading assessments for other features: a project's assessments and open actions, the last
completed assessment of many projects in one query, and whether a phase gate is open."""

from __future__ import annotations

from peewee import JOIN, fn

from playbook.assessment import OPENS_GATE
from projects.assessments.models import OPEN, Assessment, AssessmentAction, Panelist, PlayRating
from projects.auth.models import User
from projects.projects.models import Project


def assessments_of(project: Project) -> list[Assessment]:
    """The project's assessments, newest first, each with its lead assessor."""
    return list(
        Assessment.select(Assessment, User)
        .join(User, JOIN.LEFT_OUTER, on=Assessment.lead_assessor == User.id)
        .where(Assessment.project == project.id)
        .order_by(Assessment.held_on.desc(), Assessment.id.desc())
    )


def panel_of(assessment: Assessment) -> list[Panelist]:
    return list(
        Panelist.select(Panelist, User)
        .join(User)
        .where(Panelist.assessment == assessment.id)
        .order_by(User.name)
    )


def actions_of(project: Project, *, only_open: bool = False) -> list[AssessmentAction]:
    """The project's actions (open first, then by due date), each with its owner."""
    query = (
        AssessmentAction.select(AssessmentAction, User)
        .join(User, JOIN.LEFT_OUTER, on=AssessmentAction.owner == User.id)
        .where(AssessmentAction.project == project.id)
    )
    if only_open:
        query = query.where(AssessmentAction.status == OPEN)
    return list(
        query.order_by(
            AssessmentAction.status != OPEN,
            AssessmentAction.due_date.is_null(),
            AssessmentAction.due_date,
            AssessmentAction.id,
        )
    )


def last_assessments(project_ids: list[int]) -> dict[int, Assessment | None]:
    """Each project's latest completed assessment (None: never assessed), in one query."""
    found: dict[int, Assessment | None] = dict.fromkeys(project_ids)
    if not project_ids:
        return found
    latest = (
        Assessment.select(
            Assessment.project, fn.MAX(Assessment.completed_at).alias("last_completed")
        )
        .where(Assessment.project.in_(project_ids) & Assessment.completed_at.is_null(False))
        .group_by(Assessment.project)
        .alias("latest")
    )
    rows = Assessment.select(
        Assessment.id,
        Assessment.project,
        Assessment.from_phase,
        Assessment.to_phase,
        Assessment.held_on,
        Assessment.outcome,
        Assessment.completed_at,
    ).join(
        latest,
        on=(Assessment.project == latest.c.project_id)
        & (Assessment.completed_at == latest.c.last_completed),
    )
    for row in rows:
        found[row.project_id] = row
    return found


def gate_assessment(project: Project, to_phase: str) -> Assessment | None:
    """The latest completed assessment that opened the gate into `to_phase`, if any."""
    return (
        Assessment.select()
        .where(
            (Assessment.project == project.id)
            & (Assessment.to_phase == to_phase)
            & Assessment.completed_at.is_null(False)
            & Assessment.outcome.in_(list(OPENS_GATE))
        )
        .order_by(Assessment.completed_at.desc())
        .first()
    )


def assessors() -> list[User]:
    """The people who may sit on a panel: active assessors and admins."""
    from projects.access import RUN_ASSESSMENTS, allowed
    from projects.auth.models import ROLES

    roles = [r for r in ROLES if allowed(r, None, RUN_ASSESSMENTS)]
    return list(
        User.select(User.id, User.name, User.email)
        .where((User.active == True) & User.role.in_(roles))  # noqa: E712
        .order_by(User.name, User.id)
    )


def phase_change_refused(project: Project, new_phase: str) -> str | None:
    """Why `project` may not move to `new_phase` now (None: it may). A phase-gated project
    moves forward only through a met, or met with conditions, assessment for that gate;
    moving back is always allowed."""
    from playbook.assessment import gate_label, is_forward

    if not project.phase_gated or not is_forward(project.phase, new_phase):
        return None
    if gate_assessment(project, new_phase) is not None:
        return None
    return (
        f"Moving to the {new_phase} phase needs a met (or met with conditions) assessment "
        f"for the {gate_label(new_phase).lower()} gate. Ask an assessor to open one."
    )


NEVER_ASSESSED = "none"


def with_last_outcome(outcome: str):
    """An unexecuted query of the ids of projects whose latest completed assessment had this
    outcome (NEVER_ASSESSED: that have none), for the portfolio's filter."""
    done = Assessment.completed_at.is_null(False)
    if outcome == NEVER_ASSESSED:
        return Assessment.select(Assessment.project).where(done), True
    latest = (
        Assessment.select(
            Assessment.project, fn.MAX(Assessment.completed_at).alias("last_completed")
        )
        .where(done)
        .group_by(Assessment.project)
        .alias("latest")
    )
    ids = (
        Assessment.select(Assessment.project)
        .join(
            latest,
            on=(Assessment.project == latest.c.project_id)
            & (Assessment.completed_at == latest.c.last_completed),
        )
        .where(Assessment.outcome == outcome)
    )
    return ids, False


def ratings_of(assessment_ids: list[int]) -> dict[int, list[PlayRating]]:
    """The play ratings of these assessments, by assessment, in one query."""
    found: dict[int, list[PlayRating]] = {}
    if assessment_ids:
        query = (
            PlayRating.select()
            .where(PlayRating.assessment.in_(assessment_ids))
            .order_by(PlayRating.play)
        )
        for rating in query:
            found.setdefault(rating.assessment_id, []).append(rating)
    return found
