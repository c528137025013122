"""The privacy guard costs work in proportion to what it reads, and reads only text that has
passed the length checks, in the finding form and in CSV imports."""

from __future__ import annotations

import io
import re
import re._constants as sre_constants  # the standard library's own pattern parser
import re._parser as sre_parser

import pytest

from projects.research import forms
from projects.research.privacy import PATTERNS, personal_data
from tests.conftest import make_project
from tests.pages import url
from tests.research.test_views import new_finding

REPEATS = (
    sre_constants.MAX_REPEAT,
    sre_constants.MIN_REPEAT,
    sre_constants.POSSESSIVE_REPEAT,
)
MAX_WIDTH = 600  # characters one attempt of one pattern may read


def _repeats(parsed, inside=0):
    """(depth, min, max) of every repeat in a parsed pattern, depth 1 for the outermost."""
    for op, av in parsed:
        if op in REPEATS:
            low, high, body = av
            yield inside + 1, low, high
            yield from _repeats(body, inside + 1)
        elif op == sre_constants.BRANCH:
            for branch in av[1]:
                yield from _repeats(branch, inside)
        elif op == sre_constants.SUBPATTERN:
            yield from _repeats(av[-1], inside)
        elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
            yield from _repeats(av[1], inside)


@pytest.mark.parametrize(("kind", "pattern"), PATTERNS, ids=[k for k, _ in PATTERNS])
def test_every_pattern_reads_a_bounded_stretch_of_text(kind, pattern):
    # An unbounded repeat (+, *, {n,}) lets one attempt read to the end of the text, from
    # every position: quadratic work. Bounded repeats make an attempt read at most
    # MAX_WIDTH characters, so the guard's work is at most MAX_WIDTH per character read.
    parsed = sre_parser.parse(pattern.pattern)
    unbounded = [r for r in _repeats(parsed) if r[2] == sre_constants.MAXREPEAT]
    assert not unbounded, f"{kind}: unbounded repeats {unbounded}"
    assert parsed.getwidth()[1] <= MAX_WIDTH
    # A repeat inside a repeat is at most one level deep (the labels of a domain).
    assert max((depth for depth, _, _ in _repeats(parsed)), default=0) <= 2


def test_a_crafted_megabyte_is_read_once_and_finds_what_it_should():
    crafted = "a" * 250_000 + "1" * 250_000 + "+1" * 125_000 + "a@" * 125_000
    assert len(crafted) == 1_000_000
    assert personal_data({"insight": crafted}) == []
    text = crafted[:1000] + " jane.doe@example.gov " + crafted[-1000:]
    assert [f.text for f in personal_data({"insight": text})] == ["jane.doe@example.gov"]
    # A run too long to be an address is not reported, nor read again from each character.
    assert personal_data({"insight": "x" * 65 + "@example.gov"}) == []
    assert personal_data({"insight": "x" * 64 + "@example.gov"}) != []


@pytest.fixture
def guard_reads(monkeypatch):
    """The longest text the privacy guard is given, however the request reaches it."""
    seen = [0]

    def spy(fields):
        seen[0] = max([seen[0], *(len(v) for v in fields.values())])
        return personal_data(fields)

    monkeypatch.setattr(forms, "personal_data", spy)
    return seen


def test_an_oversized_finding_field_is_refused_before_the_guard_reads_it(
    client, signed_in, guard_reads
):
    lead = signed_in("lead")
    project = make_project(lead)
    crafted = "+1" * 15_000 + "a@" * 10_000
    page = client.post(
        url("research.create", slug=project.slug),
        data=new_finding(client, project, insight=crafted),
    )
    assert page.status_code == 200
    assert "Use 20,000 characters or fewer for the insight" in page.text
    assert 0 < guard_reads[0] <= 20_000  # the other fields were read, the insight was not


def test_an_oversized_csv_cell_is_a_row_problem_without_running_the_guard(
    client, signed_in, guard_reads
):
    lead = signed_in("lead")
    project = make_project(lead)
    cell = "a" * 60_000
    data = f"title,insight,method,date,severity\r\nLong,{cell},survey,2026-03-02,high\r\n"
    response = client.post(
        url("research.upload", slug=project.slug),
        data={"file": (io.BytesIO(data.encode()), "findings.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).text
    assert "Use 20,000 characters or fewer for the insight" in page
    assert re.search(r"Row 2", page)
    assert guard_reads[0] <= 20_000
