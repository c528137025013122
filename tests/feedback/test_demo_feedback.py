"""The demo's feedback is rolled up in bulk; its figures must be exactly what the form's own
path (count_answers, one response at a time) would have stored."""

from __future__ import annotations

from datetime import datetime

from playbook.measures import QUARTER, period_of
from projects.feedback.changes import seed_responses
from projects.feedback.demo import demo_rows
from projects.feedback.models import FeedbackResponse
from projects.measures.changes import count_answers, ensure_driver_measures, record_value
from projects.measures.models import Measure, MeasureValue
from projects.research.privacy import personal_data
from tests.conftest import make_project


def _figures(project) -> dict:
    latest = {
        m.driver: (m.latest_period, m.latest_value, m.previous_value)
        for m in Measure.select().where(Measure.project == project)
    }
    values = {
        (m.driver, v.period): (v.responses, v.answers, round(v.value, 9), v.offered, v.customers)
        for m in Measure.select().where(Measure.project == project)
        for v in MeasureValue.select().where(MeasureValue.measure == m)
    }
    return {"latest": latest, "values": values}


def test_bulk_demo_figures_equal_what_counting_each_answer_gives(app):
    rows = demo_rows("pay-parking-tickets", datetime(2026, 11, 30, 12))
    assert len(rows) >= 100 and len({period_of(r["created_at"].date(), QUARTER) for r in rows}) >= 4
    bulk, counted = make_project(), make_project()
    for project in (bulk, counted):  # a figure imported before, which answers add to
        measure = ensure_driver_measures(project)["trust"]
        record_value(
            measure,
            period_of(rows[-1]["created_at"].date(), QUARTER),
            answers=[5, 6, 7, 8, 9],
            offered=900,
            customers=4000,
        )
    seed_responses(bulk, rows)
    for row in rows:
        count_answers(counted, period_of(row["created_at"].date(), QUARTER), row["answers"])
    assert _figures(bulk) == _figures(counted)
    assert FeedbackResponse.select().where(FeedbackResponse.project == bulk).count() == len(rows)


def test_the_demo_has_a_few_hundred_responses_with_comments_that_pass_the_privacy_guard(app):
    from projects.demo import seed

    seed()
    responses = FeedbackResponse.select()
    assert responses.count() >= 300
    comments = [r.comment for r in responses if r.comment]
    assert len(comments) >= 100
    assert not personal_data({str(i): c for i, c in enumerate(comments)})
    assert {r.language for r in responses} == {"en", "es"}
