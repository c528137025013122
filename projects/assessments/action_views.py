"""Closing an assessment's action: the team says what was done."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from projects.access import EDIT_ITEMS, MANAGE_PROJECT, project_or_404
from projects.assessments import bp, changes
from projects.assessments.forms import ActionForm, CloseActionForm
from projects.assessments.models import OPEN, AssessmentAction
from projects.auth.models import User
from projects.fields import choices, conflict_rows
from projects.projects.models import Membership
from projects.saves import CONFLICTS


def _action_of(project, action_id: int) -> AssessmentAction:
    """One of this project's actions; any other id is a 404."""
    action = AssessmentAction.get_or_none(
        (AssessmentAction.id == action_id) & (AssessmentAction.project == project.id)
    )
    if action is None:
        abort(404)
    return action


@bp.route("/projects/<slug>/actions/<int:action_id>/close", methods=["GET", "POST"])
def close_action(slug: str, action_id: int):
    project = project_or_404(slug, EDIT_ITEMS)
    action = _action_of(project, action_id)
    back = url_for("projects.detail", slug=slug, _anchor="actions")
    if action.status != OPEN:
        flash("This action is closed already.", "info")
        return redirect(back)
    form = CloseActionForm()
    if form.validate_on_submit():
        if changes.close_action(
            action, form.what_was_done.data, current_user._get_current_object()
        ):
            flash("Action closed.", "success")
        else:
            flash("Someone closed this action just now.", "info")
        return redirect(back)
    return render_template(
        "assessments/close_action.html", project=project, action=action, form=form
    )


@bp.route("/projects/<slug>/actions/<int:action_id>/edit", methods=["GET", "POST"])
def edit_action(slug: str, action_id: int):
    """Who owns an open action and when it is due: the project's lead and owners decide."""
    project = project_or_404(slug, MANAGE_PROJECT)
    action = _action_of(project, action_id)
    back = url_for("projects.detail", slug=slug, _anchor="actions")
    if action.status != OPEN:
        flash("This action is closed: its owner and date stay as they were.", "info")
        return redirect(back)
    saved = changes.action_values(action)
    form = ActionForm(data=saved if request.method == "GET" else None)
    if request.method == "GET":
        form.start_from(action.version, saved)
    form.owner.choices = choices(_owners(project))
    conflicts = []
    if form.validate_on_submit():
        outcome = changes.edit_action(
            action,
            {"owner": form.owner.data, "due_date": form.due_date.data},
            version=form.version.data,
            original=form.original.data,
            user=current_user._get_current_object(),
        )
        if outcome.status != CONFLICTS:
            flash("Action saved." if outcome.saved else "Nothing changed.", "success")
            return redirect(back)
        form.restart(outcome)
        conflicts = conflict_rows(form, outcome)
    return render_template(
        "assessments/edit_action.html",
        project=project,
        action=action,
        form=form,
        conflicts=conflicts,
    ), 409 if conflicts else 200


def _owners(project) -> list[tuple[int, str]]:
    people = (
        User.select(User.id, User.name)
        .where(
            User.id.in_(Membership.select(Membership.user).where(Membership.project == project))
            | (User.id == project.lead_id)
        )
        .order_by(User.name)
    )
    return [(0, "No owner yet")] + [(u.id, u.name) for u in people]
