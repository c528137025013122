"""The users page with many people (its pages and its search) and the project form's typed lead
with the people a name could mean: axe finds nothing, they fit a phone and a laptop, the error
summary leads to the lead field with and without JavaScript, and screenshots for people to look
at (artifacts/screenshots/, like tests/browser/test_screenshots.py)."""

from __future__ import annotations

import pytest

from projects.auth.models import User
from tests.browser.conftest import change, send, sign_in
from tests.browser.test_accessibility import audit
from tests.browser.test_focus import assert_label_in_view, focused_id
from tests.browser.test_layout import UNNAMED_SCROLLERS, _too_wide
from tests.browser.test_screenshots import SHOTS

pytestmark = pytest.mark.browser

ADMIN, LEAD = "admin@example.gov", "lead@example.gov"
SLUG = "building-permits"
EDIT = f"/projects/{SLUG}/edit"
USERS_PAGE_3 = "/admin/users?page=3"
SEARCH = "/admin/users?q=Zoe+Bulk"


# Controls that run past the right edge of the page's content into its margin or beyond,
# hidden by a parent rather than making the page scroll sideways (the search box did at 390 px).
CUT_OFF = """() => Array.from(document.querySelectorAll("main input, main button, main select"))
    .filter(el => {
        const box = el.closest(".grid-container") || document.querySelector("main");
        const edge = box.getBoundingClientRect().right
            - parseFloat(getComputedStyle(box).paddingRight);
        return el.getBoundingClientRect().right > edge + 1;
    })
    .map(el => `#${el.id || el.name || el.textContent.trim()} runs past the content's edge`)"""


@pytest.fixture
def many_people(live_server):
    """120 more people who can sign in (three pages of users), gone again after the test."""
    app = live_server.app
    with app.app_context():
        password_hash = User.get(User.email == ADMIN).password_hash
        User.insert_many(
            {
                "email": f"zoe.bulk{n}@agency.gov",
                "name": f"Zoe Bulk {n:03}",
                "role": "lead",
                "password_hash": password_hash,
            }
            for n in range(120)
        ).execute()
    yield
    with app.app_context():
        User.delete().where(User.email.startswith("zoe.bulk")).execute()


def suggest_leads(page) -> None:
    """Type part of a name that many people share, and send the form."""
    page.goto(EDIT)
    change(page, {"lead": "zoe bulk 01"})
    send(page, "lead")
    assert page.title().startswith("Error: ")
    assert page.locator("#lead-matches li").count() == 10


def test_the_pages_pass_axe(axe_page, many_people):
    sign_in(axe_page, ADMIN)
    failures = []
    for path in (USERS_PAGE_3, SEARCH, "/admin/users?q=no+such+person"):
        axe_page.goto(path)
        failures += audit(axe_page, path)
    suggest_leads(axe_page)
    failures += audit(axe_page, "lead suggestions")
    assert not failures, "\n".join(failures)


def test_the_users_page_moves_between_pages_by_its_pagination(page, many_people):
    sign_in(page, ADMIN)
    page.goto("/admin/users?q=zoe")
    nav = page.get_by_role("navigation", name="Pages of users")
    nav.get_by_role("link", name="Next page").click()
    page.wait_for_url("**page=2**")
    assert "q=zoe" in page.url
    current = nav.locator("[aria-current=page]")
    assert current.inner_text() == "2"
    assert page.locator("tbody th").first.inner_text() == "Zoe Bulk 050"


@pytest.mark.parametrize("javascript", [True, False], ids=["script", "no-script"])
def test_the_error_summary_leads_to_the_lead_field(browser, live_server, server_errors, javascript):
    context = browser.new_context(
        base_url=live_server.base,
        java_script_enabled=javascript,
        viewport={"width": 390, "height": 800},
    )
    try:
        page = context.new_page()
        sign_in(page, LEAD)
        page.goto(EDIT)
        change(page, {"lead": "no one by this name", "office": "Permits office"})
        send(page, "lead")
        assert focused_id(page) == "error-summary"
        assert page.locator("#office").input_value() == "Permits office"
        page.locator("#error-summary a[href='#lead']").click()
        if not javascript:
            page.wait_for_url("**#lead")
        assert focused_id(page) == "lead"
        assert_label_in_view(page, "lead")
    finally:
        context.close()


@pytest.mark.parametrize("width", [320, 390, 1280])
def test_the_pages_fit_the_screen_and_are_photographed(
    browser, live_server, server_errors, many_people, width
):
    context = browser.new_context(
        base_url=live_server.base, viewport={"width": width, "height": 900}
    )
    SHOTS.mkdir(parents=True, exist_ok=True)
    failures = []

    def check(name: str) -> None:
        if _too_wide(page) > 0:
            failures.append(f"{name} at {width}px scrolls sideways by {_too_wide(page)}px")
        failures.extend(f"{name}: {s}" for s in page.evaluate(UNNAMED_SCROLLERS))
        failures.extend(f"{name} at {width}px: {s}" for s in page.evaluate(CUT_OFF))
        height = page.evaluate("document.documentElement.scrollHeight")
        page.set_viewport_size({"width": width, "height": max(height, 900)})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"))
        page.set_viewport_size({"width": width, "height": 900})

    try:
        page = context.new_page()
        sign_in(page, ADMIN)
        page.goto(USERS_PAGE_3)
        check("admin-users-page-3")
        page.goto(SEARCH)
        check("admin-users-search")
        suggest_leads(page)
        check("admin-edit-project-lead-suggestions")
    finally:
        context.close()
    assert not failures, "\n".join(failures)
