"""Customer experience for reports: each project's measures against their targets with their
trend, and the portfolio's satisfaction and trust by quarter, in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict

from playbook.measures import (
    DRIVERS,
    HIGHER,
    MONTH,
    PERCENT,
    QUARTER,
    format_period,
    parse_period,
    share_agreeing,
    sorted_periods,
)
from projects.feedback.queries import comment_themes
from projects.measures.figures import (
    HEADLINE,
    headline_figures,
    headline_values,
    measures_of,
)
from projects.measures.queries import recent_figures
from projects.reports.records import CustomerExperience, MeasureLine, MeasurePoint

TREND_PERIODS = 12  # a project's trend: its last 12 periods (a year of months)
PORTFOLIO_QUARTERS = 8  # the portfolio's trend: its last two years


def quarter_of(period: str) -> str | None:
    """The quarter a stored period belongs to: "2026-08" -> "2026-Q3"; None if not a period."""
    parsed = parse_period(period)
    if parsed is None:
        return None
    kind, year, number = parsed
    return format_period(QUARTER, year, (number - 1) // 3 + 1 if kind == MONTH else number)


def _line(measure, points: list[MeasurePoint] | None = None) -> MeasureLine:
    return MeasureLine(
        measure.key,
        measure.name,
        measure.unit,
        measure.direction,
        measure.target,
        measure.driver,
        measure.latest_period,
        measure.latest_value,
        measure.previous_value,
        points or [],
    )


def project_cx(project_ids: list[int]) -> dict[int, CustomerExperience]:
    """Each project's measures with their last TREND_PERIODS periods and its comment themes,
    in three queries."""
    measures = measures_of(project_ids)
    values = recent_figures([m.id for found in measures.values() for m in found], TREND_PERIODS)
    themes = comment_themes(project_ids)
    result = {}
    for pid in project_ids:
        lines = []
        for measure in measures.get(pid, []):
            by_period = {v.period: v for v in values.get(measure.id, [])}
            recent = sorted_periods(by_period)[-TREND_PERIODS:]
            points = [MeasurePoint(p, by_period[p].value, by_period[p].responses) for p in recent]
            lines.append(_line(measure, points))
        result[pid] = CustomerExperience(lines, themes[pid])
    return result


def headline_lines(project_ids: list[int]) -> dict[int, list[MeasureLine]]:
    """Each project's latest satisfaction and trust (those it has), without trend: one query."""
    found = headline_figures(project_ids)
    return {
        pid: [_line(by_key[key]) for key in HEADLINE if key in by_key]
        for pid, by_key in found.items()
    }


def portfolio_trend(project_ids: list[int]) -> list[MeasureLine]:
    """Satisfaction and trust across these projects by quarter, in one query: the share of
    all answers that agree (4 or 5) where answers were counted, else the mean of the values."""
    answers: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0] * 5))
    means: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    responses: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for key, period, value, count, *counts in headline_values(project_ids):
        quarter = quarter_of(period)
        if quarter is None:
            continue
        tally = answers[key][quarter]
        answers[key][quarter] = [a + (b or 0) for a, b in zip(tally, counts, strict=True)]
        if value is not None:
            means[key][quarter].append(value)
        responses[key][quarter] += count or 0
    lines = []
    for key in HEADLINE:
        quarters = sorted_periods(set(answers[key]) | set(means[key]))[-PORTFOLIO_QUARTERS:]
        if not quarters:
            continue
        points = []
        for quarter in quarters:
            share = share_agreeing(answers[key][quarter])
            if share is None and means[key][quarter]:
                share = sum(means[key][quarter]) / len(means[key][quarter])
            points.append(MeasurePoint(quarter, share, responses[key][quarter]))
        previous = points[-2].value if len(points) > 1 else None
        name = f"{DRIVERS[key].name}, across the portfolio"
        lines.append(
            MeasureLine(
                key,
                name,
                PERCENT,
                HIGHER,
                None,
                key,
                quarters[-1],
                points[-1].value,
                previous,
                points,
            )
        )
    return lines


THEMES_SHOWN = 15  # the portfolio report lists the most common comment themes


def portfolio_themes(project_ids: list[int]) -> list[tuple[str, int]]:
    """The comment themes of these projects added up by tag, most first: one query."""
    total: dict[str, int] = defaultdict(int)
    for themes in comment_themes(project_ids).values():
        for tag, count in themes:
            total[tag] += count
    return sorted(total.items(), key=lambda kv: (-kv[1], kv[0]))[:THEMES_SHOWN]
