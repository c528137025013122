"""`flask report ...` and the report pages: clear messages, access, CSV and freezing."""

import csv
import io
from datetime import timedelta

import pytest

from playbook.readiness import RATING_LABELS
from projects.checklists import scores
from projects.editions import active_edition
from projects.reports import portfolio_csv
from projects.reports.models import Snapshot
from projects.reports.portfolio_report import build_portfolio_report
from tests.conftest import make_project, make_user
from tests.pages import url
from tests.reports.conftest import NOW, record
from tests.research.factories import make_finding


def test_cli_writes_a_project_pdf_with_plain_progress(runner, known_project, tmp_path):
    target = tmp_path / "report.pdf"
    result = runner.invoke(args=["report", "project", "renew-a-license", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(b"%PDF")
    assert "Laying out the pages" in result.output and f"Wrote {target}" in result.output


def test_cli_writes_the_portfolio_csv(runner, known_project, tmp_path):
    make_project(name='=HYPERLINK("http://evil")', slug="evil")
    target = tmp_path / "portfolio.csv"
    result = runner.invoke(args=["report", "portfolio", "--format", "csv", "-o", str(target)])
    assert result.exit_code == 0, result.output
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert len(lines) == 3  # header and one row per project
    assert any(line.startswith("\"'=HYPERLINK") for line in lines)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["project", "no-such-project", "-o", "{tmp}/r.pdf"], "No project has the slug"),
        (["project", "renew-a-license", "-o", "{tmp}/missing/r.pdf"], "does not exist"),
        (["portfolio", "-o", "/proc/report.pdf"], "Cannot write to /proc/report.pdf"),
        (["portfolio", "-o", "{tmp}"], "is a folder"),
    ],
)
def test_cli_bad_input_gets_a_clear_message_and_no_traceback(
    runner, known_project, tmp_path, args, message
):
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    result = runner.invoke(args=["report", *args])
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_the_project_report_preview_and_pdf(client, signed_in, known_project):
    signed_in(known_project.lead)
    detail = client.get(url("projects.detail", slug="renew-a-license"))
    assert url("reports.project_preview", slug="renew-a-license") in detail.text
    page = client.get(url("reports.project_preview", slug="renew-a-license"))
    assert page.status_code == 200
    assert "Next actions" in page.text and "Paper forms are out of scope" in page.text
    assert "Freeze this report" not in page.text  # leads may not freeze
    pdf = client.get(url("reports.project_download", slug="renew-a-license"))
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    assert (
        client.post(
            url("reports.freeze_project", slug="renew-a-license"), data={"label": "Mine"}
        ).status_code
        == 403
    )


@pytest.mark.parametrize(
    "url", ["/projects/renew-a-license/report", "/projects/renew-a-license/report.pdf"]
)
def test_a_project_the_user_may_not_see_is_not_found(client, signed_in, known_project, url):
    signed_in(make_user("lead"))
    assert client.get(url).status_code == 404


def test_leadership_freezes_a_project_report(client, signed_in, known_project):
    signed_in("leadership")
    empty = client.post(url("reports.freeze_project", slug="renew-a-license"), data={"label": " "})
    assert empty.status_code == 400 and "Enter a name for the snapshot" in empty.text
    done = client.post(
        url("reports.freeze_project", slug="renew-a-license"), data={"label": "Q2 2026"}
    )
    assert done.status_code == 302
    snapshot = Snapshot.get()
    assert snapshot.project_id == known_project.id and snapshot.pdf_bytes.startswith(b"%PDF")
    assert "Q2 2026" in client.get(url("reports.snapshots")).text


def test_leadership_freezes_the_portfolio_from_a_finished_job(client, signed_in, known_project):
    signed_in("admin")
    job_page = client.post(url("reports.request_portfolio"), follow_redirects=True)
    assert "Freeze as a snapshot" in job_page.text
    job_id = job_page.request.path.rsplit("/", 1)[-1]
    client.post(
        url("reports.freeze_portfolio", job_id=job_id), data={"label": "Portfolio, Q2 2026"}
    )
    snapshot = Snapshot.get()
    assert snapshot.kind == "portfolio" and str(known_project.id) in snapshot.scores


def test_the_dashboard_offers_the_report_and_the_csv_of_visible_projects(
    client, signed_in, known_project
):
    make_project(name="Hidden project")
    signed_in(known_project.lead)
    dashboard = client.get(url("portfolio.dashboard"))
    assert (
        url("reports.portfolio") in dashboard.text
        and url("reports.portfolio_download_csv") in dashboard.text
    )
    csv = client.get(url("reports.portfolio_download_csv"))
    assert csv.mimetype == "text/csv"
    text = csv.data.decode("utf-8-sig")
    assert "Renew a license" in text and "Hidden project" not in text


def test_the_streamed_csv_says_what_the_portfolio_report_says(app, known_project):
    """The CSV reads stored readiness and counts in SQL, batch by batch; the report object
    computes everything from the items. Each row must agree, cell for cell."""

    other = make_project(name="Another service", phase="live")
    record(other, "p05.c1", "done")
    record(other, "p05.c2", "in_progress", updated_at=NOW - timedelta(days=200))
    make_finding(other, severity="critical", status="open")
    scores.refresh(other)
    make_project(name="Nothing yet")
    portfolio_csv.BATCH = 2  # several batches, so the keyset paging is exercised
    try:
        text = "".join(portfolio_csv.portfolio_csv_lines(None, active_edition(), NOW))
    finally:
        portfolio_csv.BATCH = 500
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    report = build_portfolio_report(None, active_edition(), NOW)
    assert len(rows) == 1 + len(report.rows) == 4

    def cell(value):
        return "" if value is None else str(value)

    def headline(row) -> list[str]:
        """Satisfaction and trust: latest, its period, the one before, the target."""
        lines = {m.key: m for m in row.cx}
        found = []
        for key in ("satisfaction", "trust"):
            m = lines.get(key)
            numbers = [m.latest, m.previous, m.target] if m else [None] * 3
            latest, previous, target = (cell(None if n is None else round(n, 1)) for n in numbers)
            found += [latest, m.latest_period if m else "", previous, target]
        return found

    for line, row in zip(rows[1:], report.rows, strict=True):
        plays = [cell(row.plays[n].percent) for n in sorted(row.plays)]
        assert line == [
            row.project.name,
            row.project.slug,
            row.project.agency,
            row.project.office,
            row.project.lead,
            row.project.phase.title(),
            cell(row.overall.percent),
            RATING_LABELS[row.overall.rating],
            cell(row.overall.reviewed.percent),
            cell(row.phase.percent),
            *plays,
            str(row.overall.done),
            str(row.overall.in_progress),
            str(row.overall.not_started),
            str(row.overall.not_applicable),
            str(row.overdue_count),
            str(row.stale_count),
            str(row.open_critical),
            cell(row.overall_change),
            *headline(row),
        ]
    assert [r[0] for r in rows[1:]] == ["Another service", "Nothing yet", "Renew a license"]
    assert rows[1][-10] == "1" and rows[3][-12:-10] == ["1", "1"]  # critical; overdue and stale
    # Satisfaction: latest, its month, the month before, the target; no trust measure.
    assert rows[0][-8:] == [
        *("Satisfaction latest %", "Satisfaction period", "Satisfaction previous %"),
        *("Satisfaction target %", "Trust latest %", "Trust period", "Trust previous %"),
        "Trust target %",
    ]
    assert rows[3][-8:] == ["60.0", "2026-04", "90.0", "80.0", "", "", "", ""]
