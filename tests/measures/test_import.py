"""Importing figures from CSV: every row checked first, then all saved or none, with a
message per row that has a problem."""

from __future__ import annotations

import io

import pytest

from playbook import measures as catalog
from projects.db import db, utcnow
from projects.measures import changes
from projects.measures.models import Measure, MeasureValue
from tests.conftest import make_project
from tests.pages import forms, post_form, url


def _month(back=1):
    period = catalog.period_of(utcnow().date())
    for _ in range(back):
        period = catalog.previous_period(period)
    return period


def _quarter(back=0):
    period = catalog.period_of(utcnow().date(), catalog.QUARTER)
    for _ in range(back):
        period = catalog.previous_period(period)
    return period


@pytest.fixture
def project(signed_in):
    project = make_project(signed_in("lead"))
    kind = catalog.CATALOG["cost_per_transaction"]
    with db.atomic():
        changes.create_measure(
            project, key=kind.key, name=kind.name, unit=kind.unit, direction=kind.direction
        )
    changes.ensure_driver_measures(project)
    return project


def _upload(client, project, text: str, filename="figures.csv"):
    return client.post(
        url("measures.upload", slug=project.slug),
        data={"file": (io.BytesIO(text.encode()), filename)},
        content_type="multipart/form-data",
        follow_redirects=True,
    )


def _import(client, project, text: str, filename="figures.csv"):
    """Upload, see the preview, confirm it."""
    preview = _upload(client, project, text, filename)
    assert "Check the import" in preview.text, preview.text[:3000]
    where = preview.request.path
    data = post_form(preview.text, containing="csrf_token")
    forms_on_page = [f for f in forms(preview.text) if f["action"] in ("", where)]
    assert forms_on_page, "no confirm form"
    page = client.post(where, data=data, follow_redirects=True)
    return preview, page


def test_a_good_file_is_imported_whole(client, project):
    text = (
        "Measure,Period,Value,answers_1,answers_2,answers_3,answers_4,answers_5,offered\n"
        f'cost_per_transaction,{_month(2)},"$1,204.50",,,,,,\n'
        f"Cost per transaction,{_month(1)},18.25,,,,,,\n"
        f"satisfaction,{_quarter(1).lower()},,1,1,2,3,3,120\n"
        f"trust,{_quarter()},75%,,,,,,\n"
    )
    preview, page = _import(client, project, text)
    assert "figures.csv has 4 figures, and every row is fine. Nothing has been saved yet." in (
        preview.text
    )
    assert "Imported 4 figures from figures.csv." in page.text
    cost = Measure.get(Measure.key == "cost_per_transaction")
    assert (cost.latest_period, cost.latest_value, cost.previous_value) == (
        _month(1),
        18.25,
        1204.5,
    )
    satisfaction = MeasureValue.get(MeasureValue.period == _quarter(1))
    assert (satisfaction.value, satisfaction.responses, satisfaction.offered) == (60.0, 10, 120)
    assert {v.source for v in MeasureValue.select()} == {"import"}
    # The export reads back in.
    export = client.get(url("measures.export", slug=project.slug)).get_data(as_text=True)
    preview, page = _import(client, project, export.removeprefix("\ufeff"))
    assert "4 rows replace figures saved now" in preview.text
    assert "Imported 4 figures" in page.text
    assert MeasureValue.select().count() == 4
    # The preview was used up: confirming it again imports nothing.
    again = client.post(preview.request.path, data=post_form(preview.text, "csrf_token"))
    assert again.status_code == 302 and MeasureValue.select().count() == 4


def test_a_file_with_any_bad_row_imports_nothing_and_says_which(client, project):
    text = (
        "measure,period,value\n"
        f"cost_per_transaction,{_month(1)},12\n"
        f"cost_per_transaction,2026-13,12\n"
        f"no_such_measure,{_month(1)},3\n"
        f"cost_per_transaction,{_month(2)},twelve\n"
        f"cost_per_transaction,{_month(1)},13\n"
        f"trust,{_quarter()},\n"
        f"cost_per_transaction,{catalog.next_period(catalog.period_of(utcnow().date()))},1\n"
    )
    page = _upload(client, project, text)
    assert "6 of 7 rows have problems, so nothing was imported" in page.text
    for words in (
        "Row 3, period: Enter the month as 2026-07",
        "Row 4, measure: “no_such_measure” is not a measure of this project",
        "Row 5, value: “twelve” is not a number",
        f"Row 6, period: Row 2 already gives cost_per_transaction for {_month(1)}",
        "Row 7, value: Give a value or answers",
        "Row 8, period: That period has not started yet",
    ):
        assert words in page.text, words
    assert not MeasureValue.select().exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "The file is empty"),
        ("measure;period;value\nx;y;z\n", "separated by semicolons"),
        ("measure,value\nx,1\n", "Missing column: period"),
        ("measure,period,shade\n", "Unknown column: shade"),
        ("measure,period,value\n", "no figures below them"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_with_a_reason(client, project, text, message):
    page = _upload(client, project, text)
    assert message in page.text
    assert not MeasureValue.select().exists()


def test_only_csv_files(client, project):
    page = _upload(client, project, "measure,period\n", filename="figures.xlsx")
    assert "Upload a CSV file" in page.text
