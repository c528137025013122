"""The My work page, and the page where an owner without an account stops the weekly email."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from projects.db import utcnow
from projects.fields import ConfirmForm
from projects.mywork import bp, changes
from projects.mywork.digest import email_of_stop_token
from projects.mywork.forms import WeeklyEmailForm
from projects.mywork.queries import (
    GROUPS,
    KINDS,
    MOST_ROWS,
    my_project_choices,
    overdue_on_my_projects,
    tasks_of,
)
from projects.owners.changes import stop_weekly_email as stop


@bp.route("/my-work")
def index():
    """Everything assigned to the signed-in person, overdue first, filtered by project and
    kind; and the overdue work of everyone on the projects they lead or own."""
    user = current_user._get_current_object()
    today = utcnow().date()
    projects = my_project_choices(user)
    slug = request.args.get("project", "")
    slug = slug if slug in dict(projects) else ""
    kind = request.args.get("kind", "")
    kind = kind if kind in KINDS else ""
    tasks = tasks_of(user, today, kinds={kind} if kind else None, project_slug=slug)
    grouped = {name: [] for name in GROUPS}
    for task in tasks:
        grouped[task.urgency(today)].append(task)
    return render_template(
        "mywork/index.html",
        groups=[(key, GROUPS[key], grouped[key]) for key in GROUPS],
        total=len(tasks),
        kinds=KINDS,
        projects=projects,
        filters={"project": slug, "kind": kind},
        team=overdue_on_my_projects(user, today),
        today=today,
        most=MOST_ROWS,
        weekly=WeeklyEmailForm(data={"weekly_digest": user.weekly_digest}),
    )


@bp.route("/my-work/weekly-email", methods=["POST"])
def weekly_email():
    """Turn the person's own weekly email on or off."""
    form = WeeklyEmailForm()
    if not form.validate_on_submit():
        abort(400)
    wanted = bool(form.weekly_digest.data)
    changes.set_weekly_digest(current_user._get_current_object(), wanted)
    flash("You will get the weekly email." if wanted else "The weekly email is off.", "success")
    return redirect(url_for("mywork.index"))


@bp.route("/weekly-email/stop/<token>", methods=["GET", "POST"])
def stop_weekly_email(token: str):
    """The link in the weekly email of an owner without an account: the signed link is the
    proof of the address. Opening it changes nothing (mail scanners open links); the button
    does."""
    email = email_of_stop_token(token)
    if email is None:
        return render_template("mywork/stop_weekly_email.html", email=None, form=None), 404
    form = ConfirmForm()
    stopped = False
    if form.validate_on_submit():
        stop(email)
        stopped = True
    return render_template("mywork/stop_weekly_email.html", email=email, form=form, stopped=stopped)
