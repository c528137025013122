"""Every output is inert: the Markdown export escapes people's text, CSV cells never run as
formulas (full-width signs too), downloads and API answers are never cached, and the API's
links do not come from the request's Host header."""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt

from projects.contracts.models import ContractPackage, PackageClause
from projects.research.models import Finding
from tests.conftest import make_project
from tests.contracts.factories import ANSWERS, officer_project
from tests.pages import filled, url
from tests.research.factories import make_finding

HOSTILE = (
    "<script>alert(1)</script> <img src=x onerror=alert(2)> "
    "[click](javascript:alert(3)) ![x](javascript:alert(4)) [s]( JaVaScRiPt:alert(5)) "
    "[d](data:text/html;base64,PHNjcmlwdD4=) <javascript:alert(6)> &lt;b&gt; "
    "\\](javascript:alert(7)) [a [nested] one](vbscript:x) [safe](https://example.gov/a)"
)


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text = ""

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text += data


def _exported_markdown(client, signed_in) -> str:
    officer, project = officer_project()
    signed_in(officer)
    hostile_answers = {"title": "<script>alert(0)</script>", "agency_name": "<b>Fish</b>"}
    new = url("contracts.new", slug=project.slug)
    created = client.post(new, data=filled(client, new, "title", **ANSWERS | hostile_answers))
    assert created.status_code == 302
    package = ContractPackage.get(ContractPackage.project == project)
    entry = PackageClause.get(package=package, clause_id="clause.warranty")
    where = {"slug": project.slug, "package_id": package.id}
    edit = url("contracts.edit_clause", entry_id=entry.id, **where)
    text = f"{HOSTILE}\n\n- {HOSTILE}\n\n[ref]: javascript:alert(8)"
    assert client.post(edit, data=filled(client, edit, "text", text=text)).status_code == 302
    row = {"standard": HOSTILE, "quality_level": "<i>all</i>", "surveillance": "[x](javascript:y)"}
    add = url("contracts.add_qasp", **where)
    assert client.post(add, data=filled(client, add, "standard", **row)).status_code == 302
    assert client.post(url("contracts.export_package", **where)).status_code == 302
    download = client.get(url("contracts.download", number=1, fmt="markdown", **where))
    assert download.status_code == 200
    return download.data.decode("utf-8")


def test_the_markdown_export_shows_people_s_text_and_never_runs_it(client, signed_in):
    markdown = _exported_markdown(client, signed_in)
    # Rendered as a viewer that allows raw HTML would render it.
    page = _Tags()
    page.feed(MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown))
    tags = {tag for tag, _ in page.tags}
    assert not tags & {"script", "img", "b", "i"}, tags
    for tag, attrs in page.tags:
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        for name in ("href", "src"):
            assert attrs.get(name, "https://").startswith("https://"), (tag, attrs)
    assert ("a", {"href": "https://example.gov/a"}) in page.tags  # a safe link still works
    # People's text is shown as they wrote it.
    for shown in (
        "<script>alert(0)</script>",
        "<b>Fish</b>",
        "<img src=x onerror=alert(2)>",
        "[click](javascript:alert(3))",
        "![x](javascript:alert(4))",
        "&lt;b&gt;",
        "\\](javascript:alert(7))",
        "[ref]: javascript:alert(8)",
        "<i>all</i>",
    ):
        assert shown in page.text, shown


FULL_WIDTH = ["\uff1d", "\uff0b", "\uff0d", "\uff20"]  # = + - @ as East Asian keyboards type them


@pytest.mark.parametrize("sign", ["=", "+", "-", "@", "\t", "\r", *FULL_WIDTH])
def test_csv_cells_that_a_spreadsheet_would_run_are_neutralized(client, signed_in, sign):
    lead = signed_in("lead")
    project = make_project(lead)
    make_finding(project, title=f'{sign}HYPERLINK("https://evil.example","x")')
    response = client.get(url("research.export", slug=project.slug))
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"), newline="")))
    assert rows[1][0] == f'\'{sign}HYPERLINK("https://evil.example","x")'


def _exported_package(client, signed_in):
    officer, project = officer_project()
    signed_in(officer)
    new = url("contracts.new", slug=project.slug)
    assert client.post(new, data=filled(client, new, "title", **ANSWERS)).status_code == 302
    package = ContractPackage.get(ContractPackage.project == project)
    where = {"slug": project.slug, "package_id": package.id}
    assert client.post(url("contracts.export_package", **where)).status_code == 302
    return project, where


def test_every_download_and_api_answer_is_never_cached(client, signed_in):
    project, where = _exported_package(client, signed_in)
    make_finding(project)
    downloads = [
        url("contracts.download", number=1, fmt=fmt, **where) for fmt in ("pdf", "docx", "markdown")
    ] + [
        url("research.export", slug=project.slug),
        url("reports.project_download", slug=project.slug),
        url("api.projects"),
        url("api.project", slug=project.slug),
        url("api.contract_packages", slug=project.slug),
        url("api.findings", slug=project.slug),
        "/api/v1/nothing-here",
    ]
    for where in downloads:
        response = client.get(where)
        assert response.status_code in (200, 404), where
        assert response.headers["Cache-Control"] == "no-store", where
    assert Finding.select().count() == 1


def _from_another_host(client, host: str) -> None:
    """The same signed-in browser, sending its requests with another Host header."""
    session = client.get_cookie(
        "session", domain=client.application.config.get("SERVER_NAME") or "localhost"
    )
    client.set_cookie("session", session.value, domain=host)


def test_api_export_links_ignore_the_host_header(client, signed_in):
    project, _where = _exported_package(client, signed_in)
    _from_another_host(client, "evil.example")
    answer = client.get(
        url("api.contract_packages", slug=project.slug), headers={"Host": "evil.example"}
    )
    link = answer.get_json()["packages"][0]["exports"]["pdf"]
    assert link.startswith("/projects/") and "evil" not in link
    assert client.get(link).status_code == 200


class TestWithServerName:
    @pytest.fixture
    def app_config(self):
        return {"SERVER_NAME": "tracker.example.gov"}

    def test_api_export_links_are_full_addresses_on_the_configured_name(self, client, signed_in):
        project, _where = _exported_package(client, signed_in)
        _from_another_host(client, "evil.example")
        answer = client.get(
            url("api.contract_packages", slug=project.slug),
            headers={"Host": "evil.example"},
        )
        link = answer.get_json()["packages"][0]["exports"]["pdf"]
        assert link.startswith("http://tracker.example.gov/projects/"), link
