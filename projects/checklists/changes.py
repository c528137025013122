"""Saving a play's checklist items and key-question answers: all of a play's rows in one
transaction, merged row by row with anything saved since the page was loaded."""

from __future__ import annotations

from dataclasses import dataclass

from playbook.readiness import NOT_STARTED
from projects.auth.models import User
from projects.checklists import scores
from projects.checklists.models import ItemResponse, QuestionAnswer
from projects.projects.models import Project
from projects.saves import Edit, Outcome, save

ITEM_FIELDS = ("status", "justification", "note", "evidence_url", "owner", "due_date")
QUESTION_FIELDS = ("answer",)

# What an item or question with no saved row looks like in the form.
BLANK = {
    "status": NOT_STARTED,
    "justification": "",
    "note": "",
    "evidence_url": "",
    "owner": 0,
    "due_date": None,
    "answer": "",
}


def values(row, fields) -> dict:
    """The values a person edits, as the form holds them (no owner is 0)."""
    if row is None:
        return {f: BLANK[f] for f in fields}
    found = {f: getattr(row, f) for f in fields if f != "owner"}
    if "owner" in fields:
        found["owner"] = row.owner_id or 0
    return found


@dataclass
class RowEdit:
    """One item or question of the play form as submitted."""

    ident: str  # the edition's stable id: p01.c1 or p01.q1
    submitted: dict
    version: int | None
    original: str | None
    prefix: str  # the form's field-name prefix for the row


def _apply(row, changes: dict) -> None:
    for key, value in changes.items():
        if key == "owner":
            value = value or None
        setattr(row, key, value.strip() if isinstance(value, str) else value)


def _edit(project: Project, model, key: str, fields, row: RowEdit) -> Edit:
    return Edit(
        model.select().where((model.project == project) & (getattr(model, key) == row.ident)),
        {f: row.submitted[f] for f in fields},
        row.version,
        row.original,
        values=lambda saved: values(saved, fields),
        new=lambda: model(project=project, **{key: row.ident}),
        apply=_apply,
        prefix=row.prefix,
        created_action="answered",
        audit_as=(model.__name__, row.ident),
    )


def save_play(
    project: Project, items: list[RowEdit], questions: list[RowEdit], user: User
) -> Outcome:
    """Every change on the play's page, or nothing when any field conflicts."""
    edits = [_edit(project, ItemResponse, "item_id", ITEM_FIELDS, r) for r in items]
    edits += [_edit(project, QuestionAnswer, "question_id", QUESTION_FIELDS, r) for r in questions]
    return save(edits, user=user, project=project, then=lambda: scores.refresh(project))
