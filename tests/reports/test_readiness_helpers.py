"""The pure helpers reports use: overdue, stale, next-action order, changes and means."""

from datetime import date, datetime, timedelta

import pytest

from playbook.readiness import (
    change_in_points,
    is_overdue,
    is_stale_open,
    mean_score,
    next_action_order,
)

TODAY = date(2026, 5, 15)
NOW = datetime(2026, 5, 15, 9, 0)


@pytest.mark.parametrize(
    ("status", "due", "overdue"),
    [
        ("in_progress", date(2026, 5, 14), True),
        ("not_started", date(2026, 1, 1), True),
        ("in_progress", TODAY, False),
        ("done", date(2026, 1, 1), False),
        ("not_applicable", date(2026, 1, 1), False),
        ("not_started", None, False),
    ],
)
def test_only_open_work_past_its_due_date_is_overdue(status, due, overdue):
    assert is_overdue(status, due, TODAY) is overdue


@pytest.mark.parametrize(
    ("status", "age", "stale"),
    [
        ("in_progress", 91, True),
        ("not_started", 90, False),
        ("done", 400, False),
        ("not_applicable", 400, False),
    ],
)
def test_stale_means_open_and_untouched_for_90_days(status, age, stale):
    assert is_stale_open(status, NOW - timedelta(days=age), NOW) is stale


def test_next_actions_put_overdue_first_then_by_date_and_undated_last():
    dues = [None, date(2026, 6, 1), date(2026, 5, 1), date(2026, 5, 20), date(2026, 4, 1)]
    ordered = sorted(dues, key=lambda d: next_action_order(d, TODAY))
    assert ordered == [
        date(2026, 4, 1),
        date(2026, 5, 1),
        date(2026, 5, 20),
        date(2026, 6, 1),
        None,
    ]


@pytest.mark.parametrize(
    ("before", "after", "points"),
    [
        (0.5, 0.75, 25),
        (0.8, 0.6, -20),
        (0.333, 0.334, 0),
        (None, 0.5, None),
        (0.5, None, None),
    ],
)
def test_change_in_percentage_points(before, after, points):
    assert change_in_points(before, after) == points


def test_mean_score_ignores_plays_with_nothing_applicable():
    assert mean_score([0.5, None, 1.0]) == 0.75
    assert mean_score([None, None]) is None
