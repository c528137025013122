"""Signing in and out, and the signed-in user: every page but sign-in needs one."""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, g, redirect, request
from flask_login import LoginManager, current_user, login_url

from projects.auth import sessions
from projects.auth.models import User

bp = Blueprint("auth", __name__)
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Sign in to continue."
login_manager.login_message_category = "info"
# Endpoints anyone may reach; every other one requires a signed-in user (see init_app).
PUBLIC_ENDPOINTS = {
    "auth.login",
    "static",
    # The links emailed to invite someone and to reset a password: the link is the proof.
    "invitations.accept",
    "invitations.forgot_password",
    "invitations.reset_password",
    "mywork.stop_weekly_email",  # from the weekly email of an owner without an account
    # The public feedback form: its unguessable address is the way in (projects/feedback).
    "feedback.form",
    "feedback.thanks",
}
# Between a right password and a right code, the one page a person may reach (no other: no
# session has started yet).
PENDING_PAGES = {
    sessions.ENTER_CODE: "auth.enter_code",
    sessions.SET_UP: "auth.set_up_second_factor",
}


def init_app(app: Flask) -> None:
    from projects.auth import second_factor_views, views  # noqa: F401 - registers the routes

    login_manager.init_app(app)
    app.register_blueprint(bp)

    @app.before_request
    def require_sign_in():
        if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
            return None
        if not current_user.is_authenticated:
            view = current_app.view_functions.get(request.endpoint)
            if request.blueprint == "api" and getattr(view, "accepts_token", False):
                return None  # it checks the API token, or the person, itself
            if request.blueprint == "api":
                return {"error": "Sign in to use the API."}, 401
            waiting = sessions.pending()
            if waiting is not None and request.endpoint == PENDING_PAGES[waiting.step]:
                return None
            if g.get("session_ended"):  # it has said why already: not "Sign in to continue"
                return redirect(login_url(login_manager.login_view, next_url=request.url))
            return login_manager.unauthorized()
        return None


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The signed-in person, on every request, while their session holds (see sessions)."""
    if not user_id.isdigit():
        return None
    user = User.get_or_none((User.id == int(user_id)) & User.active)
    return sessions.check(user) if user is not None else None
