"""Service measures: the OMB Circular A-11 Section 280 drivers, the operational measures the
playbook asks for, and the periods their figures belong to. Pure: no Flask, no database."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

PERCENT, DOLLARS, MINUTES, COUNT, HOURS = "percent", "dollars", "minutes", "count", "hours"
UNITS = {
    PERCENT: "Percent",
    DOLLARS: "Dollars",
    MINUTES: "Minutes",
    HOURS: "Hours",
    COUNT: "Count",
}
HIGHER, LOWER = "higher", "lower"
DIRECTIONS = {HIGHER: "Higher is better", LOWER: "Lower is better"}
MONTH, QUARTER = "month", "quarter"
PERIOD_KINDS = {MONTH: "Month", QUARTER: "Quarter"}
SCALE = (1, 2, 3, 4, 5)  # the 5-point agreement scale: 1 strongly disagree .. 5 strongly agree
AGREEING = (4, 5)


@dataclass(frozen=True)
class Kind:
    """A measure the catalog offers: its key, a short name in our own words, what it means,
    its unit and which direction is better."""

    key: str
    name: str
    description: str
    unit: str
    direction: str
    driver: bool = False  # an A-11 driver: figures are the share of answers agreeing


DRIVERS = {
    k.key: k
    for k in (
        Kind(
            "satisfaction",
            "Satisfied with the service",
            "People are satisfied with the service they received.",
            PERCENT,
            HIGHER,
            True,
        ),
        Kind(
            "trust",
            "Trust the agency",
            "The interaction increased people's confidence in the agency.",
            PERCENT,
            HIGHER,
            True,
        ),
        Kind(
            "effectiveness",
            "Got what they needed",
            "People's needs were addressed: the service did what they came for.",
            PERCENT,
            HIGHER,
            True,
        ),
        Kind(
            "ease",
            "Easy to do",
            "It was simple to complete what people needed to do.",
            PERCENT,
            HIGHER,
            True,
        ),
        Kind(
            "efficiency",
            "Reasonable time",
            "People's needs were addressed in a reasonable amount of time.",
            PERCENT,
            HIGHER,
            True,
        ),
        Kind(
            "equity",
            "Treated fairly",
            "People were treated fairly and the process was clear to them.",
            PERCENT,
            HIGHER,
            True,
        ),
        Kind(
            "employee",
            "Helpful staff",
            "Staff people dealt with were helpful.",
            PERCENT,
            HIGHER,
            True,
        ),
    )
}
OPERATIONAL = {
    k.key: k
    for k in (
        Kind(
            "completion_rate",
            "Completion rate",
            "Share of people who start the transaction and finish it.",
            PERCENT,
            HIGHER,
        ),
        Kind(
            "digital_adoption",
            "Digital adoption",
            "Share of transactions completed online.",
            PERCENT,
            HIGHER,
        ),
        Kind(
            "cost_per_transaction",
            "Cost per transaction",
            "What one completed transaction costs the agency, all channels.",
            DOLLARS,
            LOWER,
        ),
        Kind(
            "median_time",
            "Median time to complete",
            "Half of the people finish the transaction within this time.",
            MINUTES,
            LOWER,
        ),
        Kind(
            "availability",
            "Availability",
            "Share of the time the online service was up and working.",
            PERCENT,
            HIGHER,
        ),
    )
}
CATALOG = DRIVERS | OPERATIONAL

KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def is_key(text: str) -> bool:
    """A measure key: lowercase letters, digits and underscores, a letter first, 40 at most."""
    return bool(KEY.match(text or ""))


def slug_key(name: str) -> str:
    """A key made from a measure's name: "Calls answered (%)" -> "calls_answered"."""
    key = re.sub(r"[^a-z0-9]+", "_", (name or "").lower()).strip("_")
    key = key[:40].strip("_")
    if not key or not key[0].isalpha():
        key = ("m_" + key)[:40].strip("_")
    return key


# Periods ------------------------------------------------------------------------------------

MONTH_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
QUARTER_RE = re.compile(r"^(\d{4})-Q([1-4])$")


def parse_period(text: str) -> tuple[str, int, int] | None:
    """("month", 2026, 7) for "2026-07", ("quarter", 2026, 3) for "2026-Q3"; None otherwise.
    Accepts surrounding spaces and a lowercase q."""
    text = (text or "").strip().upper()
    if m := MONTH_RE.match(text):
        year, month = int(m.group(1)), int(m.group(2))
        return (MONTH, year, month) if 1900 <= year <= 2999 else None
    if m := QUARTER_RE.match(text):
        year, quarter = int(m.group(1)), int(m.group(2))
        return (QUARTER, year, quarter) if 1900 <= year <= 2999 else None
    return None


def normal_period(text: str, kind: str | None = None) -> str | None:
    """The period written the one way it is stored ("2026-q3" -> "2026-Q3"), or None when it
    is not a period (or not of `kind` when given)."""
    parsed = parse_period(text)
    if parsed is None or (kind and parsed[0] != kind):
        return None
    return format_period(*parsed)


def format_period(kind: str, year: int, number: int) -> str:
    return f"{year:04d}-{number:02d}" if kind == MONTH else f"{year:04d}-Q{number}"


def period_of(day: date, kind: str = MONTH) -> str:
    """The month or quarter a date falls in."""
    if kind == MONTH:
        return format_period(MONTH, day.year, day.month)
    return format_period(QUARTER, day.year, (day.month - 1) // 3 + 1)


def previous_period(period: str) -> str:
    """The period before: "2026-01" -> "2025-12", "2026-Q1" -> "2025-Q4"."""
    parsed = parse_period(period)
    if parsed is None:
        raise ValueError(f"not a period: {period!r}")
    kind, year, number = parsed
    last = 12 if kind == MONTH else 4
    if number == 1:
        return format_period(kind, year - 1, last)
    return format_period(kind, year, number - 1)


def next_period(period: str) -> str:
    parsed = parse_period(period)
    if parsed is None:
        raise ValueError(f"not a period: {period!r}")
    kind, year, number = parsed
    last = 12 if kind == MONTH else 4
    if number == last:
        return format_period(kind, year + 1, 1)
    return format_period(kind, year, number + 1)


def period_start(period: str) -> date:
    """The first day of the period."""
    parsed = parse_period(period)
    if parsed is None:
        raise ValueError(f"not a period: {period!r}")
    kind, year, number = parsed
    return date(year, number if kind == MONTH else 3 * number - 2, 1)


def period_sort_key(period: str) -> tuple:
    """Chronological order: by first day, a quarter before the months it holds; anything that
    is not a period last."""
    parsed = parse_period(period)
    if parsed is None:
        return (1, date.max, 0, period or "")
    return (0, period_start(period), 0 if parsed[0] == QUARTER else 1, period)


def sorted_periods(periods) -> list[str]:
    return sorted(periods, key=period_sort_key)


def period_label(period: str) -> str:
    """For people: "July 2026", "Q3 2026"."""
    parsed = parse_period(period)
    if parsed is None:
        return period
    kind, year, number = parsed
    if kind == QUARTER:
        return f"Q{number} {year}"
    return f"{_MONTHS[number - 1]} {year}"


_MONTHS = (
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
)


# Figures ------------------------------------------------------------------------------------


def share_agreeing(answers: dict[int, int] | list[int] | tuple) -> float | None:
    """Percent of answers that are 4 or 5 on the 5-point scale; None with no answers.
    `answers` maps score -> count, or lists the counts for 1..5."""
    counts = answers if isinstance(answers, dict) else dict(zip(SCALE, answers, strict=False))
    total = sum(counts.get(s, 0) for s in SCALE)
    if not total:
        return None
    return 100.0 * sum(counts.get(s, 0) for s in AGREEING) / total


def change(latest: float | None, previous: float | None, direction: str) -> str:
    """ "better", "worse", "same" or "" (no two figures to compare) since the previous period."""
    if latest is None or previous is None:
        return ""
    if latest == previous:
        return "same"
    return "better" if (latest > previous) == (direction == HIGHER) else "worse"


def meets(value: float | None, target: float | None, direction: str) -> bool | None:
    """Does the value meet its target? None without both."""
    if value is None or target is None:
        return None
    return value >= target if direction == HIGHER else value <= target


def format_value(value: float | None, unit: str) -> str:
    """For people: "82%", "$14.50", "12 minutes", "—" for no figure."""
    if value is None:
        return "—"
    number = f"{value:,.1f}".removesuffix(".0")
    if unit == PERCENT:
        return f"{number}%"
    if unit == DOLLARS:
        return f"${value:,.2f}"
    if unit in (MINUTES, HOURS):
        return f"{number} {unit if value != 1 else unit[:-1]}"
    return number


# Checking what people and programs send -----------------------------------------------------

MOST = 1e12  # no measure of a service is larger; bigger numbers are typing mistakes


def value_problem(value: float | None, unit: str) -> str | None:
    """Why a figure cannot be stored for a measure in `unit`, for people; None when it can."""
    if value is None:
        return None
    if value != value or value in (float("inf"), float("-inf")):
        return "Enter a number"
    if value < 0:
        return "Enter a number of 0 or more"
    if unit == PERCENT and value > 100:
        return "Enter a percentage from 0 to 100"
    if value > MOST:
        return "Enter a smaller number"
    return None


def period_problem(text: str, kind: str, today: date) -> str | None:
    """Why `text` is not a period a measure of `kind` takes a figure for; None when it is."""
    parsed = parse_period(text)
    example = "2026-07" if kind == MONTH else "2026-Q3"
    if parsed is None or parsed[0] != kind:
        word = "month" if kind == MONTH else "quarter"
        return f"Enter the {word} as {example}, not “{(text or '').strip()[:20]}”"
    if period_start(format_period(*parsed)) > today:
        return "That period has not started yet"
    return None
