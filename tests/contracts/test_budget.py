"""The clause sandbox's budget: texts that would pin a worker or fill its memory are refused
by counting the work (loop steps, characters written), never by timing it, and clauses are
filled in with sample answers before they are saved."""

from __future__ import annotations

import pytest

from playbook.contracts import (
    MAX_STEPS,
    ClauseError,
    check_fills_in,
    default_answers,
    render_text,
    sandbox,
)
from projects.contracts.models import AgencyClause, PackageClause
from tests.contracts.factories import make_package, officer_project
from tests.pages import filled, url

ANSWERS = default_answers(agency_name="Agency", project_name="Service")
LONG = "x" * 1000
NESTED_LOOPS = (  # a thousand million steps: half a minute or more before the budget
    f"{{% for a in '{LONG}' %}}{{% for b in '{LONG}' %}}{{% for c in '{LONG}' %}}"
    "{% endfor %}{% endfor %}{% endfor %}"
)
DOUBLING = "{% set a = 'xxxxxxxxxx' %}" + "{% set a = a ~ a %}" * 20 + "{{ a | length }}"
SLOW = [
    (NESTED_LOOPS, "This clause repeats too much: it would take more than 100,000 steps"),
    (DOUBLING, "This clause grows too long: a value in it would be longer than 100,000"),
    ("{% set a = 'xxxxxxxxxx' %}" + "{% set a = a + a %}" * 20, "would be longer than 100,000"),
    ("{% set a = [1] %}" + "{% set a = a + a %}" * 30, "would be longer than 100,000"),
    (
        "{% set a = 'xxxxxxxxxx' %}" + "{% set a %}{{ a }}{{ a }}{% endset %}" * 20,
        "would write more than 1,000,000 characters",
    ),
    (f"{{% for a in '{LONG}' %}}{'y' * 15000}{{% endfor %}}", "more than 1,000,000 characters"),
    (
        "{% filter upper %}"
        + f"{{% for a in '{LONG}' %}}{LONG * 2}{{% endfor %}}{{% endfilter %}}",
        "more than 1,000,000 characters",
    ),
]


@pytest.mark.parametrize(("text", "message"), SLOW)
def test_known_slow_texts_are_refused_by_the_budget(text, message):
    with pytest.raises(ClauseError) as caught:
        render_text(text, ANSWERS)
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{{ 1 | round(100000000, 'ceil') }}", "round takes at most 10 places"),
        ("{{ [agency_name] * 2 }}", "the operator '*' is not allowed"),
        ("{{ [agency_name, agency_name] }}", "may print only text and numbers"),
        ("{{ agency_name ~ [1, 2] }}", "may join only text and numbers"),
        ("{{ [1, 2] | upper }}", "may use the filter “upper” on only text and numbers"),
    ],
)
def test_ways_round_the_meters_are_closed(text, message):
    with pytest.raises(ClauseError) as caught:
        render_text(text, ANSWERS)
    assert message in str(caught.value)


def test_the_budget_counts_loop_steps_weighted_by_the_loop_body(monkeypatch):
    # An empty loop costs one step per item; each node of a body costs one more.
    loop = "{% for a in 'abcde' %}{% endfor %}"
    monkeypatch.setattr(sandbox, "MAX_STEPS", 5)
    assert render_text(loop, ANSWERS) == ""
    monkeypatch.setattr(sandbox, "MAX_STEPS", 4)
    with pytest.raises(ClauseError, match="more than 4 steps"):
        render_text(loop, ANSWERS)
    nested = "{% for a in 'ab' %}{% for b in 'abc' %}{% endfor %}{% endfor %}"
    # Outer: 2 items x (1 + 3 nodes: the inner loop, its name, its string); inner: 2 x 3 x 1.
    monkeypatch.setattr(sandbox, "MAX_STEPS", 2 * 4 + 2 * 3)
    assert render_text(nested, ANSWERS) == ""
    monkeypatch.setattr(sandbox, "MAX_STEPS", 2 * 4 + 2 * 3 - 1)
    with pytest.raises(ClauseError, match="repeats too much"):
        render_text(nested, ANSWERS)


def test_ordinary_loops_and_joins_still_fill_in():
    text = "{% for letter in agency_name %}{{ letter | upper }}{% endfor %} ~ " + (
        "{{ agency_name ~ ', ' ~ project_name }} {{ 'a' + 'b' }} {{ 2 + 3 }} {{ 2.25 | round(1) }}"
    )
    assert render_text(text, ANSWERS) == "AGENCY ~ Agency, Service ab 5 2.2"


def test_sample_answers_include_the_longest_a_package_can_give():
    loop = "{% for a in service_summary %}{% for b in service_summary %}{% endfor %}{% endfor %}"
    assert render_text(loop, ANSWERS) == ""  # short answers: within the budget
    with pytest.raises(ClauseError) as caught:
        check_fills_in(loop, ANSWERS)
    assert str(caught.value) == (
        f"This clause repeats too much: it would take more than {MAX_STEPS:,} steps to fill in "
        "with the longest answers a package can give. Use fewer {% for %} loops, or loops over "
        "shorter values."
    )


@pytest.mark.parametrize(("text", "message"), SLOW[:2])
def test_a_clause_edit_that_repeats_too_much_is_refused_and_not_saved(
    client, signed_in, text, message
):
    officer, project = officer_project()
    package = make_package(project, officer)
    signed_in(officer)
    entry = PackageClause.get(package=package, clause_id="clause.warranty")
    edit = url("contracts.edit_clause", slug=project.slug, package_id=package.id, entry_id=entry.id)
    page = client.post(edit, data=filled(client, edit, "text", text=text))
    assert page.status_code == 200
    assert "<title>Error:" in page.text
    assert message in page.text
    assert PackageClause.get_by_id(entry.id).text is None


AGENCY_FORM = {
    "name": "remote-work",
    "title": "Remote work",
    "section": "personnel",
    "proposal": "always",
    "text": "{{ agency_name }} staff may work remotely.",
    "topics": ["key-personnel"],
    "plays": "6",
}


@pytest.mark.parametrize(("text", "message"), SLOW[:2])
def test_an_agency_clause_that_repeats_too_much_is_refused_before_it_is_saved(
    client, signed_in, text, message
):
    signed_in("contracting")
    new = url("contracts.new_clause")
    page = client.post(new, data=filled(client, new, "name", **AGENCY_FORM | {"text": text}))
    assert page.status_code == 200 and message in page.text
    assert AgencyClause.select().count() == 0
    assert client.post(new, data=filled(client, new, "name", **AGENCY_FORM)).status_code == 302
    address = url("contracts.edit_agency_clause", clause_id="agency.remote-work")
    edit = client.post(address, data=filled(client, address, "text", text=text))
    assert edit.status_code == 200 and message in edit.text
    assert [r.version for r in AgencyClause.select()] == [1]


def test_an_agency_clause_that_loops_over_long_answers_is_refused(client, signed_in):
    signed_in("contracting")
    text = "{% for a in service_summary %}{% for b in service_summary %}x{% endfor %}{% endfor %}"
    new = url("contracts.new_clause")
    page = client.post(new, data=filled(client, new, "name", **AGENCY_FORM | {"text": text}))
    assert "with the longest answers a package can give" in page.text
    assert AgencyClause.select().count() == 0


def test_a_costly_agency_clause_saved_earlier_fails_alone_not_every_package(client, signed_in):
    officer, project = officer_project()
    AgencyClause.create(  # saved before clauses were filled in on saving
        clause_id="agency.slow",
        version=1,
        fields=AGENCY_FORM | {"text": NESTED_LOOPS, "plays": [6], "variables": [], "qasp": []},
        created_by=officer,
    )
    package = make_package(project, officer)
    assert PackageClause.get_or_none(package=package, clause_id="agency.slow") is not None
    signed_in(officer)
    page = client.get(url("contracts.detail", slug=project.slug, package_id=package.id))
    assert page.status_code == 200
    assert "This clause repeats too much" in page.text
    assert "Department of Fish" in page.text  # the other clauses are filled in as usual
