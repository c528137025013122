"""The PDFs are accessible (PDF/UA-1) and user text can never make the renderer fetch."""

import io
import logging
import re
from urllib.request import HTTPRedirectHandler

import pikepdf
import pytest

from playbook.edition import default_edition
from projects.checklists.models import ItemResponse, QuestionAnswer
from projects.pdf import STATIC, PDFWarnings, StaticOnlyFetcher, render_pdf
from projects.reports.portfolio_report import build_portfolio_report
from projects.reports.project_report import build_project_report
from projects.reports.render import portfolio_pdf, project_html, project_pdf
from tests.pdf_checks import pdf_text, read_tags
from tests.reports.conftest import NOW


def _structure(pdf: bytes) -> dict:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        root = doc.Root
        fonts = {}
        for page in doc.pages:
            for _, font in (page.Resources.get("/Font") or {}).items():
                descendants = font.get("/DescendantFonts")
                descriptor = (descendants[0] if descendants else font).get("/FontDescriptor")
                fonts[str(font.get("/BaseFont"))] = descriptor is not None and any(
                    key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
                )
        return {
            "struct": "/StructTreeRoot" in root,
            "lang": str(root.get("/Lang", "")),
            "marked": bool(root.MarkInfo.Marked) if "/MarkInfo" in root else False,
            "title": str(doc.docinfo.get("/Title", "")),
            "display_title": bool(root.ViewerPreferences.DisplayDocTitle)
            if "/ViewerPreferences" in root
            else False,
            "fonts": fonts,
            "pages": len(doc.pages),
        }


@pytest.mark.parametrize("kind", ["project", "portfolio"])
def test_reports_are_tagged_titled_in_english_with_embedded_fonts(app, known_project, kind):
    edition = default_edition()
    if kind == "project":
        pdf = project_pdf(build_project_report(known_project, edition, NOW)).pdf
        title = "Readiness report: Renew a license"
    else:
        pdf = portfolio_pdf(build_portfolio_report(None, edition, NOW)).pdf
        title = "Portfolio readiness report, May 15, 2026"
    found = _structure(pdf)
    assert found["struct"] and found["marked"]
    assert found["lang"] == "en"
    assert found["title"] == title and found["display_title"]
    assert found["fonts"] and all(found["fonts"].values()), found["fonts"]
    assert any("Source-Sans-Pro" in name for name in found["fonts"])


def _report_pdf(kind: str, project) -> bytes:
    edition = default_edition()
    if kind == "project":
        return project_pdf(build_project_report(project, edition, NOW)).pdf
    return portfolio_pdf(build_portfolio_report(None, edition, NOW)).pdf


@pytest.mark.parametrize("kind", ["project", "portfolio"])
def test_page_furniture_is_artifacts_and_all_other_content_is_in_the_tag_tree(
    app, known_project, kind
):
    """PDF/UA-1: running heads, footers and page numbers are pagination Artifacts; every other
    marked-content sequence belongs to an element reachable from StructTreeRoot."""
    tags = read_tags(_report_pdf(kind, known_project))
    assert tags.stray() == []
    assert tags.parent_tree_disagrees() == []
    for page, artifacts in enumerate(tags.artifacts):
        roles = {str(a.get("/Subtype")) for a in artifacts if a.get("/Type") == "/Pagination"}
        # The cover has no running head, only the footer.
        assert roles == ({"/Footer"} if page == 0 else {"/Header", "/Footer"}), page
    # An element cut by page breaks is one element: one main list of plays, one body.
    assert len(tags.of_type("/H1")) == 1


@pytest.mark.parametrize("kind", ["project", "portfolio"])
def test_charts_are_described_with_their_values_and_text_is_as_written(app, known_project, kind):
    """A chart's /Alt has its values, not its title alone; headings set in capitals on screen
    are in the PDF's text as written (no text-transform in print)."""
    pdf = _report_pdf(kind, known_project)
    tags = read_tags(pdf)
    alts = [str(figure.Alt) for figure in tags.of_type("/Figure")]
    plays = next(alt for alt in alts if "each of the 13 plays" in alt)
    assert re.search(r"plays\. 1\. Understand what people need: \d+% \(\w[\w ]*\); 2\. ", plays)
    assert re.search(r"13\. Default to open: (\d+%|n/a)( \(\w[\w ]*\))?\.$", plays)
    text = pdf_text(pdf)
    if kind == "project":
        assert "Readiness report" in text and "READINESS REPORT" not in text
        assert "Missing for the beta phase" in text and "MISSING FOR" not in text
    else:
        [phases] = [alt for alt in alts if alt.startswith("Number of projects in each phase. ")]
        assert "Alpha: 1 project;" in phases
        assert "Portfolio readiness report" in text and "PORTFOLIO READINESS" not in text


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://169.254.169.254/latest/meta-data/",
        "https://example.com/style.css",
        "file:///work/main/static/../projects/app.py",
        "ftp://example.com/x",
    ],
)
def test_the_fetcher_refuses_anything_outside_static(url):
    with pytest.raises(ValueError, match="only files under static"):
        StaticOnlyFetcher().fetch(url)


def test_the_fetcher_serves_our_stylesheet_and_has_no_redirect_handler():
    fetcher = StaticOnlyFetcher()
    response = fetcher.fetch((STATIC / "css" / "print.css").as_uri())
    assert b"@page" in response.read()
    assert not any(isinstance(h, HTTPRedirectHandler) for h in fetcher.handlers)
    with pytest.raises(ValueError, match="only files under static"):
        fetcher.fetch("https://example.gov/redirect?to=file:///etc/passwd")


HOSTILE = [
    '<img src="file:///etc/passwd">',
    '<img src="http://169.254.169.254/latest/meta-data/">',
    '<link rel="stylesheet" href="http://169.254.169.254/x.css">',
    '<a rel="attachment" href="file:///etc/passwd">attached</a>',
]


@pytest.mark.parametrize("text", HOSTILE)
def test_user_text_in_a_report_fetches_nothing_and_shows_as_text(app, known_project, text):
    ItemResponse.update(justification=text).where(ItemResponse.item_id == "p02.c1").execute()
    QuestionAnswer.update(answer=text).execute()
    ItemResponse.update(evidence_url=text).where(ItemResponse.item_id == "p01.c1").execute()
    report = build_project_report(known_project, default_edition(), NOW)
    # Strict rendering (the default under TESTING) fails on any refused fetch.
    pdf = project_pdf(report).pdf
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        attachments = doc.Root.get("/Names", {}).get("/EmbeddedFiles")
        assert attachments is None
    html = project_html(report)
    assert '<img src="file' not in html and '<link rel="stylesheet" href="http' not in html
    assert '<a rel="attachment"' not in html
    assert text.replace("<", "&lt;").replace('"', "&#34;")[:12] in html


PAGE = "<html lang='en'><head><title>T</title></head><body>{}</body></html>"


def _font_subset_fallback(pages):
    logging.getLogger("weasyprint").warning(
        'Using fontTools instead of HarfBuzz-Subset for font "%s". Please install HarfBuzz-Subset.',
        "DejaVu Sans",
    )


def test_strict_rendering_fails_on_weasyprint_warnings_but_not_on_the_font_subset_fallback():
    """Machines without libharfbuzz-subset0 still make the same PDF; anything else WeasyPrint
    warns about fails a strict render."""
    assert render_pdf(PAGE.format("<p>Fine</p>"), strict=True, on_laid_out=_font_subset_fallback)
    with pytest.raises(PDFWarnings, match="unknown property"):
        render_pdf(PAGE.format("<p style='colr: red'>Misspelled</p>"), strict=True)
