"""Signing in and out."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlparse

from flask import (
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_user, logout_user

from projects import audit
from projects.auth import bp
from projects.auth.forms import SignInForm
from projects.auth.models import User
from projects.db import db, utcnow
from projects.passwords import check_password


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("projects.index"))
    form = SignInForm()
    if form.validate_on_submit():
        problem = _sign_in(form.email.data.strip().lower(), form.password.data)
        if problem is None:
            return redirect(_safe_next(request.args.get("next")))
        form.form_errors.append(problem)
    return render_template("auth/login.html", form=form)


def _sign_in(email: str, password: str) -> str | None:
    """Sign the user in, or say why not. Failures and lock-outs are kept in the database."""
    limit = current_app.config["MAX_FAILED_SIGN_INS"]
    wrong = "The email address or password is not right. Check them and try again."
    with db.atomic():
        user = User.get_or_none(User.email == email)
        if user is None or not user.active:
            check_password(None, password)  # same time as a real check
            return wrong
        now = utcnow()
        if user.locked_until and user.locked_until > now:
            return (
                f"This account is locked after {limit} failed sign-ins. Try again after "
                f"{user.locked_until:%H:%M} UTC, or ask an admin to unlock it."
            )
        if not check_password(user.password_hash, password):
            user.failed_sign_ins += 1
            if user.failed_sign_ins >= limit:
                user.locked_until = now + timedelta(minutes=current_app.config["LOCKOUT_MINUTES"])
                user.failed_sign_ins = 0
                audit.record("locked", user, user=user)
            user.save()
            return wrong
        user.failed_sign_ins = 0
        user.locked_until = None
        user.save()
    login_user(user)
    return None


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
    logout_user()
    flash("You have signed out.", "info")
    return redirect(url_for("auth.login"))
