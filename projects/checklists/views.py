"""A play's page: its checklist items and key questions for one project, saved in one form."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from peewee import JOIN

from playbook.readiness import ACCEPTED, DONE, count, may_review
from projects.access import EDIT_ITEMS, REVIEW_EVIDENCE, VIEW, may, project_or_404
from projects.auth.models import User
from projects.checklists import bp
from projects.checklists.changes import (
    MEASURE_PLAY,
    QUESTION_FIELDS,
    ReviewRefused,
    RowEdit,
    item_fields,
    review,
    save_play,
    values,
)
from projects.checklists.forms import MeasurePlayForm, PlayForm, ReviewForm
from projects.checklists.models import ItemResponse, QuestionAnswer
from projects.checklists.queries import evidence_choices
from projects.editions import active_edition
from projects.fields import choices, conflict_rows
from projects.mywork import notices
from projects.owners.queries import owner_choices
from projects.research.queries import findings_for_items
from projects.saves import CONFLICTS


@bp.route("/projects/<slug>/plays/<int:number>", methods=["GET", "POST"])
def play(slug: str, number: int):
    project = project_or_404(slug, EDIT_ITEMS if request.method == "POST" else VIEW)
    edition = active_edition()
    play = edition.play(number)
    if play is None:
        abort(404)
    can_edit = may(current_user, EDIT_ITEMS, project)
    responses, answers = _saved(project, play)
    fields = item_fields(play.number)
    form = MeasurePlayForm() if play.number == MEASURE_PLAY else PlayForm()
    if request.method == "GET":
        _fill(form, play, responses, answers, fields)
    owners = owner_choices(project)
    measures = evidence_choices(project) if play.number == MEASURE_PLAY else {}
    for entry in form.items:
        entry.owner.choices = choices(owners)
        if "evidence_measure" in fields:
            entry.evidence_measure.choices = [(0, "No measure"), *measures.items()]
    conflicts = []
    posted = request.method == "POST" and _matches(form, play)
    if posted:
        form.row_names = _row_names(form, play)
    if posted and form.validate():
        outcome = save_play(
            project,
            _row_edits(form.items, "item_id", fields),
            _row_edits(form.questions, "question_id", QUESTION_FIELDS),
            current_user._get_current_object(),
            fields,
        )
        if outcome.status != CONFLICTS:
            notices.items_assigned(
                project, responses, outcome.rows, current_user._get_current_object(), edition
            )
            flash(f"Play {play.number} saved." if outcome.saved else "Nothing changed.", "success")
            return redirect(url_for("checklists.play", slug=slug, number=number))
        for entry in [*form.items, *form.questions]:
            entry.form.restart(outcome)
        conflicts = conflict_rows(form, outcome, form.row_names)
        responses, answers = _saved(project, play)
    statuses = {item_id: r.status for item_id, r in responses.items()}
    accepted = {i for i, r in responses.items() if r.status == DONE and r.review == ACCEPTED}
    return render_template(
        "checklists/play.html",
        project=project,
        edition=edition,
        play=play,
        form=form,
        can_edit=can_edit,
        can_review=may(current_user, REVIEW_EVIDENCE, project),
        may_review=may_review,
        readiness=count(play.checklist, statuses, accepted),
        responses=responses,
        answers=answers,
        conflicts=conflicts,
        owners=dict(owners),
        measures=measures,
        takes_measure=play.number == MEASURE_PLAY,
        measure_address=measure_address,
        findings=findings_for_items(project, [i.id for i in play.checklist]),  # one query
        entries=list(zip(play.checklist, form.items, strict=False)),
        question_entries=list(zip(play.key_questions, form.questions, strict=False)),
    ), 409 if conflicts else 200


@bp.route("/projects/<slug>/items/<item_id>/review", methods=["GET", "POST"])
def review_item(slug: str, item_id: str):
    """A reviewer's verdict on a done item's evidence: accepted, or needs more evidence."""
    project = project_or_404(slug, REVIEW_EVIDENCE)
    item = active_edition().items.get(item_id)
    if item is None:
        abort(404)
    back = url_for("checklists.play", slug=slug, number=item.play, _anchor=f"item-{item_id}")
    row = _item_response(project, item_id)
    me = current_user._get_current_object()
    if row is None or not may_review(row.status, row.done_by_id, me.id):
        flash(
            "You marked this item done, so someone else must review it."
            if row is not None and row.status == DONE
            else "Only a done item can be reviewed; this one is not done yet.",
            "info",
        )
        return redirect(back)
    form = ReviewForm(data={"item_version": row.version, "verdict": row.review})
    if form.validate_on_submit():
        try:
            review(
                project,
                item_id,
                form.verdict.data,
                form.comment.data,
                version=form.item_version.data,
                user=me,
            )
        except ReviewRefused as refused:
            form.form_errors.append(str(refused))
        else:
            flash(f"Your review of {item_id} is saved.", "success")
            return redirect(back)
    return render_template(
        "checklists/review.html",
        project=project,
        item=item,
        play=active_edition().play(item.play),
        row=row,
        form=form,
        back=back,
        findings=findings_for_items(project, [item_id]),
        measure_address=measure_address,
    )


def measure_address(project, measure_id: int) -> str:
    """Where a measure an item takes as evidence is shown."""
    return url_for("measures.detail", slug=project.slug, measure_id=measure_id)


def _item_response(project, item_id: str):
    return (
        ItemResponse.select(ItemResponse, User)
        .join(User, on=ItemResponse.done_by == User.id, join_type=JOIN.LEFT_OUTER)
        .where((ItemResponse.project == project) & (ItemResponse.item_id == item_id))
        .get_or_none()
    )


def _saved(project, play):
    """Saved responses and answers for this play, keyed by id, with who last changed them and
    who reviewed them."""
    item_ids = [i.id for i in play.checklist]
    Reviewer = User.alias()
    responses = {
        r.item_id: r
        for r in (
            ItemResponse.select(ItemResponse, User, Reviewer)
            .join(User, on=ItemResponse.updated_by == User.id, join_type=JOIN.LEFT_OUTER)
            .switch(ItemResponse)
            .join(
                Reviewer,
                on=ItemResponse.reviewed_by == Reviewer.id,
                join_type=JOIN.LEFT_OUTER,
            )
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


def _fill(form, play, responses, answers, item_fields) -> None:
    for entries, parts, saved, key, fields in (
        (form.items, play.checklist, responses, "item_id", item_fields),
        (form.questions, play.key_questions, answers, "question_id", QUESTION_FIELDS),
    ):
        for part in parts:
            row = saved.get(part.id)
            entry = entries.append_entry({**values(row, fields), key: part.id})
            entry.form.start_from(row.version if row else 0, values(row, fields))


def _row_edits(entries, key: str, fields) -> list[RowEdit]:
    return [
        RowEdit(
            getattr(entry, key).data,
            {f: entry.chosen_owner() if f == "owner" else getattr(entry, f).data for f in fields},
            entry.version.data,
            entry.original.data,
            f"{entry.name}-",
        )
        for entry in entries
    ]


def _row_names(form, play) -> dict[str, str]:
    """Words naming each row of the form in the conflict table."""
    rows = zip(play.checklist, form.items, strict=True)
    names = {f"{entry.name}-": f"{item.id} {item.text}" for item, entry in rows}
    rows = zip(play.key_questions, form.questions, strict=True)
    return names | {f"{entry.name}-": question.text for question, entry in rows}


def _matches(form, play) -> bool:
    """The posted form must be for exactly this play's items and questions, in order."""
    return [e.item_id.data for e in form.items] == [i.id for i in play.checklist] and [
        e.question_id.data for e in form.questions
    ] == [q.id for q in play.key_questions]
