"""Owners without accounts: a checklist item or a finding names someone who cannot sign in by
name and email address, through the real forms; they show wherever owners are shown, get the
assignment notice and the weekly digest with an invitation link, and when they accept it their
work becomes their account's."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from projects.auth.models import User
from projects.checklists.models import ItemResponse
from projects.db import utcnow
from projects.editions import active_edition
from projects.invitations.models import AccessLink
from projects.mywork.digest import send_digests
from projects.owners.models import OutsideOwner
from projects.projects.models import Membership
from projects.research.models import Finding
from tests.conftest import make_project, make_user
from tests.mailbox import link_in, smtp_server, smtp_settings, text_of
from tests.pages import filled, url
from tests.research.factories import make_finding

TODAY = utcnow().date()
PRIVACY = {"items-0-outside_name": "Morgan Reyes", "items-0-outside_email": "M.Reyes@Agency.gov"}
NEW_PASSWORD = "a long and unusual passphrase 7"


@pytest.fixture
def lead(app):
    return make_user("lead", name="Lena Lead")


@pytest.fixture
def project(lead):
    return make_project(lead, name="Parking permits", members={lead: "owner"})


def play_page(project) -> str:
    return url("checklists.play", slug=project.slug, number=1)


def name_on_play(client, project, **typed):
    """Post play 1 as rendered, with the first item's owner typed in."""
    address = play_page(project)
    return client.post(address, data=filled(client, address, "items-0-owner", **typed))


def test_an_item_gets_an_owner_without_an_account_through_the_play_page(
    client, signed_in, lead, project
):
    signed_in(lead)
    response = name_on_play(
        client, project, **PRIVACY, **{"items-0-due_date": str(TODAY + timedelta(days=5))}
    )
    assert response.status_code == 302
    page = client.get(response.location).text
    assert "Play 1 saved." in page
    assert '<option value="outside-' in page and "selected>Morgan Reyes (no account)</" in page
    first = active_edition().play(1).checklist[0]
    row = ItemResponse.get(item_id=first.id)
    assert (row.owner_id, row.outside_owner.name, row.outside_owner.email) == (
        None,
        "Morgan Reyes",
        "m.reyes@agency.gov",
    )

    api = client.get(url("api.project", slug=project.slug)).get_json()
    named = {i["id"]: (i["owner_id"], i["owner_without_account"]) for i in api["items"]}
    assert named[first.id] == (None, "Morgan Reyes (no account)")

    # Saving again with the person chosen from the list keeps them; no second row is made.
    form = filled(client, play_page(project), "items-0-owner")
    assert client.post(play_page(project), data=form).status_code == 302
    assert OutsideOwner.select().count() == 1

    # A viewer reads the owner's name on the play page; the history says who named them.
    viewer = make_user("lead", name="Vic Viewer")
    Membership.create(project=project, user=viewer, role="viewer")
    client.post(url("auth.logout"))
    signed_in(viewer)
    read = client.get(play_page(project)).text
    assert "Owner: Morgan Reyes (no account)" in read
    history = client.get(url("projects.history", slug=project.slug)).text
    assert "named Morgan Reyes, who has no account, as an owner" in history
    assert "Morgan Reyes (no account)" in history  # the owner change, by name


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ({"items-0-outside_name": "Morgan Reyes"}, "Enter the email address of the owner"),
        ({"items-0-outside_email": "m@agency.gov"}, "Enter the name of the owner without"),
        (
            {"items-0-outside_name": "Morgan", "items-0-outside_email": "not an address"},
            "Enter an email address in the right format",
        ),
    ],
)
def test_a_wrong_owner_without_an_account_gets_a_message(
    client, signed_in, lead, project, typed, message
):
    signed_in(lead)
    response = name_on_play(client, project, **typed)
    assert response.status_code == 200
    assert message in response.text
    assert '<details class="pt-outside-owner margin-bottom-2" open>' in response.text
    assert ItemResponse.select().count() == 0 and OutsideOwner.select().count() == 0


def test_an_address_that_signs_in_names_that_person(client, signed_in, lead, project):
    eddie = make_user("lead", name="Eddie Editor", email="eddie@agency.gov")
    Membership.create(project=project, user=eddie, role="editor")
    stranger = make_user("lead", name="Sam Stranger", email="sam@agency.gov")
    signed_in(lead)
    typed = {"items-0-outside_name": "Ed", "items-0-outside_email": "Eddie@agency.gov"}
    assert name_on_play(client, project, **typed).status_code == 302
    row = ItemResponse.get(item_id=active_edition().play(1).checklist[0].id)
    assert (row.owner_id, row.outside_owner_id) == (eddie.id, None)
    assert OutsideOwner.select().count() == 0

    typed = {"items-0-outside_name": "Sam", "items-0-outside_email": stranger.email}
    refused = name_on_play(client, project, **typed)
    assert "Sam Stranger has an account with sam@agency.gov but is not on this project" in (
        refused.text
    )


def test_a_stale_play_page_that_changes_the_owner_again_gets_a_conflict(
    client, signed_in, lead, project
):
    eddie = make_user("lead", name="Eddie Editor")
    Membership.create(project=project, user=eddie, role="editor")
    signed_in(lead)
    stale = filled(client, play_page(project), "items-0-owner", **{"items-0-owner": str(eddie.id)})
    assert name_on_play(client, project, **PRIVACY).status_code == 302
    conflict = client.post(play_page(project), data=stale)
    assert conflict.status_code == 409
    assert "Morgan Reyes (no account)" in conflict.text and "Eddie Editor" in conflict.text
    row = ItemResponse.get(item_id=active_edition().play(1).checklist[0].id)
    assert row.outside_owner.name == "Morgan Reyes", "nothing was overwritten"


def test_a_finding_gets_an_owner_without_an_account_and_back(client, signed_in, lead, project):
    finding = make_finding(project, lead, title="People cannot find the fee")
    signed_in(lead)
    address = url("research.edit", slug=project.slug, finding_id=finding.id)
    form = filled(
        client, address, "owner", outside_name="Morgan Reyes", outside_email="m@agency.gov"
    )
    response = client.post(address, data=form)
    assert response.status_code == 302
    assert "Owner: Morgan Reyes (no account)" in client.get(response.location).text

    # Choosing a user from the list replaces the owner without an account.
    form = filled(client, address, "owner", owner=str(lead.id))
    assert client.post(address, data=form).status_code == 302
    saved = Finding.get_by_id(finding.id)
    assert (saved.owner_id, saved.outside_owner_id) == (lead.id, None)
    assert "Owner: Lena Lead" in client.get(response.location).text


def test_overdue_work_of_an_owner_without_an_account_is_grouped_under_their_name(
    client, signed_in, lead, project
):
    signed_in(lead)
    overdue = str(TODAY - timedelta(days=2))
    name_on_play(client, project, **PRIVACY, **{"items-0-due_date": overdue})
    page = client.get(url("mywork.index")).text
    assert "Morgan Reyes (no account) (1)" in page
    report = client.get(url("reports.project_preview", slug=project.slug)).text
    assert "Owner: Morgan Reyes (no account)" in report


@pytest.fixture
def smtp():
    with smtp_server() as running:
        yield running


class TestEmail:
    @pytest.fixture
    def app_config(self, smtp):
        return smtp_settings(smtp[0])

    def test_the_notice_and_digest_reach_them_and_accepting_hands_over_their_work(
        self, app, client, signed_in, lead, project, smtp
    ):
        _, received = smtp
        first, second = active_edition().play(1).checklist[:2]
        finding = make_finding(project, lead, title="People cannot find the fee")
        signed_in(lead)
        overdue = str(TODAY - timedelta(days=1))
        name_on_play(client, project, **PRIVACY, **{"items-0-due_date": overdue})
        (notice,) = received.messages
        assert received.envelopes[0][1] == ["m.reyes@agency.gov"]
        assert notice["Subject"] == "Lena Lead assigned you work on Parking permits"
        text = text_of(notice)
        assert "Hello Morgan Reyes" in text and f"{first.id} {first.text}" in text
        old_link = link_in(notice, "/invitations/")

        # A second piece of work, a finding: the same pending invitation with a new secret.
        address = url("research.edit", slug=project.slug, finding_id=finding.id)
        outside = OutsideOwner.get()
        form = filled(client, address, "owner", owner=outside.key)
        assert client.post(address, data=form).status_code == 302
        assert len(received.messages) == 2 and "People cannot find the fee" in text_of(
            received.messages[1]
        )
        invitations = AccessLink.select().where(AccessLink.email == "m.reyes@agency.gov")
        assert invitations.count() == 1, "one invitation, not one per notice"
        assert link_in(received.messages[1], "/invitations/") != old_link

        # The weekly digest lists their overdue work, with a link to make their account.
        now = datetime.combine(TODAY, datetime.min.time())
        assert send_digests(now) == 1
        assert send_digests(now) == 0, "once a week"
        digest = received.messages[-1]
        assert digest["To"] == "m.reyes@agency.gov"
        assert digest["Subject"] == "Your work this week: 1 overdue, 0 due soon"
        assert f"{first.id} {first.text}" in text_of(digest)
        accept = link_in(digest, "/invitations/")
        assert accept != old_link
        client.post(url("auth.logout"))
        assert client.get(old_link).status_code == 404, "an older email's link stops working"

        form = filled(
            client,
            accept,
            "password",
            name="Morgan Reyes",
            password=NEW_PASSWORD,
            confirm=NEW_PASSWORD,
        )
        response = client.post(accept, data=form)
        assert response.status_code == 302
        assert response.location.endswith(url("projects.detail", slug=project.slug))
        morgan = User.get(email="m.reyes@agency.gov")
        item = ItemResponse.get(item_id=first.id)
        assert (item.owner_id, item.outside_owner_id) == (morgan.id, None)
        assert Finding.get_by_id(finding.id).owner_id == morgan.id
        assert Membership.get(project=project, user=morgan).role == "editor"
        work = client.get(url("mywork.index")).text
        assert first.text in work and "People cannot find the fee" in work
        assert second.text not in work
        assert "Morgan Reyes (no account)" not in client.get(play_page(project)).text
        assert send_digests(now + timedelta(days=7)) == 1, "now as a user, with My work"
        assert "/my-work" in text_of(received.messages[-1])

    def test_the_digest_can_be_stopped_from_its_link_without_an_account(
        self, app, client, signed_in, lead, project, smtp
    ):
        _, received = smtp
        signed_in(lead)
        name_on_play(client, project, **PRIVACY, **{"items-0-due_date": str(TODAY)})
        other = make_project(lead, name="Fishing licenses", members={lead: "owner"})
        name_on_play(client, other, **PRIVACY, **{"items-0-due_date": str(TODAY)})
        now = datetime.combine(TODAY, datetime.min.time())
        assert send_digests(now) == 1
        stop = link_in(received.messages[-1], "/weekly-email/stop/")
        assert "Stop this weekly email" in received.messages[-1].get_body(("html",)).get_content()
        client.post(url("auth.logout"))

        page = client.get(stop)  # what a mail scanner does too: it changes nothing
        assert page.status_code == 200 and "Stop the weekly email" in page.text
        assert "m.reyes@agency.gov" in page.text
        assert OutsideOwner.select().where(~OutsideOwner.weekly_digest).count() == 0
        done = client.post(stop, data=filled(client, stop))
        assert done.status_code == 200 and "The weekly email is stopped" in done.text
        assert OutsideOwner.select().where(OutsideOwner.weekly_digest).count() == 0, "both"
        assert send_digests(now + timedelta(days=7)) == 0
        # Named again on a third project: the address stays stopped.
        signed_in(lead)
        third = make_project(lead, name="Boat permits", members={lead: "owner"})
        name_on_play(client, third, **PRIVACY, **{"items-0-due_date": str(TODAY)})
        assert send_digests(now + timedelta(days=14)) == 0
        assert received.messages[-1]["Subject"].startswith("Lena Lead assigned you work")

    def test_a_broken_stop_link_says_so(self, client):
        page = client.get(url("mywork.stop_weekly_email", token="m.reyes@agency.gov.forged"))
        assert page.status_code == 404 and "This link does not work" in page.text


@pytest.mark.parametrize("how", ["admin page", "command"])
def test_an_account_made_by_an_admin_takes_over_the_work_named_to_its_address(
    app, client, signed_in, runner, lead, project, how
):
    signed_in(lead)
    assert name_on_play(client, project, **PRIVACY).status_code == 302
    client.post(url("auth.logout"))
    email = PRIVACY["items-0-outside_email"]
    if how == "admin page":
        signed_in("admin")
        address = url("admin.create_user")
        typed = {"email": email.upper(), "name": "Morgan Reyes", "role": "lead"}
        typed |= {"password": NEW_PASSWORD}
        assert (
            client.post(address, data=filled(client, address, "email", **typed)).status_code == 302
        )
    else:
        result = runner.invoke(
            args=[
                "create-user",
                email,
                "--name",
                "Morgan Reyes",
                "--role",
                "lead",
                "--password-stdin",
            ],
            input=NEW_PASSWORD + "\n",
        )
        assert result.exit_code == 0, result.output
    user = User.get(User.email == email.lower())
    row = ItemResponse.get(project=project, item_id=active_edition().play(1).checklist[0].id)
    assert (row.owner_id, row.outside_owner_id) == (user.id, None)
    assert Membership.get(project=project, user=user).role == "editor"
