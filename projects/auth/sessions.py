"""When a session ends: at sign-out, when the person's sessions are ended everywhere (a password
change, deactivation, "Sign out everywhere"), after a while unused and some hours after sign-in.

The session cookie is signed, not stored: a copy keeps working until something on the server
says no. That something is the user's `session_generation`, stored in each session at sign-in
and compared on every request; moving it on ends every session started before.

Between a right password and a right code (two-step sign-in), no session has started: the
session holds only a short-lived note of whose password it was, which lets that person reach
the one page that finishes signing in, and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, flash, g, session
from flask_login import login_user

from projects.auth.models import User
from projects.db import utcnow

GENERATION, SIGNED_IN_AT, SEEN_AT = "_generation", "_signed_in_at", "_seen_at"
PENDING = "_pending_sign_in"
# What is left to do after the password, and the minutes it may take: typing a code, or
# setting up an authenticator app when REQUIRE_MFA asks for one (installing an app takes a while).
ENTER_CODE, SET_UP = "code", "set_up"
PENDING_MINUTES = {ENTER_CODE: 5, SET_UP: 15}
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


@dataclass(frozen=True)
class PendingSignIn:
    """A right password whose second step is still to come."""

    user: User
    step: str  # ENTER_CODE or SET_UP
    next_url: str


def start_pending(user: User, step: str, next_url: str) -> None:
    """Note a right password on a new session, without signing the person in."""
    session.clear()
    session[PENDING] = {
        "user": user.id,
        "generation": user.session_generation,
        "at": _now(),
        "step": step,
        "next": next_url,
    }


def pending() -> PendingSignIn | None:
    """The sign-in this session is half way through, while it may still be finished: not
    expired, and the person's sessions not ended since (a password change, an admin's reset)."""
    if "pending" in g:
        return g.pending
    note = session.get(PENDING)
    found = None
    if note is not None:
        user = User.get_or_none((User.id == note["user"]) & User.active)
        expired = _now() - note["at"] > PENDING_MINUTES[note["step"]] * 60
        if user is None or user.session_generation != note["generation"] or expired:
            session.pop(PENDING)
            flash("Your sign-in took too long to finish. Sign in again to continue.", "info")
            g.session_ended = True  # it has said why: not "Sign in to continue"
        else:
            found = PendingSignIn(user, note["step"], note["next"])
    g.pending = found
    return found
