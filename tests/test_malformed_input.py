"""Malformed input gets a clear message or a 400/404, and nothing is written.

Each case here was a server error once: a POST that leaves a field out entirely, numbers
past 64 bits in the query, NUL bytes (which PostgreSQL refuses in text), control characters
that made a later Word export fail for someone else, and an empty snapshot label on a
finished portfolio report. tests/test_fuzz.py looks for more of the same kind.
"""

from __future__ import annotations

import io

import pytest
from docx import Document
from flask_wtf import FlaskForm

from projects.contracts.models import ContractPackage, PackageClause, PackageQaspRow
from projects.fields import Form
from projects.projects.models import Project
from projects.reports.models import Snapshot
from tests.conftest import make_project
from tests.contracts.factories import ANSWERS, officer_project
from tests.pages import database_state, filled, url

TOO_BIG = str(2**64)


def test_a_form_with_a_field_left_out_is_refused_with_a_message(client, signed_in):
    signed_in("lead")
    fields = filled(client, url("projects.create"), "name", name="Fishing licenses", agency="Parks")
    del fields["office"]  # a browser always sends it, empty or not
    before = database_state()
    page = client.post(url("projects.create"), data=fields)
    assert page.status_code == 200
    assert "<title>Error:" in page.text
    assert "Some fields of this form did not arrive (Office or program (optional))" in page.text
    assert database_state() == before


def test_an_edit_with_a_field_left_out_does_not_blank_the_saved_value(client, signed_in):
    lead = signed_in("lead")
    project = make_project(lead, summary="Anglers apply online.")
    edit = url("projects.edit", slug=project.slug)
    fields = filled(client, edit, "name", name="Renamed")
    del fields["summary"]
    assert "did not arrive (Summary (optional))" in client.post(edit, data=fields).text
    assert Project.get_by_id(project.id).summary == "Anglers apply online."
    assert Project.get_by_id(project.id).name != "Renamed"


@pytest.mark.parametrize("name", ["page", "lead", "play"])
@pytest.mark.parametrize("endpoint", ["portfolio.dashboard", "projects.index", "research.index"])
def test_numbers_past_64_bits_in_the_query_are_ignored(client, signed_in, name, endpoint):
    lead = signed_in("admin")
    project = make_project(lead)
    values = {"slug": project.slug} if endpoint == "research.index" else {}
    for number in (TOO_BIG, f"-{TOO_BIG}", "9" * 400):
        assert client.get(url(endpoint, **values, **{name: number})).status_code == 200


@pytest.mark.parametrize(
    "address",
    [
        "/projects/fish%00ing",
        "/projects/fish%01ing/report",
        "/portfolio?phase=%00",
        "/portfolio?sort=name%1b",
        "/login?next=/%00",
    ],
)
def test_control_characters_in_an_address_are_a_bad_request(client, signed_in, address):
    signed_in("admin")
    page = client.get(address)
    assert page.status_code == 400
    assert "Something in the request was not right" in page.text


def test_nul_and_control_characters_never_reach_the_database(client, signed_in):
    lead = signed_in("lead")
    fields = filled(
        client,
        url("projects.create"),
        "name",
        name="Fish\x00ing\x01 licenses",
        agency="Parks\x7f",
        summary="Line one\r\nLine\ttwo\x0b\x85",
    )
    assert client.post(url("projects.create"), data=fields).status_code == 302
    project = Project.get(Project.lead == lead)
    assert (project.name, project.agency) == ("Fishing licenses", "Parks")
    assert project.summary == "Line one\r\nLine\ttwo"  # tabs and line breaks are kept


def test_control_characters_in_clauses_and_qasp_rows_leave_the_word_export_readable(
    client, signed_in
):
    officer, project = officer_project()
    signed_in(officer)
    new = url("contracts.new", slug=project.slug)
    title = "Contract\x01 language\x00"
    assert client.post(new, data=filled(client, new, "title", **ANSWERS | {"title": title}))
    package = ContractPackage.get(ContractPackage.project == project)
    where = {"slug": project.slug, "package_id": package.id}
    entry = PackageClause.get(package=package, clause_id="clause.warranty")
    edit = url("contracts.edit_clause", entry_id=entry.id, **where)
    text = "The warranty\x08 lasts\x1f 60 days."
    assert client.post(edit, data=filled(client, edit, "text", text=text)).status_code == 302
    add = url("contracts.add_qasp", **where)
    row = {"standard": "Fast\x0c pages", "quality_level": "95\x00 %", "surveillance": "Monthly"}
    assert client.post(add, data=filled(client, add, "standard", **row)).status_code == 302
    assert PackageQaspRow.get(standard="Fast pages").quality_level == "95 %"

    assert client.post(url("contracts.export_package", **where)).status_code == 302
    docx = client.get(url("contracts.download", number=1, fmt="docx", **where))
    assert docx.status_code == 200
    # python-docx parses the document's XML as Word does, refusing the characters XML forbids.
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.data)).paragraphs)
    assert "The warranty lasts 60 days." in text


def test_freezing_a_finished_portfolio_report_with_no_name_asks_for_one(client, signed_in):
    signed_in("admin")
    make_project()
    job_page = client.post(url("reports.request_portfolio"), follow_redirects=True)
    assert "Freeze as a snapshot" in job_page.text
    freeze = job_page.request.path + "/snapshots"
    for label in ("", "   ", "\x00"):
        page = client.post(freeze, data={"label": label})
        assert page.status_code == 400
        assert "Enter a name for the snapshot" in page.text
        assert "Download the PDF" in page.text  # the job page, redrawn with its error
    assert Snapshot.select().count() == 0


def test_every_form_is_built_on_the_app_s_form():
    """`projects.fields.Form` cleans what arrives and refuses left-out fields: a form built
    on Flask-WTF's directly would skip both."""
    import projects.app  # noqa: F401 - imports every feature's forms

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    ours = [c for c in subclasses(FlaskForm) if c.__module__.startswith("projects.")]
    assert ours
    assert [c.__qualname__ for c in ours if not issubclass(c, Form)] == []
