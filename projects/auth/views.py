"""Signing in and out, and a person's own account: their password and their sessions. (The
second step of signing in and the account's two-step sign-in: second_factor_views.)"""

from __future__ import annotations

from urllib.parse import urlparse

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, logout_user

from projects.auth import bp, changes, queries, sessions
from projects.auth.forms import ChangePasswordForm, SignInForm, TurnOffForm
from projects.auth.models import User
from projects.fields import ConfirmForm
from projects.passwords import check_password


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("projects.home"))
    form = SignInForm()
    if form.validate_on_submit():
        user, problem = changes.check_sign_in(
            form.email.data.strip().lower(), form.password.data, request.remote_addr
        )
        if user is not None:
            return _after_password(user, safe_next(request.args.get("next")))
        form.form_errors.append(problem)
    return render_template("auth/login.html", form=form)


def _after_password(user: User, next_url: str):
    """A right password signs in only people without two-step sign-in. The others have a code
    to enter, or (REQUIRE_MFA) an app to set up, before any session starts."""
    if queries.second_factor_of(user) is not None:
        sessions.start_pending(user, sessions.ENTER_CODE, next_url)
        return redirect(url_for("auth.enter_code"))
    if current_app.config["REQUIRE_MFA"]:
        sessions.start_pending(user, sessions.SET_UP, next_url)
        return redirect(url_for("auth.set_up_second_factor"))
    sessions.start(user)
    return redirect(next_url)


def safe_next(target: str | None) -> str:
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
    return url_for("projects.home")


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
    return account_page()


def account_page(form: ChangePasswordForm | None = None, turn_off_form: TurnOffForm | None = None):
    """The account page, with these forms as sent (and their errors) or fresh ones."""
    return render_template(
        "auth/account.html",
        form=form or ChangePasswordForm(formdata=None),
        turn_off_form=turn_off_form or TurnOffForm(formdata=None),
        second_factor=queries.second_factor_of(current_user),
        recovery_codes_left=queries.recovery_codes_left(current_user),
    )


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
    return account_page(form=form)


@bp.route("/account/sign-out-everywhere", methods=["POST"])
def sign_out_everywhere():
    if ConfirmForm().validate_on_submit():
        changes.sign_out_everywhere(current_user, by=current_user)
        logout_user()
        session.clear()
        flash("You have signed out everywhere, on every device.", "info")
        return redirect(url_for("auth.login"))
    return redirect(url_for("auth.account"))
