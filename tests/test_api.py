"""The read-only JSON API under /api/v1/: its shape, what each user may see, its errors, and
readiness values that agree with the rules in playbook.readiness."""

from __future__ import annotations

import pytest

from playbook.edition import default_edition
from playbook.readiness import STATUSES, project_readiness
from projects.checklists import scores
from projects.checklists.models import ItemResponse
from projects.editions import active_edition
from tests.conftest import make_project, make_user
from tests.pages import url

PLAYS = {str(play.number) for play in default_edition().plays}


def _mark(project, statuses: dict[str, str]) -> None:
    for item_id, status in statuses.items():
        ItemResponse.create(project=project, item_id=item_id, status=status)
    scores.refresh(project)  # what a save through the play page stores with it


def _two_of_seven_done(project) -> dict[str, str]:
    """Play 1 (seven items) with two done: 2/7 for the play."""
    play = active_edition().play(1)
    assert len(play.checklist) == 7
    statuses = {play.checklist[0].id: "done", play.checklist[1].id: "done"}
    _mark(project, statuses)
    return statuses


def _assert_score(value) -> None:
    assert value is None or (isinstance(value, int | float) and 0 <= value <= 1)


def test_the_project_list_has_exactly_the_documented_shape(client, signed_in):
    lead = signed_in("lead")
    project = make_project(lead, name="Pay a parking ticket", agency="Transport", phase="beta")
    _two_of_seven_done(project)
    response = client.get(url("api.projects"))
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"projects", "page", "per_page", "pages", "total", "next", "previous"}
    assert (body["page"], body["per_page"], body["pages"], body["total"]) == (1, 100, 1, 1)
    assert body["next"] is None and body["previous"] is None
    [entry] = body["projects"]
    assert set(entry) == {
        *("slug", "name", "agency", "phase", "archived", "readiness"),
        "customer_experience",
    }
    assert entry["customer_experience"] == {"satisfaction": None, "trust": None}
    assert (entry["slug"], entry["name"], entry["agency"], entry["phase"]) == (
        project.slug,
        "Pay a parking ticket",
        "Transport",
        "beta",
    )
    assert entry["archived"] is False
    assert set(entry["readiness"]) == {"overall", "reviewed", "phase", "plays"}
    assert set(entry["readiness"]["plays"]) == PLAYS
    for score in [entry["readiness"]["overall"], *entry["readiness"]["plays"].values()]:
        _assert_score(score)


def test_a_project_with_nothing_applicable_has_null_scores(client, signed_in):
    lead = signed_in("lead")
    project = make_project(lead)
    _mark(project, dict.fromkeys(active_edition().items, "not_applicable"))
    [entry] = client.get(url("api.projects")).get_json()["projects"]
    assert entry["readiness"]["overall"] is None
    assert set(entry["readiness"]["plays"].values()) == {None}


def test_the_values_are_the_readiness_rules(client, signed_in):
    lead = signed_in("lead")
    project = make_project(lead, phase="discovery")
    statuses = _two_of_seven_done(project)
    [entry] = client.get(url("api.projects")).get_json()["projects"]
    plays = entry["readiness"]["plays"]
    assert plays["1"] == pytest.approx(2 / 7)
    assert {plays[n] for n in PLAYS - {"1"}} == {0}
    # Every play has applicable items, so overall is the mean over every play.
    assert entry["readiness"]["overall"] == pytest.approx(2 / 7 / len(PLAYS))
    expected = project_readiness(active_edition(), statuses, "discovery")
    assert entry["readiness"]["overall"] == pytest.approx(expected.overall.score)
    assert entry["readiness"]["phase"] == pytest.approx(expected.phase.score)
    detail = client.get(url("api.project", slug=project.slug)).get_json()
    assert detail["readiness"] == entry["readiness"]


def test_only_projects_the_user_may_see_are_listed(client, signed_in):
    lead = make_user("lead")
    mine = make_project(lead, name="Mine")
    member_of = make_project(make_user("lead"), name="Joined", members={lead: "viewer"})
    make_project(make_user("lead"), name="Someone else's")
    signed_in(lead)
    listed = {p["slug"] for p in client.get(url("api.projects")).get_json()["projects"]}
    assert listed == {mine.slug, member_of.slug}


@pytest.mark.parametrize("role", ["admin", "leadership"])
def test_admins_and_leadership_see_every_project(client, signed_in, role):
    projects = [make_project() for _ in range(3)]
    signed_in(role)
    listed = {p["slug"] for p in client.get(url("api.projects")).get_json()["projects"]}
    assert listed == {p.slug for p in projects}


def test_one_project_adds_every_items_status(client, signed_in):
    lead = signed_in("lead")
    project = make_project(lead)
    edition = active_edition()
    items = list(edition.items)
    _mark(project, {items[0]: "done", items[1]: "in_progress", items[2]: "not_applicable"})
    response = client.get(url("api.project", slug=project.slug))
    assert response.status_code == 200
    body = response.get_json()
    assert {"slug", "name", "agency", "phase", "readiness"} <= set(body)
    assert body["slug"] == project.slug
    assert set(body["readiness"]["plays"]) == PLAYS
    assert len(body["items"]) == len(edition.items) == 88
    assert [i["id"] for i in body["items"]] == items
    statuses = {i["id"]: i["status"] for i in body["items"]}
    assert set(statuses.values()) <= set(STATUSES)
    assert set(STATUSES) == {"not_started", "in_progress", "done", "not_applicable"}
    assert (statuses[items[0]], statuses[items[1]], statuses[items[2]]) == (
        "done",
        "in_progress",
        "not_applicable",
    )
    assert list(statuses.values()).count("not_started") == 85
    assert {str(i["play"]) for i in body["items"]} == PLAYS


def test_signed_out_calls_get_401_json(client):
    project = make_project()
    for where in (url("api.projects"), url("api.project", slug=project.slug), "/api/v1/whatever"):
        response = client.get(where)
        assert response.status_code == 401, where
        assert response.mimetype == "application/json"
        assert "Sign in" in response.get_json()["error"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/projects/OTHER",
        "/api/v1/projects/no-such-project",
        "/api/v1/whatever",
        "/api/v1/projects/OTHER/nothing",
        "/api/v2/projects",
    ],
)
def test_unknown_and_other_peoples_projects_are_404_json(client, signed_in, url):
    other = make_project(make_user("lead"))
    signed_in("lead")
    response = client.get(url.replace("OTHER", other.slug))
    assert response.status_code == 404
    if url.startswith("/api/v1/"):
        assert response.mimetype == "application/json"
        assert response.get_json() == {"error": "Not found."}
    assert other.name not in response.text


def test_the_api_only_reads_projects(client, signed_in):
    """Only a project's measures take writes (with an API token: tests/test_measures_api.py)."""
    project = make_project(signed_in("admin"))
    for where in (url("api.projects"), url("api.project", slug=project.slug)):
        for method in ("POST", "PUT", "PATCH", "DELETE"):
            response = client.open(where, method=method)
            assert response.status_code == 405, f"{method} {where}"
            assert response.get_json() == {"error": "This address does not answer that method."}


def test_the_list_comes_a_page_at_a_time_following_next_links(client, signed_in):
    lead = signed_in("lead")
    made = {make_project(lead, slug=f"svc-{n}").slug for n in (3, 1, 4, 5, 2)}
    make_project(make_user("lead"), slug="svc-0")  # not theirs: never listed
    seen, address, pages = [], url("api.projects", per_page=2), 0
    while address:
        body = client.get(address).get_json()
        assert (body["per_page"], body["total"], body["pages"]) == (2, 5, 3)
        seen += [entry["slug"] for entry in body["projects"]]
        address, pages = body["next"], pages + 1
    assert pages == 3
    assert seen == sorted(made), "every project once, in a stable order (by slug)"
    last = client.get(url("api.projects", per_page=2, page=3)).get_json()
    assert last["previous"] == url("api.projects", page=2, per_page=2)
    beyond = client.get(url("api.projects", per_page=2, page=9)).get_json()
    assert beyond["projects"] == [] and beyond["next"] is None
    assert beyond["previous"] == url("api.projects", page=3, per_page=2)


@pytest.mark.parametrize(
    "query", [{"per_page": 0}, {"per_page": 501}, {"per_page": "ten"}, {"page": 0}, {"page": -1}]
)
def test_paging_values_out_of_range_are_refused_with_a_reason(client, signed_in, query):
    signed_in("lead")
    response = client.get(url("api.projects", **query))
    assert response.status_code == 400
    [(name, _value)] = query.items()
    assert response.get_json()["error"].startswith(f"{name} must be a whole number from 1 to")


def test_per_page_goes_up_to_500(client, signed_in):
    signed_in("lead")
    body = client.get(url("api.projects", per_page=500)).get_json()
    assert body["per_page"] == 500
