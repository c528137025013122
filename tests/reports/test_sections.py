"""Findings and contract packages in the reports, and the portfolio heat map's key."""

from html import escape

from playbook.edition import default_edition
from projects.reports.portfolio_report import build_portfolio_report
from projects.reports.project_report import build_project_report
from projects.reports.render import portfolio_html, project_html
from tests.contracts.factories import make_package
from tests.reports.conftest import NOW
from tests.research.factories import make_finding


def test_open_findings_by_severity_and_open_critical_ones(app, known_project):
    make_finding(known_project, title="Fee is a surprise", severity="critical")
    make_finding(known_project, title="Form is long", severity="medium")
    make_finding(known_project, title="Fixed already", severity="critical", status="addressed")
    report = build_project_report(known_project, default_edition(), NOW)
    assert [(s, [f.title for f in fs]) for s, fs in report.findings_by_severity] == [
        ("Critical", ["Fee is a surprise"]),
        ("Medium", ["Form is long"]),
    ]
    portfolio = build_portfolio_report(None, default_edition(), NOW)
    assert [f.title for _, f in portfolio.critical_findings] == ["Fee is a surprise"]
    assert portfolio.rows[0].open_critical == 1


def test_a_finding_linked_to_a_done_item_counts_as_evidence(app, known_project):
    before = build_project_report(known_project, default_edition(), NOW).plays[0]
    make_finding(known_project, items=["p01.c2"], plays=[1])
    after = build_project_report(known_project, default_edition(), NOW).plays[0]
    assert (before.evidence_coverage, after.evidence_coverage) == (0.5, 1.0)


def test_contract_package_status_shows_in_the_project_report(app, known_project):
    make_package(known_project, known_project.lead)
    report = build_project_report(known_project, default_edition(), NOW)
    assert [(c.title, c.status_label) for c in report.contracts] == [("Contract language", "Draft")]
    assert "not exported yet" in report.contracts[0].detail
    assert "Contract language" in project_html(report)


def test_the_portfolio_heat_map_has_a_key_to_its_play_columns(app, known_project):
    """The columns say "P1".."P13" to fit the page; the key under them gives each title."""
    html = portfolio_html(build_portfolio_report(None, default_edition(), NOW))
    key = html.split("Key to the play columns:", 1)[1].split("</p>", 1)[0]
    for play in default_edition().plays:
        assert f"<strong>P{play.number}</strong> {escape(play.title)}" in key
