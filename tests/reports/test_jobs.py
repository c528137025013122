"""The portfolio PDF as a huey job (immediate mode on real storage): states, cache, retry."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from huey.contrib.sql_huey import SqlStorage
from huey.storage import SqliteStorage

from projects.checklists.models import ItemResponse
from projects.db import utcnow
from projects.jobs import huey
from projects.reports import tasks
from projects.reports.models import ReportCache, ReportJob
from tests.conftest import POSTGRES
from tests.pages import url
from tests.test_form_markup import markup_problems


def test_huey_runs_immediately_on_sqlite_storage_in_the_instance_folder(app):
    assert huey.immediate
    assert isinstance(huey.storage, SqliteStorage)
    assert Path(huey.storage.filename) == Path(app.instance_path) / "jobs.db"


def test_a_job_is_built_then_downloaded_then_cached(app, client, signed_in, known_project):
    signed_in(known_project.lead)
    response = client.post(url("reports.request_portfolio"))
    job = ReportJob.get()
    assert response.location.endswith(url("reports.job", job_id=job.id))
    assert (job.status, job.progress, job.attempts) == ("done", 100, 1)
    page = client.get(url("reports.job", job_id=job.id))
    assert "Your report is ready" in page.text and "Refresh" not in page.headers
    pdf = client.get(url("reports.job_download", job_id=job.id))
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")

    client.post(url("reports.request_portfolio"))  # nothing changed: the cached PDF, at once
    again = ReportJob.select().order_by(ReportJob.id.desc()).get()
    assert again.status == "done" and again.attempts == 0 and "Ready at once" in again.stage
    assert ReportCache.select().count() == 1

    ItemResponse.update(status="done", updated_at=utcnow()).execute()
    client.post(url("reports.request_portfolio"))  # the data changed: built again
    assert ReportCache.select().count() == 2


def test_a_failed_job_says_so_and_can_be_retried(
    app, client, signed_in, known_project, monkeypatch
):
    signed_in(known_project.lead)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(tasks, "portfolio_pdf", broken)
    client.post(url("reports.request_portfolio"))
    job = ReportJob.get()
    assert job.status == "failed"
    page = client.get(url("reports.job", job_id=job.id))
    assert "The report could not be built" in page.text and "Try again" in page.text
    assert "disk full" not in page.text  # no internals shown
    assert not markup_problems(page.text)  # the Try again form is not inside a <p>

    monkeypatch.undo()
    client.post(url("reports.retry_job", job_id=job.id))
    job = ReportJob.get_by_id(job.id)
    assert (job.status, job.attempts) == ("done", 2)


@pytest.mark.parametrize(
    ("status", "message"),
    [
        ("queued", "No report worker picked the report up in time"),
        ("running", "The report took too long and was stopped"),
    ],
)
def test_a_stuck_job_times_out_on_the_status_page(app, client, signed_in, status, message):
    user = signed_in("leadership")
    job = ReportJob.create(
        requested_by=user, status=status, progress=40, updated_at=utcnow() - timedelta(hours=2)
    )
    page = client.get(url("reports.job", job_id=job.id))
    assert message in page.text and "Try again" in page.text
    assert ReportJob.get_by_id(job.id).status == "failed"


SLOW_RELOAD = '<noscript><meta http-equiv="refresh" content="30"></noscript>'


def test_a_job_under_way_shows_progress_and_reloads_only_slowly_without_script(
    app, client, signed_in
):
    """A reload every few seconds threw away focus and a screen reader's place: the page's
    script polls job_status instead; without script, every 30 seconds and "Check now"."""
    user = signed_in("leadership")
    job = ReportJob.create(
        requested_by=user, status="running", progress=40, stage="Laying out the pages"
    )
    page = client.get(url("reports.job", job_id=job.id))
    assert "Refresh" not in page.headers and SLOW_RELOAD in page.text
    assert f'data-status-url="{url("reports.job_status", job_id=job.id)}"' in page.text
    assert '<span data-job="progress">40</span>% done' in page.text
    assert re.search(
        r'<p role="status" aria-live="polite"[^>]*>Laying out the pages</p>', page.text
    )
    check_now = (
        f'<a class="usa-button usa-button--outline" href="{url("reports.job", job_id=job.id)}">'
    )
    assert check_now + "Check now</a>" in page.text


@pytest.mark.parametrize(
    ("fields", "state"),
    [
        ({"status": "running", "progress": 40, "stage": "Laying out the pages"}, "working"),
        ({"status": "queued", "progress": 0, "stage": "Waiting"}, "no-worker"),  # none alive
        ({"status": "done", "progress": 100, "stage": "Ready"}, "done"),
        ({"status": "failed", "progress": 30, "stage": "Failed"}, "failed"),
    ],
)
def test_the_status_the_page_polls(app, client, signed_in, fields, state):
    user = signed_in("leadership")
    job = ReportJob.create(requested_by=user, **fields)
    status = client.get(url("reports.job_status", job_id=job.id)).get_json()
    label = {"running": "Being built", "queued": "Waiting to start", "done": "Ready"}
    assert status == {
        "state": state,
        "status_label": label.get(fields["status"], "Failed"),
        "progress": fields["progress"],
        "stage": fields["stage"],
    }
    page = client.get(url("reports.job", job_id=job.id)).text
    assert f'data-state="{state}"' in page
    assert (SLOW_RELOAD in page) == (state not in ("done", "failed"))


def test_a_stuck_job_fails_when_polled_too(app, client, signed_in):
    user = signed_in("leadership")
    job = ReportJob.create(
        requested_by=user, status="running", updated_at=utcnow() - timedelta(hours=2)
    )
    assert client.get(url("reports.job_status", job_id=job.id)).get_json()["state"] == "failed"
    assert ReportJob.get_by_id(job.id).status == "failed"


def test_someone_elses_job_is_not_found(app, client, signed_in):
    owner = signed_in("leadership")
    job = ReportJob.create(requested_by=owner, status="done")
    client.post(url("auth.logout"))
    signed_in("leadership")
    for endpoint in ("reports.job", "reports.job_status", "reports.job_download"):
        assert client.get(url(endpoint, job_id=job.id)).status_code == 404


@pytest.mark.skipif(not POSTGRES, reason="needs TEST_DATABASE_URL (CI's PostgreSQL pass)")
class TestJobsOnPostgreSQL:
    """JOBS_DATABASE_URL puts the queue in PostgreSQL; the same job runs through it."""

    @pytest.fixture
    def app_config(self, database_url):
        return {"JOBS_DATABASE_URL": database_url}

    def test_a_job_runs_through_postgresql_storage(self, app, client, signed_in, known_project):
        assert isinstance(huey.storage, SqlStorage)
        assert {"task", "schedule"} <= set(huey.storage.database.get_tables())
        signed_in(known_project.lead)
        client.post(url("reports.request_portfolio"))
        job = ReportJob.get()
        assert (job.status, job.progress) == ("done", 100)
        assert client.get(url("reports.job_download", job_id=job.id)).data.startswith(b"%PDF")
