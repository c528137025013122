"""The main pages fit a small phone (320px), a phone (390px) and a laptop (1280px) without the
whole page scrolling sideways: wide tables scroll inside their own labeled region instead.
(tests/browser/test_screenshots.py keeps screenshots of the main pages for people to look at.)"""

from __future__ import annotations

import pytest

from projects.contracts.models import ContractPackage
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

SLUG = "building-permits"
PAGES = {
    "home": "/",
    "portfolio": "/portfolio",
    "project": f"/projects/{SLUG}",
    "play": f"/projects/{SLUG}/plays/2",
    "members": f"/projects/{SLUG}/members",
    "history": f"/projects/{SLUG}/history",
    "edit": f"/projects/{SLUG}/edit",
    "research log": f"/projects/{SLUG}/user-research",
    "new finding": f"/projects/{SLUG}/user-research/new",
    "readiness report": f"/projects/{SLUG}/report",
    "clause library": "/contract-clauses",
    "my work": "/my-work",
}
WIDTHS = [320, 390, 1280]
# A CSV whose rows have problems, so the import preview shows its Problems column.
PROBLEM_CSV = (
    "title,insight,method,date,severity,status,status_reason,plays,items,tags,participants\r\n"
    "People cannot find the fee for a renovation permit before they apply,They look for it "
    "on the first page and give up,usability testing,2026-03-02,high,,,1,p02.c1,fees,6\r\n"
    "Staff re-key data,,interviews,2 March,urgent,planned,,14,p99.c1,,many\r\n"
)


def _package_path(live_server) -> str:
    with live_server.app.app_context():
        package = ContractPackage.select().order_by(ContractPackage.id).get()
        return f"/projects/{package.project.slug}/contract-packages/{package.id}"


def _import_preview(page) -> None:
    """Upload PROBLEM_CSV; the page left open is the preview with its table of rows."""
    page.goto(f"/projects/{SLUG}/user-research/import")
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "findings.csv", "mimeType": "text/csv", "buffer": PROBLEM_CSV.encode()}]
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Upload and preview").click()
    assert page.get_by_role("heading", name="Check the import").is_visible()


def _too_wide(page) -> int:
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


# Whatever scrolls sideways inside the page is a region a keyboard reaches and a screen reader
# names (role="region", a label, tabindex="0").
UNNAMED_SCROLLERS = """() => Array.from(document.querySelectorAll("main *")).filter(el =>
    !["TEXTAREA", "SELECT", "INPUT"].includes(el.tagName)
    && ["auto", "scroll"].includes(getComputedStyle(el).overflowX)
    && el.scrollWidth > el.clientWidth
    && !(el.getAttribute("role") === "region" && el.tabIndex === 0
         && (el.getAttribute("aria-label") || el.getAttribute("aria-labelledby")))
).map(el => el.outerHTML.slice(0, 120))"""


@pytest.mark.parametrize("width", WIDTHS)
def test_main_pages_fit_the_screen(browser, live_server, server_errors, width):
    context = browser.new_context(
        base_url=live_server.base, viewport={"width": width, "height": 900}
    )
    pages = PAGES | {"contract package": _package_path(live_server)}
    try:
        page = context.new_page()
        sign_in(page, "admin@example.gov")
        too_wide = {}

        unnamed = {}

        def look(name: str) -> None:
            overflow = _too_wide(page)
            if overflow > 0:
                too_wide[name] = overflow
            scrollers = page.evaluate(UNNAMED_SCROLLERS)
            if scrollers:
                unnamed[name] = scrollers

        for name, path in pages.items():
            page.goto(path)
            look(name)
        _import_preview(page)
        look("import preview")
        assert not too_wide, f"pages wider than {width}px (by px): {too_wide}"
        assert not unnamed, f"scrolling areas that are not labeled regions: {unnamed}"
    finally:
        context.close()


def test_wide_tables_scroll_in_a_region_a_keyboard_can_reach(browser, live_server, page):
    page.set_viewport_size({"width": 390, "height": 900})
    sign_in(page, "lead@example.gov")
    page.goto(f"/projects/{SLUG}")
    region = page.locator(".usa-table-container--scrollable").first
    assert region.get_attribute("tabindex") == "0"
    assert region.get_attribute("role") == "region"
    assert region.get_attribute("aria-label")
    assert region.evaluate("el => el.scrollWidth > el.clientWidth"), "the table fits; no need"


def test_the_import_preview_shows_every_column_at_1280(page):
    """The Problems column is the reason for the page: on a laptop it is on screen, not past
    the edge of a region that scrolls."""
    sign_in(page, "lead@example.gov")
    _import_preview(page)
    region = page.get_by_role("region", name="Rows of the file")
    assert region.evaluate("el => el.scrollWidth <= el.clientWidth")
    problems = page.get_by_role("columnheader", name="Problems")
    assert problems.evaluate("el => el.getBoundingClientRect().right <= window.innerWidth")


def test_the_research_log_shows_every_column_at_1280(page):
    sign_in(page, "lead@example.gov")
    page.goto(f"/projects/{SLUG}/user-research")
    region = page.get_by_role("region", name="Findings")
    assert region.evaluate("el => el.scrollWidth <= el.clientWidth")
