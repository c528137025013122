"""The pages of the one-time links (reached from an email, without signing in) and the
admins' list of pending invitations."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, logout_user

from projects.access import ADMINISTER, requires
from projects.auth.models import User
from projects.auth.views import _after_password
from projects.db import utcnow
from projects.fields import ConfirmForm
from projects.invitations import bp, changes
from projects.invitations.forms import (
    AcceptInvitationForm,
    ForgotPasswordForm,
    InviteUserForm,
    ResetPasswordForm,
)
from projects.invitations.models import INVITATION, PASSWORD_RESET, AccessLink
from projects.projects.models import PROJECT_ROLES

GONE = (
    "This link has expired or was already used. Links in our emails work once and for a "
    "limited time."
)


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def accept(token: str):
    link = changes.find(token, INVITATION)
    if link is None:
        return render_template("invitations/gone.html", advice=GONE, reset=False), 404
    form = AcceptInvitationForm(data={"name": link.name})
    if form.validate_on_submit():
        user, project, problem = changes.accept(token, form.name.data, form.password.data)
        if user is not None:
            if current_user.is_authenticated:
                logout_user()
            landing = url_for("projects.detail", slug=project.slug) if project else None
            response = _after_password(user, landing or url_for("projects.home"))
            flash(f"Welcome, {user.name}. Your account is ready.", "success")
            return response
        form.form_errors.append(problem)
    return render_template(
        "invitations/accept.html",
        form=form,
        link=link,
        project_role=PROJECT_ROLES.get(link.project_role, ""),
    )


@bp.route("/password-reset", methods=["GET", "POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        changes.request_reset(form.email.data)
        minutes = current_app.config["PASSWORD_RESET_MINUTES"]
        flash(
            f"If an account uses {form.email.data.strip().lower()}, we have emailed it a link "
            f"to set a new password. The link works once, for {minutes} minutes.",
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("invitations/forgot_password.html", form=form)


@bp.route("/password-reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    link = changes.find(token, PASSWORD_RESET)
    if link is None:
        return render_template("invitations/gone.html", advice=GONE, reset=True), 404
    form = ResetPasswordForm()
    if form.validate_on_submit():
        if changes.reset(token, form.password.data) is None:
            return render_template("invitations/gone.html", advice=GONE, reset=True), 404
        if current_user.is_authenticated:
            logout_user()
        flash("Your password is changed. Sign in with it now.", "success")
        return redirect(url_for("auth.login"))
    return render_template("invitations/reset_password.html", form=form, email=link.email)


@bp.route("/admin/invitations", methods=["GET", "POST"])
@requires(ADMINISTER)
def pending():
    """Invitations waiting to be accepted, and inviting a new user."""
    form = InviteUserForm()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        if User.select().where(User.email == email).exists():
            form.email.errors.append("A user with this email address already exists")
        else:
            changes.invite(
                email,
                by=current_user._get_current_object(),
                name=form.name.data,
                role=form.role.data,
            )
            flash(f"Invitation emailed to {email}.", "success")
            return redirect(url_for("invitations.pending"))
    return render_template(
        "invitations/pending.html",
        form=form,
        invitations=list(changes.pending_invitations().limit(500)),
        confirm=ConfirmForm(),
        now=utcnow(),
    )


def _pending_link(link_id: int) -> AccessLink:
    link = AccessLink.get_or_none((AccessLink.id == link_id) & (AccessLink.kind == INVITATION))
    if link is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return link


@bp.route("/admin/invitations/<int:link_id>/resend", methods=["POST"])
@requires(ADMINISTER)
def resend(link_id: int):
    link = _pending_link(link_id)
    if changes.resend(link, by=current_user._get_current_object()):
        flash(f"A new invitation link was emailed to {link.email}.", "success")
    else:
        flash(f"The invitation to {link.email} was already accepted or canceled.", "info")
    return redirect(url_for("invitations.pending"))


@bp.route("/admin/invitations/<int:link_id>/cancel", methods=["POST"])
@requires(ADMINISTER)
def cancel(link_id: int):
    link = _pending_link(link_id)
    if changes.cancel(link, by=current_user._get_current_object()):
        flash(f"The invitation to {link.email} is canceled: its link no longer works.", "success")
    else:
        flash(f"The invitation to {link.email} was already accepted or canceled.", "info")
    return redirect(url_for("invitations.pending"))
