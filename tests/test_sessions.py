"""Sessions end when they should: a session cookie copied before sign-out, a password change,
lost access or "Sign out everywhere" is refused after it; sessions end after a while unused
and some hours after sign-in (a clock moved by hand, no sleeping); sign-in starts a new session,
so a CSRF token from before it is worthless. All through the pages, with cookies."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import urlparse

import pytest

from projects.auth import sessions
from projects.auth.models import User
from tests.conftest import PASSWORD, Clock, make_user
from tests.pages import post_form, url

ENDED = "your sessions were ended"


def _sign_in(app, user: User, password: str = PASSWORD):
    """A new browser, signed in as `user`."""
    browser = app.test_client()
    response = browser.post(url("auth.login"), data={"email": user.email, "password": password})
    assert response.status_code == 302, "sign-in failed"
    return browser


def _copy(browser, app):
    """Another browser holding a copy of this one's session cookie, as a thief would."""
    thief = app.test_client()
    thief.set_cookie("session", browser.get_cookie("session").value)
    return thief


def _refused(browser, reason: str | None = None) -> None:
    """The browser is sent to sign in, and the sign-in page says why."""
    response = browser.get(url("projects.index"))
    assert response.status_code == 302
    assert urlparse(response.location).path == url("auth.login")
    page = unescape(browser.get(response.location).text)
    assert '<h1 class="margin-top-4">Sign in</h1>' in page
    if reason:
        assert "You were signed out" in page
        assert reason in page


def _allowed(browser) -> None:
    assert browser.get(url("projects.index")).status_code == 200


def test_a_cookie_copied_before_sign_out_is_refused_after_it(app):
    user = make_user()
    browser = _sign_in(app, user)
    thief = _copy(browser, app)
    _allowed(thief)
    assert browser.post(url("auth.logout")).status_code == 302
    _refused(browser)
    _refused(thief, ENDED)


def test_an_admins_password_change_ends_the_persons_sessions(app):
    person = make_user(name="Pat Person")
    theirs = _sign_in(app, person)
    admin = _sign_in(app, make_user("admin"))
    address = url("admin.edit_user", user_id=person.id)
    data = post_form(admin.get(address).text, "version") | {"password": "a fresh long passphrase"}
    assert admin.post(address, data=data).status_code == 302
    _refused(theirs, ENDED)
    _allowed(admin)
    _allowed(_sign_in(app, person, "a fresh long passphrase"))


def test_removing_access_ends_sessions_and_giving_it_back_does_not_revive_them(app):
    person = make_user()
    theirs = _sign_in(app, person)
    admin = _sign_in(app, make_user("admin"))
    address = url("admin.edit_user", user_id=person.id)
    data = post_form(admin.get(address).text, "version")
    data.pop("active", None)  # untick "Can sign in"
    assert admin.post(address, data=data).status_code == 302
    data = post_form(admin.get(address).text, "version") | {"active": "y"}
    assert admin.post(address, data=data).status_code == 302
    assert User.get_by_id(person.id).active
    _refused(theirs, ENDED)


def test_sign_out_everywhere_from_your_account_ends_every_session(app):
    user = make_user()
    laptop, phone = _sign_in(app, user), _sign_in(app, user)
    thief = _copy(phone, app)
    page = laptop.get(url("auth.account"))
    assert "Your account" in page.text and "Sign out everywhere" in page.text
    response = laptop.post(url("auth.sign_out_everywhere"))
    assert urlparse(response.location).path == url("auth.login")
    for browser in (laptop, phone, thief):
        _refused(browser)
    _refused(_copy(laptop, app))
    _allowed(_sign_in(app, user))  # and signing in again works


def test_an_admin_signs_someone_out_everywhere(app):
    person = make_user(name="Pat Person")
    theirs = _sign_in(app, person)
    admin = _sign_in(app, make_user("admin"))
    page = admin.get(url("admin.edit_user", user_id=person.id)).text
    assert "Sign out Pat Person everywhere" in page
    response = admin.post(url("admin.sign_out_user", user_id=person.id), follow_redirects=True)
    assert "Pat Person is signed out everywhere" in response.text
    _refused(theirs, ENDED)
    _allowed(admin)


def test_changing_your_own_password_keeps_this_session_and_ends_the_others(app):
    user = make_user()
    here, elsewhere = _sign_in(app, user), _sign_in(app, user)
    wrong = here.post(
        url("auth.change_password"),
        data={"current": "not my password", "password": "x" * 3, "confirm": "x" * 3},
    )
    assert "Your current password is not right" in wrong.text or "at least 12" in wrong.text
    assert "not my password" not in wrong.text  # a redrawn form never carries a password
    common = here.post(
        url("auth.change_password"),
        data={"current": PASSWORD, "password": "Password2026!", "confirm": "Password2026!"},
    )
    assert "list of common passwords" in common.text
    _allowed(elsewhere)
    new = "plum orchard under snow"
    response = here.post(
        url("auth.change_password"), data={"current": PASSWORD, "password": new, "confirm": new}
    )
    assert response.status_code == 302
    assert "Your password is changed" in here.get(response.location).text
    _allowed(here)
    _refused(elsewhere, ENDED)
    _allowed(_sign_in(app, user, new))


@pytest.fixture
def clock(monkeypatch):
    """The sessions' clock, moved by hand."""

    clock = Clock()
    monkeypatch.setattr(sessions, "utcnow", lambda: clock.now)
    return clock


def test_a_session_unused_for_the_idle_limit_ends(app, clock):
    assert app.config["SESSION_IDLE_MINUTES"] == 30
    browser = _sign_in(app, make_user())
    for _ in range(3):  # used every 29 minutes: it goes on
        clock.advance(minutes=29)
        _allowed(browser)
    stale = _copy(browser, app)
    clock.advance(minutes=31)
    _refused(browser, "You were signed out after 30 minutes without using the site.")
    _refused(stale)


def test_the_cookie_is_sent_again_only_when_the_session_changes(app, clock):
    """README: signing the cookie costs more than a bare page, so pages within the minute do
    not send it; the first one after it sends it with the new last-seen time."""
    browser = _sign_in(app, make_user())
    browser.get(url("projects.index"))  # the first page keeps a CSRF secret in the session
    clock.advance(seconds=30)
    assert "Set-Cookie" not in browser.get(url("projects.index")).headers
    clock.advance(seconds=31)
    sent = browser.get(url("projects.index")).headers.get("Set-Cookie", "")
    assert sent.startswith("session=")


def test_an_old_copy_of_a_cookie_cannot_outlive_the_idle_limit(app, clock):
    browser = _sign_in(app, make_user())
    stale = _copy(browser, app)
    for _ in range(3):
        clock.advance(minutes=20)
        _allowed(browser)  # the owner's session goes on
    _refused(stale, "30 minutes without using the site")


def test_every_session_ends_some_hours_after_sign_in(app, clock):
    assert app.config["SESSION_MAX_HOURS"] == 12
    browser = _sign_in(app, make_user())
    for _ in range(12 * 4):
        _allowed(browser)
        clock.advance(minutes=15)
    clock.advance(seconds=1)
    _refused(browser, "You were signed out because you signed in more than 12 hours ago.")


@pytest.mark.parametrize("app_config", [{"SESSION_IDLE_MINUTES": 5, "SESSION_MAX_HOURS": 1}])
def test_the_limits_are_settings(app, clock, app_config):
    browser = _sign_in(app, make_user())
    clock.advance(minutes=6)
    _refused(browser, "after 5 minutes without using the site")
    browser = _sign_in(app, make_user())
    for _ in range(13):
        clock.advance(minutes=5)
    _refused(browser, "more than 1 hours ago")


class TestCsrfAcrossSignIn:
    @pytest.fixture
    def app_config(self):
        return {"WTF_CSRF_ENABLED": True}

    @staticmethod
    def token(page) -> str:
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text).group(1)

    def test_a_token_from_before_sign_in_does_not_work_after_it(self, app, client):
        user = make_user()
        before = self.token(client.get(url("auth.login")))
        login = {"email": user.email, "password": PASSWORD, "csrf_token": before}
        assert client.post(url("auth.login"), data=login).status_code == 302
        refused = client.post(url("auth.logout"), data={"csrf_token": before})
        assert refused.status_code == 400
        assert "Your form expired" in refused.text
        _allowed(client)  # the refused sign-out changed nothing
        after = self.token(client.get(url("auth.account")))
        assert after != before
        assert client.post(url("auth.logout"), data={"csrf_token": after}).status_code == 302
        _refused(client)
