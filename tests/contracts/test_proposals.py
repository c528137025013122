"""Proposal rules: answers, the project's phase and its checklist decide which clauses a
package proposes, and every proposal says why."""

from __future__ import annotations

import pytest

from playbook.contracts import (
    Clause,
    Conditions,
    PackageEntry,
    default_answers,
    default_library,
    deviations,
    evaluate,
    proposed_ids,
)
from playbook.edition import default_edition

ANSWERS = default_answers(agency_name="A", program_name="P", project_name="S", service_summary="x")


def reason(clause_id, answers=ANSWERS, phase="beta", statuses=None):
    proposal = evaluate(default_library().get(clause_id), answers, phase, statuses or {})
    return proposal.proposed, proposal.reason


@pytest.mark.parametrize(
    ("phase", "proposed"), [("discovery", True), ("alpha", True), ("beta", False), ("live", False)]
)
def test_a_project_in_discovery_gets_a_research_and_prototyping_phase(phase, proposed):
    found, why = reason("clause.research-and-prototyping", phase=phase)
    assert found is proposed
    if proposed:
        assert why == f"Proposed because the project is in the {phase} phase"
    else:
        assert why == "Not proposed because the project is not in the discovery or alpha phase"


def test_play_13_items_in_scope_pull_in_open_source_language():
    found, why = reason("clause.open-source-license", statuses={"p13.c6": "not_applicable"})
    assert found
    items = default_edition().items
    assert why == (
        "Proposed because the open-source intent for custom code is “open by default” and "
        f"Play 13 items “{items['p13.c3'].text}” and “{items['p13.c8'].text}” are in scope"
    )


def test_open_source_language_drops_out_when_its_items_do_not_apply_or_code_stays_closed():
    not_applicable = dict.fromkeys(("p13.c3", "p13.c6", "p13.c8"), "not_applicable")
    found, why = reason("clause.open-source-license", statuses=not_applicable)
    assert not found
    assert f"(“{default_edition().items['p13.c3'].text}”" in why
    assert why.endswith(") is marked not applicable")
    assert "p13.c" not in why
    found, why = reason("clause.open-source-license", answers=ANSWERS | {"open_source": "closed"})
    assert not found
    assert "is not “open by default” or “decided component by component”" in why


def test_one_item_in_scope_is_named_with_its_play():
    statuses = dict.fromkeys(("p04.c7", "p04.c8"), "not_applicable")
    found, why = reason("clause.government-repository", statuses=statuses)
    assert found
    text = default_edition().items["p13.c8"].text
    assert why == f"Proposed because Play 13 item “{text}” is in scope"


@pytest.mark.parametrize(("pii", "proposed"), [(True, True), (False, False)])
def test_personal_information_pulls_in_privacy_language(pii, proposed):
    found, why = reason("clause.privacy-pii", answers=ANSWERS | {"handles_pii": pii})
    assert found is proposed
    assert ("handles personally identifiable information" in why) is pii


@pytest.mark.parametrize(
    ("contract_type", "proposed"),
    [
        ("firm-fixed-price", True),
        ("hybrid", True),
        ("time-and-materials", False),
        ("labor-hour", False),
    ],
)
def test_iteration_line_items_follow_the_contract_type(contract_type, proposed):
    found, _ = reason("clause.iteration-clins", answers=ANSWERS | {"contract_type": contract_type})
    assert found is proposed


def test_option_period_conditions():
    clause = Clause(
        id="clause.options-only",
        version=1,
        title="Options",
        section="period-of-performance",
        proposal="conditional",
        text="x",
        when=Conditions(option_periods=(1, 5)),
    )
    assert evaluate(clause, ANSWERS | {"option_periods": 2}, "beta", {}).reason == (
        "Proposed because the package has 2 option periods"
    )
    assert not evaluate(clause, ANSWERS | {"option_periods": 0}, "beta", {}).proposed


def test_always_and_optional_clauses():
    ids = proposed_ids(default_library(), ANSWERS, "beta", {})
    assert "clause.statement-of-objectives" in ids
    assert "clause.market-research" not in ids
    assert reason("clause.market-research") == (
        False,
        "Optional: add it when the acquisition needs it",
    )
    assert reason("clause.agile-process") == (
        True,
        "Proposed for every digital-service contract package",
    )


def entry(**fields) -> PackageEntry:
    values = {
        "clause_id": "clause.warranty",
        "title": "Warranty",
        "included": True,
        "edited_text": None,
        "library_text": "Library words.",
        "library_version": 1,
        "used_version": 1,
        "proposed": True,
    }
    return PackageEntry(**(values | fields))


@pytest.mark.parametrize(
    ("fields", "kinds"),
    [
        ({}, []),
        ({"edited_text": "Library words."}, []),  # saved unchanged: no deviation
        ({"edited_text": "Our own words."}, ["edited"]),
        ({"included": False}, ["removed"]),
        ({"included": False, "proposed": False}, []),
        ({"proposed": False}, ["added"]),
        ({"agency": True, "library_text": "x", "library_version": None}, ["agency"]),
        ({"library_version": 2}, ["outdated"]),
        ({"proposed": False, "edited_text": "Mine."}, ["added", "edited"]),
    ],
)
def test_deviations_from_the_library(fields, kinds):
    assert [d.kind for d in deviations([entry(**fields)])] == kinds
