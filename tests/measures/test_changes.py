"""Recording measure values: the one writer, the stored latest figures and feedback answers."""

import threading

import pytest

from playbook import measures as catalog
from projects.audit import AuditEvent
from projects.db import db
from projects.measures import changes
from projects.measures.models import Measure, MeasureValue
from tests.conftest import make_project, make_user


def _measure(project, key="completion_rate", kind=catalog.MONTH):
    item = catalog.CATALOG[key]
    with db.atomic():
        return changes.create_measure(
            project,
            key=key,
            name=item.name,
            unit=item.unit,
            direction=item.direction,
            period_kind=kind,
        )


def test_record_value_keeps_the_latest_figures_on_the_measure(app):
    lead = make_user()
    project = make_project(lead)
    measure = _measure(project)
    changes.record_value(measure, "2026-03", value=71.5, by=lead, source="import")
    changes.record_value(measure, "2026-01", value=60, by=lead)
    changes.record_value(measure, "2026-02", value=65, by=lead)
    saved = Measure.get_by_id(measure.id)
    assert (saved.latest_period, saved.latest_value, saved.previous_value) == ("2026-03", 71.5, 65)
    assert saved.change == "better"
    changes.record_value(measure, "2026-04", value=50, by=lead, source="api")
    saved = Measure.get_by_id(measure.id)
    assert (saved.latest_value, saved.previous_value, saved.change) == (50, 71.5, "worse")
    assert changes.delete_value(measure, "2026-04", by=lead)
    saved = Measure.get_by_id(measure.id)
    assert (saved.latest_period, saved.latest_value) == ("2026-03", 71.5)
    events = AuditEvent.select().where(AuditEvent.object_type == "MeasureValue")
    assert {e.object_id for e in events} >= {"completion_rate 2026-03", "completion_rate 2026-04"}


def test_a_period_of_the_wrong_kind_is_refused(app):
    measure = _measure(make_project())
    with pytest.raises(changes.WrongPeriod):
        changes.record_value(measure, "2026-Q1", value=1)
    with pytest.raises(changes.WrongPeriod):
        changes.record_value(measure, "2026-13", value=1)


def test_a_stale_form_save_conflicts_and_writes_nothing(app):
    lead = make_user()
    measure = _measure(make_project(lead))
    first = changes.record_value(measure, "2026-05", value=80, by=lead)
    version, original = first.version, first.original
    changes.record_value(measure, "2026-05", value=82, by=lead, version=version, original=original)
    stale = changes.record_value(
        measure, "2026-05", value=90, by=lead, version=version, original=original
    )
    assert stale.status == "conflicts"
    assert MeasureValue.get().value == 82


def test_driver_answers_roll_up_into_the_share_agreeing(app):
    project = make_project()
    for score in (5, 4, 2, 1):
        changes.count_answer(project, "satisfaction", "2026-q3", score)
    changes.count_answers(project, "2026-Q3", {"trust": 3, "ease": 5})
    measures = {m.key: m for m in Measure.select().where(Measure.project == project)}
    assert len(measures) == 7
    row = MeasureValue.get(MeasureValue.measure == measures["satisfaction"])
    assert (row.period, row.responses, row.answers, row.value) == (
        "2026-Q3",
        4,
        (1, 1, 0, 1, 1),
        50.0,
    )
    assert measures["satisfaction"].latest_value == 50.0
    assert measures["trust"].latest_value == 0.0
    assert measures["ease"].latest_value == 100.0


def test_concurrent_answers_are_each_counted_once(app):
    project = make_project()
    changes.ensure_driver_measures(project)
    errors = []

    def answer(score):
        try:
            with app.app_context():
                db.connect(reuse_if_open=True)
                try:
                    for _ in range(10):
                        changes.count_answers(
                            project, "2026-Q1", {"satisfaction": score, "trust": score}
                        )
                finally:
                    db.close()
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=answer, args=(s,)) for s in (1, 2, 4, 5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    measure = Measure.get((Measure.project == project) & (Measure.key == "satisfaction"))
    row = MeasureValue.get(MeasureValue.measure == measure)
    assert (row.responses, row.answers, row.value) == (40, (10, 10, 0, 10, 10), 50.0)
    assert measure.latest_value == 50.0
