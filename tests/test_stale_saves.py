"""Every edit form, saved from a stale page: a field someone else changed meanwhile is a
conflict showing both values with nothing overwritten; a different field merges."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from html import unescape

import pytest

from projects.assessments.changes import open_assessment, rate_play
from projects.assessments.models import PlayRating
from projects.audit import AuditEvent
from projects.auth.models import User
from projects.checklists.models import ItemResponse, QuestionAnswer
from projects.contracts.models import AgencyClause, ContractPackage, PackageClause, PackageQaspRow
from projects.db import db
from projects.measures.changes import create_measure
from projects.measures.models import Measure
from projects.projects.models import Project
from projects.research.models import Finding
from projects.saves import CONFLICTS, SAVED, UNCHANGED, Edit, fingerprint, save
from tests.conftest import make_project, make_user
from tests.contracts.factories import make_package, officer_project
from tests.pages import filled, post_form, url
from tests.research.factories import make_finding


@dataclass
class Page:
    url: str
    field: str  # the form field both people change
    other: str | None  # a field only the other person changes (None: the form has one field)
    saved: callable  # reads a form field's value from the database


def _project(signed_in):
    lead = signed_in("lead")
    project = make_project(lead)
    return Page(
        f"/projects/{project.slug}/edit",
        "name",
        "agency",
        lambda f: getattr(Project.get_by_id(project.id), f),
    )


def _item(signed_in):
    lead = signed_in("lead")
    project = make_project(lead)

    def saved(field):
        index, name = int(field.split("-")[1]), field.split("-")[2]
        row = ItemResponse.get_or_none(project=project, item_id=f"p01.c{index + 1}")
        return getattr(row, name) if row else None

    return Page(f"/projects/{project.slug}/plays/1", "items-0-note", "items-1-note", saved)


def _question(signed_in):
    lead = signed_in("lead")
    project = make_project(lead)

    def saved(field):
        row = QuestionAnswer.get_or_none(project=project, question_id="p01.q1")
        return row.answer if row else None

    return Page(f"/projects/{project.slug}/plays/1", "questions-0-answer", None, saved)


def _user(signed_in):
    signed_in("admin")
    user = make_user("lead", name="Pat Person")
    return Page(
        f"/admin/users/{user.id}", "name", "role", lambda f: getattr(User.get_by_id(user.id), f)
    )


def _finding(signed_in):
    lead = signed_in("lead")
    project = make_project(lead)
    finding = make_finding(project, title="Original title")
    return Page(
        f"/projects/{project.slug}/user-research/{finding.id}/edit",
        "title",
        "recommendation",
        lambda f: getattr(Finding.get_by_id(finding.id), f),
    )


def _answers(signed_in):
    officer, project = officer_project()
    package = make_package(project, officer)
    signed_in(officer)

    def saved(field):
        row = ContractPackage.get_by_id(package.id)
        return row.title if field == "title" else row.answers[field]

    return Page(
        url("contracts.answers", slug=project.slug, package_id=package.id),
        "title",
        "program_name",
        saved,
    )


def _clause_text(signed_in):
    officer, project = officer_project()
    package = make_package(project, officer)
    signed_in(officer)
    entry = PackageClause.get(package=package, clause_id="clause.warranty")
    return Page(
        url("contracts.edit_clause", slug=project.slug, package_id=package.id, entry_id=entry.id),
        "text",
        None,
        lambda f: PackageClause.get_by_id(entry.id).text,
    )


def _qasp_row(signed_in):
    officer, project = officer_project(phase="beta")
    package = make_package(project, officer)
    signed_in(officer)
    row = PackageQaspRow.get(package=package, clause_id="clause.delivery-milestones")
    return Page(
        url("contracts.edit_qasp", slug=project.slug, package_id=package.id, row_id=row.id),
        "standard",
        "surveillance",
        lambda f: getattr(PackageQaspRow.get_by_id(row.id), f),
    )


def _agency_clause(signed_in, client):
    signed_in("contracting")
    form = {
        "name": "remote-work",
        "title": "Remote work",
        "section": "personnel",
        "proposal": "always",
        "text": "Staff may work remotely.",
        "topics": ["key-personnel"],
        "plays": "6, 7",
    }
    new = url("contracts.new_clause")
    assert client.post(new, data=filled(client, new, "name", **form)).status_code == 302

    def saved(field):
        latest = AgencyClause.select().order_by(AgencyClause.version.desc()).first()
        return latest.fields[field]

    return Page("/contract-clauses/agency.remote-work/edit", "text", "title", saved)


# The endpoints of the pages above: tests/test_forms_as_rendered.py fails when a page with a
# versioned form is missing here, so a new edit form cannot skip these tests.
ENDPOINTS = {
    "projects.edit",
    "checklists.play",
    "admin.edit_user",
    "research.edit",
    "contracts.answers",
    "contracts.edit_clause",
    "contracts.edit_qasp",
    "contracts.edit_agency_clause",
    "assessments.rate",
    # A select and a date, not text: its stale-save test is in tests/test_assessments.py.
    "assessments.edit_action",
    "measures.edit",
    # Numbers, not text: its stale-save test is in tests/measures/test_pages.py.
    "measures.value",
}


def _rating(signed_in):
    signed_in("admin")
    project = make_project()
    assessment = open_assessment(
        project,
        to_phase="beta",
        held_on=date(2026, 5, 4),
        lead=make_user("assessor"),
        panel=[],
        user=make_user("admin"),
    )
    rate_play(
        assessment,
        1,
        {"rating": "met", "went_well": "", "to_improve": ""},
        version=None,
        original=None,
        user=None,
    )

    def saved(field):
        return getattr(PlayRating.get(assessment=assessment.id, play=1), field)

    return Page(
        f"/projects/{project.slug}/assessments/{assessment.id}/plays/1",
        "went_well",
        "to_improve",
        saved,
    )


def _measure(signed_in):
    project = make_project(signed_in("lead"))
    with db.atomic():
        measure = create_measure(
            project, key="calls", name="Calls answered", unit="percent", direction="higher"
        )
    return Page(
        url("measures.edit", slug=project.slug, measure_id=measure.id),
        "name",
        "description",
        lambda f: getattr(Measure.get_by_id(measure.id), f),
    )


PAGES = {
    "measure": _measure,
    "project facts": _project,
    "checklist item": _item,
    "key question": _question,
    "user (admin)": _user,
    "finding": _finding,
    "contract package answers": _answers,
    "clause text": _clause_text,
    "QASP row": _qasp_row,
    "agency clause": _agency_clause,
    "play rating": _rating,
}


def _page(name, signed_in, client) -> Page:
    make = PAGES[name]
    return make(signed_in, client) if make is _agency_clause else make(signed_in)


def _form(client, page: Page, html: str | None = None) -> dict:
    return post_form(html or client.get(page.url).text, page.field)


@pytest.mark.parametrize("name", PAGES)
def test_a_stale_save_of_the_same_field_is_a_conflict_and_overwrites_nothing(
    client, signed_in, name
):
    page = _page(name, signed_in, client)
    stale = _form(client, page)
    # Someone else saves the same field while this person is still on the page.
    theirs = client.post(page.url, data=_form(client, page) | {page.field: "Their words."})
    assert theirs.status_code == 302
    events = AuditEvent.select().count()

    response = client.post(page.url, data=stale | {page.field: "My words."})

    assert response.status_code == 409
    text = unescape(response.text)
    assert "Someone else saved changes while you were editing" in text
    # Unmistakable: the title says so first, and the panel comes before the page's heading
    # and takes focus (autofocus without script; static/js/app.js with it).
    assert re.search(r"<title>Not saved: ", text)
    panel = re.search(r'<div [^>]*id="conflicts"[^>]*>', text)
    assert panel and "autofocus" in panel.group(0) and 'tabindex="-1"' in panel.group(0)
    assert text.index('id="conflicts"') < text.index("<h1")
    assert "Their words." in text and "My words." in text
    assert page.saved(page.field) == "Their words."
    assert AuditEvent.select().count() == events
    # The redrawn form starts from what is saved now: saving it again keeps this person's words.
    again = client.post(page.url, data=_form(client, page, response.text))
    assert again.status_code == 302
    assert page.saved(page.field) == "My words."


@pytest.mark.parametrize("name", [n for n in PAGES if n not in ("key question", "clause text")])
def test_a_stale_save_of_a_different_field_merges(client, signed_in, name):
    page = _page(name, signed_in, client)
    stale = _form(client, page)
    their_change = {page.other: "contracting" if page.other == "role" else "Their words."}
    theirs = client.post(page.url, data=_form(client, page) | their_change)
    assert theirs.status_code == 302

    response = client.post(page.url, data=stale | {page.field: "My words."})

    assert response.status_code == 302
    assert page.saved(page.field) == "My words."
    assert page.saved(page.other) == their_change[page.other]


# The function itself, on one row.


def _edit(project, version, original, **submitted):
    return Edit(
        Project.select().where(Project.id == project.id),
        submitted,
        version,
        original,
        values=lambda row: {"name": row.name, "agency": row.agency},
    )


def test_save_merges_refuses_conflicts_and_skips_nothing_changed(app):
    project = make_project(name="Old", agency="Agency")
    loaded = fingerprint({"name": "Old", "agency": "Agency"})

    assert save(_edit(project, 1, loaded, name="Old", agency="Agency")).status == UNCHANGED
    assert AuditEvent.select().count() == 0
    assert Project.get_by_id(project.id).version == 1

    first = save(_edit(project, 1, loaded, name="New", agency="Agency"))
    assert (first.status, first.version) == (SAVED, 2)
    saved = Project.get_by_id(project.id)
    assert (saved.name, saved.version) == ("New", 2)
    event = AuditEvent.get()
    assert (event.action, event.before, event.after) == (
        "updated",
        {"name": "Old"},
        {"name": "New"},
    )

    # From the stale page: another field merges...
    merged = save(_edit(project, 1, loaded, name="Old", agency="Elsewhere"))
    assert merged.status == SAVED
    saved = Project.get_by_id(project.id)
    assert (saved.name, saved.agency, saved.version) == ("New", "Elsewhere", 3)
    assert AuditEvent.select().count() == 2

    # ...the same field is a conflict with both values, and nothing is written.
    refused = save(_edit(project, 1, loaded, name="Mine", agency="Agency"))
    assert refused.status == CONFLICTS
    conflicts = {k: (c.saved, c.yours) for k, c in refused.conflicts.items()}
    assert conflicts == {"name": ("New", "Mine")}
    assert (refused.version, refused.fresh[""].theirs) == (3, {"agency": "Elsewhere"})
    assert refused.original == fingerprint({"name": "New", "agency": "Elsewhere"})
    assert Project.get_by_id(project.id).version == 3
    assert AuditEvent.select().count() == 2

    # Starting again from what the conflict reported saves deliberately.
    again = save(_edit(project, refused.version, refused.original, name="Mine", agency="Elsewhere"))
    assert again.status == SAVED
    assert Project.get_by_id(project.id).name == "Mine"
