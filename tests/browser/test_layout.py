"""The main pages fit a phone (390px) and a laptop (1280px) without the whole page scrolling
sideways: wide tables scroll inside their own labeled region instead.

Set SHOTS_DIR=/some/dir to keep a full-page screenshot of each for a person to look at."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

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
}
WIDTHS = [390, 1280]


@pytest.mark.parametrize("width", WIDTHS)
def test_main_pages_fit_the_screen(browser, live_server, server_errors, width):
    context = browser.new_context(
        base_url=live_server.base, viewport={"width": width, "height": 900}
    )
    shots = os.environ.get("SHOTS_DIR")
    try:
        page = context.new_page()
        sign_in(page, "lead@example.gov")
        too_wide = {}
        for name, path in PAGES.items():
            page.goto(path)
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            if overflow > 0:
                too_wide[name] = overflow
            if shots:
                Path(shots).mkdir(parents=True, exist_ok=True)
                page.screenshot(path=f"{shots}/{name}-{width}.png", full_page=True)
        assert not too_wide, f"pages wider than {width}px (by px): {too_wide}"
    finally:
        context.close()


def test_wide_tables_scroll_in_a_region_a_keyboard_can_reach(browser, live_server, page):
    page.set_viewport_size({"width": 390, "height": 900})
    sign_in(page, "lead@example.gov")
    page.goto(f"/projects/{SLUG}")
    region = page.locator(".usa-table-container--scrollable").first
    assert region.get_attribute("tabindex") == "0"
    assert region.get_attribute("aria-label")
    assert region.evaluate("el => el.scrollWidth > el.clientWidth"), "the table fits; no need"
