"""GET /api/v1/projects/<slug>/findings: the documented shape, and only for people who may see."""

from datetime import date

from tests.conftest import make_project, make_user
from tests.pages import url
from tests.research.factories import make_finding


def test_findings_in_the_documented_shape(client, signed_in):
    lead = signed_in("lead")
    project = make_project(lead)
    older = make_finding(project, title="Older", research_date=date(2026, 1, 5), participants=None)
    newer = make_finding(
        project,
        title="Newer",
        method="interviews",
        severity="critical",
        status="planned",
        research_date=date(2026, 3, 2),
        participants=8,
        plays=[1, 2],
        items=["p02.c1", "p01.c3"],
        tags=["mobile", "fees"],
    )
    make_finding(make_project(), title="Someone else's")
    response = client.get(url("api.findings", slug=project.slug))
    assert response.status_code == 200
    assert response.json == {
        "findings": [
            {
                "id": newer.id,
                "title": "Newer",
                "method": "interviews",
                "severity": "critical",
                "status": "planned",
                "date": "2026-03-02",
                "participants": 8,
                "plays": [1, 2],
                "items": ["p01.c3", "p02.c1"],
                "tags": ["fees", "mobile"],
            },
            {
                "id": older.id,
                "title": "Older",
                "method": "usability_testing",
                "severity": "high",
                "status": "open",
                "date": "2026-01-05",
                "participants": None,
                "plays": [],
                "items": [],
                "tags": [],
            },
        ]
    }


def test_an_empty_log_is_an_empty_list(client, signed_in):
    project = make_project(signed_in("lead"))
    assert client.get(url("api.findings", slug=project.slug)).json == {"findings": []}


def test_other_peoples_projects_are_not_found(client, signed_in):
    project = make_project(make_user("lead"))
    make_finding(project)
    signed_in("lead")
    response = client.get(url("api.findings", slug=project.slug))
    assert response.status_code == 404
    assert response.json == {"error": "Not found."}


def test_signed_out_gets_401(client):
    project = make_project()
    assert client.get(url("api.findings", slug=project.slug)).status_code == 401
