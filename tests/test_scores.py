"""Stored readiness (projects.checklists.scores) equals what playbook.readiness computes after
every kind of change that moves it, each made the way a person makes it: through the rendered
forms, the findings import, the edition import command and the demo commands."""

from __future__ import annotations

import io
import json

import pytest

from playbook.edition import default_edition
from projects.checklists import scores
from projects.checklists.models import WHOLE_PROJECT, ReadinessScore
from projects.projects.models import Project
from tests.conftest import make_project
from tests.pages import filled, url
from tests.research.test_import import HEADER, csv_bytes, preview_url
from tests.research.test_views import new_finding


def stored(project: Project, play: int = WHOLE_PROJECT) -> ReadinessScore:
    return ReadinessScore.get(
        (ReadinessScore.project == project.id) & (ReadinessScore.play == play)
    )


def assert_no_drift() -> None:
    assert scores.drift() == []


@pytest.fixture
def project(client, signed_in):
    lead = signed_in("lead")
    return make_project(lead, phase="discovery")


def save_play(client, project, number: int, **changes):
    address = url("checklists.play", slug=project.slug, number=number)
    response = client.post(address, data=filled(client, address, "items-0-status", **changes))
    assert response.status_code == 302, response.text[:3000]


def test_a_project_created_through_the_form_has_its_scores(client, signed_in):
    signed_in("lead")
    data = filled(client, url("projects.create"), "name", name="Fishing licenses", agency="Parks")
    assert client.post(url("projects.create"), data=data).status_code == 302
    project = Project.get(Project.name == "Fishing licenses")
    whole = stored(project)
    assert whole.score == 0 and whole.done == 0
    assert whole.not_started == len(default_edition().items)
    assert ReadinessScore.select().where(ReadinessScore.project == project.id).count() == 14
    assert_no_drift()


def test_saving_a_play_moves_the_stored_scores_in_the_same_save(client, project):
    save_play(
        client,
        project,
        1,
        **{
            "items-0-status": "done",
            "items-0-evidence_url": "https://example.gov/notes",
            "items-1-status": "done",
            "items-2-status": "in_progress",
            "items-3-status": "not_applicable",
            "items-3-justification": "No such office here",
        },
    )
    play = stored(project, 1)
    assert (play.done, play.in_progress, play.not_applicable, play.with_evidence) == (2, 1, 1, 1)
    assert play.score == pytest.approx(2.5 / 6)
    assert stored(project).with_evidence == 1
    assert_no_drift()


def test_a_phase_change_through_the_form_moves_the_phase_score(client, project):
    save_play(client, project, 1, **{"items-0-status": "done"})
    before = stored(project).phase_score
    address = url("projects.edit", slug=project.slug)
    response = client.post(address, data=filled(client, address, "name", phase="live"))
    assert response.status_code == 302
    assert stored(project).phase_score < before  # more items are expected of a live service
    assert_no_drift()


def test_a_finding_linked_to_a_done_item_counts_as_its_evidence(client, project):
    item = default_edition().play(2).checklist[0].id
    save_play(client, project, 2, **{"items-0-status": "done"})
    assert stored(project, 2).with_evidence == 0
    data = new_finding(client, project, items=[item])
    assert client.post(url("research.create", slug=project.slug), data=data).status_code == 302
    assert stored(project, 2).with_evidence == 1
    assert_no_drift()


def test_findings_imported_from_a_file_count_as_evidence(client, project):
    save_play(client, project, 2, **{"items-0-status": "done"})
    row = "Fee is hidden,People look for the fee,Usability testing,2026-03-02,high,,,2,p02.c1,,6"
    upload = client.post(
        url("research.upload", slug=project.slug),
        data={"file": (io.BytesIO(csv_bytes(row, header=HEADER)), "findings.csv")},
        content_type="multipart/form-data",
    )
    assert client.post(preview_url(upload)).status_code == 302
    assert stored(project, 2).with_evidence == 1
    assert_no_drift()


def test_an_edition_import_recomputes_every_project(runner, client, project, tmp_path):
    save_play(client, project, 1, **{"items-0-status": "done"})
    data = default_edition().to_dict() | {"edition": "agency-2027"}
    data["plays"][0]["checklist"] = data["plays"][0]["checklist"][:1]  # play 1: one item, done
    path = tmp_path / "agency.json"
    path.write_text(json.dumps(data))
    result = runner.invoke(args=["playbook", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert stored(project, 1).score == 1
    assert_no_drift()


def test_the_demo_commands_store_scores(runner):
    result = runner.invoke(args=["seed-demo", "--projects", "30"])
    assert result.exit_code == 0, result.output
    assert "Added 30 generated projects." in result.output
    assert Project.select().count() == 38
    assert_no_drift()
    again = runner.invoke(args=["seed-demo", "--projects", "5"])
    assert "Added 5 generated projects." in again.output and Project.select().count() == 43
    assert_no_drift()


def test_rebuild_reports_drift_and_repairs_it(runner, project):
    ReadinessScore.update(score=0.5).where(
        (ReadinessScore.project == project.id) & (ReadinessScore.play == 4)
    ).execute()
    result = runner.invoke(args=["scores", "rebuild"])
    assert result.exit_code == 0
    assert "drifted for 1 project of 1:" in result.output
    assert f"{project.slug}: play 4 score: stored 0.5, computed 0.0" in result.output
    assert_no_drift()
    clean = runner.invoke(args=["scores", "rebuild"])
    assert "matched for all 1 project: no drift." in clean.output


def test_a_missing_row_is_drift_too(project):
    ReadinessScore.delete().where(ReadinessScore.play == 13).execute()
    [found] = scores.drift()
    assert found.differences == ["play 13: not stored"]
