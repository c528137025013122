"""Reading measures: a project's measures with their recent figures and trend lines, and what
the API gives."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple

from peewee import fn

from playbook import measures as catalog
from projects.measures.models import Measure, MeasureValue
from projects.projects.models import Project

RECENT = 12  # periods a trend line shows


def measures_of(project: Project) -> list[Measure]:
    """The project's measures in their order."""
    return list(
        Measure.select().where(Measure.project == project).order_by(Measure.position, Measure.id)
    )


def values_by_measure(measure_ids: list[int]) -> dict[int, list[MeasureValue]]:
    """Each measure's values, oldest period first."""
    found: dict[int, list[MeasureValue]] = defaultdict(list)
    if measure_ids:
        query = (
            MeasureValue.select()
            .where(MeasureValue.measure.in_(measure_ids))
            .order_by(MeasureValue.measure, MeasureValue.period)
        )
        for row in query:
            found[row.measure_id].append(row)
    return found


class Figure(NamedTuple):
    """A measure's figure for a period, as pages and reports show it."""

    period: str
    value: float | None
    responses: int


def recent_figures(measure_ids: list[int], last: int) -> dict[int, list[Figure]]:
    """Each measure's figures for its `last` newest periods, oldest first: ranked in the
    database and read as plain rows, so a page reads the same few rows however long the
    history, and builds no models."""
    found: dict[int, list[Figure]] = defaultdict(list)
    if not measure_ids:
        return found
    newest = fn.ROW_NUMBER().over(
        partition_by=[MeasureValue.measure], order_by=[MeasureValue.period.desc()]
    )
    ranked = (
        MeasureValue.select(
            MeasureValue.measure,
            MeasureValue.period,
            MeasureValue.value,
            MeasureValue.responses,
            newest.alias("newest"),
        )
        .where(MeasureValue.measure.in_(measure_ids))
        .alias("ranked")
    )
    query = (
        MeasureValue.select(
            ranked.c.measure_id, ranked.c.period, ranked.c.value, ranked.c.responses
        )
        .from_(ranked)
        .where(ranked.c.newest <= last)
        .order_by(ranked.c.measure_id, ranked.c.period)
        .tuples()
    )
    for measure_id, *figure in query:
        found[measure_id].append(Figure(*figure))
    return found


@dataclass(frozen=True)
class Chart:
    """A small line of a measure's figures over its recent periods, with its target as a
    dashed line, drawn as inline SVG with a title and a description."""

    points: str  # "x,y x,y ..." for a polyline
    dots: list[tuple[str, str]]  # (x, y) of each figure
    target_y: str | None
    width: int
    height: int
    title: str
    description: str


def chart(measure: Measure, values: list, width=200, height=60) -> Chart | None:
    """The chart of figures (Figure or MeasureValue, oldest first); None with fewer than two."""
    figures = [(v.period, v.value) for v in values if v.value is not None][-RECENT:]
    if len(figures) < 2:
        return None
    numbers = [f for _, f in figures] + ([measure.target] if measure.target is not None else [])
    if measure.unit == catalog.PERCENT:
        low, high = 0.0, 100.0
    else:
        low, high = min(0.0, *numbers), max(numbers) * 1.1 or 1.0
    span = (high - low) or 1.0

    def y(number: float) -> float:
        return (1 - (number - low) / span) * (height - 8) + 4

    step = (width - 8) / (len(figures) - 1)
    dots = [(f"{4 + i * step:.1f}", f"{y(f):.1f}") for i, (_, f) in enumerate(figures)]
    (first_period, first), (last_period, last) = figures[0], figures[-1]
    target = f" The target is {measure.show(measure.target)}." if measure.target is not None else ""
    return Chart(
        points=" ".join(f"{x},{yy}" for x, yy in dots),
        dots=dots,
        target_y=f"{y(measure.target):.1f}" if measure.target is not None else None,
        width=width,
        height=height,
        title=f"{measure.name} by {'month' if measure.period_kind == 'month' else 'quarter'}",
        description=(
            f"From {measure.show(first)} in {catalog.period_label(first_period)} to "
            f"{measure.show(last)} in {catalog.period_label(last_period)}, "
            f"{len(figures)} periods.{target}"
        ),
    )


@dataclass
class Shown:
    """A measure as pages show it: the measure, its recent figures and its chart."""

    measure: Measure
    values: list[Figure]
    chart: Chart | None

    @property
    def latest(self) -> Figure | None:
        return next((v for v in reversed(self.values) if v.value is not None), None)


def shown_measures(project: Project) -> list[Shown]:
    measures = measures_of(project)
    values = recent_figures([m.id for m in measures], RECENT)
    return [Shown(m, values[m.id], chart(m, values[m.id])) for m in measures]


def api_measures(project: Project) -> list[dict]:
    """Each measure with its unit, direction, target, latest figures and periods."""
    measures = measures_of(project)
    values = values_by_measure([m.id for m in measures])
    return [
        {
            "key": m.key,
            "name": m.name,
            "unit": m.unit,
            "direction": m.direction,
            "target": m.target,
            "driver": m.driver or None,
            "period_kind": m.period_kind,
            "latest": {
                "period": m.latest_period or None,
                "value": m.latest_value,
                "previous_value": m.previous_value,
                "change": m.change or None,
                "meets_target": m.meets_target,
            },
            "periods": [
                {
                    "period": v.period,
                    "value": v.value,
                    "responses": v.responses,
                    "answers": {str(s): n for s, n in zip(catalog.SCALE, v.answers, strict=True)}
                    if m.driver
                    else None,
                    "offered": v.offered,
                    "customers": v.customers,
                    "source": v.source,
                    "updated_at": v.updated_at.isoformat() + "Z",
                }
                for v in values[m.id]
            ],
        }
        for m in measures
    ]
