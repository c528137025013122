"""Frozen snapshots: stored unchanged, hash-checked on download, compared against later."""

import pytest

from playbook.edition import default_edition
from projects.audit import AuditEvent
from projects.checklists.models import ItemResponse
from projects.db import db
from projects.reports.changes import freeze
from projects.reports.models import PORTFOLIO, PROJECT, Snapshot, SnapshotIsFrozen
from projects.reports.portfolio_report import build_portfolio_report
from projects.reports.project_report import build_project_report
from projects.reports.records import as_data
from tests.conftest import make_user
from tests.pages import url
from tests.reports.conftest import NOW


def _freeze_project(project, user=None, pdf=b"%PDF-1.7 frozen"):
    report = build_project_report(project, default_edition(), NOW)
    return freeze(
        kind=PROJECT,
        label="Q2 2026",
        data=as_data(report),
        scores=report.scores(),
        pdf=pdf,
        user=user,
        project=project,
    )


def test_a_snapshot_keeps_its_hashes_who_and_when_and_is_audited(app, known_project):
    admin = make_user("admin", name="Alex Admin")
    snapshot = Snapshot.get_by_id(_freeze_project(known_project, admin).id)
    assert snapshot.problems() == []
    assert len(snapshot.sha256) == 64 and snapshot.created_by_name == "Alex Admin"
    assert AuditEvent.get(AuditEvent.object_type == "Snapshot").action == "froze"


@pytest.mark.parametrize(
    "change",
    [
        lambda s: (setattr(s, "label", "Changed"), s.save()),
        lambda s: s.delete_instance(),
        lambda s: Snapshot.update(label="Changed").execute(),
        lambda s: Snapshot.delete().execute(),
    ],
)
def test_a_snapshot_cannot_be_changed_or_deleted(app, known_project, change):
    snapshot = _freeze_project(known_project)
    with pytest.raises(SnapshotIsFrozen):
        change(snapshot)
    assert Snapshot.get_by_id(snapshot.id).label == "Q2 2026"


@pytest.mark.parametrize(
    ("column", "what"),
    [
        ("pdf", "the PDF file"),
        ("data", "the report data"),
    ],
)
def test_a_tampered_snapshot_is_detected_and_not_downloaded(
    app, client, signed_in, known_project, column, what
):
    signed_in("leadership")
    snapshot = _freeze_project(known_project)
    value = b"%PDF-1.7 forged" if column == "pdf" else '{"forged": true}'
    param = db.obj.param  # "?" on SQLite, "%s" on PostgreSQL
    sql = f"UPDATE snapshot SET {column} = {param} WHERE id = {param}"  # noqa: S608
    db.execute_sql(sql, (value, snapshot.id))
    response = client.get(url("reports.snapshot_download", snapshot_id=snapshot.id))
    assert response.status_code == 409
    assert "has been altered since it was frozen" in response.text
    assert what in response.text
    assert b"forged" not in response.data


def test_an_intact_snapshot_downloads_as_frozen(app, client, signed_in, known_project):
    signed_in("leadership")
    snapshot = _freeze_project(known_project, pdf=b"%PDF-1.7 the frozen bytes")
    response = client.get(url("reports.snapshot_download", snapshot_id=snapshot.id))
    assert response.status_code == 200 and response.data == b"%PDF-1.7 the frozen bytes"


def test_later_reports_show_the_change_per_project_and_per_play(app, known_project):
    report = build_portfolio_report(None, default_edition(), NOW)
    freeze(
        kind=PORTFOLIO,
        label="Q1 2026",
        data=as_data(report),
        scores=report.scores(),
        pdf=b"%PDF",
        user=None,
    )
    ItemResponse.update(status="done").where(ItemResponse.item_id == "p01.c3").execute()
    later = build_portfolio_report(None, default_edition(), NOW)
    assert later.baseline.label == "Q1 2026"
    row = later.rows[0]
    assert row.overall_change == 1  # play 1 gains 0.5/7; the project mean moves by about 1 point
    assert later.plays[0].change == 7  # from 36% to 43%
    assert later.plays[1].change == 0
    project_report = build_project_report(known_project, default_edition(), NOW)
    assert project_report.baseline.label == "Q1 2026" and project_report.plays[0].change == 7


def test_snapshot_lists_show_only_what_the_user_may_see(app, client, signed_in, known_project):
    _freeze_project(known_project)
    freeze(kind=PORTFOLIO, label="Whole portfolio", data={}, scores={}, pdf=b"%PDF", user=None)
    signed_in(make_user("lead"))
    page = client.get(url("reports.snapshots"))
    assert "Q2 2026" not in page.text and "Whole portfolio" not in page.text
    portfolio = Snapshot.get(Snapshot.kind == PORTFOLIO)
    assert client.get(url("reports.snapshot_download", snapshot_id=portfolio.id)).status_code == 404
