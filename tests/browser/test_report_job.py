"""The portfolio report's status page: with script it polls and changes only what changed,
keeping focus and a screen reader's place; without script it reloads every 30 seconds and
offers "Check now"."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from projects.auth.models import User
from projects.db import utcnow
from projects.reports.models import ReportJob
from tests.browser.conftest import sign_in
from tests.browser.test_accessibility import audit

pytestmark = pytest.mark.browser

LEADERSHIP = "leadership@example.gov"
POLLED = 10_000  # ms: the page asks every 2 seconds


@pytest.fixture
def job(live_server):
    """A job under way for leadership@, moved along by the test as a worker would."""
    app = live_server.app
    with app.app_context():
        job = ReportJob.create(
            requested_by=User.get(User.email == LEADERSHIP),
            status="running",
            progress=10,
            stage="Gathering the projects",
        )

    def move(**fields):
        with app.app_context():
            ReportJob.update(updated_at=utcnow(), **fields).where(ReportJob.id == job.id).execute()

    job.move = move
    return job


def test_with_javascript_the_page_updates_in_place_and_keeps_focus(page, job):
    sign_in(page, LEADERSHIP)
    page.goto(f"/reports/jobs/{job.id}")
    page.evaluate("window.notReloaded = true")  # gone if the page reloads itself
    check_now = page.get_by_role("link", name="Check now")
    check_now.focus()
    live = page.locator("#job-result [aria-live=polite]")
    expect(live).to_have_text("Gathering the projects")

    job.move(progress=60, stage="Laying out the pages")
    expect(live).to_have_text("Laying out the pages", timeout=POLLED)
    expect(page.get_by_role("heading", level=2)).to_have_text("Being built: 60% done")
    assert page.locator("progress").evaluate("el => el.value") == 60
    expect(check_now).to_be_focused()
    assert page.evaluate("window.notReloaded")

    job.move(status="done", progress=100, stage="Ready")
    ready = page.get_by_role("heading", name="Your report is ready")
    expect(ready).to_be_focused(timeout=POLLED)
    expect(page.get_by_role("link", name="Download the PDF")).to_be_visible()
    assert page.title().startswith("Portfolio report: Ready")
    assert page.evaluate("window.notReloaded"), "the page reloaded instead of updating"


def test_a_failed_job_is_shown_in_place_too(page, job):
    sign_in(page, LEADERSHIP)
    page.goto(f"/reports/jobs/{job.id}")
    page.evaluate("window.notReloaded = true")
    job.move(status="failed", stage="Failed", error="The report could not be drawn.")
    expect(page.get_by_role("heading", name="The report could not be built")).to_be_focused(
        timeout=POLLED
    )
    expect(page.get_by_role("button", name="Try again")).to_be_visible()
    assert page.evaluate("window.notReloaded")


def test_without_javascript_it_reloads_every_30_seconds_and_can_check_now(
    browser, live_server, server_errors, job
):
    context = browser.new_context(base_url=live_server.base, java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in(page, LEADERSHIP)
        page.goto(f"/reports/jobs/{job.id}")
        refresh = page.locator("meta[http-equiv=refresh]")
        assert refresh.get_attribute("content") == "30"
        job.move(progress=70, stage="Writing the PDF")
        with page.expect_navigation():
            page.get_by_role("link", name="Check now").click()
        expect(page.locator("#job-result [aria-live=polite]")).to_have_text("Writing the PDF")
        job.move(status="done", progress=100, stage="Ready")
        page.reload()
        expect(page.get_by_role("heading", name="Your report is ready")).to_be_visible()
        assert page.locator("meta[http-equiv=refresh]").count() == 0
    finally:
        context.close()


def test_the_page_under_way_passes_axe(axe_page, job):
    sign_in(axe_page, LEADERSHIP)
    axe_page.goto(f"/reports/jobs/{job.id}")
    failures = audit(axe_page, "report job under way")
    assert not failures, "\n".join(failures)
