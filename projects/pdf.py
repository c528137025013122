"""Accessible PDFs (PDF/UA-1) with WeasyPrint, fetching nothing outside static/."""

from __future__ import annotations

import logging
import mimetypes
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from flask import current_app
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from projects.pdf_tags import recording, repair

STATIC = Path(__file__).resolve().parent.parent / "static"


class StaticOnlyFetcher(URLFetcher):
    """Serves files under static/ and refuses everything else: http(s), other files, data
    smuggled through redirects. User text can never make the renderer reach the network."""

    def __init__(self, root: Path = STATIC):
        super().__init__(allowed_protocols={"file"}, allow_redirects=False)
        self.root = root.resolve()

    def fetch(self, url, headers=None):
        parsed = urlparse(url)
        if parsed.scheme != "file" or parsed.netloc not in ("", "localhost"):
            raise ValueError(f"refused to fetch {url}: only files under static/ are allowed")
        path = Path(unquote(parsed.path)).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            raise ValueError(f"refused to fetch {url}: only files under static/ are allowed")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            path.as_uri(), body=path.read_bytes(), headers={"Content-Type": content_type}
        )


class PDFWarnings(RuntimeError):
    """WeasyPrint warned while rendering (tests treat every warning as a failure)."""


def warnings_fail() -> bool:
    """Whether a warning fails the render: PDF_STRICT, on by default in tests, where a
    warning means a broken template or stylesheet (or a glyph missing from our fonts)."""
    return current_app.config.get("PDF_STRICT", current_app.testing)


# Without libharfbuzz-subset0 WeasyPrint subsets fonts with fontTools and says so; the PDF is
# just as right, so that notice alone is not a warning about the document (`make install` names
# the missing package instead).
FONT_SUBSET_FALLBACK = "Using fontTools instead of HarfBuzz-Subset"


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        message = record.getMessage()
        if not message.startswith(FONT_SUBSET_FALLBACK):
            self.messages.append(message)


@dataclass(frozen=True)
class Bookmark:
    """A heading's outline entry: its level (h1 = 1), label, page (from 0) and where on the
    page, in PDF points from the bottom left."""

    level: int
    label: str
    page: int
    x: float
    y: float


@dataclass(frozen=True)
class RenderedDocument:
    pdf: bytes
    pages: int
    bookmarks: list[Bookmark]


def render_pdf(html: str, *, strict: bool = False, on_laid_out=None) -> bytes:
    """Render HTML whose relative URLs point into static/ (e.g. `css/print.css`).

    `on_laid_out(pages)`, if given, is called between layout and writing, for progress bars.
    """
    return render_document(html, strict=strict, on_laid_out=on_laid_out).pdf


def render_document(
    html: str,
    *,
    strict: bool = False,
    on_laid_out=None,
    tagged: bool = True,
    id_prefix: str = "",
) -> RenderedDocument:
    """`render_pdf`, also saying how many pages it made and where its headings are. Untagged
    (`tagged=False`) only for content that becomes an Artifact of another PDF (page numbers);
    `id_prefix` keeps the structure IDs of PDFs that are joined later apart."""
    collector = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    variant = "pdf/ua-1" if tagged else None
    try:
        html_document = HTML(
            string=html, base_url=STATIC.as_uri() + "/", url_fetcher=StaticOnlyFetcher()
        )
        document = html_document.render(pdf_variant=variant)
        if on_laid_out is not None:
            on_laid_out(len(document.pages))
        bookmarks = _bookmarks(document)
        with recording() as notes:
            pdf = document.write_pdf(pdf_variant=variant)
        pages = len(document.pages)
        del document, html_document  # the layout is most of the memory: let it go now
    finally:
        logger.removeHandler(collector)
    if strict and collector.messages:
        raise PDFWarnings("; ".join(collector.messages))
    return RenderedDocument(repair(pdf, notes, id_prefix) if tagged else pdf, pages, bookmarks)


def _bookmarks(document) -> list[Bookmark]:
    """The outline WeasyPrint writes, flat and with each heading's level."""
    scale = 0.75  # 72 PDF points per inch / 96 CSS pixels per inch
    return [
        Bookmark(level, label, number, x * scale, (page.height - y) * scale)
        for number, page in enumerate(document.pages)
        for level, label, (x, y), _state in page.bookmarks
    ]
