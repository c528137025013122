"""Races on one button: officers adding the same clause and moving clauses at once, owners
archiving and restoring the same project at once. No server errors, positions unique and in
order, and every person told what really happened."""

from __future__ import annotations

from collections import Counter
from itertools import pairwise

import pytest

from projects.audit import AuditEvent
from projects.contracts.catalogue import catalogue
from projects.contracts.models import PackageClause, PackageQaspRow
from projects.projects.models import Project
from tests.integrity import seeds
from tests.integrity.checks import server_errors
from tests.integrity.harness import CLIENTS, run_clients, saves

pytestmark = pytest.mark.integrity


def test_officers_adding_the_same_clauses_and_moving_clauses_at_once(gunicorn, reading, tmp_path):
    with reading():
        project, people = seeds.play_writers(CLIENTS, role="contracting")
        package_id, _entry_id = seeds.contract_package(project, people[0])
        present = {
            e.clause_id for e in PackageClause.select().where(PackageClause.package == package_id)
        }
        clauses = [c.id for c in catalogue() if c.id not in present][:6]
    assert len(clauses) >= 3, "the seed package leaves too few clauses to add"
    gunicorn.start()
    count = saves(12)
    specs = [
        seeds.spec(
            gunicorn,
            person,
            f"officer{i}",
            i,
            "clauses",
            count,
            slug=project.slug,
            package_id=package_id,
            clauses=clauses,
        )
        for i, person in enumerate(people)
    ]
    records = run_clients(specs, tmp_path)
    assert server_errors(records) == []
    assert len(records) == CLIENTS * count
    adds = [r for r in records if r.get("kind") == "add"]
    told_added = Counter(r["clause"] for r in adds if r["told"] == "added")
    told_already = Counter(r["clause"] for r in adds if r["told"] == "already")
    assert sum(told_already.values()) > 0, "no two officers ever added the same clause"
    with reading():
        entries = list(PackageClause.select().where(PackageClause.package == package_id))
        positions = sorted(e.position for e in entries)
        assert positions == [10 * n for n in range(1, len(entries) + 1)], positions
        in_package = Counter(e.clause_id for e in entries)
        for clause in {r["clause"] for r in adds}:
            # Added once, told "added" to exactly one officer and "already" to the rest.
            assert in_package[clause] == 1, clause
            assert told_added[clause] == 1, (clause, told_added[clause])
        events = Counter(
            e.action for e in AuditEvent.select().where(AuditEvent.project == project.id)
        )
        assert events["added clause"] == sum(told_added.values())
        qasp = [
            r.position for r in PackageQaspRow.select().where(PackageQaspRow.package == package_id)
        ]
        assert len(qasp) == len(set(qasp))


def test_owners_archiving_and_restoring_at_once_are_told_the_truth(gunicorn, reading, tmp_path):
    """Each owner archives, restores, archives... and archives last: every change happens
    exactly when someone was told it did, and the project ends archived."""
    owners = max(2, min(CLIENTS, 4))
    with reading():
        project, people = seeds.play_writers(owners)
        Project.update(lead=people[0]).where(Project.id == project.id).execute()
        for person in people[1:]:
            seeds.set_role(project, person, "owner")
    gunicorn.start()
    count = saves(9) | 1  # odd: every owner's last press archives
    specs = [
        seeds.spec(gunicorn, person, f"owner{i}", i, "archive", count, slug=project.slug)
        for i, person in enumerate(people)
    ]
    records = run_clients(specs, tmp_path)
    assert server_errors(records) == []
    assert len(records) == owners * count
    told = Counter((r["kind"], r["told"]) for r in records)
    with reading():
        assert Project.get_by_id(project.id).archived
        events = [
            e.action
            for e in AuditEvent.select()
            .where(AuditEvent.project == project.id)
            .order_by(AuditEvent.id)
            if e.action in ("archived", "unarchived")
        ]
    # Every event is a real change: archived and restored in turn, never twice in a row.
    assert all(a != b for a, b in pairwise(events)), events
    assert events[0] == events[-1] == "archived"
    assert told[("archive", "changed")] == events.count("archived")
    assert told[("restore", "changed")] == events.count("unarchived")
    assert told[("archive", "already")] + told[("restore", "already")] > 0, told
