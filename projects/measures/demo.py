"""Demo measures: a year of plausible figures for each demo project, the same on every run
for a given day. Drivers get a quarterly distribution of answers; operational measures a
monthly figure drifting towards (or away from) their target."""

from __future__ import annotations

import random
from datetime import date

from playbook import measures as catalog
from projects.db import bulk_insert, utcnow
from projects.measures import changes
from projects.measures.models import Measure, MeasureValue
from projects.projects.models import Project

# Operational measures each demo project tracks: key -> (target, start, end of the year).
OPERATIONAL = {
    "completion_rate": (85.0, 68.0, 83.0),
    "digital_adoption": (60.0, 35.0, 52.0),
    "cost_per_transaction": (12.0, 21.5, 14.8),
    "median_time": (20.0, 42.0, 26.0),
    "availability": (99.5, 99.1, 99.7),
}
DRIVER_TARGETS = {"satisfaction": 80.0, "trust": 70.0}


def _months(today: date, count: int) -> list[str]:
    period = catalog.previous_period(catalog.period_of(today, catalog.MONTH))
    periods = [period]
    while len(periods) < count:
        periods.append(catalog.previous_period(periods[-1]))
    return periods[::-1]


def _quarters(today: date, count: int) -> list[str]:
    period = catalog.period_of(today, catalog.QUARTER)
    periods = [period]
    while len(periods) < count:
        periods.append(catalog.previous_period(periods[-1]))
    return periods[::-1]


def seed_measures(project: Project, today: date | None = None) -> None:
    """The project's driver measures, its operational measures and a year of figures; call in
    the demo's transaction. Nothing when the project has measures already."""
    if Measure.select().where(Measure.project == project).exists():
        return
    today = today or utcnow().date()
    rng = random.Random(project.slug)  # noqa: S311 - plausible demo numbers, not secrets
    drivers = changes.ensure_driver_measures(project)
    for key, target in DRIVER_TARGETS.items():
        Measure.update(target=target).where(Measure.id == drivers[key].id).execute()
    chosen = [k for k in OPERATIONAL if k != "availability" or rng.random() < 0.6]
    for position, key in enumerate(chosen, start=len(drivers)):
        target, _, _ = OPERATIONAL[key]
        fields = changes.from_catalog(
            catalog.OPERATIONAL[key], project=project, target=target, position=position
        )
        Measure.create(**fields)
    now = utcnow()
    rows = []
    measures = list(Measure.select().where(Measure.project == project))
    for measure in measures:
        if measure.driver:
            rows.extend(_driver_rows(measure, _quarters(today, 4), rng, now))
        else:
            rows.extend(_monthly_rows(measure, _months(today, 12), rng, now))
    bulk_insert(MeasureValue, rows)
    for measure in measures:
        changes.refresh_latest(measure)


def _driver_rows(measure: Measure, quarters: list[str], rng: random.Random, now) -> list[dict]:
    base = rng.uniform(0.55, 0.72) + (0.05 if measure.driver == "employee" else 0)
    rows = []
    for i, period in enumerate(quarters):
        agree = min(base + 0.03 * i + rng.uniform(-0.03, 0.03), 0.95)
        customers = rng.randint(4000, 20000)
        offered = int(customers * rng.uniform(0.3, 0.6))
        responses = int(offered * rng.uniform(0.04, 0.09))
        fives = int(responses * agree * rng.uniform(0.45, 0.6))
        fours = int(responses * agree) - fives
        rest = responses - fives - fours
        threes = int(rest * 0.45)
        twos = int(rest * 0.3)
        ones = rest - threes - twos
        answers = [ones, twos, threes, fours, fives]
        rows.append(
            {
                "measure": measure.id,
                "period": period,
                "value": catalog.share_agreeing(answers),
                "responses": responses,
                **{f"answers_{s}": n for s, n in zip(catalog.SCALE, answers, strict=True)},
                "offered": offered,
                "customers": customers,
                "source": "import",
                "updated_at": now,
                "version": 1,
            }
        )
    return rows


def _monthly_rows(measure: Measure, months: list[str], rng: random.Random, now) -> list[dict]:
    _, start, end = OPERATIONAL[measure.key]
    rows = []
    for i, period in enumerate(months):
        trend = start + (end - start) * i / max(len(months) - 1, 1)
        wobble = abs(end - start) * 0.08 + (0.05 if measure.key == "availability" else 0)
        value = trend + rng.uniform(-wobble, wobble)
        if measure.unit == catalog.PERCENT:
            value = min(value, 100.0)
        rows.append(
            {
                "measure": measure.id,
                "period": period,
                "value": round(value, 2 if measure.unit == catalog.DOLLARS else 1),
                "responses": 0,
                "customers": rng.randint(3000, 15000),
                "source": "import",
                "updated_at": now,
                "version": 1,
            }
        )
    return rows
