"""Every write of the assessments feature: opening an assessment, panel notes, play ratings,
completing (which sets the actions and freezes the report) and closing actions. Each runs in
one transaction and is audited."""

from __future__ import annotations

import json
from datetime import date

from playbook.edition import PHASES
from projects import audit
from projects.assessments.models import (
    CLOSED,
    OPEN,
    Assessment,
    AssessmentAction,
    Panelist,
    PlayRating,
)
from projects.assessments.report import assessment_data, assessment_pdf, planned_actions
from projects.auth.models import User
from projects.db import db, for_update, utcnow
from projects.projects.models import Project
from projects.reports.models import canonical_json, sha256
from projects.saves import Edit, Outcome, save

ACTION_FIELDS = ("owner", "due_date")


def action_values(action: AssessmentAction | None) -> dict:
    """An action's owner (0: nobody) and due date, as its form holds them."""
    return {"owner": action.owner_id or 0, "due_date": action.due_date} if action else {}


def _apply_action(row: AssessmentAction, changes: dict) -> None:
    for key, value in changes.items():
        setattr(row, key, (value or None) if key == "owner" else value)


def edit_action(action: AssessmentAction, values: dict, *, version, original, user) -> Outcome:
    """Change an action's owner or due date, merged with anything saved since the page was
    loaded (a field both changed is a conflict, and nothing is saved)."""
    return save(
        Edit(
            AssessmentAction.select().where(AssessmentAction.id == action.id),
            {f: values[f] for f in ACTION_FIELDS},
            version,
            original,
            values=action_values,
            apply=_apply_action,
        ),
        user=user,
        project=action.project_id,
    )


class Refused(ValueError):
    """A change that cannot be made now; the message says why, for the person."""


def open_assessment(
    project: Project, *, to_phase: str, held_on: date, lead: User, panel: list[User], user: User
) -> Assessment:
    """Open an assessment of `project` for the gate into `to_phase`; the lead assessor always
    sits on the panel."""
    with db.atomic():
        assessment = Assessment.create(
            project=project,
            from_phase=PHASES[PHASES.index(to_phase) - 1],
            to_phase=to_phase,
            held_on=held_on,
            lead_assessor=lead,
            created_by=user,
        )
        people = {p.id: p for p in [lead, *panel]}
        for person in people.values():
            Panelist.create(assessment=assessment, user=person)
        audit.record(
            "opened assessment",
            assessment,
            project=project,
            user=user,
            after={
                "gate": assessment.gate,
                "held_on": held_on.isoformat(),
                "lead_assessor": lead.name,
                "panel": sorted(p.name for p in people.values()),
            },
        )
    return assessment


def _locked_open(assessment: Assessment) -> Assessment:
    row = for_update(Assessment.select().where(Assessment.id == assessment.id)).get()
    if row.completed:
        raise Refused("This assessment is completed: its record cannot change.")
    return row


def save_notes(assessment: Assessment, user: User, notes: str) -> None:
    """A panel member's own draft notes."""
    with db.atomic():
        _locked_open(assessment)
        panelist = Panelist.get((Panelist.assessment == assessment.id) & (Panelist.user == user.id))
        before = panelist.notes
        panelist.notes, panelist.updated_at = notes.strip(), utcnow()
        panelist.save()
        audit.record(
            "drafted notes",
            ("Assessment", assessment.id),
            project=assessment.project_id,
            user=user,
            before={"notes": before},
            after={"notes": panelist.notes},
        )


RATING_FIELDS = ("rating", "went_well", "to_improve")


def rating_values(row: PlayRating | None) -> dict:
    """A play's rating as its form holds it (a play not rated yet: empty)."""
    if row is None:
        return dict.fromkeys(RATING_FIELDS, "")
    return {f: getattr(row, f) for f in RATING_FIELDS}


def _apply_rating(row: PlayRating, changes: dict) -> None:
    for key, value in changes.items():
        setattr(row, key, value.strip() if isinstance(value, str) else value)


def rate_play(
    assessment: Assessment, play: int, values: dict, *, version, original, user
) -> Outcome:
    """The lead assessor's rating of one play, merged with anything saved since the page was
    loaded (a versioned save). It moves the assessment's version on, so an outcome recorded
    from an older page is refused; a completed assessment refuses it (`Refused`)."""

    def still_open() -> None:
        row = _locked_open(assessment)
        Assessment.update(version=Assessment.version + 1).where(Assessment.id == row.id).execute()

    _locked_open(assessment)  # a clear message before anything is compared
    return save(
        Edit(
            PlayRating.select().where(
                (PlayRating.assessment == assessment.id) & (PlayRating.play == play)
            ),
            {f: values[f] for f in RATING_FIELDS},
            version,
            original,
            values=rating_values,
            new=lambda: PlayRating(assessment=assessment.id, play=play),
            apply=_apply_rating,
            audit_as=("PlayRating", f"{assessment.id} play {play}"),
            created_action="rated",
        ),
        user=user,
        project=assessment.project_id,
        then=still_open,
    )


def complete(assessment: Assessment, *, outcome: str, summary: str, version: int, user: User):
    """Record the outcome: set the actions, freeze the data and the PDF with their SHA-256.
    The PDF is rendered before the transaction (it takes seconds); the transaction then checks
    that nothing changed since, so the frozen file is exactly what was decided."""
    ratings = {r.play: r for r in assessment.ratings}
    actions = planned_actions(assessment, ratings)
    data = json.loads(
        canonical_json(assessment_data(assessment, outcome, summary.strip(), actions))
    )
    pdf = assessment_pdf(data)
    with db.atomic():
        row = _locked_open(assessment)
        if row.version != version:
            raise Refused(
                "The ratings changed while you were recording the outcome. Check them, then "
                "record the outcome again."
            )
        for action in actions:
            AssessmentAction.create(
                assessment=row,
                project=row.project_id,
                play=action["play"],
                text=action["text"],
                owner=action["owner_id"],
                due_date=date.fromisoformat(action["due_date"]) if action["due_date"] else None,
            )
        Assessment.update(
            outcome=outcome,
            summary=summary.strip(),
            completed_at=utcnow(),
            completed_by_name=user.name,
            data=data,
            pdf=pdf,
            sha256=sha256(pdf),
            data_sha256=sha256(canonical_json(data)),
            version=Assessment.version + 1,
        ).where(Assessment.id == row.id).execute()
        audit.record(
            "completed assessment",
            ("Assessment", row.id),
            project=row.project_id,
            user=user,
            after={
                "gate": row.gate,
                "outcome": data["outcome_label"],
                "actions": len(actions),
                "sha256": sha256(pdf),
            },
        )
    return Assessment.get_by_id(row.id)


def close_action(action: AssessmentAction, what_was_done: str, user: User) -> bool:
    """Close an action, saying what was done. False when it was closed already."""
    with db.atomic():
        row = for_update(AssessmentAction.select().where(AssessmentAction.id == action.id)).get()
        if row.status != OPEN:
            return False
        row.status, row.what_was_done = CLOSED, what_was_done.strip()
        row.closed_by, row.closed_at = user, utcnow()
        row.version += 1
        row.save()
        audit.record(
            "closed action",
            row,
            project=row.project_id,
            user=user,
            before={"status": OPEN},
            after={"status": CLOSED, "what_was_done": row.what_was_done},
        )
    return True
