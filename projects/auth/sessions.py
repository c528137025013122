"""When a session ends: at sign-out, when the person's sessions are ended everywhere (a password
change, deactivation, "Sign out everywhere"), after a while unused and some hours after sign-in.

The session cookie is signed, not stored: a copy keeps working until something on the server
says no. That something is the user's `session_generation`, stored in each session at sign-in
and compared on every request; moving it on ends every session started before.
"""

from __future__ import annotations

from flask import current_app, flash, g, session
from flask_login import login_user

from projects.auth.models import User
from projects.db import utcnow

GENERATION, SIGNED_IN_AT, SEEN_AT = "_generation", "_signed_in_at", "_seen_at"
# Writing the last-seen time re-sends the cookie: once a minute is often enough for the idle limit.
SEEN_EVERY_SECONDS = 60


def _now() -> int:
    return int(utcnow().timestamp())


def start(user: User) -> None:
    """Sign `user` in on a new session: nothing from before (a CSRF secret, a half-finished
    form's flash) carries over, so a token or cookie planted before sign-in is worthless."""
    session.clear()
    login_user(user)
    now = _now()
    session.permanent = True
    session[GENERATION] = user.session_generation
    session[SIGNED_IN_AT] = now
    session[SEEN_AT] = now


def end_everywhere(user_id: int) -> None:
    """End every session of this person, on every device (call inside the write's transaction)."""
    User.update(session_generation=User.session_generation + 1).where(User.id == user_id).execute()


def why_ended(user: User) -> str | None:
    """Why the session in this request may no longer sign `user` in; None while it may."""
    config = current_app.config
    now = _now()
    if session.get(GENERATION) != user.session_generation:
        return (
            "You were signed out because your sessions were ended: you signed out, chose "
            "“Sign out everywhere”, or your password or access changed."
        )
    if now - session.get(SIGNED_IN_AT, 0) > config["SESSION_MAX_HOURS"] * 3600:
        hours = config["SESSION_MAX_HOURS"]
        return f"You were signed out because you signed in more than {hours} hours ago."
    if now - session.get(SEEN_AT, 0) > config["SESSION_IDLE_MINUTES"] * 60:
        minutes = config["SESSION_IDLE_MINUTES"]
        return f"You were signed out after {minutes} minutes without using the site."
    return None


def check(user: User) -> User | None:
    """The user while their session holds; otherwise end it, say why, and None."""
    reason = why_ended(user)
    if reason:
        session.clear()
        flash(f"{reason} Sign in again to continue.", "info")
        g.session_ended = True
        return None
    if _now() - session[SEEN_AT] >= SEEN_EVERY_SECONDS:
        session[SEEN_AT] = _now()
    return user
