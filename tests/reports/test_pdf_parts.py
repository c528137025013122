"""The portfolio PDF rendered in parts and joined (projects.pdf_parts) is one accessible PDF:
one tag tree reaching every page, one outline, page numbers across the parts, and the same
reading as when the whole report is laid out at once. The report job shows each part."""

from __future__ import annotations

import io
import re
from collections import Counter
from datetime import date, timedelta

import pikepdf
import pytest

from playbook.edition import default_edition
from projects.reports import portfolio_parts, tasks
from projects.reports.models import ReportJob
from projects.reports.portfolio_parts import plan_parts
from projects.reports.portfolio_report import build_portfolio_report
from projects.reports.render import portfolio_pdf
from tests.conftest import make_project, make_user
from tests.pages import url
from tests.pdf_checks import descendants, kids, pdf_text, read_tags, without_artifacts
from tests.reports.conftest import NOW, record
from tests.research.factories import make_finding

PROJECTS = 5
FINDINGS = 4
SECTIONS = 9  # cover, least ready plays, change, heat map, customer experience, attention,
# findings, contracts, rules


@pytest.fixture
def portfolio(app, monkeypatch):
    """Five projects with overdue and stale items and four critical findings; heat map tables
    of two rows, so that each section has more than one part's worth."""
    monkeypatch.setattr(portfolio_parts, "HEATMAP_ROWS_PER_TABLE", 2)
    lead = make_user("lead", name="Lee Lead")
    for n in range(PROJECTS):
        project = make_project(lead, name=f"Service {n + 1}", slug=f"service-{n + 1}")
        record(project, "p01.c1", "in_progress", owner=lead, due_date=date(2026, 5, 1))
        record(project, "p02.c1", "in_progress", updated_at=NOW - timedelta(days=120))
        if n < FINDINGS:
            make_finding(project, title=f"Finding {n + 1}", severity="critical")
    return build_portfolio_report(None, default_edition(), NOW)


def render(app, report, part_projects) -> tuple[bytes, list[str]]:
    app.config["PDF_PART_PROJECTS"] = part_projects
    stages: list[str] = []
    pdf = portfolio_pdf(report, lambda percent, stage: stages.append(stage)).pdf
    return pdf, stages


@pytest.fixture
def joined(app, portfolio) -> bytes:
    # A quarter of a project's worth per part: a heat map table or a project's overdue and
    # stale items alone fill a part, two critical findings do.
    pdf, stages = render(app, portfolio, 0.25)
    assert "Laying out part 7 of 10: overdue and stale items, project 4 of 5" in stages
    return pdf


@pytest.fixture
def whole(app, portfolio) -> bytes:
    return render(app, portfolio, None)[0]


def test_the_plan_covers_every_entry_once_in_order(portfolio):
    parts = plan_parts(portfolio, 0.25)
    assert len(parts) == 10
    assert [p.continues for p in parts[:4]] == [False, True, True, False]  # the heat map goes on
    covered: dict[str, list] = {}
    for part in parts:
        for piece in part.slices:
            covered.setdefault(piece.section, []).extend(piece.items)
    assert covered["heatmap"] == portfolio.rows
    assert covered["attention"] == portfolio.attention
    assert covered["critical"] == portfolio.critical_findings
    assert list(covered) == list(portfolio_parts.LABELS)  # every section, in order
    [only] = plan_parts(portfolio)
    assert len(only.slices) == 8 and not only.continues  # one slice per section


def test_a_part_holds_whole_heat_map_tables(portfolio):
    for size in (0.25, 1, 1.5, 3):
        for part in plan_parts(portfolio, size):
            for piece in part.slices:
                if piece.section == "heatmap" and not piece.last:
                    assert len(piece.items) % 2 == 0, (size, piece)


@pytest.mark.parametrize("kind", ["joined", "whole"])
def test_one_tag_tree_reaches_every_pages_marked_content(request, kind):
    pdf = request.getfixturevalue(kind)
    tags = read_tags(pdf)
    assert tags.stray() == []
    assert tags.parent_tree_disagrees() == []
    pages = len(tags.marked)
    assert {page for page, _ in tags.owners} == set(range(pages))
    with pikepdf.open(io.BytesIO(pdf)) as document:
        root = document.Root.StructTreeRoot
        [top] = kids(root)
        assert str(top.S) == "/Document"
        [report] = kids(top)  # the report's wrapper, one element across the parts
        sections = kids(report, "/Sect")
        assert len(sections) == SECTIONS
        heatmap, attention, findings = sections[3], sections[5], sections[6]
        assert len(kids(heatmap, "/Table")) == 3  # five rows, two a table
        assert len(kids(attention, "/Div")) == PROJECTS
        [found] = kids(findings, "/L")  # one list, though each item was laid out on its own
        assert len(kids(found, "/LI")) == FINDINGS
        struct_parents = [int(page.StructParents) for page in document.pages]
        assert len(set(struct_parents)) == pages
        assert int(root.ParentTreeNextKey) > max(struct_parents)
        names = list(root.IDTree.Names)
        ids = [str(names[i]) for i in range(0, len(names), 2)]
        assert ids == sorted(ids) and len(set(ids)) == len(ids)
        headers = {str(th.ID) for th in descendants(heatmap, "/TH")}
        assert headers == set(ids)
        for cell in descendants(heatmap, "/TD"):
            assert {str(h) for h in cell.A.Headers} <= headers


def _reading(pdf: bytes) -> list[tuple[str, str]]:
    """The structure elements that carry the text, in reading order, with their text."""
    tags = read_tags(pdf)
    return [(str(e.S), str(e.get("/Alt", ""))) for e in tags.elements if str(e.S) != "/Span"]


def test_joined_it_reads_as_the_whole_report_laid_out_at_once(joined, whole):
    assert _reading(joined) == _reading(whole)
    # Running heads and page numbers aside (more pages, more of them), the same words, none
    # lost or doubled (pdftotext's order depends on where the page breaks fall).
    text = pdf_text(without_artifacts(joined))
    assert Counter(text.split()) == Counter(pdf_text(without_artifacts(whole)).split())
    assert "Page" not in text and "Service 5" in text and "Finding 4" in text


def _outline(pdf: bytes) -> list[tuple[int, str, int]]:
    found = []
    with pikepdf.open(io.BytesIO(pdf)) as document:
        pages = {page.obj.objgen: n for n, page in enumerate(document.pages)}
        with document.open_outline() as outline:

            def walk(items, depth):
                for item in items:
                    found.append((depth, item.title, pages[item.destination[0].objgen]))
                    walk(item.children, depth + 1)

            walk(outline.root, 0)
    return found


def test_the_outline_covers_every_section_and_project_across_the_parts(joined, whole):
    outline = _outline(joined)
    assert [(d, t) for d, t, _ in outline] == [(d, t) for d, t, _ in _outline(whole)]
    titles = [t for d, t, _ in outline if d == 1]
    assert titles[:2] == ["Projects by phase", "Least ready plays"]
    attention = [t for _, t, _ in outline].index("Overdue and stale items")
    projects = outline[attention + 1 : attention + 1 + PROJECTS]
    assert [(d, t) for d, t, _ in projects] == [(2, f"Service {n}") for n in range(1, 6)]
    for _, title, page in outline:  # each bookmark leads to its heading's page
        assert title in pdf_text(joined, pages=str(page + 1)), title


def test_page_numbers_run_across_the_parts(joined):
    pages = len(pikepdf.open(io.BytesIO(joined)).pages)
    assert pages > 10  # every part begins a page
    for page in range(1, pages + 1):
        text = pdf_text(joined, pages=str(page))
        assert re.findall(r"Page \d+ of \d+", text) == [f"Page {page} of {pages}"], page


def test_every_page_but_the_cover_has_its_running_head(joined):
    tags = read_tags(joined)
    for page, artifacts in enumerate(tags.artifacts):
        roles = {str(a.get("/Subtype")) for a in artifacts if a.get("/Type") == "/Pagination"}
        assert roles == ({"/Footer"} if page == 0 else {"/Header", "/Footer"}), page
    heads = [  # the running head's two sides come first
        " · ".join(pdf_text(joined, pages=str(page)).split("\n\n")[:2])
        for page in range(2, len(tags.artifacts) + 1)
    ]
    assert all(head.startswith("Portfolio readiness") for head in heads), heads
    # A part that goes on with a section names it in the head, as the section's first part does.
    assert heads.count("Portfolio readiness · Overdue and stale items") >= PROJECTS


def test_the_joined_pdf_keeps_the_documents_language_title_and_pdfua_marks(joined):
    with pikepdf.open(io.BytesIO(joined)) as document:
        root = document.Root
        assert str(root.Lang) == "en" and bool(root.MarkInfo.Marked)
        assert bool(root.ViewerPreferences.DisplayDocTitle)
        assert str(document.docinfo.Title) == "Portfolio readiness report, May 15, 2026"
        metadata = document.open_metadata()
        assert metadata["pdfuaid:part"] == "1"
        assert metadata["dc:title"] == "Portfolio readiness report, May 15, 2026"


def test_the_job_records_each_part_and_its_page_shows_it(
    app, client, signed_in, portfolio, monkeypatch
):
    """While the job runs, the status the page polls and the page itself name the part being
    laid out; the progress grows with the parts."""
    app.config["PDF_PART_PROJECTS"] = 0.25
    signed_in("leadership")
    seen: list[tuple[int, str, str]] = []
    original = tasks.portfolio_pdf

    def watched(report, progress):
        def step(percent, stage):
            progress(percent, stage)
            if stage.startswith("Laying out part"):
                [job] = ReportJob.select()
                status = client.get(url("reports.job_status", job_id=job.id)).json
                page = client.get(url("reports.job", job_id=job.id)).text
                seen.append((status["progress"], status["stage"], page))

        return original(report, step)

    monkeypatch.setattr(tasks, "portfolio_pdf", watched)
    client.post(url("reports.request_portfolio"))
    assert len(seen) == 10
    progress = [percent for percent, _, _ in seen]
    assert progress == sorted(progress) and progress[0] < progress[-1] <= 95
    percent, stage, page = seen[6]
    assert stage == "Laying out part 7 of 10: overdue and stale items, project 4 of 5"
    assert stage in page and f"{percent}</span>% done" in page
    assert ReportJob.get().status == "done"
