"""Two-step sign-in, through the pages as a browser uses them: turning it on by reading the key
off the page into an authenticator app (pyotp here), signing in with a code after the
password, recovery codes, turning it off, REQUIRE_MFA, and an admin's reset for a lost phone.
Forms are sent as rendered, with their CSRF tokens; time is a clock moved by hand."""

from __future__ import annotations

import re
from datetime import UTC, timedelta
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urlparse

import pyotp
import pytest

from projects import create_app
from projects.audit import AuditEvent
from projects.auth import changes as auth_changes
from projects.auth import sessions
from projects.auth.changes import code_key
from projects.auth.models import RecoveryCode, SecondFactor, SignInThrottle, User
from projects.auth.second_factor import recovery_hash
from projects.security import CONTENT_SECURITY_POLICY
from tests.conftest import PASSWORD, Clock, make_user
from tests.pages import forms, post_form, script_problems, url

ENDED = "your sessions were ended"
WRONG_CODE = "That code is not right, or there have been too many attempts"


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


@pytest.fixture
def clock(monkeypatch):
    """One clock for the codes, the throttle and the sessions, moved by hand."""
    clock = Clock()
    monkeypatch.setattr(auth_changes, "utcnow", lambda: clock.now)
    monkeypatch.setattr(sessions, "utcnow", lambda: clock.now)
    return clock


def app_code(key: str, clock: Clock, steps: int = 0) -> str:
    """What an authenticator app with this key shows now (or `steps` periods away)."""
    return pyotp.TOTP(key).at(clock.now.replace(tzinfo=UTC) + timedelta(seconds=30 * steps))


def other_than(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def text(response) -> str:
    """The page as a person reads it: entities decoded, runs of white space as one space."""
    return " ".join(unescape(response.get_data(as_text=True)).split())


def send(browser, page, field: str, **values):
    """Fill in the page's POST form that has `field` and send it where it says."""
    for form in forms(page.get_data(as_text=True)):
        if form["method"] == "post" and field in form["fields"]:
            action = form["action"] or urlparse(page.request.url).path
            return browser.post(action, data=form["fields"] | values)
    raise AssertionError(f"no POST form with a field {field!r} on {page.request.path}")


def press(browser, page, button: str, action: str):
    """Press a button that is a form of its own (its CSRF token and nothing else)."""
    assert button in page.text, f"no {button!r} on {page.request.path}"
    for form in forms(page.get_data(as_text=True)):
        if form["method"] == "post" and form["action"] == action:
            return browser.post(action, data=form["fields"])
    raise AssertionError(f"no form sent to {action} on {page.request.path}")


def password_step(app, user: User, *, next_url: str | None = None, browser=None):
    """A browser that has sent the sign-in form with the right password."""
    browser = browser or app.test_client()
    address = url("auth.login") + (f"?next={next_url}" if next_url else "")
    page = browser.get(address)
    data = post_form(page.text, "email") | {"email": user.email, "password": PASSWORD}
    return browser, browser.post(address, data=data)


def code_step(browser, code: str, *, recovery: bool = False):
    page = browser.get(url("auth.enter_code"))
    assert page.status_code == 200, "not on the code page"
    field = "recovery_code" if recovery else "code"
    return send(browser, page, field, **{field: code})


def signed_in(app, user: User, key: str | None = None, clock: Clock | None = None):
    """A new browser signed in as `user`, with a code from the app when they use one."""
    browser, response = password_step(app, user)
    if key is not None:
        response = code_step(browser, app_code(key, clock))
    assert response.status_code == 302 and urlparse(response.location).path == "/"
    return browser


def is_signed_in(browser) -> bool:
    response = browser.get(url("projects.index"))
    if response.status_code == 200:
        return True
    assert urlparse(response.location).path == url("auth.login")
    return False


def read_key(page) -> str:
    match = re.search(r'<dt>Key</dt><dd><code class="pt-code-text">([A-Z2-7 ]+)</code>', page.text)
    assert match, "no key written out on the page"
    return match.group(1).replace(" ", "")


def read_recovery_codes(page) -> list[str]:
    return re.findall(r'<li><code class="pt-code-text">([a-z0-9-]+)</code></li>', page.text)


def turn_on(browser, clock: Clock) -> tuple[str, list[str]]:
    """From the account page: set up the app, confirm a code; the key and recovery codes."""
    account = browser.get(url("auth.account"))
    assert "Set up two-step sign-in" in account.text
    page = browser.get(url("auth.set_up_second_factor"))
    key = read_key(page)
    response = send(browser, page, "code", code=app_code(key, clock))
    assert response.status_code == 302, text(response)
    shown = browser.get(response.location)
    codes = read_recovery_codes(shown)
    assert len(codes) == 10
    clock.advance(seconds=30)  # the code just used is spent: the next sign-in needs a new one
    return key, codes


@pytest.fixture
def person(app):
    return make_user(name="Pat Person")


@pytest.fixture
def turned_on(app, person, clock):
    """`person` with two-step sign-in turned on through the pages: (key, recovery codes)."""
    return turn_on(signed_in(app, person), clock)


class _Svg(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.inside = False

    def handle_starttag(self, tag, attrs):
        if tag == "svg":
            self.inside = True
        if self.inside:
            self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag == "svg":
            self.inside = False


def test_turning_it_on_shows_a_qr_code_and_the_key_and_asks_for_a_code(app, person, clock):
    browser = signed_in(app, person)
    elsewhere = signed_in(app, person)
    account = browser.get(url("auth.account"))
    assert "Two-step sign-in" in account.text and "Off." in account.text

    page = browser.get(url("auth.set_up_second_factor"))
    assert page.status_code == 200
    assert SecondFactor.select().count() == 0, "opening the page turns nothing on"
    html = page.text
    assert "<svg" in html and "<title>QR code to scan with your authenticator app</title>" in html
    assert f"Playbook Tracker ({person.email})" in html  # the account, as the app lists it
    key = read_key(page)
    assert len(key) == 32
    assert read_key(browser.get(page.request.path)) == key, "reloading keeps the same key"
    assert 'autocomplete="one-time-code"' in html and 'inputmode="numeric"' in html

    wrong = send(browser, page, "code", code=other_than(app_code(key, clock)))
    assert wrong.status_code == 200
    assert "That code does not match the key" in text(wrong)
    assert "<title>Error: Set up two-step sign-in" in wrong.text
    assert SecondFactor.select().count() == 0

    done = send(browser, page, "code", code=app_code(key, clock))
    assert done.status_code == 302
    shown = browser.get(done.location)
    assert "Two-step sign-in is on" in text(shown)
    assert "This is the only time they are shown" in text(shown)
    codes = read_recovery_codes(shown)
    assert len(set(codes)) == 10
    stored = {r.code_hash for r in RecoveryCode.select()}
    assert stored == {recovery_hash(c) for c in codes}, "stored hashed, never as written"
    assert not set(codes) & stored
    again = browser.get(url("auth.recovery_codes"))
    assert read_recovery_codes(again) == [] and "You have 10 unused recovery codes" in text(again)
    assert "On</strong> since" in browser.get(url("auth.account")).text
    assert SecondFactor.get().user_id == person.id
    assert AuditEvent.get(AuditEvent.action == "two-step sign-in turned on").user_id == person.id
    assert is_signed_in(browser)
    assert not is_signed_in(elsewhere), "a session started with the password alone ends"


def test_the_qr_code_is_inert_markup_the_csp_allows(app, person):
    browser = signed_in(app, person)
    page = browser.get(url("auth.set_up_second_factor"))
    assert page.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert script_problems(page.text) == []  # no inline style, script, handler or data: URL
    svg = _Svg()
    svg.feed(page.text)
    assert {tag for tag, _ in svg.tags} <= {"svg", "title", "g", "path"}
    attributes = {name for _, attrs in svg.tags for name in attrs}
    assert attributes <= {"width", "height", "class", "role", "transform", "fill", "stroke", "d"}
    markup = page.text.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert person.email not in markup and "data:" not in markup


def test_sign_in_asks_for_the_code_after_the_password(app, person, turned_on, clock):
    key, _ = turned_on
    browser, response = password_step(app, person)
    assert urlparse(response.location).path == url("auth.enter_code")
    # The password alone starts no session: every page still sends the person to sign in.
    for endpoint in ("projects.index", "auth.account", "portfolio.dashboard"):
        refused = browser.get(url(endpoint))
        assert urlparse(refused.location).path == url("auth.login"), endpoint
    page = browser.get(url("auth.enter_code"))
    assert "Enter your code" in page.text
    assert 'autocomplete="one-time-code"' in page.text and 'inputmode="numeric"' in page.text
    response = code_step(browser, app_code(key, clock))
    assert urlparse(response.location).path == url("projects.home")
    assert "Signed in as Pat Person" in browser.get(url("projects.index")).text
    assert browser.get(url("auth.enter_code")).status_code == 302  # done: nothing more to enter


@pytest.mark.parametrize(
    ("asked", "lands"), [("/portfolio", "/portfolio"), ("//evil.example/", "/")]
)
def test_next_survives_the_code_step_and_stays_on_this_site(
    app, person, turned_on, clock, asked, lands
):
    key, _ = turned_on
    browser, _ = password_step(app, person, next_url=asked)
    assert code_step(browser, app_code(key, clock)).location == lands


def test_a_wrong_code_gets_one_plain_message_and_is_slowed_down(app, person, turned_on, clock):
    key, _ = turned_on
    right = app_code(key, clock)
    wrong = other_than(right)
    browser, _ = password_step(app, person)
    limit = app.config["MAX_FAILED_SIGN_INS"]
    for _ in range(limit):
        page = code_step(browser, wrong)
        assert page.status_code == 200
        assert WRONG_CODE in text(page) and "<title>Error: Enter your code" in page.text
    assert "try again in 1 minute" in text(page)
    assert not is_signed_in(browser)
    # Too early: the right code is refused unchecked, and so it stays unused.
    assert "try again in 1 minute" in text(code_step(browser, right))
    # The right password again does not buy fresh guesses at the code.
    browser, _ = password_step(app, person, browser=browser)
    assert "try again in 1 minute" in text(code_step(browser, right))
    assert SignInThrottle.get(SignInThrottle.key == code_key(person)).failures == limit + 2
    assert AuditEvent.select().where(AuditEvent.action == "two-step codes slowed").count() == 1
    clock.advance(minutes=2)
    response = code_step(browser, app_code(key, clock))
    assert response.status_code == 302 and is_signed_in(browser)
    assert SignInThrottle.get_or_none(SignInThrottle.key == code_key(person)) is None


def test_a_code_works_once_and_a_phone_a_step_behind_still_works(app, person, turned_on, clock):
    key, _ = turned_on
    clock.advance(minutes=1)
    code = app_code(key, clock, -1)  # a phone whose clock is a little behind
    first, _ = password_step(app, person)
    assert code_step(first, code).status_code == 302
    second, _ = password_step(app, person)
    replayed = code_step(second, code)
    assert replayed.status_code == 200 and WRONG_CODE in text(replayed)
    assert code_step(second, app_code(key, clock, -2)).status_code == 200  # too old
    assert code_step(second, app_code(key, clock)).status_code == 302  # the next step's code
    third, _ = password_step(app, person)
    assert code_step(third, app_code(key, clock)).status_code == 200, "that one is used too"
    clock.advance(seconds=30)
    assert code_step(third, app_code(key, clock)).status_code == 302


def test_a_recovery_code_signs_in_once(app, person, turned_on, clock):
    _, codes = turned_on
    browser, _ = password_step(app, person)
    response = code_step(browser, codes[0], recovery=True)
    assert response.status_code == 302 and is_signed_in(browser)
    assert AuditEvent.select().where(AuditEvent.action == "recovery code used").count() == 1
    other, _ = password_step(app, person)
    again = code_step(other, codes[0], recovery=True)
    assert again.status_code == 200 and WRONG_CODE in text(again)
    typed = codes[1].upper().replace("-", " ")  # as someone might copy it from paper
    assert code_step(other, typed, recovery=True).status_code == 302
    assert "You have 8 unused recovery codes" in text(other.get(url("auth.account")))


def test_new_recovery_codes_replace_the_old_ones(app, person, turned_on, clock):
    key, old = turned_on
    browser = signed_in(app, person, key, clock)
    page = browser.get(url("auth.recovery_codes"))
    response = press(browser, page, "Make new recovery codes", url("auth.new_recovery_codes"))
    shown = browser.get(response.location)
    assert "The old ones no longer work" in text(shown)
    new = read_recovery_codes(shown)
    assert len(new) == 10 and not set(new) & set(old)
    assert AuditEvent.select().where(AuditEvent.action == "recovery codes replaced").count() == 1
    other, _ = password_step(app, person)
    assert code_step(other, old[0], recovery=True).status_code == 200
    assert code_step(other, new[0], recovery=True).status_code == 302


@pytest.mark.parametrize("proof", ["password", "code"])
def test_turning_it_off_asks_for_the_password_or_a_code(app, person, turned_on, clock, proof):
    key, _ = turned_on
    browser = signed_in(app, person, key, clock)
    clock.advance(seconds=30)
    account = browser.get(url("auth.account"))
    refused = send(browser, account, "turn-off-password", **{"turn-off-password": "not it"})
    assert refused.status_code == 200
    assert "The password or code is not right" in text(refused)
    assert "not it" not in refused.text and SecondFactor.select().count() == 1
    empty = send(browser, account, "turn-off-password")
    assert "Enter your password or a code from your app" in text(empty)
    values = (
        {"turn-off-password": PASSWORD}
        if proof == "password"
        else {"turn-off-code": app_code(key, clock)}
    )
    response = send(browser, browser.get(url("auth.account")), "turn-off-password", **values)
    assert response.status_code == 302
    assert "Two-step sign-in is off" in text(browser.get(response.location))
    assert SecondFactor.select().count() == 0 and RecoveryCode.select().count() == 0
    assert AuditEvent.select().where(AuditEvent.action == "two-step sign-in turned off").count()
    _, response = password_step(app, person)
    assert urlparse(response.location).path == "/", "the password alone signs in again"


@pytest.mark.usefixtures("turned_on")
def test_a_half_finished_sign_in_expires(app, person, clock):
    browser, _ = password_step(app, person)
    clock.advance(minutes=sessions.PENDING_MINUTES[sessions.ENTER_CODE], seconds=1)
    response = browser.get(url("auth.enter_code"))
    assert urlparse(response.location).path == url("auth.login")
    assert "Your sign-in took too long to finish" in text(browser.get(response.location))
    assert browser.get(url("auth.enter_code")).status_code == 302
    assert not is_signed_in(browser)


class TestRequired:
    @pytest.fixture
    def app_config(self):
        return {"WTF_CSRF_ENABLED": True, "REQUIRE_MFA": True}

    def test_the_app_must_be_set_up_before_the_session_starts(self, app, person, clock):
        browser, response = password_step(app, person, next_url="/portfolio")
        assert urlparse(response.location).path == url("auth.set_up_second_factor")
        for endpoint in ("projects.index", "auth.account", "auth.recovery_codes"):
            refused = browser.get(url(endpoint))
            assert urlparse(refused.location).path == url("auth.login"), endpoint
        assert browser.get(url("auth.enter_code")).status_code == 302
        page = browser.get(url("auth.set_up_second_factor"))
        assert "Every account here must use two-step sign-in" in text(page)
        assert "Signed in as" not in page.text
        response = send(browser, page, "code", code=app_code(read_key(page), clock))
        shown = browser.get(response.location)
        assert len(read_recovery_codes(shown)) == 10
        assert 'href="/portfolio"' in shown.text  # then on to the page first asked for
        assert is_signed_in(browser)

    def test_it_cannot_be_turned_off(self, app, person, clock):
        browser, _ = password_step(app, person)
        page = browser.get(url("auth.set_up_second_factor"))
        key = read_key(page)
        send(browser, page, "code", code=app_code(key, clock))
        account = browser.get(url("auth.account"))
        assert "turn-off-password" not in account.text
        assert "so it cannot be turned off" in text(account)
        token = post_form(account.text, "current")["csrf_token"]
        data = {"csrf_token": token, "turn-off-password": PASSWORD}
        response = browser.post(url("auth.turn_off_second_factor"), data=data)
        assert "cannot be turned off" in text(browser.get(response.location))
        assert SecondFactor.select().count() == 1

    def test_a_pending_set_up_expires(self, app, person, clock):
        browser, _ = password_step(app, person)
        clock.advance(minutes=sessions.PENDING_MINUTES[sessions.SET_UP], seconds=1)
        response = browser.get(url("auth.set_up_second_factor"))
        assert urlparse(response.location).path == url("auth.login")
        assert "took too long" in text(browser.get(response.location))


def test_require_mfa_is_read_from_the_environment(monkeypatch, database_url):
    monkeypatch.setenv("REQUIRE_MFA", "true")
    assert create_app({"DATABASE_URL": database_url, "SECRET_KEY": "x"}).config["REQUIRE_MFA"]
    monkeypatch.delenv("REQUIRE_MFA")
    assert not create_app({"DATABASE_URL": database_url, "SECRET_KEY": "x"}).config["REQUIRE_MFA"]


def test_an_admin_resets_a_lost_phone_which_ends_the_persons_sessions(
    app, person, turned_on, clock
):
    key, _ = turned_on
    theirs = signed_in(app, person, key, clock)
    halfway, _ = password_step(app, person)  # someone with the password, at the code step
    admin = signed_in(app, make_user("admin", name="Ada Admin"))
    assert "<td>On</td>" in admin.get(url("admin.users")).text
    page = admin.get(url("admin.edit_user", user_id=person.id))
    assert "Two-step sign-in" in page.text and "On</strong> since" in page.text
    reset = url("admin.reset_second_factor", user_id=person.id)
    response = press(admin, page, "Reset two-step sign-in for Pat Person", reset)
    assert "Two-step sign-in is reset for Pat Person" in text(admin.get(response.location))
    assert SecondFactor.select().count() == 0 and RecoveryCode.select().count() == 0
    event = AuditEvent.get(AuditEvent.action == "two-step sign-in reset")
    assert (event.user_id, event.object_id) == (
        User.get(User.name == "Ada Admin").id,
        str(person.id),
    )
    assert not is_signed_in(theirs)
    assert ENDED in text(theirs.get(theirs.get(url("projects.index")).location))
    assert urlparse(halfway.get(url("auth.enter_code")).location).path == url("auth.login")
    assert "<td>Off</td>" in admin.get(url("admin.users")).text
    _, response = password_step(app, person)
    assert urlparse(response.location).path == "/"
