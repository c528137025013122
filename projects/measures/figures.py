"""The customer-experience figures other features read: each project's latest satisfaction and
trust for lists (from the figures stored on the measure, never from its values), which
projects miss a target, and the values reports and exports roll up."""

from __future__ import annotations

from collections import defaultdict

from peewee import JOIN, fn

from playbook.measures import DRIVERS, HIGHER, LOWER
from projects.measures.models import Measure, MeasureValue
from projects.projects.models import Project

SATISFACTION, TRUST = "satisfaction", "trust"
HEADLINE = (SATISFACTION, TRUST)  # the two drivers lists show for every project


def headline_figures(project_ids: list[int]) -> dict[int, dict[str, Measure]]:
    """Each project's satisfaction and trust measures (those it has), in one query."""
    found: dict[int, dict[str, Measure]] = {pid: {} for pid in project_ids}
    if project_ids:
        query = Measure.select(
            Measure.id,
            Measure.project,
            Measure.key,
            Measure.name,
            Measure.unit,
            Measure.direction,
            Measure.target,
            Measure.latest_period,
            Measure.latest_value,
            Measure.previous_value,
        ).where(Measure.project.in_(project_ids) & Measure.key.in_(HEADLINE))
        for measure in query:
            found[measure.project_id][measure.key] = measure
    return found


def misses_target():
    """A condition on Measure: its latest value misses its target, in the direction that is
    better (the rule of playbook.measures.meets). No value or no target misses nothing."""
    return ((Measure.direction == HIGHER) & (Measure.latest_value < Measure.target)) | (
        (Measure.direction == LOWER) & (Measure.latest_value > Measure.target)
    )


def below_target():
    """The projects whose latest satisfaction or trust misses its target, as a subquery."""
    return Measure.select(Measure.project).where(Measure.key.in_(HEADLINE) & misses_target())


def by_latest(query, key: str, highest_first: bool):
    """`query` of projects joined to its measure `key`, and the order by its latest value:
    projects without one come last either way round. The (key, latest_value) index serves
    the join and the order."""
    measure = Measure.alias(f"{key}_measure")
    joined = query.join(
        measure, JOIN.LEFT_OUTER, on=(measure.project == Project.id) & (measure.key == key)
    ).switch(Project)
    value = measure.latest_value
    return joined, value.desc(nulls="LAST") if highest_first else value.asc(nulls="LAST")


def measures_of(project_ids: list[int]) -> dict[int, list[Measure]]:
    """Every measure of these projects, in each project's order, in one query."""
    found: dict[int, list[Measure]] = defaultdict(list)
    if project_ids:
        query = (
            Measure.select()
            .where(Measure.project.in_(project_ids))
            .order_by(Measure.project, Measure.position, Measure.name, Measure.id)
        )
        for measure in query:
            found[measure.project_id].append(measure)
    return found


def driver_values(project_ids: list[int]):
    """(project id, driver key, period, customers, offered, responses, answers 1..5) of every
    value of these projects' A-11 driver measures, as tuples, in one query."""
    if not project_ids:
        return []
    return (
        MeasureValue.select(
            Measure.project,
            Measure.driver,
            MeasureValue.period,
            MeasureValue.customers,
            MeasureValue.offered,
            MeasureValue.responses,
            *MeasureValue.answer_columns(),
        )
        .join(Measure)
        .where(Measure.project.in_(project_ids) & Measure.driver.in_(list(DRIVERS)))
        .tuples()
    )


def headline_values(project_ids: list[int]):
    """(key, period, value, responses, answers 1..5) of every value of these projects'
    satisfaction and trust measures, as tuples, in one query."""
    if not project_ids:
        return []
    return (
        MeasureValue.select(
            Measure.key,
            MeasureValue.period,
            MeasureValue.value,
            MeasureValue.responses,
            *MeasureValue.answer_columns(),
        )
        .join(Measure)
        .where(Measure.project.in_(project_ids) & Measure.key.in_(HEADLINE))
        .tuples()
    )


def measures_version(project_ids) -> tuple:
    """A fingerprint of these projects' measures and values (`project_ids`: a list or a
    subquery), from two aggregate queries: it changes whenever a figure a report shows does."""
    measures = (
        Measure.select(
            fn.COUNT(Measure.id),
            fn.MAX(Measure.id),
            fn.SUM(Measure.version),
            fn.SUM(Measure.latest_value),
        )
        .where(Measure.project.in_(project_ids))
        .tuples()
        .get()
    )
    values = (
        MeasureValue.select(
            fn.COUNT(MeasureValue.id),
            fn.MAX(MeasureValue.updated_at),
            fn.SUM(MeasureValue.version),
            fn.SUM(MeasureValue.responses),
        )
        .join(Measure)
        .where(Measure.project.in_(project_ids))
        .tuples()
        .get()
    )
    return measures, values


def measure_keys(project) -> dict[int, str]:
    """The project's measures: id -> key, in one query."""
    return dict(Measure.select(Measure.id, Measure.key).where(Measure.project == project).tuples())
