"""Where focus lands when a form comes back: on the error summary after a failed submit, on the
"not saved" panel after a save conflict, on a field (with its label in view) from a summary
link; with the app's script, and without it."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from projects.auth.models import User
from projects.editions import active_edition
from projects.projects.models import Project
from projects.research.models import Finding
from tests.browser.conftest import change, make_a_conflict, send, sign_in

pytestmark = pytest.mark.browser

SLUG = "building-permits"
ADMIN, LEAD = "admin@example.gov", "lead@example.gov"

LABEL_IN_VIEW = """(id) => {
    const field = document.getElementById(id);
    const label = document.querySelector(`label[for="${id}"]`)
        || field.closest("fieldset")?.querySelector("legend");
    const top = label.getBoundingClientRect().top;
    const bottom = field.getBoundingClientRect().bottom;
    return {top, bottom, height: window.innerHeight};
}"""
PANEL_BEFORE_HEADING = """() => Boolean(document.getElementById("conflicts")
    .compareDocumentPosition(document.querySelector("h1")) & Node.DOCUMENT_POSITION_FOLLOWING)"""


def assert_label_in_view(page, field_id: str) -> None:
    """The field's label (or its fieldset's legend) and the field itself are on screen."""
    where = page.evaluate(LABEL_IN_VIEW, field_id)
    assert where["top"] >= 0, f"the label of #{field_id} is above the screen: {where}"
    assert where["bottom"] <= where["height"], f"#{field_id} is below the screen: {where}"


def focused_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


@dataclass(frozen=True)
class Failed:
    label: str
    who: str
    path: str
    field: str  # a field of the form, and the one its first error is about
    values: dict = field(default_factory=dict)  # what to change before sending


FAILED = [
    Failed("new project", LEAD, "/projects/new", "name"),
    Failed("project details", LEAD, f"/projects/{SLUG}/edit", "name", {"name": ""}),
    Failed(
        "play",
        LEAD,
        f"/projects/{SLUG}/plays/3",
        "items-1-justification",
        {"items-1-status": "not_applicable", "items-1-justification": ""},
    ),
    Failed("new finding", LEAD, f"/projects/{SLUG}/user-research/new", "title"),
    Failed("new user", ADMIN, "/admin/users/new", "name"),
]


def fail_a_submit(page, case: Failed) -> None:
    sign_in(page, case.who)
    page.goto(case.path)
    change(page, case.values)
    send(page, case.field)
    assert page.title().startswith("Error: ")


@pytest.mark.parametrize("case", FAILED, ids=[c.label for c in FAILED])
def test_a_failed_submit_focuses_the_summary_whose_link_lands_on_the_labelled_field(page, case):
    fail_a_submit(page, case)
    assert focused_id(page) == "error-summary"
    link = page.locator(f"#error-summary a[href='#{case.field}']")
    link.click()
    assert focused_id(page) == case.field
    assert_label_in_view(page, case.field)


def test_the_summary_of_a_play_names_the_item(page, live_server):
    case = FAILED[2]
    fail_a_submit(page, case)
    with live_server.app.app_context():
        item = active_edition().play(3).checklist[1]
    link = page.locator(f"#error-summary a[href='#{case.field}']")
    assert link.inner_text().startswith(f"{item.id} {item.text}: ")


@pytest.fixture
def no_script(browser, live_server, server_errors):
    context = browser.new_context(
        base_url=live_server.base,
        java_script_enabled=False,
        viewport={"width": 390, "height": 800},
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.mark.parametrize("case", [FAILED[1], FAILED[2]], ids=["project details", "play"])
def test_without_javascript_too(no_script, case):
    """autofocus moves focus to the summary; its link is an ordinary jump, after which the
    field's scroll margin keeps its label on screen."""
    fail_a_submit(no_script, case)
    assert focused_id(no_script) == "error-summary"
    no_script.locator(f"#error-summary a[href='#{case.field}']").click()
    no_script.wait_for_url(f"**#{case.field}")
    assert focused_id(no_script) == case.field
    assert_label_in_view(no_script, case.field)


# Save conflicts: two tabs open the same form; the second saves first.


def _finding_edit(app) -> str:
    with app.app_context():
        project = Project.get(Project.slug == SLUG)
        finding = Finding.select().where(Finding.project == project).order_by(Finding.id).get()
    return f"/projects/{SLUG}/user-research/{finding.id}/edit"


def _user_edit(app) -> str:
    with app.app_context():
        return f"/admin/users/{User.get(User.email == 'lead2@example.gov').id}"


CONFLICTS = {
    "project details": (LEAD, lambda app: f"/projects/{SLUG}/edit", "summary"),
    "play": (LEAD, lambda app: f"/projects/{SLUG}/plays/7", "items-0-note"),
    "finding": (LEAD, _finding_edit, "recommendation"),
    "user": (ADMIN, _user_edit, "name"),
}


@pytest.mark.parametrize("name", CONFLICTS)
def test_a_save_conflict_says_not_saved_above_the_heading_and_takes_focus(page, live_server, name):
    who, path, field_id = CONFLICTS[name]
    sign_in(page, who)
    make_a_conflict(page, path(live_server.app), field_id)
    assert page.title().startswith("Not saved: ")
    assert focused_id(page) == "conflicts"
    assert page.evaluate(PANEL_BEFORE_HEADING), "the panel is below the page's heading"
    panel = page.get_by_role("region", name="Someone else saved changes while you were editing")
    assert "Nothing was saved." in panel.inner_text()
    assert panel.evaluate("el => el.getBoundingClientRect().top >= 0")


def test_a_save_conflict_takes_focus_without_javascript(no_script, live_server):
    who, path, field_id = CONFLICTS["project details"]
    sign_in(no_script, who)
    make_a_conflict(no_script, path(live_server.app), field_id)
    assert no_script.title().startswith("Not saved: ")
    assert focused_id(no_script) == "conflicts"
