"""A play's page: its checklist items and key questions for one project, saved in one form."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from peewee import JOIN, IntegrityError

from playbook.readiness import NOT_STARTED, count
from projects import audit
from projects.access import EDIT_ITEMS, VIEW, may, project_or_404
from projects.auth.models import User
from projects.checklists import bp
from projects.checklists.forms import PlayForm
from projects.checklists.models import ItemResponse, QuestionAnswer
from projects.db import db, utcnow
from projects.editions import active_edition
from projects.fields import choices
from projects.merge import fingerprint, merge
from projects.projects.models import Membership
from projects.research.queries import findings_for_items

ITEM_FIELDS = ("status", "justification", "note", "evidence_url", "owner", "due_date")
QUESTION_FIELDS = ("answer",)


@bp.route("/projects/<slug>/plays/<int:number>", methods=["GET", "POST"])
def play(slug: str, number: int):
    project = project_or_404(slug, EDIT_ITEMS if request.method == "POST" else VIEW)
    edition = active_edition()
    play = edition.play(number)
    if play is None:
        abort(404)
    can_edit = may(current_user, EDIT_ITEMS, project)
    responses, answers = _saved(project, play)
    form = PlayForm()
    if request.method == "GET":
        _fill(form, play, responses, answers)
    owners = _owner_choices(project)
    for entry in form.items:
        entry.owner.choices = choices(owners)
    conflicts: dict[str, dict] = {}
    if request.method == "POST" and _matches(form, play) and form.validate():
        conflicts = _save(project, play, form)
        if not conflicts:
            flash(f"Play {play.number} saved.", "success")
            return redirect(url_for("checklists.play", slug=slug, number=number))
        responses, answers = _saved(project, play)
        _restart_from(form, responses, answers)
    statuses = {item_id: r.status for item_id, r in responses.items()}
    return render_template(
        "checklists/play.html",
        project=project,
        edition=edition,
        play=play,
        form=form,
        can_edit=can_edit,
        readiness=count(play.checklist, statuses),
        responses=responses,
        answers=answers,
        conflicts=conflicts,
        owners=dict(owners),
        findings=findings_for_items(project, [i.id for i in play.checklist]),  # one query
        entries=list(zip(play.checklist, form.items, strict=False)),
        question_entries=list(zip(play.key_questions, form.questions, strict=False)),
    )


def _saved(project, play):
    """Saved responses and answers for this play, keyed by id, with who last changed them."""
    item_ids = [i.id for i in play.checklist]
    responses = {
        r.item_id: r
        for r in (
            ItemResponse.select(ItemResponse, User)
            .join(User, on=ItemResponse.updated_by == User.id, join_type=JOIN.LEFT_OUTER)
            .where((ItemResponse.project == project) & ItemResponse.item_id.in_(item_ids))
        )
    }
    question_ids = [q.id for q in play.key_questions] or [""]
    answers = {
        a.question_id: a
        for a in (
            QuestionAnswer.select(QuestionAnswer, User)
            .join(User, on=QuestionAnswer.updated_by == User.id, join_type=JOIN.LEFT_OUTER)
            .where(
                (QuestionAnswer.project == project) & QuestionAnswer.question_id.in_(question_ids)
            )
        )
    }
    return responses, answers


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


def _values(row, fields) -> dict:
    """The values a person edits, as the form holds them."""
    if row is None:
        return {f: BLANK[f] for f in fields}
    values = {f: getattr(row, f) for f in fields if f != "owner"}
    if "owner" in fields:
        values["owner"] = row.owner_id or 0
    return values


def _fill(form, play, responses, answers) -> None:
    for item in play.checklist:
        row = responses.get(item.id)
        values = _values(row, ITEM_FIELDS)
        form.items.append_entry(
            {
                **values,
                "item_id": item.id,
                "version": row.version if row else 0,
                "original": fingerprint(values),
            }
        )
    for question in play.key_questions:
        row = answers.get(question.id)
        values = _values(row, QUESTION_FIELDS)
        form.questions.append_entry(
            {
                **values,
                "question_id": question.id,
                "version": row.version if row else 0,
                "original": fingerprint(values),
            }
        )


def _restart_from(form, responses, answers) -> None:
    """After a conflict, the hidden fields point at what is saved now, so saving again
    deliberately keeps this person's values."""
    for entry in form.items:
        row = responses.get(entry.item_id.data)
        entry.version.data = row.version if row else 0
        entry.original.data = fingerprint(_values(row, ITEM_FIELDS))
    for entry in form.questions:
        row = answers.get(entry.question_id.data)
        entry.version.data = row.version if row else 0
        entry.original.data = fingerprint(_values(row, QUESTION_FIELDS))


def _matches(form, play) -> bool:
    """The posted form must be for exactly this play's items and questions, in order."""
    return [e.item_id.data for e in form.items] == [i.id for i in play.checklist] and [
        e.question_id.data for e in form.questions
    ] == [q.id for q in play.key_questions]


class _Raced(Exception):
    """Someone saved the same row between our read and our write."""


def _save(project, play, form) -> dict[str, dict]:
    """Save every change in one transaction, or nothing when anything conflicts."""
    for _attempt in range(3):
        try:
            return _save_once(project, play, form)
        except (_Raced, IntegrityError):
            continue  # read again: the other save is now committed and merges normally
    return {"": {"save": ("Someone else kept saving this play", "Try again in a moment")}}


def _save_once(project, play, form) -> dict[str, dict]:
    with db.atomic():
        responses, answers = _saved(project, play)
        plans, conflicts = [], {}
        for entries, saved, key, fields in (
            (form.items, responses, "item_id", ITEM_FIELDS),
            (form.questions, answers, "question_id", QUESTION_FIELDS),
        ):
            for entry in entries:
                ident = getattr(entry, key).data
                row = saved.get(ident)
                submitted = {f: getattr(entry, f).data for f in fields}
                result = merge(
                    entry.original.data,
                    submitted,
                    _values(row, fields),
                    (entry.version.data or 0) == (row.version if row else 0),
                )
                if result.conflicts:
                    conflicts[ident] = result.conflicts
                elif result.changes:
                    plans.append((ident, row, fields, result.changes))
        if conflicts:
            return conflicts
        for plan in plans:
            _write(project, *plan)
    return {}


def _write(project, ident: str, row, fields, changes: dict) -> None:
    """Apply one row's changes; the version guard turns a lost race into a retry."""
    model = ItemResponse if fields is ITEM_FIELDS else QuestionAnswer
    values = {k: (v.strip() if isinstance(v, str) else v) for k, v in changes.items()}
    if "owner" in values:
        values["owner"] = values["owner"] or None
    values.update(updated_by=current_user.id, updated_at=utcnow())
    if row is None:
        key = "item_id" if model is ItemResponse else "question_id"
        model.create(project=project, version=1, **{key: ident}, **values)
        before = None
    else:
        updated = (
            model.update(**values, version=model.version + 1)
            .where((model.id == row.id) & (model.version == row.version))
            .execute()
        )
        if updated != 1:
            raise _Raced
        before = _plain(_values(row, fields))
    after = _plain((before or {}) | {k: changes[k] for k in changes})
    audit.record(
        "updated" if before else "answered",
        (model.__name__, ident),
        project=project,
        before=before,
        after=after,
    )


def _plain(values: dict) -> dict:
    return {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in values.items()}


def _owner_choices(project) -> list[tuple[int, str]]:
    people = (
        User.select(User.id, User.name)
        .where(
            User.id.in_(Membership.select(Membership.user).where(Membership.project == project))
            | (User.id == project.lead_id)
        )
        .order_by(User.name)
    )
    return [(0, "No owner yet")] + [(u.id, u.name) for u in people]
