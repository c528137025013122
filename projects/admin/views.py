"""Admins manage who may sign in and with which role."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from peewee import IntegrityError

from projects import audit
from projects.access import ADMINISTER, requires
from projects.admin import bp
from projects.admin.forms import EditUserForm, NewUserForm
from projects.auth.models import User
from projects.db import db, utcnow
from projects.passwords import hash_password


def _public(user: User) -> dict:
    return {"email": user.email, "name": user.name, "role": user.role, "active": user.active}


@bp.route("/users")
@requires(ADMINISTER)
def users():
    return render_template(
        "admin/users.html", users=User.select().order_by(User.name), now=utcnow()
    )


@bp.route("/users/new", methods=["GET", "POST"])
@requires(ADMINISTER)
def create_user():
    form = NewUserForm()
    if form.validate_on_submit():
        try:
            with db.atomic():
                user = User.create(
                    email=form.email.data.strip().lower(),
                    name=form.name.data.strip(),
                    role=form.role.data,
                    password_hash=hash_password(form.password.data),
                )
                audit.record("created", user, after=_public(user))
        except IntegrityError:
            form.email.errors.append("A user with this email address already exists")
        else:
            flash(f"{user.name} can now sign in as {user.role_label.lower()}.", "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@requires(ADMINISTER)
def edit_user(user_id: int):
    user = User.get_or_none(User.id == user_id) or abort(404)
    form = EditUserForm(obj=user)
    if form.validate_on_submit():
        if user.id == current_user.id and (not form.active.data or form.role.data != "admin"):
            form.role.errors.append(
                "You cannot remove your own admin role or access. Ask another admin to do it."
            )
        else:
            with db.atomic():
                before = _public(user)
                user.name, user.role, user.active = (
                    form.name.data.strip(),
                    form.role.data,
                    form.active.data,
                )
                if form.unlock.data:
                    user.locked_until, user.failed_sign_ins = None, 0
                if form.password.data:
                    user.password_hash = hash_password(form.password.data)
                user.save()
                audit.record(
                    "updated",
                    user,
                    before=before,
                    after=_public(user) | {"password changed": bool(form.password.data)},
                )
            flash(f"{user.name} saved.", "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=user)
