"""CSV import and export: every row checked before anything is written, all rows or none."""

import csv
import io

import pytest

from projects.audit import AuditEvent
from projects.research.csv_import import COLUMNS
from projects.research.models import Finding, FindingUpload, attach_links
from tests.conftest import make_project, make_user
from tests.pages import url
from tests.research.factories import make_finding

HEADER = "title,insight,method,date,severity,status,status_reason,plays,items,tags,participants"
ROW = "Fee is hidden,People look for the fee,Usability testing,2026-03-02,high,,,1,p02.c1,fees,6"


def csv_bytes(*rows: str, header: str = HEADER, bom: bool = False) -> bytes:
    text = "\r\n".join([header, *rows]) + "\r\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


@pytest.fixture
def project(signed_in):
    lead = signed_in("lead")
    return make_project(lead)


def upload(client, project, data: bytes, filename: str = "findings.csv"):
    return client.post(
        url("research.upload", slug=project.slug),
        data={"file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def preview_url(response) -> str:
    assert response.status_code == 302, response.text[:2000]
    return response.headers["Location"]


@pytest.mark.parametrize("bom", [False, True])
def test_importing_after_a_preview(client, project, bom):
    second = (
        "Staff re-key data,Caseworkers copy fields,interviews,2026-02-01,critical,planned,,2,,,"
    )
    where = preview_url(upload(client, project, csv_bytes(ROW, second, bom=bom)))
    page = client.get(where)
    assert "Fee is hidden" in page.text
    assert "Staff re-key data" in page.text
    assert "Import 2 findings" in page.text
    assert Finding.select().count() == 0  # nothing written by the preview
    response = client.post(where)
    assert response.status_code == 302
    findings = attach_links(list(Finding.select().order_by(Finding.title)))
    assert [f.title for f in findings] == ["Fee is hidden", "Staff re-key data"]
    fee = findings[0]
    assert (fee.method, fee.severity, fee.status) == ("usability_testing", "high", "open")
    assert (fee.plays, fee.items, fee.tags, fee.participants) == ([1, 2], ["p02.c1"], ["fees"], 6)
    assert findings[1].status == "planned"
    assert AuditEvent.select().where(AuditEvent.action == "imported").count() == 2
    assert "Imported 2 findings" in client.get(response.headers["Location"]).text
    # A second click imports nothing more.
    again = client.post(where)
    assert again.status_code == 302
    assert Finding.select().count() == 2


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "findings.csv", "The file is empty"),
        (b"\xef\xbb\xbf", "findings.csv", "The file is empty"),
        (b"\r\n\r\n", "findings.csv", "The file is empty"),
        (HEADER.encode() + b"\r\n", "findings.csv", "column headings but no findings"),
        (csv_bytes(ROW), "findings.xlsx", "Upload a CSV file: its name must end in .csv"),
        (b"PK\x03\x04\x14\x00\x06\x00binary", "findings.csv", "looks like an Excel workbook"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "findings.csv", "not a CSV file"),
        (
            csv_bytes("Caf\xe9 queue,Long wait,survey,2026-03-02,low").decode().encode("utf-16"),
            "findings.csv",
            "UTF-16",
        ),
        (
            (
                "title,insight,method,date,severity\r\n"
                "Café queue,Long wait,survey,2026-03-02,low\r\n"
            ).encode("latin-1"),
            "findings.csv",
            "not saved as UTF-8: line 2",
        ),
        (csv_bytes(ROW, header="title,insight,date,severity"), "f.csv", "Missing column: method"),
        (
            csv_bytes(ROW + ",x", header=HEADER + ",Owner email"),
            "findings.csv",
            "Unknown column: Owner email",
        ),
        (csv_bytes(ROW, header=HEADER + ",title"), "f.csv", "appear more than once: title"),
        (
            b"title;insight;method;date;severity\r\na;b;survey;2026-01-01;low\r\n",
            "f.csv",
            "separated by semicolons",
        ),
        (
            b'title,insight,method,date,severity\r\n"unclosed,b,survey,2026-01-01,low\r\n' * 1,
            "f.csv",
            "could not be read as CSV",
        ),
    ],
)
def test_files_that_cannot_be_imported_say_why(client, project, data, filename, message):
    page = upload(client, project, data, filename)
    assert page.status_code == 200
    assert message in page.text.replace("&#39;", "'")
    assert "<title>Error:" in page.text
    assert Finding.select().count() == 0
    assert FindingUpload.select().count() == 0


def test_no_file_chosen(client, project):
    page = client.post(url("research.upload", slug=project.slug), data={})
    assert "Choose a CSV file to upload" in page.text


def test_a_ten_thousand_row_file_is_refused_with_the_limit(client, project):
    rows = [f"F{n},I,survey,2026-01-01,low" for n in range(10_000)]
    data = csv_bytes(*rows, header="title,insight,method,date,severity")
    assert len(data) < 2 * 1024 * 1024
    page = upload(client, project, data)
    assert page.status_code == 200
    assert "The file has 10,000 findings; one file can hold at most 2,000" in page.text
    assert Finding.select().count() == 0


def test_a_file_over_two_megabytes_is_refused(client, project):
    # The body is built by hand: the test client would spool a big file to an unclosed temp file.
    body = (
        b'--b\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\n'
        b"Content-Type: text/csv\r\n\r\n"
        + csv_bytes(ROW)
        + b"x" * (2 * 1024 * 1024)
        + b"\r\n--b--\r\n"
    )
    page = client.post(
        url("research.upload", slug=project.slug),
        data=body,
        content_type="multipart/form-data; boundary=b",
    )
    assert page.status_code == 413
    assert "the limit is 2 MB" in page.text


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("A,B,focus group,2026-03-02,high,,,,,,", "“focus group” is not a method"),
        ("A,B,survey,2026-03-02,urgent,,,,,,", "“urgent” is not a severity"),
        ("A,B,survey,2026-03-02,high,done,,,,,", "“done” is not a status"),
        ("A,B,survey,27/03/2026,high,,,,,,", "Enter the date as year-month-day"),
        ("A,B,survey,,high,,,,,,", "Enter the date of the research"),
        (",B,survey,2026-03-02,high,,,,,,", "Enter a title for the finding"),
        ("A,B,survey,2026-03-02,high,won't address,,,,,", "Say why the team won't address"),
        ("A,B,survey,2026-03-02,high,,,14,,,", "Plays are numbers from 1 to 13, not 14"),
        ("A,B,survey,2026-03-02,high,,,,p99.c9,,", "There is no checklist item p99.c9"),
        ("A,B,survey,2026-03-02,high,,,,,,many", "whole number"),
        ("A,B,survey,2026-03-02,high,,,,,,,extra", "more cells than there are column headings"),
    ],
)
def test_rows_with_problems_are_shown_and_nothing_is_imported(client, project, row, message):
    where = preview_url(upload(client, project, csv_bytes(ROW, row, ROW)))
    page = client.get(where).text.replace("&#39;", "'")
    assert message in page
    assert "Row 3" in page
    assert "nothing can be imported" in page
    assert "Import 3 findings" not in page
    assert client.post(where).status_code == 200  # confirming anyway writes nothing
    assert Finding.select().count() == 0


def test_every_rows_problems_are_listed(client, project):
    rows = ["A,B,focus group,2026-03-02,urgent,,,,,,", ROW, ",B,survey,bad,high,,,,,,"]
    page = client.get(preview_url(upload(client, project, csv_bytes(*rows)))).text
    for expected in ("Row 2", "focus group", "urgent", "Row 4", "Enter a title", "year-month-day"):
        assert expected in page
    assert "2 rows have problems" in page


def test_personal_data_in_a_file_needs_a_confirmation(client, signed_in):
    lead = signed_in("lead")
    project = make_project(lead)
    row = "Callback,Participant left 555-123-4567 for a callback,interviews,2026-03-02,low"
    where = preview_url(
        upload(client, project, csv_bytes(row, header="title,insight,method,date,severity"))
    )
    page = client.get(where).text
    assert "may hold personal data" in page
    assert "555-123-4567" in page
    refused = client.post(where)
    assert refused.status_code == 200
    assert "confirm that the flagged rows hold none" in refused.text
    assert Finding.select().count() == 0
    assert client.post(where, data={"privacy_confirmed": "y"}).status_code == 302
    finding = Finding.get()
    assert finding.privacy_checked_by_id == lead.id


def test_a_preview_belongs_to_its_uploader(client, signed_in, auth):
    lead = signed_in("lead")
    editor = make_user("lead")
    project = make_project(lead, members={editor: "editor"})
    where = preview_url(upload(client, project, csv_bytes(ROW)))
    auth.logout()
    signed_in(editor)
    assert client.post(where).status_code == 302
    assert Finding.select().count() == 0


def test_viewers_cannot_import(client, signed_in):
    viewer = make_user("lead")
    project = make_project(members={viewer: "viewer"})
    signed_in(viewer)
    assert upload(client, project, csv_bytes(ROW)).status_code == 403


def test_export_is_excel_safe_and_imports_back(client, project):
    make_finding(
        project,
        title='=HYPERLINK("http://evil")',
        insight="- a bullet\n- another",
        tags=["fees", "mobile"],
        plays=[1, 2],
        items=["p01.c1", "p02.c3"],
        evidence_links="https://example.gov/a\nhttps://example.gov/b",
        status="wont_address",
        status_reason="@law requires it",
    )
    response = client.get(url("research.export", slug=project.slug))
    assert response.mimetype == "text/csv"
    assert f"{project.slug}-user-research.csv" in response.headers["Content-Disposition"]
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert tuple(rows[0]) == COLUMNS
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["title"].startswith("'=")
    assert row["insight"].startswith("'-")
    assert row["status_reason"].startswith("'@")
    assert row["status"] == "Won't address"
    assert row["plays"] == "1; 2"
    # The export is a valid import file: the same finding comes back unchanged.
    other = make_project(project.lead)
    where = preview_url(upload(client, other, response.data))
    assert client.post(where).status_code == 302
    original = attach_links([Finding.get(Finding.project == project)])[0]
    copy = attach_links([Finding.get(Finding.project == other)])[0]
    for name in (
        "title",
        "insight",
        "status",
        "status_reason",
        "evidence_links",
        "plays",
        "items",
        "tags",
        "method",
        "research_date",
        "severity",
        "confidence",
    ):
        assert getattr(copy, name) == getattr(original, name), name
