"""Report data for a known project and portfolio, built in a flat number of queries."""

from datetime import date

import pytest
from playhouse.test_utils import count_queries

from playbook.edition import default_edition
from projects.reports.portfolio_report import build_portfolio_report
from projects.reports.project_report import build_project_report
from tests.conftest import make_project, make_user
from tests.reports.conftest import NOW, record


def test_project_report_data_for_a_known_project(known_project):
    report = build_project_report(known_project, default_edition(), NOW)
    play1 = report.plays[0]
    assert report.project.lead == "Lee Lead"
    assert (play1.readiness.done, play1.readiness.in_progress) == (2, 1)
    assert play1.readiness.percent == 36  # (2 + 0.5) / 7 items
    assert play1.evidence_coverage == 0.5  # one of the two done items links evidence
    assert [i.id for i in play1.done] == ["p01.c1", "p01.c2"]
    assert "p01.c3" in [i.id for i in play1.missing]  # in progress, expected by beta
    assert "p01.c7" in [i.id for i in play1.missing]  # not started, expected by beta
    na = report.plays[1].not_applicable
    assert [(i.id, i.justification) for i in na] == [("p02.c1", "Paper forms are out of scope")]
    assert report.next_actions[0].id == "p01.c3"  # overdue first
    assert report.next_actions[0].overdue and report.next_actions[0].owner == "Lee Lead"
    assert [i.id for i in report.stale] == ["p03.c1"]
    assert [(q.id, q.answer) for q in report.questions] == [
        ("p01.q1", "We interviewed **12** people.")
    ]
    assert report.baseline is None and report.overall_change is None


def test_portfolio_report_data_covers_only_what_the_user_may_see(known_project):
    lead = known_project.lead
    other = make_project(name="Someone else's project")
    mine = build_portfolio_report(lead, default_edition(), NOW)
    everything = build_portfolio_report(None, default_edition(), NOW)
    assert [r.project.name for r in mine.rows] == ["Renew a license"]
    assert {r.project.name for r in everything.rows} == {"Renew a license", other.name}
    row = mine.rows[0]
    assert (row.overdue_count, row.stale_count) == (1, 1)
    assert mine.by_phase["alpha"] == 1
    assert mine.least_ready[0].readiness.score <= mine.least_ready[-1].readiness.score


def _portfolio(size: int):
    for n in range(size):
        project = make_project(make_user("lead"), phase="beta")
        record(project, "p01.c1", "done", evidence_url="https://example.gov/x")
        record(project, "p04.c2", "in_progress", due_date=date(2026, 1, 1), owner=project.lead)
        if n % 2:
            record(project, "p05.c1", "not_applicable", justification="Not buying anything")


@pytest.mark.parametrize("builder", ["portfolio", "project"])
def test_reports_take_a_flat_number_of_queries(app, builder):
    counts = []
    for size in (2, 8):
        _portfolio(size)
        with count_queries() as counter:
            if builder == "portfolio":
                report = build_portfolio_report(None, default_edition(), NOW)
            else:
                from projects.projects.models import Project

                report = build_project_report(Project.select().first(), default_edition(), NOW)
        counts.append(counter.count)
    assert counts[0] == counts[1]
    assert report is not None
