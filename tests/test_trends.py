"""Trends: the stored scores recorded once a day (idempotent, one INSERT ... SELECT), the
change over 30 and 90 days on the project page and the portfolio, and the history API."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from playhouse.test_utils import count_queries

from projects.checklists import scores
from projects.checklists.models import WHOLE_PROJECT, ItemResponse, ReadinessScore
from projects.db import utcnow
from projects.editions import active_edition
from projects.trends.changes import record
from projects.trends.models import ScoreHistory
from tests.conftest import make_project, make_user
from tests.pages import filled, url

TODAY = utcnow().date()


def set_overall(project, score: float | None) -> None:
    ReadinessScore.update(score=score).where(
        (ReadinessScore.project == project) & (ReadinessScore.play == WHOLE_PROJECT)
    ).execute()


def test_recording_copies_every_stored_score_once_per_day(app):
    projects = [make_project() for _ in range(3)]
    stored = ReadinessScore.select().count()
    with count_queries() as counter:
        assert record(TODAY) == stored
    assert counter.count <= 6, "a fixed handful of statements, however many projects"
    set_overall(projects[0], 0.25)
    assert record(TODAY) == stored, "the same day again: replaced, not doubled"
    assert ScoreHistory.select().count() == stored
    whole = ScoreHistory.get(project=projects[0], play=WHOLE_PROJECT, day=TODAY)
    assert whole.score == 0.25
    record(TODAY + timedelta(days=1))
    assert ScoreHistory.select().count() == 2 * stored


def test_flask_scores_record(app, runner):
    make_project()
    result = runner.invoke(args=["scores", "record"])
    assert result.exit_code == 0, result.output
    assert "Recorded 14 scores for today." in result.output
    assert ScoreHistory.select().where(ScoreHistory.day == TODAY).count() == 14


def _history(project, days_ago_to_score: dict[int, float]) -> None:
    for days, score in days_ago_to_score.items():
        set_overall(project, score)
        record(TODAY - timedelta(days=days))


def done_through_play(project, last: int) -> None:
    """Every checklist item of plays 1..last done, as the play form would store it."""
    for play in active_edition().plays[:last]:
        for item in play.checklist:
            ItemResponse.insert(project=project, item_id=item.id, status="done").on_conflict(
                conflict_target=[ItemResponse.project, ItemResponse.item_id],
                update={ItemResponse.status: "done"},
            ).execute()
    scores.refresh(project)


def test_the_portfolio_and_project_page_show_the_change_over_30_and_90_days(client, signed_in):
    lead = make_user("lead")
    grown = make_project(lead, name="Grown")
    record(TODAY - timedelta(days=100))  # nothing done: 0%
    done_through_play(grown, 1)
    record(TODAY - timedelta(days=35))  # play 1 of 13: 8%
    done_through_play(grown, 3)  # now 3 of 13: 23%
    record(TODAY - timedelta(days=2))
    make_project(lead, name="Brand new")  # after the recordings: no history
    signed_in("admin")
    page = client.get(url("portfolio.dashboard")).text
    row = page[page.index(">Grown<") :]
    row = row[: row.index("</tr>")]
    assert "up 15 points in 30 days" in row and "up 23 points in 90 days" in row
    assert "+15" in row and "+23" in row
    new_row = page[page.index(">Brand new<") :]
    assert "no record from 30 days ago yet" in new_row[: new_row.index("</tr>")]

    detail = client.get(url("projects.detail", slug=grown.slug)).text
    assert "up 15 points in 30 days; up 23 points in 90 days" in detail
    assert "Overall readiness by day</title>" in detail
    assert "From 8% on" in detail and "to 23% on" in detail


def test_the_history_api_gives_daily_overall_phase_and_play_scores(client, signed_in):
    lead = make_user("lead")
    project = make_project(lead)
    _history(project, {40: 0.2, 10: 0.3, 0: 0.5})
    signed_in(lead)
    data = client.get(url("api.history", slug=project.slug, days=30)).get_json()
    assert data["days"] == 30 and data["slug"] == project.slug
    assert [d["overall"] for d in data["history"]] == [0.3, 0.5]
    assert data["history"][-1]["day"] == TODAY.isoformat()
    assert set(data["history"][0]["plays"]) == {str(n) for n in range(1, 14)}
    assert "phase" in data["history"][0]
    everything = client.get(url("api.history", slug=project.slug)).get_json()
    assert len(everything["history"]) == 3 and everything["days"] == 90
    for wrong in ("0", "731", "ten"):
        response = client.get(url("api.history", slug=project.slug) + f"?days={wrong}")
        assert (
            response.status_code == 400
            and "days must be a whole number" in response.get_json()["error"]
        )


def test_a_finding_form_change_keeps_the_history_untouched(client, signed_in):
    """Recording reads the stored scores only: saving a play moves today's scores, and the
    next recording (not the save) copies them."""
    lead = make_user("lead")
    project = make_project(lead)
    record(TODAY)
    signed_in(lead)
    address = url("checklists.play", slug=project.slug, number=1)
    client.post(
        address, data=filled(client, address, "items-0-status", **{"items-0-status": "done"})
    )
    before = ScoreHistory.get(project=project, play=1, day=TODAY).done
    record(TODAY)
    assert ScoreHistory.get(project=project, play=1, day=TODAY).done == before + 1


def test_reports_without_a_snapshot_compare_with_the_readiness_recorded_90_days_before(
    client, signed_in
):
    from projects.filters import format_day
    from projects.reports.portfolio_report import build_portfolio_report

    lead = make_user("lead")
    grown = make_project(lead, name="Grown")
    signed_in(lead)
    preview = client.get(url("reports.project_preview", slug=grown.slug)).text
    assert "no frozen snapshot yet, and no readiness recorded 90 days ago" in preview

    record(TODAY - timedelta(days=120))  # too old: a newer record 90+ days back wins
    record(TODAY - timedelta(days=95))  # nothing done then
    record(TODAY - timedelta(days=10))  # too recent to compare with
    done_through_play(grown, 1)
    preview = client.get(url("reports.project_preview", slug=grown.slug)).text
    day = format_day(TODAY - timedelta(days=95))
    assert f"readiness recorded on {day}, 90 days earlier (no frozen snapshot yet)" in preview
    assert f'Since {day} (recorded): <span class="rp-change--up">up 100 points' in preview

    report = build_portfolio_report(None, active_edition())
    assert report.baseline.kind == "history" and report.rows[0].overall_change == 8
    client.post(url("auth.logout"))
    signed_in("leadership")
    rows = list(csv.DictReader(io.StringIO(client.get(url("reports.portfolio_download_csv")).text)))
    assert rows[0]["Change since snapshot or 90 days (points)"] == "8"
