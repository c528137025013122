"""Renderers of report data: HTML (preview and print), PDF and CSV. None of them queries."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import render_template

from projects.pdf import render_pdf, warnings_fail
from projects.reports.portfolio_report import PORTFOLIO_ITEMS_PER_PROJECT
from projects.reports.records import PortfolioReport, ProjectReport

Progress = Callable[[int, str], None]
HEATMAP_ROWS_PER_TABLE = 20  # one landscape page each


def _no_progress(percent: int, stage: str) -> None:
    return None


def project_html(report: ProjectReport) -> str:
    return render_template("reports/project.html", report=report)


def portfolio_html(report: PortfolioReport) -> str:
    return render_template(
        "reports/portfolio.html",
        report=report,
        items_per_project=PORTFOLIO_ITEMS_PER_PROJECT,
        heatmap_rows=HEATMAP_ROWS_PER_TABLE,
    )


@dataclass(frozen=True)
class RenderedPDF:
    pdf: bytes
    pages: int


def pdf_from_html(html: str, progress: Progress = _no_progress, start: int = 30) -> RenderedPDF:
    """Lay out and write the PDF, reporting progress from `start` to 100 percent.

    Warnings fail the render in tests (`projects.pdf.warnings_fail`)."""
    progress(start, "Laying out the pages")

    pages: list[int] = []

    def laid_out(count: int) -> None:
        pages.append(count)
        progress(start + (100 - start) * 3 // 4, f"Writing {count} pages to the PDF")

    pdf = render_pdf(html, strict=warnings_fail(), on_laid_out=laid_out)
    progress(100, "Done")
    return RenderedPDF(pdf, pages[0] if pages else 0)


def project_pdf(report: ProjectReport, progress: Progress = _no_progress) -> RenderedPDF:
    progress(20, "Preparing the pages")
    return pdf_from_html(project_html(report), progress)


def portfolio_pdf(report: PortfolioReport, progress: Progress = _no_progress) -> RenderedPDF:
    progress(20, "Preparing the pages")
    return pdf_from_html(portfolio_html(report), progress)
