"""Signing in and out."""

from __future__ import annotations

from urllib.parse import urlparse

from flask import (
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_user, logout_user

from projects.auth import bp
from projects.auth.changes import check_sign_in
from projects.auth.forms import SignInForm


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("projects.index"))
    form = SignInForm()
    if form.validate_on_submit():
        user, problem = check_sign_in(form.email.data.strip().lower(), form.password.data)
        if user is not None:
            login_user(user)
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
    logout_user()
    flash("You have signed out.", "info")
    return redirect(url_for("auth.login"))
