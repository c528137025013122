"""Findings in the database: links, evidence, open counts, the privacy guard and demo data."""

import pytest

from projects.audit import AuditEvent
from projects.projects.models import Project
from projects.research.models import Finding, FindingItem, FindingPlay, FindingTag, attach_links
from projects.research.privacy import personal_data
from projects.research.queries import (
    findings_for_items,
    items_with_findings,
    open_by_severity,
    open_critical_and_high,
)
from tests.conftest import make_project
from tests.research.factories import make_finding


def test_a_finding_is_saved_with_its_links_and_an_audit_event(app):
    project = make_project()
    finding = make_finding(project, plays=[1, 2], items=["p01.c1", "p02.c3"], tags=["mobile"])
    assert FindingPlay.select().where(FindingPlay.finding == finding).count() == 2
    assert FindingItem.select().where(FindingItem.finding == finding).count() == 2
    assert FindingTag.get(FindingTag.finding == finding).tag == "mobile"
    loaded = attach_links([Finding.get_by_id(finding.id)])[0]
    assert (loaded.plays, loaded.items, loaded.tags) == ([1, 2], ["p01.c1", "p02.c3"], ["mobile"])
    event = AuditEvent.get(AuditEvent.object_type == "Finding")
    assert event.action == "created"
    assert event.after["title"] == finding.title
    assert event.project_id == project.id


def test_deleting_a_project_deletes_its_findings(app):
    project = make_project()
    make_finding(project, plays=[1], items=["p01.c1"], tags=["x"])
    Project.delete().where(Project.id == project.id).execute()
    assert Finding.select().count() == 0
    assert FindingItem.select().count() == 0


def test_items_with_findings_per_project(app):
    first, second, empty = make_project(), make_project(), make_project()
    make_finding(first, items=["p01.c1", "p01.c2"], plays=[1])
    make_finding(first, items=["p01.c1"], plays=[1])
    make_finding(second, items=["p03.c1"], plays=[3])
    found = items_with_findings([first.id, second.id, empty.id])
    assert found == {first.id: {"p01.c1", "p01.c2"}, second.id: {"p03.c1"}, empty.id: set()}
    assert items_with_findings([]) == {}


def test_findings_for_items_only_this_projects(app):
    mine, theirs = make_project(), make_project()
    ours = make_finding(mine, items=["p01.c1"], plays=[1])
    make_finding(theirs, items=["p01.c1"], plays=[1])
    linked = findings_for_items(mine, ["p01.c1", "p01.c2"])
    assert [f.id for f in linked["p01.c1"]] == [ours.id]
    assert "p01.c2" not in linked


def test_open_counts_are_findings_not_yet_addressed_or_declined(app):
    project, other = make_project(), make_project()
    for severity, status in [
        ("critical", "open"),
        ("critical", "planned"),
        ("high", "open"),
        ("high", "addressed"),
        ("low", "open"),
        ("medium", "wont_address"),
    ]:
        make_finding(project, severity=severity, status=status)
    assert open_by_severity(project) == {"critical": 2, "high": 1, "medium": 0, "low": 1}
    assert open_critical_and_high([project.id, other.id]) == {
        project.id: {"critical": 2, "high": 1},
        other.id: {"critical": 0, "high": 0},
    }


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Write to jo.smith@agency.gov for the notes", "an email address"),
        ("She gave 555-123-4567 as a callback", "a phone number"),
        ("Call (555) 123-4567 after 5", "a phone number"),
        ("Reached on +44 20 7946 0958", "a phone number"),
        ("Her SSN is 123-45-6789", "a number shaped like a Social Security number"),
        ("number 123 45 6789 on the form", "a number shaped like a Social Security number"),
    ],
)
def test_the_privacy_guard_spots_personal_data(text, kind):
    [flag] = personal_data({"insight": text})
    assert flag.field == "insight"
    assert flag.kind == kind
    assert flag.text in text


@pytest.mark.parametrize(
    "text",
    [
        "We ran 12 interviews with P1 to P8 on 2026-03-27.",
        "See https://example.gov/research/round-2 for the notes",
        "Item p01.c3 and play 4; 40% gave up; 1.5 minutes on average",
        "",
    ],
)
def test_the_privacy_guard_leaves_ordinary_research_notes_alone(text):
    assert personal_data({"insight": text}) == []


def test_demo_data_gives_most_projects_varied_findings_once(runner):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    projects = list(Project.select())
    with_findings = [p for p in projects if p.findings.count() >= 3]
    assert len(with_findings) > len(projects) / 2
    rows = list(Finding.select())
    assert len({f.method for f in rows}) >= 4
    assert len({f.severity for f in rows}) >= 3
    assert len({f.status for f in rows}) >= 3
    assert FindingItem.select().count() >= len(rows)
    before = Finding.select().count()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert Finding.select().count() == before
