"""Many people saving the same project at once through a real gunicorn: nothing lost, nothing
overwritten without a conflict page, no server errors."""

from __future__ import annotations

from collections import Counter

import pytest

from projects.checklists import scores
from projects.contracts.models import ContractPackage
from projects.projects.models import Project
from tests.conftest import PASSWORD
from tests.integrity import seeds
from tests.integrity.browser import Browser, post_form, replace
from tests.integrity.checks import (
    links_match,
    lost_or_invented,
    server_errors,
    versions_match_audit,
)
from tests.integrity.harness import CLIENTS, run_clients, saves

pytestmark = pytest.mark.integrity


def _check(records, project_id, reading, expected: int) -> Counter:
    outcomes = Counter(r.get("outcome") for r in records)
    assert server_errors(records) == []
    assert len(records) == expected, f"some clients stopped early: {outcomes}"
    with reading():
        project = Project.get_by_id(project_id)
        assert lost_or_invented(records, project) == []
        assert versions_match_audit(project) == []
        assert links_match(project) == []
        # The stored readiness follows every save, even saves of one project at once.
        assert scores.drift([project_id]) == []
    assert outcomes["saved"] > 0
    return outcomes


def test_people_saving_plays_at_once_lose_nothing(gunicorn, reading, tmp_path):
    """Half of each person's saves change an item of their own, half the same few items and
    answers everyone changes: every save is stored and audited or shown as a conflict."""
    with reading():
        project, people = seeds.play_writers(CLIENTS)
    gunicorn.start()
    count = saves(20)
    specs = [
        seeds.spec(
            gunicorn,
            person,
            f"writer{i}",
            i,
            "play",
            count,
            slug=project.slug,
            own_play=2 + i % 12,
            own_item=f"p{2 + i % 12:02d}.c{1 + i // 12}",
        )
        for i, person in enumerate(people)
    ]
    records = run_clients(specs, tmp_path)
    _check(records, project.id, reading, CLIENTS * count)


def test_two_people_editing_one_finding_lose_nothing(gunicorn, reading, tmp_path):
    """Both change the insight half the time; otherwise one the recommendation, the other the
    linked items. Links always follow the save that set them."""
    with reading():
        project, people = seeds.play_writers(2)
        finding_id = seeds.finding(project, people[0])
    gunicorn.start()
    count = saves(10)
    specs = [
        seeds.spec(
            gunicorn,
            person,
            f"researcher{i}",
            i,
            "finding",
            count,
            slug=project.slug,
            finding_id=finding_id,
        )
        for i, person in enumerate(people)
    ]
    records = run_clients(specs, tmp_path)
    _check(records, project.id, reading, 2 * count)


def test_two_officers_editing_one_clause_lose_nothing(gunicorn, reading, tmp_path):
    with reading():
        project, people = seeds.play_writers(2, role="contracting")
        package_id, entry_id = seeds.contract_package(project, people[0])
    gunicorn.start()
    count = saves(10)
    specs = [
        seeds.spec(
            gunicorn,
            person,
            f"officer{i}",
            i,
            "clause",
            count,
            slug=project.slug,
            package_id=package_id,
            entry_id=entry_id,
        )
        for i, person in enumerate(people)
    ]
    records = run_clients(specs, tmp_path)
    _check(records, project.id, reading, 2 * count)


def test_two_officers_changing_package_answers_lose_nothing(gunicorn, reading, tmp_path):
    """Each changes an answer of their own: both changes must survive (or one is refused)."""
    with reading():
        project, people = seeds.play_writers(2, role="contracting")
        package_id, _entry_id = seeds.contract_package(project, people[0])
    gunicorn.start()
    count = saves(10)
    specs = [
        seeds.spec(
            gunicorn,
            person,
            f"officer{i}",
            i,
            "answers",
            count,
            slug=project.slug,
            package_id=package_id,
        )
        for i, person in enumerate(people)
    ]
    records = run_clients(specs, tmp_path)
    _check(records, project.id, reading, 2 * count)


def test_answers_saved_from_a_stale_page_are_refused_or_merged(gunicorn, reading):
    """Both open the answers page; one saves, then the other: the first change must survive."""
    with reading():
        project, people = seeds.play_writers(2, role="contracting")
        package_id, _entry_id = seeds.contract_package(project, people[0])
    gunicorn.start()
    url = f"{gunicorn.url}/projects/{project.slug}/contract-packages/{package_id}/answers"
    first, second = Browser(gunicorn.url), Browser(gunicorn.url)
    first.sign_in(people[0].email, PASSWORD)
    second.sign_in(people[1].email, PASSWORD)
    first_form = post_form(first.edit_page(url).text, "title")["pairs"]
    second_form = post_form(second.edit_page(url).text, "title")["pairs"]
    assert first.post(url, replace(first_form, {"program_name": "First's program"})).status == 302
    answer = second.post(url, replace(second_form, {"repository_host": "Second's host"}))
    assert answer.status in (409, 302)
    with reading():
        answers = ContractPackage.get_by_id(package_id).answers
    if answer.status == 409:  # refused: the conflict page, and the first change kept
        assert "Someone else saved" in answer.text
        assert answers["program_name"] == "First's program"
    else:  # merged: both changes kept
        assert (answers["program_name"], answers["repository_host"]) == (
            "First's program",
            "Second's host",
        )
