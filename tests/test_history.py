"""The history and conflict tables say what changed in people's words: names, labels and
dates, never the codes, ids and model names the audit log stores."""

from __future__ import annotations

import re
from datetime import date
from html import unescape

from playbook.edition import default_edition
from projects.contracts.models import PackageClause
from projects.fields import shown
from projects.research.forms import FindingForm
from projects.research.models import Finding
from tests.conftest import make_project, make_user
from tests.contracts.factories import make_package, officer_project
from tests.pages import filled, post_form, url
from tests.research.factories import make_finding

RAW = re.compile(
    r"not_started|in_progress|not_applicable|wont_address|usability_testing|\bTrue\b|\bFalse\b"
    r"|ItemResponse|QuestionAnswer|PackageClause|PackageQaspRow|ContractPackage|Membership"
    r"|\d{4}-\d\d-\d\d|\b(owner|lead|due date): \d"
)


def _history(client, project) -> str:
    page = client.get(url("projects.history", slug=project.slug))
    assert page.status_code == 200
    events = re.search(r'<ol class="[^"]*pt-events">(.*?)</ol>', page.text, re.S)
    assert events, "no history on the page"
    seen = re.sub(r'<span class="usa-sr-only">[^<]*</span>', "", events.group(1))  # as shown
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", seen)).split())


def test_a_checklist_item_change_reads_in_words(client, signed_in):
    lead = signed_in(make_user("lead", name="Lee Lead"))
    owner = make_user("lead", name="Olga Owner")
    project = make_project(lead, members={owner: "editor"})
    play = url("checklists.play", slug=project.slug, number=1)
    first = {"items-0-status": "in_progress", "items-0-owner": str(owner.id)}
    first["items-0-due_date"] = "2026-10-01"
    assert (
        client.post(play, data=filled(client, play, "items-0-status", **first)).status_code == 302
    )
    later = {"items-0-status": "done", "items-0-owner": "0"}
    assert (
        client.post(play, data=filled(client, play, "items-0-status", **later)).status_code == 302
    )

    text = _history(client, project)

    assert "Lee Lead updated checklist item p01.c1 “Meet current and likely future users" in text
    assert "Status: In progress Owner: Olga Owner Due date: October 1, 2026" in text
    assert "Status: In progress → Done Owner: Olga Owner → (empty)" in text
    assert not RAW.search(text), RAW.search(text)


def test_project_facts_members_and_archiving_read_in_words(client, signed_in):
    lead = signed_in(make_user("lead", name="Lee Lead"))
    other = make_user("lead", name="Priya Patel")
    project = make_project(lead, phase="alpha", members={lead: "owner"})
    members = url("projects.members", slug=project.slug)
    viewer = make_user("leadership", name="Jordan Leadership")
    add = filled(client, members, "email", email=viewer.email, role="viewer")
    assert client.post(members, data=add).status_code == 302
    archive = url("projects.archive", slug=project.slug)
    assert client.post(archive, data=filled(client, archive)).status_code == 302

    edit = url("projects.edit", slug=project.slug)
    changed = {"phase": "beta", "lead": other.email, "start_date": "2026-01-05"}
    assert client.post(edit, data=filled(client, edit, "name", **changed)).status_code == 302

    text = _history(client, project)

    assert "Lee Lead archived the project" in text
    assert "added Jordan Leadership to the project as a viewer" in text
    assert "updated the project's details" in text
    assert "Phase: Alpha → Beta" in text
    assert "Project lead: Lee Lead → Priya Patel" in text
    assert "Start date: January 5, 2026" in text
    assert not RAW.search(text), RAW.search(text)


def test_findings_and_contract_clauses_are_named(client, signed_in):
    officer, project = officer_project()
    signed_in(officer)
    finding = make_finding(project, officer, title="The fee is a surprise", status="open")
    edit = url("research.edit", slug=project.slug, finding_id=finding.id)
    data = filled(client, edit, "title", status="wont_address", status_reason="The law sets it.")
    assert client.post(edit, data=data).status_code == 302
    package = make_package(project, officer)
    entry = PackageClause.get(package=package, clause_id="clause.warranty")
    clause = url(
        "contracts.edit_clause", slug=project.slug, package_id=package.id, entry_id=entry.id
    )
    changed = filled(client, clause, "text", text="The Contractor fixes defects for 60 days.")
    assert client.post(clause, data=changed).status_code == 302

    text = _history(client, project)

    assert "Casey Officer updated research finding “The fee is a surprise”" in text
    assert "Status: Open → Won't address" in text
    assert "Casey Officer edited clause “Warranty and correction of defects”" in text
    assert "created contract package “Contract language”" in text
    assert not RAW.search(text), RAW.search(text)


def test_the_conflict_table_shows_labels_and_dates(client, signed_in, app):
    lead = signed_in("lead")
    project = make_project(lead)
    finding = make_finding(project, plays=[1])
    page = url("research.edit", slug=project.slug, finding_id=finding.id)
    stale = post_form(client.get(page).text, "title")
    theirs = {"research_date": "2026-01-02", "plays": ["2"], "method": "survey"}
    assert client.post(page, data=filled(client, page, "title", **theirs)).status_code == 302

    mine = {"research_date": "2026-01-03", "plays": ["3"], "method": "diary_study"}
    response = client.post(page, data=stale | mine)

    assert response.status_code == 409
    table = re.search(r"<table.*?</table>", response.text, re.S).group(0)
    cells = " ".join(unescape(re.sub(r"<[^>]+>", " ", table)).split())
    assert "Date of the research January 2, 2026" in cells and "January 3, 2026" in cells
    assert "Plays Play 2" in cells and "Play 3" in cells
    assert "Research method Survey" in cells and "Diary study" in cells
    assert Finding.get_by_id(finding.id).method == "survey"


def test_shown_puts_values_in_words(app):
    with app.test_request_context():
        form = FindingForm(edition=default_edition())
    assert shown(date(2026, 3, 2)) == "March 2, 2026"
    assert shown(True) == "Yes" and shown(None) == "(empty)" and shown([]) == "(empty)"
    assert shown("wont_address", form.status) == "Won't address"
    assert shown(["a", "b"]) == "a, b"
