"""Home: each role lands where its work is; "My projects" lists the projects a person leads or
belongs to and their contract packages; new members join as editors."""

import pytest

from projects.projects.models import Membership
from tests.conftest import PASSWORD, make_project, make_user
from tests.contracts.factories import make_package, officer_project
from tests.pages import filled, url


def test_home_lists_the_leads_project(client, signed_in):
    lead = signed_in("lead")
    project = make_project(lead, name="Renew a fishing license")
    page = client.get(url("projects.index"))
    assert page.status_code == 200
    assert "Renew a fishing license" in page.text
    assert url("projects.detail", slug=project.slug) in page.text


@pytest.mark.parametrize(
    ("role", "landing"),
    [
        ("leadership", "portfolio.dashboard"),
        ("admin", "portfolio.dashboard"),
        ("lead", "projects.index"),
        ("contracting", "projects.index"),
    ],
)
def test_each_role_lands_where_its_work_is(client, auth, role, landing):
    signing_in = auth.login(make_user(role))
    assert signing_in.headers["Location"] == url("projects.home")
    home = client.get(url("projects.home"))
    assert home.status_code == 302 and home.headers["Location"] == url(landing)
    assert client.get(url(landing)).status_code == 200


@pytest.mark.parametrize(
    ("asked", "kept"),
    [("/portfolio?phase=beta", True), ("//evil.example/", False), ("https://evil.example/", False)],
)
def test_sign_in_still_follows_a_safe_next_only(client, role_user, asked, kept):
    response = client.post(
        url("auth.login", next=asked), data={"email": role_user.email, "password": PASSWORD}
    )
    assert response.headers["Location"] == (asked if kept else url("projects.home"))


def test_a_contracting_officer_sees_the_packages_of_their_projects(client, signed_in):
    officer, project = officer_project()
    package = make_package(project, officer)
    signed_in(officer)
    page = client.get(url("projects.index")).text
    assert "Contract packages on your projects" in page
    assert url("contracts.detail", slug=project.slug, package_id=package.id) in page


def test_a_new_member_is_an_editor_unless_chosen_otherwise(client, signed_in):
    lead = signed_in("lead")
    project = make_project(lead, members={lead: "owner"})
    person = make_user("lead", name="Nia New")
    members = url("projects.members", slug=project.slug)
    fields = filled(client, members, "email", email=person.email)
    assert fields["role"] == "editor"
    response = client.post(members, data=fields, follow_redirects=True)
    assert "Nia New added as an editor." in response.text
    assert Membership.get(project=project, user=person).role == "editor"


@pytest.fixture
def role_user():
    return make_user("lead")
