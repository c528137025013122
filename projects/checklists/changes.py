"""Saving a play's checklist items and key-question answers: all of a play's rows in one
transaction, merged row by row with anything saved since the page was loaded."""

from __future__ import annotations

from dataclasses import dataclass

from playbook.readiness import DONE, NOT_REVIEWED, NOT_STARTED, REVIEW_LABELS, may_review
from projects import audit
from projects.auth.models import User
from projects.checklists import scores
from projects.checklists.models import ItemResponse, QuestionAnswer
from projects.db import db, for_update, utcnow
from projects.owners import changes as owners
from projects.owners.models import owner_columns, owner_key
from projects.projects.models import Project
from projects.saves import Edit, Outcome, save, store

ITEM_FIELDS = ("status", "justification", "note", "evidence_url", "owner", "due_date")
QUESTION_FIELDS = ("answer",)
# Play 12 ("Use data to drive decisions"): its items can also take a measure as evidence.
MEASURE_PLAY = 12
MEASURE_ITEM_FIELDS = (*ITEM_FIELDS, "evidence_measure")
# Choices held as a number, 0 meaning none (a select cannot send None).
NUMBERED = ("owner", "evidence_measure")


def item_fields(play_number: int) -> tuple[str, ...]:
    """The fields a person edits on an item of this play."""
    return MEASURE_ITEM_FIELDS if play_number == MEASURE_PLAY else ITEM_FIELDS


# What an item or question with no saved row looks like in the form.
BLANK = {
    "status": NOT_STARTED,
    "justification": "",
    "note": "",
    "evidence_url": "",
    "owner": 0,
    "evidence_measure": 0,
    "due_date": None,
    "answer": "",
}


def values(row, fields) -> dict:
    """The values a person edits, as the form holds them (no owner, no measure: 0; an owner
    without an account is "outside-<id>": projects.owners.models)."""
    if row is None:
        return {f: BLANK[f] for f in fields}
    found = {f: getattr(row, f) for f in fields if f not in NUMBERED}
    if "owner" in fields:
        found["owner"] = owner_key(row.owner_id, row.outside_owner_id)
    if "evidence_measure" in fields:
        found["evidence_measure"] = row.evidence_measure_id or 0
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
            for column, owner in owner_columns(value).items():
                setattr(row, column, owner)
            continue
        if key in NUMBERED:
            value = value or None
        setattr(row, key, value.strip() if isinstance(value, str) else value)


# A reviewed item goes back to unreviewed when either of these changes.
REVIEWED_FIELDS = ("status", "evidence_url", "evidence_measure")


def _write_item(row: ItemResponse, changes: dict, user) -> ItemResponse:
    """Store an item's changes: who marks it done is remembered (they may not review it), and a
    change to what a reviewer checked sends it back to unreviewed, in the same save."""
    if changes.get("status") == DONE:
        row.done_by = user
    if row.review != NOT_REVIEWED and any(f in changes for f in REVIEWED_FIELDS):
        row.review, row.review_comment = NOT_REVIEWED, ""
        row.reviewed_by, row.reviewed_at = None, None
    return store(row, changes, user, apply=_apply)


def _edit(project: Project, model, key: str, fields, row: RowEdit) -> Edit:
    return Edit(
        model.select().where((model.project == project) & (getattr(model, key) == row.ident)),
        {f: row.submitted[f] for f in fields},
        row.version,
        row.original,
        values=lambda saved: values(saved, fields),
        new=lambda: model(project=project, **{key: row.ident}),
        apply=_apply,
        write=_write_item if model is ItemResponse else None,
        prefix=row.prefix,
        created_action="answered",
        audit_as=(model.__name__, row.ident),
    )


def save_play(
    project: Project,
    items: list[RowEdit],
    questions: list[RowEdit],
    user: User,
    fields: tuple[str, ...] = ITEM_FIELDS,
) -> Outcome:
    """Every change on the play's page, or nothing when any field conflicts. `fields`: the
    item fields the play's form edits (`item_fields`). Owners typed by name and address are
    named first (kept even when the save conflicts, so the page redrawn offers them in the
    list)."""
    for row in items:
        if isinstance(row.submitted.get("owner"), owners.Named):
            row.submitted["owner"] = owners.resolve(project, row.submitted["owner"], user)
    edits = [_edit(project, ItemResponse, "item_id", fields, r) for r in items]
    edits += [_edit(project, QuestionAnswer, "question_id", QUESTION_FIELDS, r) for r in questions]
    return save(edits, user=user, project=project, then=lambda: scores.refresh(project))


class ReviewRefused(ValueError):
    """A review that cannot be recorded; the message says why, for the person."""


def review(
    project: Project, item_id: str, verdict: str, comment: str, *, version: int, user: User
) -> ItemResponse:
    """Record a reviewer's verdict on a done item, as it stood at `version` (the version the
    reviewer saw): if the item changed since, they must look again. Audited; moves the
    reviewed figures in the same transaction."""
    with db.atomic():
        row = for_update(
            ItemResponse.select().where(
                (ItemResponse.project == project.id) & (ItemResponse.item_id == item_id)
            )
        ).get_or_none()
        if row is None or row.status != DONE:
            raise ReviewRefused("Only a done item can be reviewed; this one is not done now.")
        if row.version != version:
            raise ReviewRefused(
                "Someone changed this item while you were reviewing it. Look at it again, "
                "then record your review."
            )
        if not may_review(row.status, row.done_by_id, user.id):
            raise ReviewRefused("You marked this item done, so someone else must review it.")
        if (row.review, row.review_comment) == (verdict, comment.strip()):
            return row  # the same review again (a second click): nothing to record
        before = {"review": REVIEW_LABELS[row.review], "review_comment": row.review_comment}
        row.review, row.review_comment = verdict, comment.strip()
        row.reviewed_by, row.reviewed_at = user, utcnow()
        row.version += 1  # the play page's forms see the item has moved on
        row.save()
        audit.record(
            "reviewed",
            ("ItemResponse", item_id),
            project=project,
            user=user,
            before=before,
            after={"review": REVIEW_LABELS[verdict], "review_comment": row.review_comment},
        )
        scores.refresh(project)
    return row
