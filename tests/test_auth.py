"""Signing in and out, lock-out stored in the database, and creating users from scripts."""

import pytest

from projects.audit import AuditEvent
from projects.auth.models import User
from tests.conftest import PASSWORD, make_user
from tests.pages import url


def test_sign_in_and_out(client, auth):
    user = make_user("lead", name="Lee Lead")
    response = auth.login(user)
    assert response.status_code == 302
    assert response.headers["Location"] == url("projects.index")
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


def test_lock_out_after_repeated_failures_is_stored(client, auth, app):
    user = make_user()
    limit = app.config["MAX_FAILED_SIGN_INS"]
    for _ in range(limit):
        auth.login(user, password="wrong guess!")
    stored = User.get_by_id(user.id)
    assert stored.locked_until is not None
    page = auth.login(user)  # even the right password is refused while locked
    assert page.status_code == 200
    assert "locked" in page.text
    assert AuditEvent.select().where(AuditEvent.action == "locked").count() == 1


def test_a_success_resets_the_failure_count(auth):
    user = make_user()
    auth.login(user, password="wrong guess!")
    auth.login(user)
    assert User.get_by_id(user.id).failed_sign_ins == 0


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
