"""Who may do what with contract packages and agency clauses, and the JSON API."""

from __future__ import annotations

import pytest
from playhouse.test_utils import count_queries

from projects.contracts.exports import export
from projects.contracts.models import AgencyClause, ContractPackage, PackageClause
from tests.conftest import make_project, make_user
from tests.contracts.factories import ANSWERS, make_package, officer_project
from tests.pages import filled, url


def edit_requests(project, package, entry):
    """Every change an editor can make, as (method, url, data)."""
    return [
        ("post", url("contracts.new", slug=project.slug), ANSWERS),
        ("post", url("contracts.answers", slug=project.slug, package_id=package.id), ANSWERS),
        (
            "post",
            url("contracts.add", slug=project.slug, package_id=package.id),
            {"clause_id": "clause.market-research"},
        ),
        (
            "post",
            url(
                "contracts.include",
                slug=project.slug,
                package_id=package.id,
                entry_id=entry.id,
                action="remove",
            ),
            {},
        ),
        (
            "post",
            url(
                "contracts.move_clause",
                slug=project.slug,
                package_id=package.id,
                entry_id=entry.id,
                direction="down",
            ),
            {},
        ),
        (
            "post",
            url(
                "contracts.edit_clause", slug=project.slug, package_id=package.id, entry_id=entry.id
            ),
            {"text": "Changed.", "version": entry.version},
        ),
        ("post", url("contracts.export_package", slug=project.slug, package_id=package.id), {}),
        (
            "get",
            url(
                "contracts.edit_clause", slug=project.slug, package_id=package.id, entry_id=entry.id
            ),
            None,
        ),
        ("get", url("contracts.answers", slug=project.slug, package_id=package.id), None),
        ("get", url("contracts.new", slug=project.slug), None),
    ]


@pytest.fixture
def setting():
    officer, project = officer_project(phase="beta")
    package = make_package(project, officer)
    entry = PackageClause.get(package=package, clause_id="clause.warranty")
    return officer, project, package, entry


@pytest.mark.parametrize(
    "who", ["owner", "member-lead", "leadership", "viewer-contracting-none", "viewer-officer"]
)
def test_members_and_leadership_read_but_cannot_change(client, signed_in, setting, who):
    _officer, project, package, entry = setting
    if who == "owner":
        user = project.lead
    elif who == "member-lead":
        user = make_user("lead")
        project.memberships.model.create(project=project, user=user, role="editor")
    elif who == "leadership":
        user = make_user("leadership")
    elif who == "viewer-officer":  # a contracting officer who only views this project
        user = make_user("contracting")
        project.memberships.model.create(project=project, user=user, role="viewer")
    else:  # a project viewer whose role is not contracting
        user = make_user("lead")
        project.memberships.model.create(project=project, user=user, role="viewer")
    signed_in(user)
    page = client.get(url("contracts.detail", slug=project.slug, package_id=package.id))
    assert page.status_code == 200
    assert "Export revision" not in page.text and "Edit text" not in page.text
    assert client.get(url("projects.detail", slug=project.slug)).status_code == 200
    for method, where, data in edit_requests(project, package, entry):
        status = getattr(client, method)(where, data=data).status_code
        assert status == 403, f"{method} {where}: {status}"
    assert PackageClause.get_by_id(entry.id).included
    assert ContractPackage.select().count() == 1


@pytest.mark.parametrize("role", ["contracting", "lead"])
def test_people_who_cannot_see_the_project_get_404(client, signed_in, setting, role):
    _officer, project, package, entry = setting
    signed_in(make_user(role))
    assert (
        client.get(url("contracts.detail", slug=project.slug, package_id=package.id)).status_code
        == 404
    )
    assert (
        client.get(
            url("contracts.download", slug=project.slug, package_id=package.id, number=1, fmt="pdf")
        ).status_code
        == 404
    )
    assert client.get(url("api.contract_packages", slug=project.slug)).status_code == 404
    for method, where, data in edit_requests(project, package, entry):
        assert getattr(client, method)(where, data=data).status_code == 404, where


def test_a_package_or_clause_of_another_project_is_404(client, signed_in, setting):
    officer, project, package, _entry = setting
    other = make_project(members={officer: "editor"})
    other_package = make_package(other, officer)
    other_entry = PackageClause.get(package=other_package, clause_id="clause.warranty")
    signed_in(officer)
    assert (
        client.get(
            url("contracts.detail", slug=project.slug, package_id=other_package.id)
        ).status_code
        == 404
    )
    wrong = url(
        "contracts.include",
        slug=project.slug,
        package_id=package.id,
        entry_id=other_entry.id,
        action="remove",
    )
    assert client.post(wrong).status_code == 404
    assert PackageClause.get_by_id(other_entry.id).included


@pytest.mark.parametrize("who", ["contracting", "admin"])
def test_contracting_officers_on_the_project_and_admins_edit(client, signed_in, setting, who):
    officer, project, package, entry = setting
    signed_in(officer if who == "contracting" else make_user("admin"))
    response = client.post(
        url(
            "contracts.include",
            slug=project.slug,
            package_id=package.id,
            entry_id=entry.id,
            action="remove",
        )
    )
    assert response.status_code == 302
    assert not PackageClause.get_by_id(entry.id).included


def test_agency_clauses_are_versioned_and_only_officers_and_admins_write_them(client, signed_in):
    signed_in("lead")
    assert client.get(url("contracts.clauses")).status_code == 200
    assert client.get(url("contracts.clause", clause_id="clause.warranty")).status_code == 200
    assert client.get(url("contracts.new_clause")).status_code == 403
    client.get(url("auth.logout"))
    client.post(url("auth.logout"))
    signed_in("contracting")
    form = {
        "name": "remote-work",
        "title": "Remote work",
        "section": "personnel",
        "proposal": "always",
        "text": "{{ agency_name }} staff may work remotely.",
        "topics": ["key-personnel"],
        "plays": "6, 7",
    }
    form = filled(client, url("contracts.new_clause"), "name", **form)
    assert client.post(url("contracts.new_clause"), data=form).status_code == 302
    again = client.post(url("contracts.new_clause"), data=form)
    assert "An agency clause with that short name already exists" in again.text
    edit = url("contracts.edit_agency_clause", clause_id="agency.remote-work")
    bad = client.post(edit, data=filled(client, edit, "text", text="{{ ''.__class__ }}"))
    assert "tries to reach Python internals" in bad.text
    for change, message in [
        ({"name": "Remote Work!"}, "Use lowercase letters, numbers and hyphens only"),
        ({"plays": "5, 14"}, "Enter play numbers from 1 to 13"),
        ({"topics": []}, "Choose at least one topic"),
        ({"text": "{{ budget }}"}, "uses {{ budget }}"),
        ({"source_title": "Guide", "source_url": "http://x.gov"}, "starts with https://"),
    ]:
        page = client.post(url("contracts.new_clause"), data=form | {"name": "other"} | change)
        assert page.status_code == 200 and message in page.text, change
    loaded = filled(client, edit, "text", text="Stale.")
    saved = client.post(edit, data=filled(client, edit, "text", text="Version two."))
    assert saved.status_code == 302
    stale = client.post(edit, data=loaded)
    assert stale.status_code == 409
    assert "Someone else saved changes while you were editing" in stale.text
    assert "Version two." in stale.text and "Stale." in stale.text
    versions = [r.version for r in AgencyClause.select().order_by(AgencyClause.version)]
    assert versions == [1, 2]
    assert (
        AgencyClause.get(version=1).fields["text"] == "{{ agency_name }} staff may work remotely."
    )
    page = client.get("/contract-clauses/agency.remote-work?version=1")
    assert "You are reading version 1" in page.text
    # An "always" agency clause is proposed in every new package.
    officer, project = officer_project()
    package = make_package(project, officer)
    assert PackageClause.get(package=package, clause_id="agency.remote-work").clause_version == 2


def test_the_api_lists_packages_with_latest_revision_downloads(app, client, signed_in, setting):
    officer, project, package, _entry = setting
    second = make_package(project, officer)
    with app.test_request_context():
        export(package, project, officer)
        export(package, project, officer)
    signed_in(project.lead)
    data = client.get(url("api.contract_packages", slug=project.slug)).get_json()
    first, other = data["packages"]
    assert set(first) == {"id", "title", "status", "revision", "clauses", "exports"}
    assert first["id"] == package.id and first["status"] == "exported"
    assert first["revision"] == 2
    assert first["clauses"][0] == "clause.product-vision"
    assert "clause.warranty" in first["clauses"]
    assert set(first["exports"]) == {"docx", "pdf", "markdown"}
    download = client.get(first["exports"]["pdf"])
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    assert "/revisions/2/pdf" in first["exports"]["pdf"]
    assert other["id"] == second.id and other["revision"] is None
    assert other["exports"] == {"docx": None, "pdf": None, "markdown": None}


def test_the_package_page_makes_the_same_number_of_queries_at_any_size(client, signed_in):
    officer, project = officer_project(phase="discovery")
    signed_in(officer)
    small = make_package(project, officer)
    PackageClause.delete().where(
        (PackageClause.package == small) & (PackageClause.clause_id != "clause.warranty")
    ).execute()
    big = make_package(project, officer, handles_pii=True)
    counts = []
    for package in (small, big):
        with count_queries() as counter:
            assert (
                client.get(
                    url("contracts.detail", slug=project.slug, package_id=package.id)
                ).status_code
                == 200
            )
        counts.append(counter.count)
    assert counts[0] == counts[1]
