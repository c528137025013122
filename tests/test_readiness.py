"""The readiness rules from DESIGN.md, on a small made-up edition."""

import pytest

from playbook.edition import ChecklistItem, Edition, Play
from playbook.readiness import (
    Attention,
    count,
    evidence_words,
    is_stale,
    missing_for_next_phase,
    next_phase,
    project_readiness,
    rating,
)


def _edition():
    def play(number, phases):
        items = tuple(
            ChecklistItem(f"p{number:02}.c{k}", number, f"Item {k}", phase, "proof")
            for k, phase in enumerate(phases, start=1)
        )
        return Play(number, f"Play {number}", "", items, ())

    return Edition(
        "test",
        "Test",
        (
            play(1, ["discovery", "alpha", "beta", "live"]),
            play(2, ["discovery", "discovery"]),
            play(3, ["live"]),
        ),
    )


@pytest.mark.parametrize(
    ("statuses", "score"),
    [
        ({}, 0.0),
        ({"p01.c1": "done"}, 0.25),
        ({"p01.c1": "in_progress"}, 0.125),
        ({"p01.c1": "done", "p01.c2": "not_applicable"}, 1 / 3),
        ({"p01.c1": "done", "p01.c2": "done", "p01.c3": "in_progress", "p01.c4": "done"}, 0.875),
    ],
)
def test_item_scores_and_not_applicable_leaving_the_count(statuses, score):
    result = count(_edition().play(1).checklist, statuses)
    assert result.score == pytest.approx(score)


def test_nothing_applicable_is_grey_not_zero():
    statuses = {"p03.c1": "not_applicable"}
    result = count(_edition().play(3).checklist, statuses)
    assert result.score is None
    assert result.rating == "grey"
    assert result.label == "n/a"


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (0.0, "red"),
        (0.499, "red"),
        (0.5, "amber"),
        (0.799, "amber"),
        (0.8, "green"),
        (1.0, "green"),
        (None, "grey"),
    ],
)
def test_rating_thresholds(score, expected):
    assert rating(score) == expected


def test_project_readiness_is_the_mean_over_plays_with_applicable_items():
    statuses = {
        "p01.c1": "done",
        "p01.c2": "done",  # play 1: 2/4 = 0.5
        "p02.c1": "done",
        "p02.c2": "done",  # play 2: 1.0
        "p03.c1": "not_applicable",
    }  # play 3: gray, left out
    result = project_readiness(_edition(), statuses, "discovery")
    assert result.overall.score == pytest.approx(0.75)
    assert result.plays[3].score is None
    # In discovery only p01.c1 and play 2 are expected: (1.0 + 1.0) / 2
    assert result.phase.score == pytest.approx(1.0)
    assert result.overall.percent == 75
    assert result.overall.label == "75%"


def test_missing_for_next_phase_lists_what_the_next_phase_expects_and_is_not_done():
    statuses = {"p01.c1": "done", "p02.c1": "not_applicable", "p02.c2": "in_progress"}
    missing = missing_for_next_phase(_edition(), statuses, "discovery")
    assert [i.id for i in missing] == ["p01.c2", "p02.c2"]
    assert next_phase("live") is None
    # Live has no next phase: what live expects and is not done.
    live = missing_for_next_phase(_edition(), statuses, "live")
    assert "p03.c1" in [i.id for i in live]


def test_staleness_after_ninety_days():
    from datetime import datetime, timedelta

    now = datetime(2026, 11, 22)
    assert is_stale(now - timedelta(days=91), now)
    assert not is_stale(now - timedelta(days=89), now)
    assert not is_stale(None, now)


@pytest.mark.parametrize(
    ("with_evidence", "done", "words"),
    [
        (4, 4, "4 of 4 done items have evidence"),
        (1, 1, "1 of 1 done item has evidence"),
        (0, 3, "0 of 3 done items have evidence"),
        (0, 0, "No items done yet"),
    ],
)
def test_evidence_is_said_with_its_counts(with_evidence, done, words):
    assert evidence_words(with_evidence, done) == words


def test_attention_says_what_the_score_leaves_out():
    assert not Attention() and Attention().words == ""
    assert Attention(open_critical=1).words == "1 open critical finding"
    assert Attention(2, 3).words == "2 open critical findings and 3 overdue items"
    assert Attention(overdue=1).parts == ["1 overdue item"]
