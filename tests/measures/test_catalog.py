"""The pure parts: the catalog of measures, periods and figures (playbook.measures)."""

from datetime import date

import pytest

from playbook import measures as m


def test_the_catalog_has_the_seven_a11_drivers_and_the_operational_measures():
    assert list(m.DRIVERS) == [
        "satisfaction",
        "trust",
        "effectiveness",
        "ease",
        "efficiency",
        "equity",
        "employee",
    ]
    assert all(
        k.driver and k.unit == m.PERCENT and k.direction == m.HIGHER for k in m.DRIVERS.values()
    )
    assert m.OPERATIONAL["cost_per_transaction"].direction == m.LOWER
    assert m.OPERATIONAL["median_time"].unit == m.MINUTES


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("2026-07", ("month", 2026, 7)),
        (" 2026-q3 ", ("quarter", 2026, 3)),
        ("2026-13", None),
        ("2026-Q5", None),
        ("26-07", None),
        ("July 2026", None),
        ("", None),
    ],
)
def test_periods_are_months_or_quarters(text, parsed):
    assert m.parse_period(text) == parsed


def test_period_arithmetic_and_order():
    assert m.previous_period("2026-01") == "2025-12"
    assert m.previous_period("2026-Q1") == "2025-Q4"
    assert m.next_period("2025-12") == "2026-01"
    assert m.period_of(date(2026, 8, 31)) == "2026-08"
    assert m.period_of(date(2026, 8, 31), m.QUARTER) == "2026-Q3"
    assert m.sorted_periods(["2026-10", "2026-Q3", "2025-12", "2026-07"]) == [
        "2025-12",
        "2026-Q3",
        "2026-07",
        "2026-10",
    ]
    assert m.period_label("2026-07") == "July 2026" and m.period_label("2026-Q3") == "Q3 2026"
    assert m.normal_period("2026-q3", m.MONTH) is None
    assert (
        m.period_problem("2026-08", m.MONTH, date(2026, 7, 31)) == "That period has not started yet"
    )


def test_share_agreeing_counts_4_and_5_over_all_answers():
    assert m.share_agreeing([1, 1, 2, 3, 3]) == 60.0
    assert m.share_agreeing({4: 1}) == 100.0
    assert m.share_agreeing([0, 0, 0, 0, 0]) is None


def test_figures_read_for_people_and_compare_by_direction():
    assert m.format_value(82.0, m.PERCENT) == "82%"
    assert m.format_value(14.5, m.DOLLARS) == "$14.50"
    assert m.format_value(1, m.MINUTES) == "1 minute"
    assert m.format_value(None, m.COUNT) == "—"
    assert m.change(20, 25, m.LOWER) == "better" and m.change(20, 25, m.HIGHER) == "worse"
    assert m.meets(12, 12.5, m.LOWER) is True and m.meets(None, 1, m.HIGHER) is None
    assert m.value_problem(float("nan"), m.COUNT) == "Enter a number"
    assert m.value_problem(100.5, m.PERCENT) == "Enter a percentage from 0 to 100"
    assert m.slug_key("Calls answered (%)") == "calls_answered"
    assert m.slug_key("2-minute answers") == "m_2_minute_answers"
