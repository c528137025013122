"""The server killed mid-write (master and workers at once), then started again on the same
database: nothing acknowledged is lost and nothing is half written."""

from __future__ import annotations

from collections import Counter

import pytest

from projects.contracts.models import Revision
from projects.projects.models import Project
from tests.conftest import PASSWORD, POSTGRES, make_user
from tests.integrity import seeds
from tests.integrity.browser import Browser, post_form, replace
from tests.integrity.checks import (
    links_match,
    lost_or_invented,
    revisions_whole,
    server_errors,
    versions_match_audit,
)
from tests.integrity.harness import CLIENTS, run_clients, saves

pytestmark = pytest.mark.integrity


def test_killed_server_loses_nothing_acknowledged(gunicorn, reading, tmp_path):
    with reading():
        project, people = seeds.play_writers(CLIENTS + 1)
        researcher = people.pop()
        finding_id = seeds.finding(project, researcher)
        officer = make_user("contracting")
        seeds.add_member(project, officer, "editor")  # officers edit contracts as editors
        package_id, _entry_id = seeds.contract_package(project, officer)
    gunicorn.start()
    count = saves(30)
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
    specs.append(
        seeds.spec(
            gunicorn,
            researcher,
            "researcher",
            0,
            "finding",
            count,
            slug=project.slug,
            finding_id=finding_id,
        )
    )
    specs.append(
        seeds.spec(
            gunicorn, officer, "exporter", 0, "export", 3, slug=project.slug, package_id=package_id
        )
    )
    for spec in specs:
        spec["stop_when_down"] = True

    killed = []

    def kill_when_busy(records: list[dict]) -> None:
        # Mid-run: a good number of saves answered (one export among them), most clients
        # still writing, the exporter likely rendering its next revision.
        saved = Counter(r.get("kind") for r in records if r.get("outcome") == "saved")
        if not killed and saved.total() >= 2 * CLIENTS and saved["Revision"]:
            gunicorn.kill()
            killed.append(len(records))

    records = run_clients(specs, tmp_path, kill_when_busy)
    outcomes = Counter(r.get("outcome") for r in records)
    assert killed, f"the clients finished before the server was killed: {outcomes}"
    assert server_errors(records) == []

    gunicorn.start()
    with reading() as database:
        if not POSTGRES:
            assert database.execute_sql("PRAGMA integrity_check").fetchall() == [("ok",)]
        project = Project.get_by_id(project.id)
        assert lost_or_invented(records, project) == []
        assert versions_match_audit(project) == []
        assert links_match(project) == []
        assert revisions_whole(project) == []
        exported = sum(r["outcome"] == "saved" for r in records if r.get("kind") == "Revision")
        revisions = Revision.select().where(Revision.package == package_id).count()
        assert revisions >= exported

    # The restarted server takes saves again.
    browser = Browser(gunicorn.url)
    browser.sign_in(people[0].email, PASSWORD)
    url = f"{gunicorn.url}/projects/{project.slug}/plays/1"
    form = post_form(browser.edit_page(url).text, "items-0-item_id")
    answer = browser.post(url, replace(form["pairs"], {"items-0-note": "after the restart"}))
    assert answer.status == 302
    assert "Play 1 saved." in browser.get(answer.location).text
