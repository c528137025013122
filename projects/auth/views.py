"""Signing in and out, and a person's own account: their password and their sessions."""

from __future__ import annotations

from urllib.parse import urlparse

from flask import flash, redirect, render_template, request, session, url_for
from flask_login import current_user, logout_user

from projects.auth import bp, changes, sessions
from projects.auth.forms import ChangePasswordForm, SignInForm
from projects.fields import ConfirmForm
from projects.passwords import check_password


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("projects.index"))
    form = SignInForm()
    if form.validate_on_submit():
        user, problem = changes.check_sign_in(
            form.email.data.strip().lower(), form.password.data, request.remote_addr
        )
        if user is not None:
            sessions.start(user)
            return redirect(_safe_next(request.args.get("next")))
        form.form_errors.append(problem)
    return render_template("auth/login.html", form=form)


def _safe_next(target: str | None) -> str:
    """Only follow `next` to a path on this site, never to another host. Browsers read `\\`
    as `/` and drop tabs and newlines, so `/\\evil.example` would leave the site."""
    if target and not any(c == "\\" or c.isspace() or ord(c) < 32 for c in target):
        parsed = urlparse(target)
        if (
            not parsed.scheme
            and not parsed.netloc
            and target.startswith("/")
            and not target.startswith("//")
        ):
            return target
    return url_for("projects.index")


@bp.route("/logout", methods=["POST"])
def logout():
    # Ends this person's every session: a copy of this cookie must not outlive the sign-out.
    changes.sign_out_everywhere(current_user, by=current_user)
    logout_user()
    session.clear()
    flash("You have signed out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/account")
def account():
    return render_template("auth/account.html", form=ChangePasswordForm())


@bp.route("/account/password", methods=["POST"])
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not check_password(current_user.password_hash, form.current.data):
            form.current.errors.append("Your current password is not right")
        else:
            user = changes.change_own_password(current_user, form.password.data)
            sessions.start(user)  # this session goes on; every other one has ended
            flash("Your password is changed. You are signed out everywhere else.", "success")
            return redirect(url_for("auth.account"))
    for field in (form.current, form.password, form.confirm):
        field.data = ""  # a redrawn page never carries a password back
    return render_template("auth/account.html", form=form)


@bp.route("/account/sign-out-everywhere", methods=["POST"])
def sign_out_everywhere():
    if ConfirmForm().validate_on_submit():
        changes.sign_out_everywhere(current_user, by=current_user)
        logout_user()
        session.clear()
        flash("You have signed out everywhere, on every device.", "info")
        return redirect(url_for("auth.login"))
    return redirect(url_for("auth.account"))
