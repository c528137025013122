"""Evidence review: a done item is reviewed by someone other than the person who marked it
done; reviewed readiness is stored beside the self-reported figures and moves in the same save
as every review and every change to a reviewed item. Everything through the rendered pages."""

from __future__ import annotations

import pytest

from playbook.edition import default_edition
from projects.checklists import scores
from projects.checklists.models import ItemResponse
from tests.conftest import PASSWORD, make_project, make_user
from tests.pages import filled, forms, url
from tests.test_scores import stored

ITEM = default_edition().play(1).checklist[0].id


def sign_in_as(client, user) -> None:
    client.post(url("auth.logout"))
    response = client.post(url("auth.login"), data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302


@pytest.fixture
def team(app):
    lead, reviewer = make_user("lead", name="Lena Lead"), make_user("lead", name="Rita Reviewer")
    project = make_project(lead, members={reviewer: "editor"})
    return project, lead, reviewer


def mark_done(client, project, **changes):
    address = url("checklists.play", slug=project.slug, number=1)
    data = filled(client, address, "items-0-status", **{"items-0-status": "done"} | changes)
    assert client.post(address, data=data).status_code == 302


def give_reviewer_right(client, project, user) -> None:
    members = client.get(url("projects.members", slug=project.slug)).text
    assert f"Let {user.name} review" in members
    address = url("projects.reviewer_right", slug=project.slug, user_id=user.id, give=1)
    [button] = [f for f in forms(members) if f["action"] == address]
    assert client.post(address, data=button["fields"]).status_code == 302
    assert "Yes" in client.get(url("projects.members", slug=project.slug)).text


def review(client, project, item=ITEM, **changes):
    address = url("checklists.review_item", slug=project.slug, item_id=item)
    return client.post(address, data=filled(client, address, "verdict", **changes))


def test_a_member_with_the_reviewer_right_accepts_an_item_and_reviewed_readiness_moves(
    client, team
):
    project, lead, reviewer = team
    sign_in_as(client, lead)
    mark_done(client, project, **{"items-0-evidence_url": "https://example.gov/notes"})
    assert stored(project, 1).accepted == 0 and stored(project, 1).reviewed_score == 0
    give_reviewer_right(client, project, reviewer)

    sign_in_as(client, reviewer)
    play = client.get(url("checklists.play", slug=project.slug, number=1)).text
    assert "Evidence review: <strong>Not reviewed</strong>" in play
    response = review(client, project, verdict="accepted", comment="The notes show it.")
    assert response.status_code == 302
    saved = ItemResponse.get(project=project, item_id=ITEM)
    assert (saved.review, saved.reviewed_by_id, saved.done_by_id) == (
        "accepted",
        reviewer.id,
        lead.id,
    )
    play_row = stored(project, 1)
    assert play_row.accepted == 1
    applicable = play_row.done + play_row.in_progress + play_row.not_started
    assert play_row.reviewed_score == pytest.approx(1 / applicable)
    assert scores.drift() == []
    page = client.get(url("projects.detail", slug=project.slug)).text
    assert "Self-reported" in page and "Reviewed: 1 of" in page
    play = client.get(url("checklists.play", slug=project.slug, number=1)).text
    assert "Accepted</strong> by Rita Reviewer" in play


def test_nobody_reviews_an_item_they_marked_done(client, app):
    admin = make_user("admin")
    project = make_project(make_user("lead"))
    sign_in_as(client, admin)
    mark_done(client, project)
    address = url("checklists.review_item", slug=project.slug, item_id=ITEM)
    page = client.get(address, follow_redirects=True).text
    assert "You marked this item done, so someone else must review it." in page
    assert ItemResponse.get(project=project, item_id=ITEM).review == ""


def test_changing_a_reviewed_items_evidence_sends_it_back_to_unreviewed(client, team):
    project, lead, _reviewer = team
    sign_in_as(client, lead)
    mark_done(client, project, **{"items-0-evidence_url": "https://example.gov/notes"})
    sign_in_as(client, make_user("assessor"))
    assert review(client, project, verdict="accepted", comment="").status_code == 302
    assert stored(project).accepted == 1

    sign_in_as(client, lead)
    mark_done(client, project, **{"items-0-evidence_url": "https://example.gov/other"})
    saved = ItemResponse.get(project=project, item_id=ITEM)
    assert (saved.review, saved.reviewed_by_id) == ("", None)
    assert stored(project).accepted == 0
    assert scores.drift() == []
    # A change to the note alone keeps the review.
    sign_in_as(client, make_user("assessor"))
    assert review(client, project, verdict="accepted", comment="").status_code == 302
    sign_in_as(client, lead)
    mark_done(client, project, **{"items-0-note": "Notes from the March sessions."})
    assert ItemResponse.get(project=project, item_id=ITEM).review == "accepted"


def test_asking_for_more_evidence_needs_a_comment_and_counts_as_not_accepted(client, team):
    project, lead, _ = team
    sign_in_as(client, lead)
    mark_done(client, project)
    sign_in_as(client, make_user("assessor"))
    refused = review(client, project, verdict="needs_evidence", comment="  ")
    assert refused.status_code == 200
    assert "Say what evidence is missing" in refused.text
    assert review(client, project, verdict="needs_evidence", comment="No link.").status_code == 302
    assert ItemResponse.get(project=project, item_id=ITEM).review == "needs_evidence"
    assert stored(project).accepted == 0
    assert scores.drift() == []


def test_a_review_of_an_item_that_changed_meanwhile_is_refused(client, team):
    project, lead, _ = team
    sign_in_as(client, lead)
    mark_done(client, project)
    assessor = make_user("assessor")
    sign_in_as(client, assessor)
    address = url("checklists.review_item", slug=project.slug, item_id=ITEM)
    data = filled(client, address, "verdict", verdict="accepted")
    sign_in_as(client, lead)
    mark_done(client, project, **{"items-0-evidence_url": "https://example.gov/new"})
    sign_in_as(client, assessor)
    response = client.post(address, data=data)
    assert "Someone changed this item while you were reviewing it" in response.text
    assert ItemResponse.get(project=project, item_id=ITEM).review == ""


def test_members_without_the_reviewer_right_may_not_review(client, team):
    project, lead, reviewer = team
    sign_in_as(client, lead)
    mark_done(client, project)
    sign_in_as(client, reviewer)
    address = url("checklists.review_item", slug=project.slug, item_id=ITEM)
    assert client.get(address).status_code == 403
    assert "Review p01" not in client.get(url("checklists.play", slug=project.slug, number=1)).text


def test_items_waiting_for_my_review_are_in_my_work_until_i_review_them(client, team):
    project, lead, reviewer = team
    sign_in_as(client, lead)
    mark_done(client, project, **{"items-0-evidence_url": "https://example.gov/research"})
    give_reviewer_right(client, project, reviewer)
    waiting = url("mywork.index", kind="review")
    assert ITEM not in client.get(waiting).text, "nobody reviews an item they marked done"

    sign_in_as(client, reviewer)
    page = client.get(waiting).text
    assert "Items waiting for my review" in page
    link = url("checklists.review_item", slug=project.slug, item_id=ITEM)
    assert f'href="{link}"' in page and "Done, waiting for review" in page
    assert review(client, project, verdict="accepted").status_code == 302
    assert link not in client.get(waiting).text

    outsider = make_user("lead", name="Not A Reviewer")
    ItemResponse.update(review="").where(ItemResponse.project == project).execute()
    sign_in_as(client, outsider)
    assert link not in client.get(waiting).text, "no reviewer right, not on the project"
