"""The number of SQL queries a page makes does not grow with the number of projects: each page
is counted with 5 projects and again with 1,000."""

from __future__ import annotations

import pytest
from peewee import chunked
from playhouse.test_utils import count_queries

from playbook.edition import PHASES
from projects.audit import AuditEvent
from projects.auth.models import User
from projects.checklists import scores
from projects.checklists.models import ItemResponse, QuestionAnswer
from projects.db import db
from projects.editions import active_edition
from projects.measures.models import Measure
from projects.projects.models import Membership, Project
from tests.conftest import make_user

SMALL, LARGE = 5, 1000
PAGES = [
    "/portfolio",
    "/portfolio?sort=-readiness&page=2",
    "/portfolio?phase=alpha&sort=readiness",
    "/portfolio?sort=-satisfaction&cx=below-target",
    "/portfolio?sort=satisfaction&page=2",
    "/projects",
    "/api/v1/projects",
    "/projects/bulk-0",
    "/projects/bulk-0/plays/1",
    "/projects/bulk-0/history",
    "/api/v1/projects/bulk-0",
    "/api/v1/projects/bulk-0/history",
    "/my-work",
    "/my-work?kind=item",
]


def add_projects(start: int, stop: int, leads: list, member) -> None:
    """Projects bulk-<start>..bulk-<stop - 1>, each with a member, answers and history."""
    edition = active_edition()
    items, questions = list(edition.items), list(edition.questions)
    statuses = ["done", "in_progress", "not_started", "not_applicable"]
    with db.atomic():
        Project.insert_many(
            {
                "slug": f"bulk-{n}",
                "name": f"Bulk project {n:03}",
                "agency": f"Agency {n % 3}",
                "phase": PHASES[n % len(PHASES)],
                "lead": leads[n % len(leads)].id,
            }
            for n in range(start, stop)
        ).execute()
        ids = [
            p.id
            for p in Project.select(Project.id).where(
                Project.slug.in_([f"bulk-{n}" for n in range(start, stop)])
            )
        ]
        Membership.insert_many(
            {"project": pid, "user": member.id, "role": "editor"} for pid in ids
        ).execute()
        for batch in chunked(
            (
                {
                    "project": pid,
                    "item_id": item_id,
                    "status": statuses[(pid + i) % 4],
                    "justification": "Not in scope" if (pid + i) % 4 == 3 else "",
                    "owner": leads[i % len(leads)].id,
                    "updated_by": member.id,
                }
                for pid in ids
                for i, item_id in enumerate(items[::4])
            ),
            200,
        ):
            ItemResponse.insert_many(batch).execute()
        QuestionAnswer.insert_many(
            {"project": pid, "question_id": q, "answer": "We *asked*.", "updated_by": member.id}
            for pid in ids
            for q in questions[:3]
        ).execute()
        AuditEvent.insert_many(
            {
                "project": pid,
                "user": member.id,
                "action": "updated",
                "object_type": "ItemResponse",
                "object_id": items[0],
                "before": {"status": "not_started"},
                "after": {"status": "done"},
            }
            for pid in ids
            for _ in range(3)
        ).execute()
        Measure.insert_many(
            {
                "project": pid,
                "key": key,
                "name": key.title(),
                "unit": "percent",
                "direction": "higher",
                "driver": key,
                "target": 75.0,
                "latest_period": "2026-Q2",
                "latest_value": float(pid % 100),
                "previous_value": float(pid % 90),
            }
            for pid in ids
            for key in ("satisfaction", "trust")
        ).execute()
        scores.store_all(only=ids)


def queries(client, url: str) -> int:
    client.get(url)  # once first, so a cold cache is not counted
    with count_queries() as counter:
        response = client.get(url)
    assert response.status_code == 200, url
    return counter.count


@pytest.mark.parametrize("who", ["admin", "leadership", "member"])
def test_queries_per_page_do_not_grow_with_the_number_of_projects(client, signed_in, who):
    leads = [make_user("lead") for _ in range(4)]
    member = make_user("lead")
    user = member if who == "member" else make_user(who)
    add_projects(0, SMALL, leads, member)
    signed_in(user)
    small = {url: queries(client, url) for url in PAGES}
    add_projects(SMALL, LARGE, leads, member)
    large = {url: queries(client, url) for url in PAGES}
    assert large == small, "pages whose number of queries grew from 5 to 1,000 projects"


def test_the_large_portfolio_really_is_large(client, signed_in):
    """Guards the test above: the pages it counts do show the 200 projects."""
    leads = [make_user("lead") for _ in range(4)]
    member = make_user("lead")
    add_projects(0, LARGE, leads, member)
    signed_in(member)
    listed = client.get("/api/v1/projects").get_json()
    assert (listed["total"], len(listed["projects"])) == (LARGE, 100)
    assert f"{LARGE} projects, page 1 of {LARGE // 25}" in client.get("/portfolio").text
    home = client.get("/projects").text
    assert f"{LARGE} projects, page 1 of {LARGE // 25}" in home
    assert "Bulk project 000" in home
    last = client.get(f"/projects?page={LARGE // 25}").text
    assert f"Bulk project {LARGE - 1:03}" in last


PEOPLE_PAGES = [
    "/admin/users",
    "/admin/users?page=2",
    "/admin/users?q=person",
    "/projects/new",
    "/projects/bulk-0/edit",
    "/projects/bulk-0/members",
    "/projects/bulk-0/plays/1",
]


def add_people(start: int, stop: int) -> None:
    """People bulk-person-<start>..<stop - 1> who can sign in, in one insert."""
    User.insert_many(
        {
            "email": f"bulk-person-{n}@agency.gov",
            "name": f"Bulk person {n:04}",
            "role": "lead",
            "password_hash": "not-a-real-hash",
        }
        for n in range(start, stop)
    ).execute()


def test_queries_per_page_do_not_grow_with_the_number_of_people(client, signed_in):
    """The users page and the forms that name people (the project's lead, its members, item
    owners) cost the same with 5 people as with 500."""
    admin = make_user("admin")
    leads = [make_user("lead") for _ in range(2)]
    add_projects(0, 1, leads, leads[0])
    add_people(0, SMALL)
    signed_in(admin)
    small = {url: queries(client, url) for url in PEOPLE_PAGES}
    add_people(SMALL, 500)
    large = {url: queries(client, url) for url in PEOPLE_PAGES}
    assert large == small, "pages whose number of queries grew from 5 to 500 people"
    assert "Bulk person 0499" not in client.get("/projects/bulk-0/edit").text
    assert "503 users, page 1 of 11." in client.get("/admin/users").text
