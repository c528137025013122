"""Admins manage who may sign in and with which role."""

from __future__ import annotations

import math

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, logout_user

from projects.access import ADMINISTER, requires
from projects.admin import bp, changes
from projects.admin.forms import EditUserForm, NewUserForm
from projects.auth import changes as auth_changes
from projects.auth import queries as auth_queries
from projects.auth import sessions
from projects.auth.models import User
from projects.fields import ConfirmForm, conflict_rows
from projects.saves import CONFLICTS

PER_PAGE = 50


@bp.route("/users")
@requires(ADMINISTER)
def users():
    """Everyone who can sign in, a page of 50 at a time, or those whose name or email address
    contains the words searched for."""
    words = request.args.get("q", "").strip()[:200]
    query = auth_queries.people_matching(words)
    total = query.count()
    pages = max(math.ceil(total / PER_PAGE), 1)
    page = min(max(request.args.get("page", 1, type=int), 1), pages)
    people = list(query.paginate(page, PER_PAGE))
    return render_template(
        "admin/users.html",
        users=people,
        slowed=auth_changes.slowed_until([u.email for u in people]),
        two_step=auth_queries.with_second_factor(people),
        words=words,
        total=total,
        page=page,
        pages=pages,
    )


@bp.route("/users/new", methods=["GET", "POST"])
@requires(ADMINISTER)
def create_user():
    form = NewUserForm()
    if form.validate_on_submit():
        user = changes.create_user(
            form.email.data, form.name.data, form.role.data, form.password.data
        )
        if user is None:
            form.email.errors.append("A user with this email address already exists")
        else:
            flash(f"{user.name} can now sign in as {user.role_label.lower()}.", "success")
            return redirect(url_for("admin.users"))
    return render_template(
        "admin/user_form.html", form=form, user=None, conflicts=[], second_factor=None
    )


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@requires(ADMINISTER)
def edit_user(user_id: int):
    user = User.get_or_none(User.id == user_id) or abort(404)
    form = EditUserForm(obj=user)
    if request.method == "GET":
        form.start_from(user.version, changes.values(user))
    conflicts = []
    if form.validate_on_submit():
        if user.id == current_user.id and (not form.active.data or form.role.data != "admin"):
            form.role.errors.append(
                "You cannot remove your own admin role or access. Ask another admin to do it."
            )
        else:
            outcome = changes.edit_user(
                user.id,
                {f: getattr(form, f).data for f in changes.EDITABLE},
                version=form.version.data,
                original=form.original.data,
                password=form.password.data or "",
                unlock=form.unlock.data,
            )
            if outcome.status != CONFLICTS:
                name = outcome.rows[0].name
                if user.id == current_user.id and form.password.data:
                    # Their own new password ended this session too: carry on in a new one.
                    sessions.start(User.get_by_id(user.id))
                flash(f"{name} saved." if outcome.saved else "Nothing changed.", "success")
                return redirect(url_for("admin.users"))
            form.restart(outcome)
            conflicts = conflict_rows(form, outcome)
    return render_template(
        "admin/user_form.html",
        form=form,
        user=user,
        conflicts=conflicts,
        second_factor=auth_queries.second_factor_of(user),
    ), 409 if conflicts else 200


@bp.route("/users/<int:user_id>/sign-out-everywhere", methods=["POST"])
@requires(ADMINISTER)
def sign_out_user(user_id: int):
    user = User.get_or_none(User.id == user_id) or abort(404)
    if ConfirmForm().validate_on_submit():
        auth_changes.sign_out_everywhere(user, by=current_user)
        if user.id == current_user.id:
            logout_user()
            session.clear()
            flash("You have signed out everywhere, on every device.", "info")
            return redirect(url_for("auth.login"))
        flash(f"{user.name} is signed out everywhere.", "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.route("/users/<int:user_id>/two-step-sign-in/reset", methods=["POST"])
@requires(ADMINISTER)
def reset_second_factor(user_id: int):
    """For a lost phone: the person signs in with their password next time, and every session
    they have ends now (whoever has the phone may be signed in)."""
    user = User.get_or_none(User.id == user_id) or abort(404)
    if ConfirmForm().validate_on_submit():
        if auth_changes.reset_second_factor(user, by=current_user):
            flash(
                f"Two-step sign-in is reset for {user.name}, who is signed out everywhere.",
                "success",
            )
        else:
            flash(f"{user.name} does not use two-step sign-in: nothing to reset.", "info")
        if user.id == current_user.id:  # their own sessions ended, this one too
            logout_user()
            session.clear()
            return redirect(url_for("auth.login"))
    return redirect(url_for("admin.edit_user", user_id=user.id))
