"""My work: a person's work across projects, most urgent first, with filters; the overdue work
of the projects they lead or own, by person; the weekly email; and assignment notices."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from projects.auth.models import User
from projects.checklists.models import ItemResponse
from projects.db import utcnow
from projects.editions import active_edition
from projects.mywork.digest import send_digests
from tests.conftest import make_project, make_user
from tests.mailbox import html_of, link_in, outbox, text_of
from tests.pages import filled, forms, url
from tests.research.factories import make_finding

TODAY = utcnow().date()


def item(project, n: int, owner, due: date | None, status: str = "in_progress"):
    checklist = list(active_edition().items.values())
    return ItemResponse.create(
        project=project, item_id=checklist[n].id, status=status, owner=owner, due_date=due
    )


@pytest.fixture
def lead(app):
    return make_user("lead", name="Lena Lead")


def test_my_work_lists_my_items_and_findings_across_projects_overdue_first(client, signed_in, lead):
    other = make_user("lead", name="Omar Other")
    permits = make_project(lead, name="Parking permits")
    benefits = make_project(other, name="Benefits renewal", members={lead: "editor"})
    unrelated = make_project(other, name="Not mine at all")
    item(permits, 0, lead, TODAY + timedelta(days=40))  # later
    item(benefits, 1, lead, TODAY - timedelta(days=3))  # overdue
    item(permits, 2, lead, None)  # no date: later
    item(permits, 3, lead, TODAY - timedelta(days=9), status="done")  # done: not work
    item(permits, 4, other, TODAY - timedelta(days=9))  # someone else's
    item(unrelated, 5, lead, TODAY - timedelta(days=1))  # a project I am no longer on
    make_finding(
        benefits, other, title="Fee is hidden", owner=lead.id, due_date=TODAY + timedelta(days=5)
    )
    make_finding(benefits, other, title="Addressed one", owner=lead.id, status="addressed")
    signed_in(lead)

    whole = client.get(url("mywork.index")).text
    page, team = whole.split("Overdue work on projects you lead or own")
    checklist = list(active_edition().items.values())
    overdue = page.index("Overdue (1)")
    soon = page.index("Due in the next 14 days (1)")
    later = page.index("No date or due later (2)")
    assert overdue < page.index(checklist[1].id) < soon < page.index("Fee is hidden") < later
    assert later < page.index(checklist[0].id) and later < page.index(checklist[2].id)
    for absent in (checklist[3].id, checklist[4].id, checklist[5].id, "Addressed one"):
        assert absent not in page
    assert checklist[4].id in team, "someone else's overdue item on a project I lead"
    assert "4 pieces of work assigned to you" in page
    # Each row links to where the work is done.
    play = checklist[1].play
    assert f'href="/projects/{benefits.slug}/plays/{play}#item-{checklist[1].id}"' in page
    assert f'href="/projects/{benefits.slug}/user-research/' in page


def test_my_work_filters_by_project_and_kind(client, signed_in, lead):
    permits = make_project(lead, name="Parking permits")
    benefits = make_project(lead, name="Benefits renewal")
    item(permits, 0, lead, TODAY)
    make_finding(benefits, lead, title="Fee is hidden", owner=lead.id)
    signed_in(lead)
    by_project = client.get(url("mywork.index", project=permits.slug)).text
    assert "1 piece of work assigned to you that matches these filters" in by_project
    assert "Fee is hidden" not in by_project
    by_kind = client.get(url("mywork.index", kind="finding")).text
    first = next(iter(active_edition().items.values()))
    assert "Fee is hidden" in by_kind and first.text not in by_kind
    # Values nobody offered are ignored, not errors.
    assert client.get(url("mywork.index", project="someone-elses", kind="x")).status_code == 200


def test_leads_and_owners_see_their_projects_overdue_work_by_person(client, signed_in, lead):
    eddie, olive = make_user("lead", name="Eddie Editor"), make_user("lead", name="Olive Owner")
    permits = make_project(lead, name="Parking permits", members={eddie: "editor"})
    shared = make_project(eddie, name="Shared", members={olive: "owner", lead: "viewer"})
    item(permits, 0, eddie, TODAY - timedelta(days=2))
    item(permits, 1, None, TODAY - timedelta(days=2))
    item(permits, 2, eddie, TODAY + timedelta(days=2))  # not overdue
    item(shared, 3, eddie, TODAY - timedelta(days=2))  # lead is only a viewer there
    signed_in(lead)
    page = client.get(url("mywork.index")).text
    team = page[page.index("Overdue work on projects you lead or own") :]
    checklist = list(active_edition().items.values())
    assert team.index("Eddie Editor (1)") < team.index(checklist[0].id) < team.index("No owner (1)")
    assert checklist[1].id in team
    assert checklist[2].id not in team and checklist[3].id not in team

    client.post(url("auth.logout"))
    signed_in(eddie)  # an editor on permits, the lead of shared: sees only shared's
    theirs = client.get(url("mywork.index")).text
    team = theirs[theirs.index("Overdue work on projects you lead or own") :]
    assert checklist[3].id in team and checklist[0].id not in team


def weekly_form(client) -> dict:
    page = client.get(url("mywork.index")).text
    return next(f["fields"] for f in forms(page) if f["action"] == url("mywork.weekly_email"))


def test_a_person_turns_the_weekly_email_off_and_on(client, signed_in, lead):
    signed_in(lead)
    form = weekly_form(client)
    assert form["weekly_digest"] == "y"  # on unless turned off
    del form["weekly_digest"]  # unchecked: the browser leaves it out
    response = client.post(url("mywork.weekly_email"), data=form)
    assert response.status_code == 302
    assert "The weekly email is off" in client.get(response.location).text
    assert User.get_by_id(lead.id).weekly_digest is False
    form = weekly_form(client)
    assert "weekly_digest" not in form
    client.post(url("mywork.weekly_email"), data=form | {"weekly_digest": "y"})
    assert User.get_by_id(lead.id).weekly_digest is True


def test_the_weekly_digest_lists_overdue_and_due_soon_work_once_a_week(app, lead):
    quiet = make_user("lead", name="Quiet Person", weekly_digest=False)
    idle = make_user("lead", name="Nothing Due")
    project = make_project(
        lead, name="Permits <b>& fees</b>", members={quiet: "editor", idle: "editor"}
    )
    now = datetime.combine(TODAY, datetime.min.time())
    item(project, 0, lead, TODAY - timedelta(days=1))
    item(project, 1, lead, TODAY + timedelta(days=3))
    item(project, 2, lead, TODAY + timedelta(days=60))  # later: not in the digest
    item(project, 3, quiet, TODAY - timedelta(days=1))
    item(project, 4, idle, TODAY + timedelta(days=60))

    assert send_digests(now) == 1
    assert send_digests(now) == 0, "a second run in the same week sends nothing"
    (message,) = outbox(app)
    assert message["To"] == lead.email
    assert message["Subject"] == "Your work this week: 1 overdue, 1 due soon"
    checklist = list(active_edition().items.values())
    text, html = text_of(message), html_of(message)
    for part in (text, html):
        assert checklist[0].id in part and checklist[1].id in part
        assert checklist[2].id not in part
    assert "Permits <b>& fees</b>" in text
    assert "Permits &lt;b&gt;&amp; fees&lt;/b&gt;" in html and "<b>&" not in html
    assert link_in(message, "/my-work") == "/my-work"
    assert send_digests(now + timedelta(days=7)) == 1, "next week, again"


def test_assigning_an_item_to_someone_else_emails_them(app, client, signed_in, lead):
    eddie = make_user("lead", name="Eddie Editor")
    project = make_project(lead, name="Parking permits", members={eddie: "editor"})
    signed_in(lead)
    address = url("checklists.play", slug=project.slug, number=1)
    form = filled(client, address, "items-0-owner", **{"items-0-owner": str(eddie.id)})
    assert client.post(address, data=form).status_code == 302
    form = filled(client, address, "items-0-owner", **{"items-1-owner": str(lead.id)})
    assert client.post(address, data=form).status_code == 302  # to myself: no notice
    (notice,) = outbox(app)
    first = active_edition().play(1).checklist[0]
    assert notice["To"] == eddie.email
    assert notice["Subject"] == "Lena Lead assigned you work on Parking permits"
    assert first.text in text_of(notice)
    assert link_in(notice, f"/projects/{project.slug}/plays/1") == (
        f"/projects/{project.slug}/plays/1#item-{first.id}"
    )


def test_a_finding_gets_an_owner_and_due_date_through_its_form(app, client, signed_in, lead):
    eddie = make_user("lead", name="Eddie Editor")
    project = make_project(lead, members={eddie: "editor"})
    finding = make_finding(project, lead, title="People cannot find the fee")
    signed_in(lead)
    address = url("research.edit", slug=project.slug, finding_id=finding.id)
    form = filled(client, address, "owner", owner=str(eddie.id), due_date="2026-05-01")
    response = client.post(address, data=form)
    assert response.status_code == 302
    assert "Eddie Editor · Due May 1, 2026" in client.get(response.location).text
    (notice,) = outbox(app)
    assert notice["To"] == eddie.email and "People cannot find the fee" in text_of(notice)
    stranger = make_user("lead")
    form = filled(client, address, "owner", owner=str(stranger.id))
    refused = client.post(address, data=form)
    assert "Choose the owner from the list" in refused.text


def test_my_work_makes_as_many_queries_at_200_projects_as_at_5(client, signed_in):
    from tests.test_queries import add_projects, queries

    leads = [make_user("lead") for _ in range(4)]
    add_projects(0, 5, leads, make_user("lead"))
    ItemResponse.update(due_date=TODAY - timedelta(days=1)).execute()  # overdue: team list too
    signed_in(leads[0])
    small = queries(client, url("mywork.index"))
    add_projects(5, 200, leads, make_user("lead"))
    ItemResponse.update(due_date=TODAY - timedelta(days=1)).execute()
    large = queries(client, url("mywork.index"))
    page = client.get(url("mywork.index")).text
    assert "Bulk project 196" in page, "the work of the projects added later is listed"
    assert large == small
