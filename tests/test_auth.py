"""Signing in and out, sign-ins slowed down per account and per address in the database, and
creating users from scripts."""

import re
from html import unescape

import pytest

from projects.audit import AuditEvent
from projects.auth import changes as auth_changes
from projects.auth.changes import account_key, address_key
from projects.auth.models import SignInThrottle, User
from tests.conftest import PASSWORD, Clock, make_user
from tests.pages import post_form, url


def test_sign_in_and_out(client, auth):
    user = make_user("lead", name="Lee Lead")
    response = auth.login(user)
    assert response.status_code == 302
    assert response.headers["Location"] == url("projects.home")
    assert "Signed in as Lee Lead" in client.get(url("projects.index")).text
    assert auth.logout().headers["Location"] == url("auth.login")
    assert client.get(url("projects.index")).headers["Location"].startswith(url("auth.login"))


def test_email_is_not_case_sensitive(client):
    user = make_user(email="Case@Agency.gov".lower())
    response = client.post(
        url("auth.login"), data={"email": "CASE@agency.gov", "password": PASSWORD}
    )
    assert response.status_code == 302, user


@pytest.mark.parametrize(
    "data",
    [
        {"email": "", "password": ""},
        {"email": "not-an-email", "password": "x"},
        {"email": "nobody@agency.gov", "password": "wrong password"},
    ],
)
def test_bad_sign_in_shows_a_message_in_the_error_summary(client, data):
    page = client.post(url("auth.login"), data=data)
    assert page.status_code == 200
    assert "<title>Error: Sign in" in page.text
    assert "There is a problem" in page.text


def test_wrong_password_says_so_without_revealing_which(client, auth):
    user = make_user()
    page = auth.login(user, password="not the password")
    assert "email address or password is not right" in page.text


@pytest.fixture
def clock(monkeypatch):
    """The sign-in throttle's clock, moved by hand: no test sleeps."""

    clock = Clock()
    monkeypatch.setattr(auth_changes, "utcnow", lambda: clock.now)
    return clock


def _failures(key: str) -> int:
    row = SignInThrottle.get_or_none(SignInThrottle.key == key)
    return row.failures if row else 0


def _message(page) -> str:
    match = re.search(r"The email address or password is not right[^<]*", unescape(page.text))
    assert match, "no refusal on the page"
    return match.group(0)


def test_after_repeated_failures_each_attempt_waits_longer_even_with_the_right_password(
    app, auth, clock
):
    user = make_user()
    limit = app.config["MAX_FAILED_SIGN_INS"]
    for _ in range(limit):
        page = auth.login(user, password="wrong guess!")
    assert _failures(account_key(user.email)) == limit
    assert "try again in 1 minute." in _message(page)
    right = auth.login(user)  # the right password, too early: refused, and not checked
    assert right.status_code == 200
    assert _message(right) == _message(page)
    waits = []
    for _ in range(12):
        row = SignInThrottle.get(SignInThrottle.key == account_key(user.email))
        waits.append((row.not_before - clock.now).total_seconds())
        clock.advance(seconds=waits[-1])
        auth.login(user, password="wrong guess!")
    assert waits[:5] == [4, 8, 16, 32, 64]  # the right password's early attempt counted too
    assert max(waits) == app.config["SIGN_IN_MAX_DELAY_MINUTES"] * 60
    clock.advance(minutes=15)
    assert auth.login(user).status_code == 302  # once the wait is over, the person gets in
    assert _failures(account_key(user.email)) == 0
    slowed = AuditEvent.select().where(AuditEvent.action == "sign-ins slowed")
    assert slowed.count() == 1


def test_a_locked_account_and_an_unknown_one_get_the_same_answer(app, client, auth, clock):
    user = make_user()
    answers = {}
    for email in (user.email, "nobody@agency.gov"):
        for _ in range(app.config["MAX_FAILED_SIGN_INS"] + 1):
            page = client.post(
                url("auth.login"),
                data={"email": email, "password": "wrong guess!"},
                environ_base={"REMOTE_ADDR": f"10.0.0.{len(answers) + 1}"},
            )
        answers[email] = _message(page)
    assert answers[user.email] == answers["nobody@agency.gov"]
    assert "too many attempts: try again in 1 minute" in answers[user.email]


def test_one_address_trying_many_accounts_is_slowed_down(app, client, clock):
    limit = app.config["MAX_FAILED_SIGN_INS_PER_ADDRESS"]
    people = [make_user() for _ in range(limit + 1)]
    for person in people[:limit]:
        client.post(url("auth.login"), data={"email": person.email, "password": "wrong guess!"})
    assert _failures(address_key("127.0.0.1")) == limit
    last = people[-1]
    page = client.post(url("auth.login"), data={"email": last.email, "password": PASSWORD})
    assert page.status_code == 200  # the right password of an untouched account, too early
    assert "too many attempts: try again in 1 minute" in _message(page)
    elsewhere = client.post(
        url("auth.login"),
        data={"email": last.email, "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "10.9.9.9"},
    )
    assert elsewhere.status_code == 302  # the account itself is not held against its owner


def test_counts_are_forgotten_after_a_quiet_day_and_pruned(auth, clock):
    user, other = make_user(), make_user()
    for _ in range(3):
        auth.login(user, password="wrong guess!")
    clock.advance(days=1, seconds=1)
    auth.login(other, password="wrong guess!")
    assert SignInThrottle.get_or_none(SignInThrottle.key == account_key(user.email)) is None
    assert _failures(address_key("127.0.0.1")) == 1  # started again


def test_a_success_resets_the_account_count(auth):
    user = make_user()
    auth.login(user, password="wrong guess!")
    auth.login(user)
    assert _failures(account_key(user.email)) == 0


def test_an_admin_lets_a_slowed_account_sign_in_again(app, client, auth, signed_in, clock):
    user = make_user(name="Sam Slowed")
    for _ in range(app.config["MAX_FAILED_SIGN_INS"]):
        auth.login(user, password="wrong guess!")
    signed_in("admin")
    assert "Sign-ins slowed until" in client.get(url("admin.users")).text
    page = client.get(url("admin.edit_user", user_id=user.id)).text
    data = post_form(page, "version") | {"unlock": "y"}
    assert client.post(url("admin.edit_user", user_id=user.id), data=data).status_code == 302
    assert "Sign-ins slowed until" not in client.get(url("admin.users")).text
    assert _failures(account_key(user.email)) == 0


def test_inactive_users_cannot_sign_in(auth):
    user = make_user(active=False)
    assert auth.login(user).status_code == 200


def test_next_goes_back_to_the_page_asked_for(client):
    user = make_user()
    response = client.post(
        "/login?next=/portfolio", data={"email": user.email, "password": PASSWORD}
    )
    assert response.headers["Location"] == url("portfolio.dashboard")


def test_create_user_reads_the_password_from_stdin(runner):
    result = runner.invoke(
        args=[
            "create-user",
            "New@Agency.gov",
            "--name",
            "New Person",
            "--role",
            "contracting",
            "--password-stdin",
        ],
        input="a long enough password\n",
    )
    assert result.exit_code == 0, result.output
    user = User.get(User.email == "new@agency.gov")
    assert user.role == "contracting"
    assert user.password_hash.startswith("$argon2")


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["--role", "lead", "--password-stdin"], "long enough password", "already exists"),
        (["--role", "lead", "--password-stdin"], "short", "at least 12 characters"),
        (["--role", "lead", "--password-stdin"], "Password2026!", "common passwords"),
        (["--role", "lead", "--password-stdin"], "qwertyuiop123", "common passwords"),
        (["--role", "boss", "--password-stdin"], "long enough password", "'boss' is not one of"),
        (["--role", "lead"], "", "--password-stdin"),
    ],
)
def test_create_user_problems_are_clear(runner, args, stdin, message):
    make_user(email="taken@agency.gov")
    result = runner.invoke(
        args=["create-user", "taken@agency.gov", "--name", "X", *args], input=stdin + "\n"
    )
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output


def test_people_signing_in_from_one_address_are_not_counted_as_failures(app, client):
    for _ in range(app.config["MAX_FAILED_SIGN_INS_PER_ADDRESS"] + 5):
        user = make_user()
        response = client.post(url("auth.login"), data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 302
        client.post(url("auth.logout"))
    assert _failures(address_key("127.0.0.1")) == 0
    assert (
        client.post(
            url("auth.login"), data={"email": make_user().email, "password": PASSWORD}
        ).status_code
        == 302
    )
