"""The public feedback form under load: 8 visitors at once, each sending 500 responses to a
real gunicorn with several workers (SQLite, or PostgreSQL with TEST_DATABASE_URL). Every
response the server accepted is stored once, and the figures count each answer exactly once."""

from __future__ import annotations

import http.cookiejar
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from playbook.measures import DRIVERS, share_agreeing
from projects.feedback.models import FeedbackResponse
from projects.measures.models import Measure, MeasureValue
from tests.conftest import make_project
from tests.feedback.factories import open_form
from tests.integrity.harness import CLIENTS, saves

pytestmark = pytest.mark.integrity
DRIVER_KEYS = list(DRIVERS)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 302 is the answer itself: "accepted, go to the thank-you page"


class Visitor:
    """A browser of its own: a cookie jar and the form's CSRF token, from the page itself."""

    def __init__(self, address: str):
        self.address = address
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
        )
        page = self.opener.open(address, timeout=60).read().decode()
        self.token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)

    def send(self, answers: dict[str, int], comment: str) -> int:
        fields = {"csrf_token": self.token, "language": "en", "website": "", "comment": comment}
        fields |= {driver: str(score) for driver, score in answers.items()}
        data = urllib.parse.urlencode(fields).encode()
        try:
            with self.opener.open(self.address, data=data, timeout=120) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code


def _answers(client: int, n: int) -> dict[str, int]:
    """A varied, reproducible set of answers; some drivers left out."""
    return {
        driver: (client + n + i) % 5 + 1
        for i, driver in enumerate(DRIVER_KEYS)
        if (client * 7 + n + i) % 4
    }


def test_concurrent_submissions_are_each_stored_and_counted_once(gunicorn, reading, monkeypatch):
    per_client = saves(500)
    monkeypatch.setenv("FEEDBACK_RATE_LIMIT", str(CLIENTS * per_client + 10))  # one address
    with reading():
        form = open_form(make_project(name="Load test"))
        project_id, key = form.project_id, form.key
    gunicorn.start()
    address = f"{gunicorn.url}/feedback/{key}"
    start = threading.Barrier(CLIENTS)

    def visit(client: int) -> list[tuple[int, dict, str]]:
        visitor = Visitor(address)
        start.wait()
        sent = []
        for n in range(per_client):
            answers, comment = _answers(client, n), f"visitor {client} response {n}"
            sent.append((visitor.send(answers, comment), answers, comment))
        return sent

    with ThreadPoolExecutor(CLIENTS) as pool:
        results = [r for sent in pool.map(visit, range(CLIENTS)) for r in sent]

    statuses = Counter(status for status, _, _ in results)
    assert statuses == {302: CLIENTS * per_client}, (statuses, gunicorn.log_tail())
    expected: dict[str, Counter] = {d: Counter() for d in DRIVER_KEYS}
    for _, answers, _ in results:
        for driver, score in answers.items():
            expected[driver][score] += 1

    with reading():
        stored = Counter(c for (c,) in FeedbackResponse.select(FeedbackResponse.comment).tuples())
        assert len(stored) == CLIENTS * per_client and set(stored.values()) == {1}
        assert set(stored) == {comment for _, _, comment in results}
        for driver in DRIVER_KEYS:
            measure = Measure.get(Measure.project == project_id, Measure.driver == driver)
            rows = list(MeasureValue.select().where(MeasureValue.measure == measure))
            counted = Counter()
            for row in rows:
                assert row.responses == sum(row.answers)
                assert row.value == pytest.approx(share_agreeing(row.answers))
                counted.update({s + 1: n for s, n in enumerate(row.answers)})
            assert +counted == +expected[driver], driver
            newest = max(rows, key=lambda row: row.period)
            assert measure.latest_value == pytest.approx(newest.value), driver
