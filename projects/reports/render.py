"""Renderers of report data: HTML (preview and print), PDF and CSV. None of them queries."""

from __future__ import annotations

import gc
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app, render_template

from projects import pdf_parts
from projects.pdf import render_document, render_pdf, warnings_fail
from projects.reports import portfolio_parts
from projects.reports.portfolio_parts import Part, plan_parts
from projects.reports.portfolio_report import PORTFOLIO_ITEMS_PER_PROJECT
from projects.reports.records import PortfolioReport, ProjectReport

Progress = Callable[[int, str], None]
# About this many projects' worth of the portfolio PDF are laid out at a time (about 1.4 MB
# each): see projects/reports/portfolio_parts.py.
PDF_PART_PROJECTS = 50


def _no_progress(percent: int, stage: str) -> None:
    return None


def project_html(report: ProjectReport) -> str:
    return render_template("reports/project.html", report=report)


def portfolio_html(report: PortfolioReport, part: Part | None = None) -> str:
    """The print HTML of one part of the portfolio PDF; of the whole report when None."""
    return render_template(
        "reports/portfolio.html",
        report=report,
        part=part or plan_parts(report)[0],
        items_per_project=PORTFOLIO_ITEMS_PER_PROJECT,
        heatmap_rows=portfolio_parts.HEATMAP_ROWS_PER_TABLE,
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
    """The portfolio PDF, laid out in parts one after the other so that memory stays that of
    one part however many projects there are, then joined into one document."""
    progress(20, "Preparing the pages")
    parts = plan_parts(report, current_app.config.get("PDF_PART_PROJECTS", PDF_PART_PROJECTS))
    rendered = []
    for part in parts:
        progress(
            20 + 70 * (part.number - 1) // len(parts),
            f"Laying out part {part.number} of {len(parts)}: {part.label}",
        )
        document = render_document(
            portfolio_html(report, part),
            strict=warnings_fail(),
            id_prefix=f"part{part.number}-" if part.number > 1 else "",
        )
        rendered.append(pdf_parts.Part(document, part.continues))
        gc.collect()  # the layout's boxes refer to each other: free them before the next part
    joining = f"Joining the {len(parts)} parts and numbering" if len(parts) > 1 else "Numbering"
    progress(90, f"{joining} the pages")
    pdf = pdf_parts.join(rendered, _page_numbers)
    progress(100, "Done")
    return RenderedPDF(pdf, sum(r.document.pages for r in rendered))


def _page_numbers(landscape: list[bool]) -> bytes:
    html = render_template("reports/page_numbers.html", sheets=landscape)
    return render_document(html, strict=warnings_fail(), tagged=False).pdf
