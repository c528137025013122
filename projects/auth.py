"""Signing in and out, the current user, and the checks on who may do what."""

from __future__ import annotations

from datetime import timedelta
from functools import wraps
from urllib.parse import urlparse

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import LoginManager, current_user, login_required, login_user, logout_user

from projects import audit
from projects.db import db
from projects.forms.auth import SignInForm
from projects.models import User, utcnow
from projects.passwords import check_password

bp = Blueprint("auth", __name__)
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Sign in to continue."
login_manager.login_message_category = "info"
# Endpoints anyone may reach; every other one requires a signed-in user (see init_app).
PUBLIC_ENDPOINTS = {"auth.login", "static"}


def init_app(app: Flask) -> None:
    login_manager.init_app(app)

    @app.before_request
    def require_sign_in():
        if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
            return None
        if not current_user.is_authenticated:
            if request.blueprint == "api":
                return {"error": "Sign in to use the API."}, 401
            return login_manager.unauthorized()
        return None


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    if not user_id.isdigit():
        return None
    return User.get_or_none((User.id == int(user_id)) & User.active)


def role_required(*roles: str):
    """Only users with one of these roles may use the view; others get 403."""

    def decorate(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorate


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
