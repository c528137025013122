"""Owners and editors manage a project's measures through its pages: adding measures, setting
targets, entering figures with versioned saves, and seeing them on the project page."""

from __future__ import annotations

import re

from playbook import measures as catalog
from projects.audit import AuditEvent
from projects.db import utcnow
from projects.measures import changes
from projects.measures.models import Measure, MeasureValue
from tests.conftest import make_project, make_user
from tests.pages import filled, script_problems, url


def _add(client, slug, **fields):
    data = filled(client, url("measures.create", slug=slug), containing="kind", **fields)
    return client.post(url("measures.create", slug=slug), data=data, follow_redirects=True)


def _month(offset=1):
    period = catalog.period_of(utcnow().date())
    for _ in range(offset):
        period = catalog.previous_period(period)
    return period


def test_an_owner_adds_a_catalog_measure_and_a_custom_one(client, signed_in):
    lead = signed_in("lead")
    project = make_project(lead)
    page = _add(client, project.slug, kind="completion_rate", target="85")
    assert "Measure “Completion rate” added." in page.text
    assert "Percent, higher is better" in page.text
    assert "Target 85%" in page.text
    page = _add(
        client,
        project.slug,
        kind="",
        name="Calls answered within 2 minutes",
        unit="percent",
        direction="higher",
        period_kind="quarter",
        target="",
    )
    assert "Measure “Calls answered within 2 minutes” added." in page.text
    saved = {m.key: m for m in Measure.select().where(Measure.project == project)}
    assert saved["calls_answered_within_2_minutes"].period_kind == "quarter"
    assert saved["completion_rate"].target == 85
    # The catalog no longer offers what the project has.
    form = client.get(url("measures.create", slug=project.slug)).text
    assert 'value="completion_rate"' not in form
    page = _add(client, project.slug, kind="", name="Calls answered within 2 minutes")
    assert "The project already has a measure with this name" in page.text


def test_a_percentage_target_over_100_is_refused(client, signed_in):
    project = make_project(signed_in("lead"))
    page = _add(client, project.slug, kind="availability", target="150")
    assert "Enter a percentage from 0 to 100" in page.text
    assert not Measure.select().exists()


def test_the_a11_drivers_are_added_with_one_button(client, signed_in):
    project = make_project(signed_in("lead"))
    page = client.get(url("measures.index", slug=project.slug))
    assert "Add the 7 A-11 drivers this project lacks" in page.text
    data = filled(client, url("measures.index", slug=project.slug), containing="csrf_token")
    page = client.post(
        url("measures.add_drivers", slug=project.slug), data=data, follow_redirects=True
    )
    assert "Added 7 A-11 driver measures." in page.text
    assert "Satisfied with the service" in page.text
    assert "A-11 drivers this project lacks" not in page.text
    assert AuditEvent.select().where(AuditEvent.object_type == "Measure").count() == 7


def test_an_editor_enters_figures_and_sees_them_against_the_target(client, signed_in):
    owner = make_user("lead")
    editor = signed_in("lead")
    project = make_project(owner, members={editor: "editor"})
    measure = _measure(project, "completion_rate", target=80)
    for offset, figure in ((2, "72.5"), (1, "81")):
        where = url(
            "measures.value", slug=project.slug, measure_id=measure.id, period=_month(offset)
        )
        page = client.post(
            where,
            data=filled(client, where, containing="value", value=figure),
            follow_redirects=True,
        )
        assert f"Saved Completion rate for {catalog.period_label(_month(offset))}." in page.text
    page = client.get(url("projects.detail", slug=project.slug))
    assert "Customer experience" in page.text
    assert "81%" in page.text and "Target 80%" in page.text and "met" in page.text
    assert "Better than the period before (72.5%)" in page.text
    svg = re.search(r"<svg class=\"pt-measure-chart\".*?</svg>", page.text, re.S).group(0)
    assert "<title" in svg and "From 72.5% in" in svg and "The target is 80%." in svg
    assert script_problems(page.text) == []
    # Editors enter figures but do not change the measure itself.
    assert (
        client.get(url("measures.edit", slug=project.slug, measure_id=measure.id)).status_code
        == 403
    )


def test_a_driver_takes_the_count_of_each_answer(client, signed_in):
    project = make_project(signed_in("lead"))
    measure = changes.ensure_driver_measures(project)["trust"]
    quarter = catalog.period_of(utcnow().date(), catalog.QUARTER)
    where = url("measures.value", slug=project.slug, measure_id=measure.id, period=quarter)
    data = filled(
        client,
        where,
        containing="answers_1",
        answers_1="5",
        answers_2="5",
        answers_3="10",
        answers_4="50",
        answers_5="30",
    )
    page = client.post(where, data=data, follow_redirects=True)
    assert "Saved Trust the agency" in page.text
    row = MeasureValue.get()
    assert (row.responses, row.value, row.answers) == (100, 80.0, (5, 5, 10, 50, 30))
    assert "5 · 5 · 10 · 50 · 30" in page.text


def test_bad_figures_get_messages_and_nothing_is_saved(client, signed_in):
    project = make_project(signed_in("lead"))
    measure = _measure(project, "cost_per_transaction")
    where = url("measures.value", slug=project.slug, measure_id=measure.id, period=_month())
    for typed, message in (
        ("twelve", "Enter a number"),
        ("-3", "0 or more"),
        ("", "Enter the value"),
    ):
        page = client.post(where, data=filled(client, where, containing="value", value=typed))
        assert page.status_code == 200 and message in page.text, typed
    assert not MeasureValue.select().exists()
    future = catalog.next_period(catalog.period_of(utcnow().date()))
    wrong = url("measures.value", slug=project.slug, measure_id=measure.id, period=future)
    assert client.get(wrong).status_code == 404
    page = client.get(
        url("measures.choose_period", slug=project.slug, measure_id=measure.id, period="July"),
        follow_redirects=True,
    )
    assert "Enter the month as 2026-07" in page.text


def test_a_stale_figure_form_shows_the_conflict_and_saves_nothing(client, signed_in):
    lead = signed_in("lead")
    project = make_project(lead)
    measure = _measure(project, "median_time")
    where = url("measures.value", slug=project.slug, measure_id=measure.id, period=_month())
    mine = filled(client, where, containing="value", value="30")
    changes.record_value(measure, _month(), value=25, by=make_user("lead", name="Sam Other"))
    page = client.post(where, data=mine)
    assert page.status_code == 409
    assert "Someone else saved changes while you were editing" in page.text
    assert "Sam Other" in page.text
    assert MeasureValue.get().value == 25
    again = client.post(
        where, data=filled(client, where, containing="value", value="30"), follow_redirects=True
    )
    assert "Saved Median time to complete" in again.text
    assert MeasureValue.get().value == 30


def test_an_owner_edits_the_target_and_a_stale_edit_conflicts(client, signed_in):
    project = make_project(signed_in("lead"))
    measure = _measure(project, "digital_adoption", target=50)
    where = url("measures.edit", slug=project.slug, measure_id=measure.id)
    mine = filled(client, where, containing="target", target="60")
    page = client.post(where, data=mine, follow_redirects=True)
    assert "Measure saved." in page.text and "Target 60%" in page.text
    stale = mine | {"target": "65"}
    page = client.post(where, data=stale)
    assert "Someone else saved changes while you were editing" in page.text
    assert Measure.get_by_id(measure.id).target == 60


def test_the_measures_list_and_csv_export(client, signed_in):
    project = make_project(signed_in("lead"))
    measure = _measure(project, "availability", target=99.5)
    changes.record_value(measure, _month(2), value=99.1)
    changes.record_value(measure, _month(1), value=99.7)
    page = client.get(url("measures.index", slug=project.slug))
    assert "Availability" in page.text and "99.7%" in page.text and "Target 99.5%" in page.text
    export = client.get(url("measures.export", slug=project.slug))
    lines = export.get_data(as_text=True).removeprefix("\ufeff").splitlines()
    assert lines[0].split(",") == [
        "measure",
        "period",
        "value",
        *(f"answers_{n}" for n in range(1, 6)),
        "offered",
        "customers",
    ]
    assert lines[1] == f"availability,{_month(2)},99.1,,,,,,,"


def _measure(project, key, target=None):
    kind = catalog.CATALOG[key]
    from projects.db import db

    with db.atomic():
        return changes.create_measure(
            project,
            key=key,
            name=kind.name,
            unit=kind.unit,
            direction=kind.direction,
            target=target,
        )


def test_a_driver_share_can_be_typed_instead_of_the_answers(client, signed_in):
    project = make_project(signed_in("lead"))
    measure = changes.ensure_driver_measures(project)["ease"]
    quarter = catalog.period_of(utcnow().date(), catalog.QUARTER)
    changes.record_value(measure, quarter, answers=[1, 1, 1, 1, 1])
    where = url("measures.value", slug=project.slug, measure_id=measure.id, period=quarter)
    blank = {f"answers_{n}": "" for n in range(1, 6)}
    data = filled(client, where, containing="answers_1", **blank, value="71.5")
    page = client.post(where, data=data, follow_redirects=True)
    assert "Saved Easy to do" in page.text
    row = MeasureValue.get()
    assert (row.value, row.answers) == (71.5, (0, 0, 0, 0, 0))
