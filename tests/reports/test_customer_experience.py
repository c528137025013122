"""Customer experience in readiness and reports (issue 13, part 4): play 12 items take a
measure as evidence; the portfolio shows, sorts and filters satisfaction and trust; the PDFs
have a customer experience section; leadership downloads the A-11 quarterly figures."""

from __future__ import annotations

import csv
import io
import re

import pytest

from playbook.edition import default_edition
from projects.checklists import scores
from projects.checklists.models import ReadinessScore
from projects.reports.portfolio_report import build_portfolio_report
from projects.reports.project_report import build_project_report
from projects.reports.render import portfolio_pdf, project_pdf
from tests.conftest import make_project, make_user
from tests.pages import filled, url
from tests.reports.conftest import NOW, add_measure
from tests.test_portfolio import heat_map, names

PLAY_12 = default_edition().play(12)


def test_a_play_12_item_takes_one_of_the_projects_measures_as_evidence(client, signed_in):
    lead = signed_in("lead")
    project = make_project(lead, name="Renew a passport")
    rate = add_measure(project, "completion_rate", name="Completion rate", values={"2026-04": 71.0})
    add_measure(make_project(make_user("lead")), "trust", values={"2026-04": 50.0})  # not ours
    address = url("checklists.play", slug=project.slug, number=12)
    page = client.get(address).text
    # The form offers the project's own measures only, and only on play 12.
    options = re.findall(r'name="items-0-evidence_measure".*?</select>', page, re.S)[0]
    assert "Completion rate" in options and "Trust the agency" not in options
    assert (
        "evidence_measure"
        not in client.get(url("checklists.play", slug=project.slug, number=1)).text
    )
    fields = filled(client, address, "items-0-status") | {
        "items-0-status": "done",
        "items-0-evidence_measure": str(rate.id),
    }
    saved = client.post(address, data=fields, follow_redirects=True)
    assert "Play 12 saved." in saved.text
    detail = url("measures.detail", slug=project.slug, measure_id=rate.id)
    link = f'<a href="{detail}">Completion rate</a>'
    assert f"Evidence measure: {link}" in saved.text
    # It counts as evidence, in the stored figures as in a fresh computation.
    whole = ReadinessScore.get(project=project, play=0)
    assert whole.with_evidence == 1 and scores.drift([project.id]) == []
    report = client.get(url("reports.project_preview", slug=project.slug)).text
    assert "Evidence: the measure “Completion rate”" in report
    # The history names the measure, as the form did.
    history = client.get(url("projects.history", slug=project.slug)).text
    change = re.search(r"Evidence measure.{0,400}", history, re.S)
    assert change and "Completion rate" in change.group(0)


def test_a_measure_of_another_project_is_refused(client, signed_in):
    lead = signed_in("lead")
    project = make_project(lead)
    theirs = add_measure(make_project(make_user("lead")), "trust", values={"2026-04": 50.0})
    address = url("checklists.play", slug=project.slug, number=12)
    fields = filled(client, address, "items-0-status") | {
        "items-0-evidence_measure": str(theirs.id)
    }
    page = client.post(address, data=fields)
    assert page.status_code == 200 and "Not a valid choice" in page.text
    assert ReadinessScore.get(project=project, play=0).with_evidence == 0


@pytest.fixture
def cx_portfolio(signed_in):
    """Four projects: satisfaction above, below and without a target, and none at all."""
    lead = make_user("lead")
    made = {}
    for name, sat, target, trust in (
        ("Apply for a grant", [70.0, 90.0], 80.0, None),  # better, meets target
        ("Book an inspection", [85.0, 60.0], 80.0, None),  # worse, below target
        ("Claim a refund", [75.0, 75.0], None, (65.0, 70.0)),  # trust below its target
        ("Download a form", None, None, None),
    ):
        project = make_project(lead, name=name)
        if sat:
            add_measure(
                project,
                "satisfaction",
                target=target,
                values=dict(zip(("2026-03", "2026-04"), sat, strict=True)),
            )
        if trust:
            add_measure(project, "trust", target=trust[1], values={"2026-04": trust[0]})
        made[name] = project
    signed_in("leadership")
    return made


def test_the_portfolio_shows_satisfaction_and_trust_with_their_direction(client, cx_portfolio):
    cells = {row[0].split(" | ")[0]: row[6] for row in heat_map(client)}
    assert cells["Apply for a grant"] == (
        "Satisfaction: 90% ▲ better than 70%, meets target 80% | Trust: no figures yet"
    )
    assert cells["Book an inspection"].startswith(
        "Satisfaction: 60% ▼ worse than 85%, below target 80%"
    )
    assert cells["Claim a refund"] == (
        "Satisfaction: 75% = no change from 75% | Trust: 65%, below target 70%"
    )
    assert cells["Download a form"] == "Satisfaction: no figures yet | Trust: no figures yet"


def test_the_portfolio_sorts_by_satisfaction_either_way_with_no_figures_last(client, cx_portfolio):
    assert names(client, sort="-satisfaction") == [
        "Apply for a grant",
        "Claim a refund",
        "Book an inspection",
        "Download a form",
    ]
    assert names(client, sort="satisfaction") == [
        "Book an inspection",
        "Claim a refund",
        "Apply for a grant",
        "Download a form",
    ]


def test_the_portfolio_filters_projects_below_a_target(client, cx_portfolio):
    assert names(client, cx="below-target") == ["Book an inspection", "Claim a refund"]
    page = client.get(url("portfolio.dashboard", cx="below-target", sort="-satisfaction")).text
    assert "2 projects." in page
    assert (
        '<option value="below-target" selected>Satisfaction or trust below target</option>' in page
    )


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def test_leadership_downloads_the_a11_quarterly_figures(client, signed_in):
    lead = make_user("lead")
    project = make_project(lead, name="=Renew a permit")  # a formula in a name stays text
    add_measure(
        project,
        "satisfaction",
        answers={
            "2026-01": (1, 0, 1, 3, 5),
            "2026-02": (0, 1, 1, 4, 4),
            "2026-04": (0, 0, 1, 1, 2),
        },
        customers=300,
        offered=40,
    )
    add_measure(project, "trust", answers={"2026-02": (2, 2, 2, 2, 2)}, customers=300, offered=40)
    add_measure(project, "completion_rate", name="Completion rate", values={"2026-02": 70.0})
    make_project(lead, name="No figures")
    signed_in("leadership")
    portfolio = client.get(url("portfolio.dashboard")).text
    assert url("reports.a11_quarterly") in portfolio
    response = client.get(url("reports.a11_quarterly"))
    assert response.mimetype == "text/csv"
    rows = _rows(response.get_data(as_text=True))
    header = rows[0]
    assert header[:7] == [
        "Project",
        "Slug",
        "Agency",
        "Quarter",
        "Customers",
        "Offered",
        "Responses",
    ]
    by_quarter = {row[3]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert list(by_quarter) == ["2026-Q1", "2026-Q2"]  # months rolled into quarters, in order
    q1 = by_quarter["2026-Q1"]
    assert q1["Project"] == "'=Renew a permit"
    # Two months of satisfaction: 10 + 10 answers; 300 customers and 40 offered each month.
    assert (q1["Customers"], q1["Offered"], q1["Responses"]) == ("600", "80", "20")
    assert [q1[f"Satisfaction answered {s}"] for s in range(1, 6)] == ["1", "1", "2", "7", "9"]
    assert q1["Satisfaction % agreeing (4 or 5)"] == "80.0"
    assert (q1["Trust responses"], q1["Trust answered 5"], q1["Trust % agreeing (4 or 5)"]) == (
        "10",
        "2",
        "40.0",
    )
    assert q1["Ease responses"] == ""  # no ease measure: no figures, not zero
    assert by_quarter["2026-Q2"]["Responses"] == "4"


@pytest.mark.parametrize("role", ["lead", "contracting"])
def test_only_people_who_see_everything_get_the_a11_export(client, signed_in, role):
    signed_in(role)
    assert url("reports.a11_quarterly") not in client.get(url("portfolio.dashboard")).text
    assert client.get(url("reports.a11_quarterly")).status_code == 403


def _text(pdf: bytes) -> str:
    from tests.pdf_checks import pdf_text

    return " ".join(pdf_text(pdf).split())


def test_the_project_pdf_has_a_customer_experience_section(app, known_project):
    report = build_project_report(known_project, default_edition(), NOW)
    text = _text(project_pdf(report).pdf)
    assert "Customer experience" in text
    assert "2 service measures, 1 missing their target; 20 people answered" in text
    # April's 12 of 20 agreeing against March's 18 of 20, and the 80% target.
    assert (
        "60% in April 2026 · worse than 90% the period before · target 80%, not met · "
        "20 responses" in text
    )
    assert "74.5% in April 2026 · better than 71% the period before · target 70%, met" in text
    assert "Comment themes" not in text, "no comment recorded as a finding yet"


def test_the_project_pdf_gives_comment_themes_by_the_tags_of_their_findings(app, known_project):
    from projects.feedback.models import FeedbackResponse, FindingFeedback
    from tests.research.factories import make_finding

    said = [
        FeedbackResponse.create(project=known_project, period="2026-04", answers={}, comment=c)
        for c in ("The form timed out", "Could not find the upload button", "Timed out twice")
    ]
    slow = make_finding(known_project, title="Sessions end too soon", tags=["time limits"])
    hidden = make_finding(
        known_project, title="Upload is hard to find", tags=["navigation", "uploads"]
    )
    for finding, responses in ((slow, [said[0], said[2]]), (hidden, [said[1]])):
        for response in responses:
            FindingFeedback.create(finding=finding, response=response)
    make_finding(known_project, title="Not from comments", tags=["navigation"])

    report = build_project_report(known_project, default_edition(), NOW)
    assert report.cx.themes == [("time limits", 2), ("navigation", 1), ("uploads", 1)]
    text = _text(project_pdf(report).pdf)
    assert "Comment themes" in text
    assert "time limits 2 comments" in text and "navigation 1 comment" in text

    portfolio = build_portfolio_report(None, default_edition(), NOW)
    assert portfolio.cx_themes == report.cx.themes
    text = _text(portfolio_pdf(portfolio).pdf)
    assert "time limits (2), navigation (1), uploads (1)." in text


def test_the_portfolio_pdf_has_a_customer_experience_section(app, known_project):
    other = make_project(name="Another service")
    add_measure(other, "satisfaction", answers={"2026-04": (0, 0, 0, 5, 5)}, target=80.0)
    report = build_portfolio_report(None, default_edition(), NOW)
    text = _text(portfolio_pdf(report).pdf)
    assert "Customer experience" in text
    assert "2 of 2 projects have satisfaction or trust figures; 1 is below a target" in text
    # Q2: 12 + 10 agreeing of 20 + 10 answers.
    assert "Q1 2026: 85% of 40 responses; Q2 2026: 73.3% of 30 responses." in text
    assert "Satisfied with the service: 100% in April 2026" in text


def test_the_api_gives_each_projects_satisfaction_and_trust(client, cx_portfolio):
    listed = {p["name"]: p for p in client.get(url("api.projects")).get_json()["projects"]}
    grant = listed["Apply for a grant"]["customer_experience"]
    assert grant["trust"] is None
    assert {k: grant["satisfaction"][k] for k in ("period", "value", "previous_value")} == {
        "period": "2026-04",
        "value": 90.0,
        "previous_value": 70.0,
    }
    assert (grant["satisfaction"]["change"], grant["satisfaction"]["meets_target"]) == (
        "better",
        True,
    )
    refund = cx_portfolio["Claim a refund"]
    detail = client.get(url("api.project", slug=refund.slug)).get_json()
    assert detail["customer_experience"]["trust"]["meets_target"] is False
    assert {i["evidence_measure"] for i in detail["items"]} == {None}


def test_a_new_figure_makes_a_new_portfolio_report_not_the_cached_one(app, known_project):
    from projects.measures.changes import record_value
    from projects.measures.models import Measure
    from projects.reports.fingerprint import portfolio_version

    before = portfolio_version(None, default_edition(), NOW.date())
    rate = Measure.get(Measure.key == "completion_rate")
    record_value(rate, "2026-04", value=80.0)  # a changed figure
    changed = portfolio_version(None, default_edition(), NOW.date())
    record_value(rate, "2026-05", value=81.0)  # a new period
    assert len({before, changed, portfolio_version(None, default_edition(), NOW.date())}) == 3


def test_the_downloaded_portfolio_csv_has_satisfaction_and_trust(client, cx_portfolio):
    rows = _rows(client.get(url("reports.portfolio_download_csv")).get_data(as_text=True))
    by_name = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    inspection = by_name["Book an inspection"]
    assert [inspection[f"Satisfaction {c}"] for c in ("latest %", "previous %", "target %")] == [
        "60.0",
        "85.0",
        "80.0",
    ]
    refund = by_name["Claim a refund"]
    assert (refund["Trust latest %"], refund["Trust period"], refund["Trust target %"]) == (
        "65.0",
        "2026-04",
        "70.0",
    )
    assert by_name["Download a form"]["Satisfaction latest %"] == ""
