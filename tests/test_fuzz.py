"""Hostile input never breaks a page.

Hypothesis takes every form on every page of the route map, as each demo role sees them, and
sends what no browser would: fields left out or sent twice, wrong types, huge values, invalid
dates, NUL and control characters, unknown choices, absurd version numbers and the ids of other
objects. It does the same to the query of every GET page and to the words in its address.
Every answer must be a page or a refusal, never a server error (with TESTING on, an error
raises here with its traceback). Pages and forms come from `app.url_map`, so a new one is
fuzzed without anyone remembering to.

The examples are derandomized and bounded so CI is repeatable and stays inside its time; set
FUZZ_EXAMPLES to hunt longer locally.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import urlencode, urlparse

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict
from werkzeug.routing import BuildError

from projects.demo import seed
from tests.pages import demo_pages, demo_sign_in, forms, url

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "50"))
ROLES = ("admin", "lead", "contracting", "leadership")
# Buttons that end the fuzzing session itself; they are tested elsewhere.
SIGN_OUTS = ("/logout", "/account/sign-out-everywhere")

SETTINGS = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)

NASTY = st.one_of(
    st.text(max_size=30),  # any characters, control characters included
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "a\x00b",
            "\x01\x02\x1b",
            "\x7f\ufffe",
            "-1",
            "0",
            "1.5",
            "NaN",
            "1e309",
            "2026-02-30",
            "2026-13-01",
            "0000-00-00",
            "99999-01-01",
            "not-a-choice",
            "<script>alert(1)</script>",
            "{{ 7 * 7 }}",
            "{% for x in range(99999999) %}x{% endfor %}",
            '=HYPERLINK("https://example.com")',
            "../../etc/passwd",
        ]
    ),
    st.integers(min_value=-(2**80), max_value=2**80).map(str),  # versions, ids, counts
    st.integers(min_value=1, max_value=80).map(str),  # the ids of other objects
    st.builds(
        lambda piece, times: piece * times,
        st.sampled_from(["x", "é", "\x00", "a b\n", "Jane Doe 555-0100 "]),
        st.sampled_from([201, 5001, 70_000, 400_000]),
    ),
)
# What happens to each field of a form: sent as the page shows it, left out, sent twice, or
# replaced by a generated value.
TREATMENTS = st.sampled_from(["keep", "keep", "leave out", "twice", "replace", "replace"])
QUERY_NAMES = ("page", "per_page", "lead", "play", "phase", "sort", "status", "next", "version")


@dataclass(frozen=True)
class Target:
    address: str
    pairs: tuple[tuple[str, str], ...]


@pytest.fixture
def app_config():
    # Jobs wait in the queue rather than being built: this test is about requests, not PDFs.
    # A character no font has (generated text is full of them) is drawn as a box, which is
    # all a real PDF can do, rather than failing the render as a test's PDFs do.
    return {"WTF_CSRF_ENABLED": True, "JOBS_IMMEDIATE": False, "PDF_STRICT": False}


def _targets(app, client) -> tuple[list[Target], list[Target]]:
    """The POST forms and the GET pages (with the names their filter forms send) this person
    can open, a few of each endpoint."""
    posts: dict[tuple, Target] = {}
    gets: list[Target] = []
    adapter = app.url_map.bind("localhost")
    for _endpoint, address in demo_pages(app):
        page = client.get(address)
        if page.status_code != 200 or page.mimetype != "text/html":
            continue
        names = set(QUERY_NAMES)
        for form in forms(page.get_data(as_text=True)):
            action = urlparse(form["action"]).path or address
            if form["method"] == "get":
                names |= {name for name, _ in form["pairs"]}
                continue
            if action in SIGN_OUTS:
                continue
            form_endpoint = adapter.match(action, method="POST")[0]
            key = (form_endpoint, tuple(sorted(name for name, _ in form["pairs"])))
            if sum(1 for k in posts if k[0] == form_endpoint) < 3 and key not in posts:
                posts[key] = Target(action, tuple(map(tuple, form["pairs"])))
        gets.append(Target(address, tuple((name, "") for name in sorted(names))))
    return list(posts.values()), gets


def _still_signed_in(client, role: str) -> None:
    """A fuzzed form may have changed who this is (a role, a deactivation): sign in again."""
    if client.get(url("auth.account")).status_code != 200:
        demo_sign_in(client, role)


@pytest.mark.parametrize("role", ROLES)
def test_no_form_answers_hostile_input_with_a_server_error(app, client, role):
    seed()
    demo_sign_in(client, role)
    posts, _ = _targets(app, client)
    assert posts or role == "leadership"
    if not posts:
        return

    @SETTINGS
    @given(data=st.data())
    def post_something_hostile(data):
        target = data.draw(st.sampled_from(posts), label="form")
        sent = []
        for name, value in target.pairs:
            treatment = "keep" if name == "csrf_token" else data.draw(TREATMENTS, label=name)
            if treatment == "keep":
                sent.append((name, value))
            elif treatment == "twice":
                sent += [(name, value), (name, data.draw(NASTY, label=name))]
            elif treatment == "replace":
                sent.append((name, data.draw(NASTY, label=name)))
        if data.draw(st.booleans(), label="an unknown field"):
            sent.append((data.draw(st.text(max_size=12)), data.draw(NASTY)))
        response = client.post(target.address, data=MultiDict(sent))
        assert response.status_code < 500, (target.address, sent, response.status_code)
        _still_signed_in(client, role)

    post_something_hostile()


@pytest.mark.parametrize("role", ("admin", "lead"))
def test_no_page_answers_a_hostile_query_or_address_with_a_server_error(app, client, role):
    seed()
    demo_sign_in(client, role)
    _, gets = _targets(app, client)
    rules = [
        rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and rule.endpoint != "static" and rule.arguments
    ]

    @SETTINGS
    @given(data=st.data())
    def ask_for_something_hostile(data):
        if data.draw(st.booleans(), label="address or query"):
            rule = data.draw(st.sampled_from(rules), label="page")
            values = {
                name: data.draw(NASTY.filter(bool), label=name) for name in sorted(rule.arguments)
            }
            try:
                with app.test_request_context():
                    address = app.url_for(rule.endpoint, **values)
            except (BuildError, ValueError):
                return  # an int segment given text: no such address can be built
        else:
            target = data.draw(st.sampled_from(gets), label="page")
            names = [name for name, _ in target.pairs]
            chosen = data.draw(st.lists(st.sampled_from(names), max_size=4), label="names")
            query = [(name, data.draw(NASTY, label=name)) for name in chosen]
            address = f"{target.address}?{urlencode(query)}"
        response = client.get(address)
        assert response.status_code < 500, (address, response.status_code)

    ask_for_something_hostile()
