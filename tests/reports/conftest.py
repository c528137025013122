"""A small known portfolio for the report tests."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from playbook.measures import DRIVERS, HIGHER, PERCENT, share_agreeing, sorted_periods
from projects.checklists import scores
from projects.checklists.models import ItemResponse, QuestionAnswer
from projects.measures.models import Measure, MeasureValue
from tests.conftest import make_project, make_user

NOW = datetime(2026, 5, 15, 12, 0)
TODAY = NOW.date()


def record(project, item_id, status, **fields):
    fields.setdefault("updated_at", NOW - timedelta(days=1))
    return ItemResponse.create(project=project, item_id=item_id, status=status, **fields)


@pytest.fixture
def known_project(app):
    """An alpha project: play 1 partly done, one overdue item, one stale, one not applicable."""
    lead = make_user("lead", name="Lee Lead")
    project = make_project(lead, name="Renew a license", slug="renew-a-license", phase="alpha")
    record(project, "p01.c1", "done", evidence_url="https://example.gov/research-plan")
    record(project, "p01.c2", "done")
    record(project, "p01.c3", "in_progress", owner=lead, due_date=date(2026, 5, 1))
    record(project, "p02.c1", "not_applicable", justification="Paper forms are out of scope")
    record(project, "p03.c1", "in_progress", updated_at=NOW - timedelta(days=120))
    QuestionAnswer.create(
        project=project, question_id="p01.q1", answer="We interviewed **12** people."
    )
    scores.refresh(project)  # what saving those items through the play page stores
    add_measure(
        project,
        "satisfaction",
        target=80.0,
        answers={
            "2026-02": (1, 1, 2, 8, 8),
            "2026-03": (0, 1, 1, 9, 9),
            "2026-04": (2, 2, 4, 6, 6),
        },
        customers=400,
        offered=100,
    )
    add_measure(
        project,
        "completion_rate",
        name="Completion rate",
        values={"2026-03": 71.0, "2026-04": 74.5},
        target=70.0,
    )
    return project


def add_measure(
    project,
    key,
    *,
    name=None,
    unit=PERCENT,
    direction=HIGHER,
    target=None,
    answers=None,
    values=None,
    customers=None,
    offered=None,
    period_kind="month",
):
    """A measure with values per period (`answers`: counts of 1..5 for an A-11 driver, whose
    value is the share agreeing; `values`: plain figures) and its latest figures stored as
    the measures feature stores them."""
    figures = {p: share_agreeing(a) for p, a in (answers or {}).items()} | (values or {})
    periods = sorted_periods(figures)
    measure = Measure.create(
        project=project,
        key=key,
        name=name or DRIVERS[key].name,
        unit=unit,
        direction=direction,
        target=target,
        driver=key if key in DRIVERS else "",
        period_kind=period_kind,
        latest_period=periods[-1] if periods else "",
        latest_value=figures[periods[-1]] if periods else None,
        previous_value=figures[periods[-2]] if len(periods) > 1 else None,
    )
    for period in periods:
        counts = (answers or {}).get(period, (0, 0, 0, 0, 0))
        MeasureValue.create(
            measure=measure,
            period=period,
            value=figures[period],
            responses=sum(counts),
            **{f"answers_{n}": c for n, c in enumerate(counts, start=1)},
            customers=customers,
            offered=offered,
        )
    return measure
