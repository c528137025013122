"""Creating, editing, archiving projects; members; the audit log."""

import pytest

from projects.audit import AuditEvent
from projects.invitations.models import AccessLink
from projects.projects.models import Membership, Project
from tests.conftest import make_project, make_user
from tests.pages import filled, forms, post_form, url

VALID = {
    "name": "Apply for a fishing license",
    "agency": "Parks Department",
    "office": "",
    "phase": "discovery",
    "summary": "Anglers apply online.",
    "start_date": "2026-01-05",
    "target_date": "2026-09-30",
}


def _new(client, **changes) -> dict:
    """The new-project form as the page renders it (led by the person signed in), filled in."""
    return filled(client, url("projects.create"), "name", **VALID | changes)


def test_a_lead_creates_a_project_and_owns_it(client, signed_in):
    lead = signed_in("lead")
    response = client.post(url("projects.create"), data=_new(client))
    assert response.status_code == 302
    project = Project.get(Project.name == VALID["name"])
    assert response.headers["Location"] == url("projects.detail", slug=project.slug)
    assert project.slug == "apply-for-a-fishing-license"
    assert Membership.get(project=project, user=lead).role == "owner"
    assert AuditEvent.get(AuditEvent.project == project).action == "created"
    page = client.get(url("projects.detail", slug=project.slug))
    assert "Apply for a fishing license" in page.text
    assert "Still missing for the alpha phase" in page.text


def test_slugs_stay_unique(client, signed_in):
    signed_in("lead")
    for _ in range(2):
        client.post(url("projects.create"), data=_new(client))
    assert sorted(p.slug for p in Project.select()) == [
        "apply-for-a-fishing-license",
        "apply-for-a-fishing-license-2",
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"name": ""}, "Enter a project name"),
        ({"agency": "  "}, "Enter the agency that owns the project"),
        ({"phase": "someday"}, "Not a valid choice"),
        ({"start_date": "yesterday"}, "Enter the date as year-month-day"),
        ({"target_date": "2025-01-01"}, "Enter a target date on or after the start date"),
        ({"name": "x" * 201}, "Use 200 characters or fewer"),
    ],
)
def test_bad_project_input_is_explained_and_nothing_is_saved(client, signed_in, change, message):
    signed_in("lead")
    page = client.post(url("projects.create"), data=_new(client, **change))
    assert page.status_code == 200
    assert "<title>Error:" in page.text
    assert message in page.text
    assert Project.select().count() == 0


def test_two_people_editing_the_same_field_get_a_conflict_with_both_values(client, signed_in):
    lead = signed_in("lead")
    project = make_project(lead, name="Original name")
    edit = f"/projects/{project.slug}/edit"
    stale = post_form(client.get(edit).text, "version")
    # Someone else renames the project first.
    first = client.post(edit, data=stale | {"name": "Their name"})
    assert first.status_code == 302
    page = client.post(edit, data=stale | {"name": "My name"})
    assert page.status_code == 409
    assert "Someone else saved changes while you were editing" in page.text
    assert "Their name" in page.text and "My name" in page.text
    assert Project.get_by_id(project.id).name == "Their name"  # nothing overwritten
    # Saving again from the conflict page keeps this person's value deliberately.
    again = client.post(edit, data=post_form(page.text, "version"))
    assert again.status_code == 302
    assert Project.get_by_id(project.id).name == "My name"


def test_edits_to_different_fields_merge_without_a_conflict(client, signed_in):
    lead = signed_in("lead")
    project = make_project(lead, name="Name", agency="Agency")
    edit = url("projects.edit", slug=project.slug)
    stale = post_form(client.get(edit).text, "version")
    client.post(edit, data=stale | {"name": "New name"})
    response = client.post(edit, data=stale | {"agency": "New agency"})
    assert response.status_code == 302
    saved = Project.get_by_id(project.id)
    assert (saved.name, saved.agency) == ("New name", "New agency")


def _events(project, action: str) -> int:
    return (
        AuditEvent.select()
        .where((AuditEvent.project == project) & (AuditEvent.action == action))
        .count()
    )


def _form_to(html: str, action: str) -> dict:
    """The fields of the page's POST form that sends to `action`."""
    return next(f["fields"] for f in forms(html) if f["method"] == "post" and f["action"] == action)


def test_archiving_asks_first_and_a_second_archive_changes_nothing(client, signed_in):
    lead = signed_in("lead")
    project = make_project(lead, name="Old service")
    archive = url("projects.archive", slug=project.slug)
    detail = client.get(url("projects.detail", slug=project.slug)).text
    assert f'href="{archive}"' in detail  # a link to the question, not a button that archives
    page = client.get(archive)
    assert page.status_code == 200
    assert "Archive Old service?" in page.text
    confirm = _form_to(page.text, archive)
    assert not Project.get_by_id(project.id).archived  # asking changed nothing

    response = client.post(archive, data=confirm)
    assert response.location == url("projects.detail", slug=project.slug)
    assert "Project archived." in client.get(response.location).text
    saved = Project.get_by_id(project.id)
    assert saved.archived
    assert _events(project, "archived") == 1
    assert "Old service" not in client.get(url("projects.index")).text

    # The same confirmation again (a second tab, a double click): said, and nothing changes.
    again = client.post(archive, data=confirm)
    assert "This project was already archived: nothing changed." in client.get(again.location).text
    assert Project.get_by_id(project.id).version == saved.version
    assert _events(project, "archived") == 1
    page = client.get(archive).text
    assert "Old service is archived" in page
    assert url("projects.restore", slug=project.slug) in page


def test_archived_projects_are_listed_and_restored_once(client, signed_in):
    lead = signed_in("lead")
    project = make_project(lead, name="Old service", archived=True)
    make_project(lead, name="Current service")
    restore = url("projects.restore", slug=project.slug)
    assert url("projects.archived") in client.get(url("projects.index")).text
    listing = client.get(url("projects.archived")).text
    assert "Old service" in listing and "Current service" not in listing
    button = _form_to(listing, restore)

    response = client.post(restore, data=button)
    assert "Project restored." in client.get(response.location).text
    assert not Project.get_by_id(project.id).archived
    assert "Old service" in client.get(url("projects.index")).text
    assert "Old service" not in client.get(url("projects.archived")).text

    again = client.post(restore, data=button)
    assert "This project is not archived: nothing changed." in client.get(again.location).text
    assert _events(project, "unarchived") == 1


def test_the_archived_list_shows_each_person_what_they_may_see_and_restore(client, signed_in):
    owner, viewer, outsider = (make_user("lead") for _ in range(3))
    project = make_project(owner, name="Old service", archived=True, members={viewer: "viewer"})
    restore = url("projects.restore", slug=project.slug)
    for person, sees, restores in [
        (owner, True, True),
        (viewer, True, False),
        (outsider, False, False),
        (make_user("admin"), True, True),
        (make_user("leadership"), True, False),
    ]:
        signed_in(person)
        page = client.get(url("projects.archived")).text
        assert ("Old service" in page, restore in page) == (sees, restores), person.role
        client.post(url("auth.logout"))


@pytest.mark.parametrize("name", ["New", "Archived"])
def test_a_project_never_takes_the_slug_of_a_page(client, signed_in, name):
    signed_in("lead")
    client.post(url("projects.create"), data=_new(client, name=name))
    slug = Project.get(Project.name == name).slug
    assert slug == f"{name.lower()}-2"
    assert name in client.get(url("projects.detail", slug=slug)).text


def test_members_are_added_changed_and_removed(client, signed_in):
    lead = signed_in("lead")
    project = make_project(lead)
    colleague = make_user("lead", email="colleague@agency.gov", name="Colleague")
    page = client.post(
        url("projects.members", slug=project.slug),
        data={"email": "Colleague@agency.gov", "role": "editor"},
    )
    assert page.status_code == 302
    assert Membership.get(project=project, user=colleague).role == "editor"
    again = client.post(
        url("projects.members", slug=project.slug),
        data={"email": "colleague@agency.gov", "role": "viewer"},
    )
    assert "already a member" in again.text
    unknown = client.post(
        url("projects.members", slug=project.slug),
        data={"email": "nobody@agency.gov", "role": "viewer"},
    )
    assert unknown.status_code == 302, "an unknown address is invited, not refused"
    invited = AccessLink.get(email="nobody@agency.gov")
    assert (invited.project_id, invited.project_role) == (project.id, "viewer")
    client.post(url("projects.remove_member", slug=project.slug, user_id=colleague.id))
    assert not Membership.select().where(Membership.user == colleague).exists()
    missing = client.post(url("projects.remove_member", slug=project.slug, user_id=colleague.id))
    assert missing.status_code == 404


def test_history_shows_who_changed_what(client, signed_in):
    lead = signed_in("lead")
    project = make_project(lead, name="Before")
    edit = url("projects.edit", slug=project.slug)
    client.post(edit, data=post_form(client.get(edit).text, "version") | {"name": "After"})
    page = client.get(url("projects.history", slug=project.slug))
    assert lead.name in page.text
    # Old and new are marked up, and said in words for screen readers, which skip the marks.
    assert '<del><span class="usa-sr-only">was </span>Before</del>' in page.text
    assert '<ins><span class="usa-sr-only">now </span>After</ins>' in page.text


def test_a_member_sees_the_project_on_their_home_page(client, signed_in):
    viewer = signed_in("contracting")
    make_project(members={viewer: "viewer"}, name="Shared service")
    make_project(name="Someone else's service")
    page = client.get(url("projects.index"))
    assert "Shared service" in page.text
    assert "Someone else&#39;s service" not in page.text
