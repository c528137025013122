"""Screenshots of the main pages at 1280px and 390px, for a person to look at (CI keeps them as
artifacts), and the USWDS header, banner and identifier working with and without JavaScript.

The screenshots go to artifacts/screenshots/ (git-ignored; SCREENSHOTS_DIR=... elsewhere), one
full-page PNG per page and width, named like `lead-project-390.png`."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SHOTS = Path(os.environ.get("SCREENSHOTS_DIR") or ROOT / "artifacts" / "screenshots")
SLUG = "building-permits"
CONTRACTS = "vehicle-registration"  # the demo project with a contract package
WIDTHS = (1280, 390)
# Who looks at which page: each main page as the person whose work it is.
MAIN_PAGES = {
    None: {"sign-in": "/login"},
    "lead": {
        "home": "/projects",
        "project": f"/projects/{SLUG}",
        "play": f"/projects/{SLUG}/plays/1",
        "research": f"/projects/{SLUG}/user-research",
        "members": f"/projects/{SLUG}/members",
        "history": f"/projects/{SLUG}/history",
        "edit-project": f"/projects/{SLUG}/edit",
        "report-preview": f"/projects/{SLUG}/report",
        "account": "/account",
    },
    "leadership": {"portfolio": "/portfolio", "snapshots": "/reports/snapshots"},
    "contracting": {
        "home": "/projects",
        "contract-package": f"/projects/{CONTRACTS}/contract-packages/1",
        "clause-library": "/contract-clauses",
    },
    "admin": {"users": "/admin/users", "archived": "/projects/archived"},
}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("who", list(MAIN_PAGES), ids=lambda who: who or "signed-out")
def test_main_pages_are_photographed(browser, live_server, server_errors, who, width):
    context = browser.new_context(
        base_url=live_server.base, viewport={"width": width, "height": 900}
    )
    try:
        page = context.new_page()
        if who:
            sign_in(page, f"{who}@example.gov")
        SHOTS.mkdir(parents=True, exist_ok=True)
        for name, path in MAIN_PAGES[who].items():
            response = page.goto(path)
            assert response.status == 200, path
            shot = SHOTS / f"{who or 'signed-out'}-{name}-{width}.png"
            # As tall as the page, so the sticky save bar sits at its foot as a reader meets it.
            height = page.evaluate("document.documentElement.scrollHeight")
            page.set_viewport_size({"width": width, "height": max(height, 900)})
            page.screenshot(path=str(shot))
            page.set_viewport_size({"width": width, "height": 900})
            assert shot.stat().st_size > 10_000, f"{shot} is nearly empty"
    finally:
        context.close()


def test_the_header_names_the_product_and_its_sections(page):
    sign_in(page, "admin@example.gov")
    page.goto("/portfolio")
    header = page.locator("header.usa-header")
    assert header.get_attribute("role") is None  # <header> is a banner already
    expect(header.get_by_role("link", name="Playbook Tracker")).to_be_visible()
    nav = page.get_by_role("navigation", name="Primary")
    for name in ("Home", "Portfolio", "Clause library", "Users"):
        expect(nav.get_by_role("link", name=name, exact=True)).to_be_visible()
    assert nav.get_by_role("link", name="Portfolio").get_attribute("aria-current") == "page"
    expect(nav.get_by_role("link", name="Your account")).to_be_visible()
    expect(nav.get_by_role("button", name="Sign out")).to_be_visible()
    footer = page.locator(".usa-identifier")
    expect(footer.get_by_role("link", name="Accessibility statement")).to_be_visible()
    expect(footer.get_by_role("link", name="Visit USA.gov")).to_be_visible()


def test_a_lead_sees_no_users_link(page):
    sign_in(page, "lead@example.gov")
    nav = page.get_by_role("navigation", name="Primary")
    expect(nav.get_by_role("link", name="Home", exact=True)).to_be_visible()
    expect(nav.get_by_role("link", name="Users")).to_have_count(0)


def test_on_a_phone_the_menu_opens_the_navigation(page):
    page.set_viewport_size({"width": 390, "height": 900})
    sign_in(page, "lead@example.gov")
    nav = page.get_by_role("navigation", name="Primary")
    expect(nav.get_by_role("link", name="Portfolio")).to_be_hidden()
    page.get_by_role("button", name="Menu").click()
    expect(nav.get_by_role("link", name="Portfolio")).to_be_visible()
    expect(nav.get_by_role("button", name="Sign out")).to_be_visible()


def test_heres_how_you_know_opens_and_closes(page):
    page.goto("/login")
    button = page.get_by_role("button", name="Here\u2019s how you know")
    text = page.get_by_text("Official websites use .gov")
    expect(text).to_be_hidden()
    assert button.get_attribute("aria-expanded") == "false"
    button.click()
    expect(text).to_be_visible()
    assert button.get_attribute("aria-expanded") == "true"


def test_without_javascript_the_navigation_and_banner_show_in_place(browser, live_server):
    context = browser.new_context(
        base_url=live_server.base, viewport={"width": 390, "height": 900}, java_script_enabled=False
    )
    try:
        page = context.new_page()
        sign_in(page, "lead@example.gov")
        expect(page.get_by_text("Official websites use .gov")).to_be_visible()
        expect(page.get_by_role("button", name="Menu")).to_be_hidden()
        nav = page.get_by_role("navigation", name="Primary")
        for name in ("Home", "Portfolio", "Clause library", "Your account"):
            expect(nav.get_by_role("link", name=name)).to_be_visible()
        with page.expect_navigation():
            nav.get_by_role("button", name="Sign out").click()
        expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    finally:
        context.close()
