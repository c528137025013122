"""The home page: the projects a person leads or belongs to."""

from tests.conftest import make_project
from tests.pages import url


def test_home_lists_the_leads_project(client, signed_in):
    lead = signed_in("lead")
    project = make_project(lead, name="Renew a fishing license")
    page = client.get(url("projects.index"))
    assert page.status_code == 200
    assert "Renew a fishing license" in page.text
    assert url("projects.detail", slug=project.slug) in page.text
