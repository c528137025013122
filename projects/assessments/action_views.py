"""Closing an assessment's action: the team says what was done."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from projects.access import EDIT_ITEMS, project_or_404
from projects.assessments import bp, changes
from projects.assessments.forms import CloseActionForm
from projects.assessments.models import OPEN, AssessmentAction


@bp.route("/projects/<slug>/actions/<int:action_id>/close", methods=["GET", "POST"])
def close_action(slug: str, action_id: int):
    project = project_or_404(slug, EDIT_ITEMS)
    action = AssessmentAction.get_or_none(
        (AssessmentAction.id == action_id) & (AssessmentAction.project == project.id)
    )
    if action is None:
        abort(404)
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
