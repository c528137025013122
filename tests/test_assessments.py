"""Service assessments from opening to the frozen report, the panel's and lead assessor's
rights inside one, actions, phase gates, the portfolio's filter and the API; all through the
rendered pages."""

from __future__ import annotations

import hashlib
import io

import pytest
from docx import Document
from werkzeug.datastructures import MultiDict

from playbook.edition import default_edition
from projects.assessments.models import Assessment, AssessmentAction, AssessmentIsFrozen
from projects.projects.models import Project
from tests.conftest import make_project, make_user
from tests.pages import filled, forms, url
from tests.test_review import sign_in_as

PLAYS = [p.number for p in default_edition().plays]


@pytest.fixture
def people(app):
    return {
        "admin": make_user("admin", name="Ada Admin"),
        "lead_assessor": make_user("assessor", name="Lou Assessor"),
        "panelist": make_user("assessor", name="Pat Panel"),
        "outsider": make_user("assessor", name="Otto Other"),
        "lead": make_user("lead", name="Lee Team"),
    }


def open_one(client, project, people, to_phase="beta") -> Assessment:
    address = url("assessments.create", slug=project.slug)
    page = client.get(address).text
    [form] = [f for f in forms(page) if f["method"] == "post" and "held_on" in f["fields"]]
    chosen = ("to_phase", "held_on", "lead_assessor", "panel")
    pairs = [(k, v) for k, v in form["pairs"] if k not in chosen] + [
        ("to_phase", to_phase),
        ("held_on", "2026-05-04"),
        ("lead_assessor", str(people["lead_assessor"].id)),
        ("panel", str(people["panelist"].id)),
    ]
    response = client.post(address, data=MultiDict(pairs))
    assert response.status_code == 302, response.text[:2000]
    return Assessment.select().order_by(Assessment.id.desc()).get()


def rate(client, project, assessment, number, **changes):
    address = url("assessments.rate", slug=project.slug, assessment_id=assessment.id, number=number)
    return client.post(address, data=filled(client, address, "rating", **changes))


def rate_all(client, project, assessment, conditions=(2,)):
    for number in PLAYS:
        if number in conditions:
            changes = {"rating": "met_with_conditions", "to_improve": f"Fix play {number}"}
        else:
            changes = {"rating": "met", "went_well": "Clear evidence"}
        assert rate(client, project, assessment, number, **changes).status_code == 302


def record_outcome(client, project, assessment, outcome="met_with_conditions"):
    address = url("assessments.outcome", slug=project.slug, assessment_id=assessment.id)
    data = filled(client, address, "outcome", outcome=outcome, summary="Go ahead.")
    return client.post(address, data=data)


def test_an_assessor_runs_an_assessment_from_opening_to_the_frozen_report(client, people):
    project = make_project(people["lead"], phase="alpha")
    sign_in_as(client, people["admin"])
    assessment = open_one(client, project, people)
    assert {p.user_id for p in assessment.panel} == {
        people["lead_assessor"].id,
        people["panelist"].id,
    }

    # A panel member drafts notes but may not rate; an assessor off the panel does neither.
    sign_in_as(client, people["panelist"])
    detail = url("assessments.detail", slug=project.slug, assessment_id=assessment.id)
    page = client.get(detail).text
    assert "0 done: 0 with evidence" in page  # the pre-filled summary of each play
    notes = url("assessments.notes", slug=project.slug, assessment_id=assessment.id)
    data = post_notes = filled(client, detail, "notes", notes="Ask about the call center.")
    assert client.post(notes, data=post_notes).status_code == 302
    assert "Your notes are saved." in client.get(detail).text
    # Too long: the page again with the message and every word typed, and nothing saved.
    long = "Ask about the call center. " + "x" * 10_000
    page = client.post(notes, data=filled(client, detail, "notes", notes=long))
    assert page.status_code == 200 and "Use 10,000 characters or fewer" in page.text
    assert long in page.text and "<title>Error:" in page.text
    assert "Ask about the call center.</textarea>" not in page.text
    rating_page = url("assessments.rate", slug=project.slug, assessment_id=assessment.id, number=1)
    assert client.get(rating_page).status_code == 403
    assert client.post(rating_page, data={"rating": "met"}).status_code == 403
    sign_in_as(client, people["outsider"])
    assert client.post(notes, data=data).status_code == 403
    assert "Ask about the call center." not in client.get(detail).text

    sign_in_as(client, people["lead_assessor"])
    assert "Ask about the call center." in client.get(detail).text
    assert rate(client, project, assessment, 3, rating="not_met").status_code == 200  # no text
    early = record_outcome(client, project, assessment)
    assert "Rate every play first" in early.text
    rate_all(client, project, assessment)
    response = record_outcome(client, project, assessment)
    assert response.status_code == 302

    frozen = Assessment.get_by_id(assessment.id)
    assert frozen.completed and frozen.outcome == "met_with_conditions"
    assert frozen.problems() == []
    assert hashlib.sha256(frozen.pdf_bytes).hexdigest() == frozen.sha256
    [action] = AssessmentAction.select().where(AssessmentAction.assessment == frozen.id)
    assert (action.play, action.text, action.owner_id) == (2, "Fix play 2", people["lead"].id)
    assert action.due_date is not None  # conditions: within 3 months
    with pytest.raises(AssessmentIsFrozen):
        frozen.summary = "Changed afterwards"
        frozen.save()

    pdf = client.get(
        url("assessments.download", slug=project.slug, assessment_id=frozen.id, fmt="pdf")
    )
    assert pdf.data == frozen.pdf_bytes and pdf.data.startswith(b"%PDF")
    docx = client.get(
        url("assessments.download", slug=project.slug, assessment_id=frozen.id, fmt="docx")
    )
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.data)).paragraphs)
    assert "Outcome: Met with conditions" in text and "Fix play 2" in text
    # Nothing changes once frozen: the rating page is closed to everyone.
    closed = url("assessments.rate", slug=project.slug, assessment_id=frozen.id, number=1)
    assert client.get(closed).status_code == 403

    # The team sees the action on the project page and closes it, saying what was done.
    sign_in_as(client, people["lead"])
    page = client.get(url("projects.detail", slug=project.slug)).text
    assert "Fix play 2" in page and "Alpha to beta</a>, met with conditions" in page
    close = url("assessments.close_action", slug=project.slug, action_id=action.id)
    refused = client.post(close, data=filled(client, close, "what_was_done", what_was_done=" "))
    assert "Say what was done" in refused.text
    assert (
        client.post(
            close, data=filled(client, close, "what_was_done", what_was_done="Mapped it")
        ).status_code
        == 302
    )
    done = AssessmentAction.get_by_id(action.id)
    assert (done.status, done.what_was_done) == ("closed", "Mapped it")

    report = client.get(url("reports.project_preview", slug=project.slug)).text
    assert "Reviewed readiness" in report and "Play 2: Fix play 2" in report
    assert "Last assessment: Alpha to beta: met with conditions, 2026-05-04." in report

    api = client.get(url("api.project", slug=project.slug)).get_json()
    assert api["last_assessment"] == {
        "gate": "Alpha to beta",
        "outcome": "met_with_conditions",
        "date": "2026-05-04",
    }
    assert api["readiness"]["reviewed"] == 0
    listed = client.get(url("api.assessments", slug=project.slug)).get_json()["assessments"]
    assert listed[0]["ratings"]["2"]["rating"] == "met_with_conditions"
    assert listed[0]["actions"][0]["status"] == "closed"


def test_a_phase_gated_project_moves_on_only_after_a_met_assessment(client, people):
    sign_in_as(client, people["admin"])
    data = filled(client, url("projects.create"), "name", name="Gated service", agency="Parks")
    assert client.post(url("projects.create"), data=data).status_code == 302
    project = Project.get(Project.name == "Gated service")
    assert project.phase_gated and project.phase == "discovery"
    edit = url("projects.edit", slug=project.slug)
    refused = client.post(edit, data=filled(client, edit, "name", phase="alpha"))
    assert "needs a met (or met with conditions) assessment" in refused.text
    assert Project.get_by_id(project.id).phase == "discovery"

    assessment = open_one(client, project, people, to_phase="alpha")
    sign_in_as(client, people["lead_assessor"])
    rate_all(client, project, assessment, conditions=())
    assert record_outcome(client, project, assessment, outcome="met").status_code == 302
    sign_in_as(client, people["admin"])
    assert client.post(edit, data=filled(client, edit, "name", phase="alpha")).status_code == 302
    assert Project.get_by_id(project.id).phase == "alpha"
    assert "(assessed: met on" in client.get(url("projects.detail", slug=project.slug)).text
    # Moving back needs no assessment.
    assert (
        client.post(edit, data=filled(client, edit, "name", phase="discovery")).status_code == 302
    )


def test_an_ungated_project_changes_phase_freely_and_shows_not_assessed(client, people):
    project = make_project(people["lead"], phase="alpha")  # like the demo's projects
    sign_in_as(client, people["lead"])
    edit = url("projects.edit", slug=project.slug)
    assert client.post(edit, data=filled(client, edit, "name", phase="beta")).status_code == 302
    assert "Beta phase (not assessed)" in client.get(url("projects.detail", slug=project.slug)).text


def test_the_portfolio_shows_and_filters_by_last_assessment(client, people):
    assessed = make_project(people["lead"], name="Assessed service", phase="alpha")
    make_project(people["lead"], name="Never assessed service")
    sign_in_as(client, people["admin"])
    assessment = open_one(client, assessed, people)
    sign_in_as(client, people["lead_assessor"])
    rate_all(client, assessed, assessment, conditions=())
    assert record_outcome(client, assessed, assessment, outcome="met").status_code == 302
    sign_in_as(client, people["admin"])
    page = client.get(url("portfolio.dashboard", assessment="met")).text
    assert "Assessed service" in page and "Never assessed service" not in page
    assert "Alpha to beta: met" in page
    page = client.get(url("portfolio.dashboard", assessment="none")).text
    assert "Never assessed service" in page and "Assessed service</a>" not in page


def _completed_with_action(client, people, project):
    sign_in_as(client, people["admin"])
    assessment = open_one(client, project, people)
    sign_in_as(client, people["lead_assessor"])
    rate_all(client, project, assessment, conditions=(4,))
    assert record_outcome(client, project, assessment).status_code == 302
    return AssessmentAction.get(AssessmentAction.assessment == assessment.id)


def test_an_actions_owner_and_date_change_with_stale_pages_detected(client, people):
    owner = make_user("lead", name="Ola Owner")
    project = make_project(people["lead"], phase="alpha", members={owner: "owner"})
    action = _completed_with_action(client, people, project)
    edit = url("assessments.edit_action", slug=project.slug, action_id=action.id)
    sign_in_as(client, people["lead"])
    stale = filled(client, edit, "due_date")
    theirs = filled(client, edit, "due_date", due_date="2026-09-01")
    assert client.post(edit, data=theirs).status_code == 302

    refused = client.post(edit, data=stale | {"due_date": "2026-10-01"})
    assert refused.status_code == 409
    assert "Someone else saved changes while you were editing" in refused.text
    assert AssessmentAction.get_by_id(action.id).due_date.isoformat() == "2026-09-01"
    # A different field merges with what was saved meanwhile.
    merged = client.post(edit, data=stale | {"owner": str(owner.id)})
    assert merged.status_code == 302
    saved = AssessmentAction.get_by_id(action.id)
    assert (saved.owner_id, saved.due_date.isoformat()) == (owner.id, "2026-09-01")
    history = client.get(url("projects.history", slug=project.slug)).text
    assert "changed the owner or due date of an action from an assessment" in history


def test_an_open_action_is_in_its_owners_my_work_until_it_is_closed(client, people):
    project = make_project(people["lead"], name="Action service")
    action = _completed_with_action(client, people, project)
    sign_in_as(client, people["lead"])  # actions go to the project lead
    page = client.get(url("mywork.index")).text
    assert "Assessment actions" in page
    assert f"Play 4: {action.text}" in page
    close = url("assessments.close_action", slug=project.slug, action_id=action.id)
    assert f'href="{close}"' in page
    response = client.post(
        close, data=filled(client, close, "what_was_done", what_was_done="Done.")
    )
    assert response.status_code == 302
    assert f"Play 4: {action.text}" not in client.get(url("mywork.index")).text
