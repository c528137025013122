"""Wrong passwords sent at once to a real gunicorn with several workers: every attempt is
counted (per account and per address), none slips past the limit unchecked, and the right
password during the wait is refused with the same answer as a wrong one."""

from __future__ import annotations

import http.cookiejar
import re
import threading
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from html import unescape

import pytest

from projects.auth.changes import account_key, address_key
from projects.auth.models import SignInThrottle
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.integrity
ATTEMPTS = 12


class Person:
    """A browser of its own: a cookie jar, and the sign-in page's CSRF token."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        page = self.opener.open(f"{base}/login", timeout=60).read().decode()
        self.token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)

    def sign_in(self, email: str, password: str) -> tuple[int, str]:
        """(status, the refusal on the page, or the address signed in to)."""
        data = urllib.parse.urlencode(
            {"email": email, "password": password, "csrf_token": self.token}
        ).encode()
        with self.opener.open(f"{self.base}/login", data=data, timeout=120) as response:
            page = unescape(response.read().decode())
            if response.url.rstrip("/") != f"{self.base}/login":
                return response.status, "signed in"
        match = re.search(r"The email address or password is not right[^<]*", page)
        return response.status, match.group(0) if match else page


def _same_answer(message: str) -> str:
    return re.sub(r"\d+ minutes?", "N minutes", message)


def test_parallel_wrong_passwords_are_all_counted_and_the_right_one_then_waits(gunicorn, reading):
    with reading():
        user = make_user(email="target@agency.gov")
    gunicorn.start()
    people = [Person(gunicorn.url) for _ in range(ATTEMPTS)]
    start = threading.Barrier(ATTEMPTS)

    def attempt(person: Person):
        start.wait()
        return person.sign_in(user.email, "a wrong guess, sent at once")

    with ThreadPoolExecutor(ATTEMPTS) as pool:
        answers = list(pool.map(attempt, people))

    assert all(status == 200 for status, _ in answers), answers
    assert all("not right" in message for _, message in answers), answers
    with reading():
        counted = {
            row.key: row.failures
            for row in SignInThrottle.select().where(
                SignInThrottle.key.in_([account_key(user.email), address_key("127.0.0.1")])
            )
        }
    assert counted == {account_key(user.email): ATTEMPTS, address_key("127.0.0.1"): ATTEMPTS}

    status, right = Person(gunicorn.url).sign_in(user.email, PASSWORD)
    assert status == 200
    assert "too many attempts: try again in" in right
    _, wrong = Person(gunicorn.url).sign_in(user.email, "another wrong guess")
    assert _same_answer(right) == _same_answer(wrong)
    assert "Traceback" not in gunicorn.log.read_text()
