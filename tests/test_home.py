"""The home page: the projects a person leads or belongs to."""

from tests.conftest import make_project


def test_home_lists_the_leads_project(client, signed_in):
    lead = signed_in("lead")
    project = make_project(lead, name="Renew a fishing licence")
    page = client.get("/")
    assert page.status_code == 200
    assert "Renew a fishing licence" in page.text
    assert f"/projects/{project.slug}" in page.text
