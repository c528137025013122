"""Clause texts read right whatever the answers: no doubled words ("Economic Development
Office, Economic Development Office"), no "week(s)", and reasons a contracting officer can
read (the checklist item's words, not its id)."""

from __future__ import annotations

import itertools
import re

import pytest

from playbook.contracts import (
    VARIABLES,
    default_answers,
    default_library,
    evaluate,
    render_text,
)

DOUBLED = re.compile(r"\b(\w+)\W+\1\b", re.IGNORECASE)
HEDGED_PLURAL = re.compile(r"\w\(s\)|\(es\)")
# A run of words repeated, as when a program and its agency have the same name.
REPEATED_PHRASE = re.compile(r"\b(\w+(?:\s+\w+){1,5}),?\s+\1\b", re.IGNORECASE)


def _answer_sets() -> list[dict]:
    """Typical answers; the program named as the agency is; each count at 0, 1 and 2; and
    every choice of every question in turn."""
    base = default_answers(
        agency_name="Economic Development Office",
        program_name="Economic Development Office",
        project_name="Apply for a small business grant",
        service_summary="Owners of small businesses apply for grants online.",
    )
    sets = [base, base | {"program_name": "Grants Program"}]
    for name in ("option_periods", "iteration_weeks", "transition_in_days", "ceiling_dollars"):
        var = next(v for v in VARIABLES if v.name == name)
        for count in sorted(n for n in {var.minimum, 1, 2} if var.minimum <= n <= var.maximum):
            sets.append(base | {name: count, "option_period_months": count or 1})
    for var in VARIABLES:
        for value, _label in var.choices:
            sets.append(base | {var.name: value})
        if var.kind == "bool":
            sets += [base | {var.name: True}, base | {var.name: False}]
    return sets


ANSWER_SETS = _answer_sets()


@pytest.mark.parametrize("clause", default_library().clauses, ids=lambda c: c.id)
def test_every_clause_reads_right_with_every_answer_set(clause):
    problems = set()
    for answers in ANSWER_SETS:
        text = render_text(clause.text, answers)
        for match in DOUBLED.finditer(text):
            problems.add(f"doubled word “{match.group(0)}”")
        for match in REPEATED_PHRASE.finditer(text):
            problems.add(f"repeated phrase “{match.group(0)}”")
        for match in HEDGED_PLURAL.finditer(text):
            problems.add(f"a plural left to the reader: “{match.group(0)}”")
    assert not problems, sorted(problems)


def test_the_checks_would_catch_the_old_wording():
    old = (
        "Through its {{ program_name }}, {{ agency_name }} is buying {{ iteration_weeks }} week(s)"
    )
    text = render_text(old, ANSWER_SETS[0])
    assert REPEATED_PHRASE.search(text) and HEDGED_PLURAL.search(text)


def test_counts_are_written_in_words_people_use():
    clause = default_library().get("clause.period-of-performance")
    answers = ANSWER_SETS[0]
    one = render_text(clause.text, answers | {"option_periods": 1, "option_period_months": 6})
    assert "one option period of 6 months" in one
    two = render_text(clause.text, answers | {"option_periods": 2})
    assert "up to 2 option periods of 12 months each" in two
    agile = default_library().get("clause.agile-process")
    assert "iterations of 1 week each" in render_text(agile.text, answers | {"iteration_weeks": 1})


def test_reasons_quote_the_checklist_item_not_its_id():
    clause = default_library().get("clause.government-repository")
    answers = ANSWER_SETS[0]
    proposed = evaluate(clause, answers, "alpha", {})
    assert proposed.proposed
    assert "p04.c7" not in proposed.reason and "“" in proposed.reason
    statuses = dict.fromkeys(clause.when.items_in_scope, "not_applicable")
    refused = evaluate(clause, answers, "alpha", statuses)
    assert not refused.proposed
    assert not re.search(r"p\d\d\.c\d", refused.reason), refused.reason


@pytest.mark.parametrize(
    ("choice", "wanted"),
    [("none", "will not hold coding challenges"), ("challenge", "technical challenge")],
)
def test_coding_challenges_are_an_option(choice, wanted):
    clause = default_library().get("clause.evaluation-factors")
    text = render_text(clause.text, ANSWER_SETS[0] | {"technical_challenge": choice})
    assert wanted in text


def test_the_answer_sets_cover_every_choice():
    for var, (value, _label) in itertools.chain.from_iterable(
        ((v, c) for c in v.choices) for v in VARIABLES
    ):
        assert any(a[var.name] == value for a in ANSWER_SETS), (var.name, value)
