"""Jobs that tell the truth: worker heartbeats, a job whose worker died, no worker at all, and
one job (and one render) for concurrent requests of the same report."""

from __future__ import annotations

import re
import threading
from datetime import datetime, timedelta

import pytest

from projects import jobs
from projects.db import utcnow
from projects.jobs import WorkerHeartbeat, any_worker_alive, beat, worker_alive, worker_id
from projects.reports import tasks
from projects.reports.models import ReportCache, ReportJob
from tests.conftest import PASSWORD
from tests.pages import forms

T = datetime(2026, 5, 15, 12, 0)  # the controllable clock: every rule takes `now`
DEAD = "old-host:4242:deadbeef"


def seconds(n: int) -> datetime:
    return T + timedelta(seconds=n)


def dead_worker(last_seen: datetime) -> str:
    WorkerHeartbeat.create(worker=DEAD, host="old-host", pid=4242, last_seen=last_seen)
    return DEAD


# The heartbeat rules -------------------------------------------------------------------------


def test_a_worker_is_alive_until_its_heartbeat_is_older_than_the_timeout(app):
    assert not any_worker_alive(T)
    beat(T)
    assert worker_alive(worker_id(), seconds(60)) and any_worker_alive(seconds(60))
    assert not worker_alive(worker_id(), seconds(61)) and not any_worker_alive(seconds(61))
    assert not worker_alive("another-host:1:00000000", T)


def test_the_timeout_is_a_setting(app):
    app.config["WORKER_TIMEOUT"] = 15
    beat(T)
    assert worker_alive(worker_id(), seconds(15)) and not worker_alive(worker_id(), seconds(16))


def test_a_worker_keeps_one_row_and_workers_long_gone_are_forgotten(app):
    dead_worker(T - timedelta(days=2))
    beat(T)
    beat(seconds(10))
    row = WorkerHeartbeat.get(WorkerHeartbeat.worker == worker_id())
    assert (row.started_at, row.last_seen) == (T, seconds(10))
    assert WorkerHeartbeat.select().count() == 1  # the one gone for two days was deleted


def test_a_worker_id_names_host_and_pid_and_changes_in_a_forked_process(monkeypatch):
    mine = worker_id()
    host, pid, token = mine.rsplit(":", 2)
    assert host and int(pid) > 0 and len(token) == 8 and worker_id() == mine
    monkeypatch.setattr(jobs.os, "getpid", lambda: 999_999)
    assert worker_id() != mine and ":999999:" in worker_id()


class FakeStop:
    """A stop event that is set after a number of waits, and records the waits."""

    def __init__(self, waits: int):
        self.waits, self.left = [], waits

    def wait(self, interval: float) -> bool:
        self.waits.append(interval)
        self.left -= 1
        return self.left < 0


def test_the_heartbeat_loop_beats_at_once_then_every_interval_until_stopped():
    beats = []
    jobs.heartbeat_loop(FakeStop(2), 10, lambda: beats.append(1))
    assert len(beats) == 3


def test_a_failed_heartbeat_is_logged_and_the_loop_goes_on(caplog):
    calls = []

    def flaky():
        calls.append(1)
        if len(calls) == 1:
            raise OSError("database restarting")

    stop = FakeStop(1)
    jobs.heartbeat_loop(stop, 10, flaky)
    assert len(calls) == 2 and stop.waits == [10, 10]
    assert "could not record the worker heartbeat" in caplog.text


def test_the_worker_starts_one_heartbeat_thread_per_process(app, monkeypatch):
    monkeypatch.setattr(jobs, "_heartbeat", None)
    thread = jobs.start_heartbeat(app, interval=3600)
    try:
        assert jobs.start_heartbeat(app, interval=3600) is thread and thread.daemon
    finally:
        thread.stop()  # it beats once at start, before it first waits
    assert worker_alive(worker_id())


def test_the_worker_module_starts_the_heartbeat_when_the_consumer_starts(app, monkeypatch):
    started = []
    monkeypatch.setattr(jobs, "start_heartbeat", lambda app: started.append(app))
    import projects.worker as worker

    monkeypatch.setattr(worker, "start_heartbeat", lambda app: started.append(app))
    for hook in jobs.huey._startup.values():
        hook()
    assert started == [worker.app]


# The rules a job follows ---------------------------------------------------------------------


def running_job(user, worker: str, **fields) -> ReportJob:
    fields.setdefault("updated_at", T)
    return ReportJob.create(
        requested_by=user,
        status="running",
        progress=30,
        stage="Laying out the pages",
        worker=worker,
        cache_key="k" * 64,
        active_key=tasks.active_key("portfolio", user.id, "k" * 64),
        **fields,
    )


def test_a_running_job_fails_once_its_worker_has_been_silent_too_long(app, signed_in):
    job = running_job(signed_in("leadership"), dead_worker(T))
    assert not tasks.settle(job, seconds(60))
    assert tasks.settle(job, seconds(61))
    job = ReportJob.get_by_id(job.id)
    assert (job.status, job.error, job.active_key) == ("failed", tasks.WORKER_STOPPED, None)


def test_a_worker_that_lost_its_job_cannot_write_to_it_again(app, signed_in):
    job = running_job(signed_in("leadership"), dead_worker(T))
    assert tasks.settle(job, seconds(120))
    with pytest.raises(tasks.Abandoned):  # the worker was only paused, and wakes up
        tasks._set_mine(job.id, DEAD, status="done", progress=100)
    assert ReportJob.get_by_id(job.id).status == "failed"


def test_without_a_recorded_worker_only_the_timeout_applies(app, signed_in):
    job = running_job(signed_in("leadership"), "")
    assert not tasks.settle(job, seconds(900))
    assert tasks.settle(job, seconds(901))
    assert ReportJob.get_by_id(job.id).error == tasks.TOO_LONG


def test_a_queued_job_waits_for_a_worker_until_the_timeout(app, signed_in):
    job = ReportJob.create(requested_by=signed_in("leadership"), updated_at=T)
    assert tasks.waiting_for_a_worker(job, T) and not tasks.settle(job, seconds(900))
    beat(seconds(100))
    assert not tasks.waiting_for_a_worker(job, seconds(160))
    assert tasks.waiting_for_a_worker(job, seconds(161))
    assert tasks.settle(job, seconds(901))
    assert ReportJob.get_by_id(job.id).error == tasks.NOT_PICKED_UP


# What people see -----------------------------------------------------------------------------


def request_from_the_portfolio_page(client):
    """Press "Create the portfolio PDF" on the portfolio report page; the job page."""
    page = client.get("/portfolio/report")
    form = next(f for f in forms(page.text) if f["action"] == "/portfolio/report/jobs")
    response = client.post(form["action"], data=form["fields"])
    assert response.status_code == 302
    return response.location, client.get(response.location)


class TestWithNoWorker:
    """JOBS_IMMEDIATE off: jobs go to the queue in instance/jobs.db and nothing runs them."""

    @pytest.fixture
    def app_config(self):
        return {"JOBS_IMMEDIATE": False}

    def test_the_job_page_says_plainly_that_no_worker_is_running(
        self, app, client, signed_in, known_project
    ):
        signed_in(known_project.lead)
        _, page = request_from_the_portfolio_page(client)
        assert "No report worker is running" in page.text
        assert "An administrator needs to start it" in page.text
        assert "huey_consumer" not in page.text  # a lead cannot start it
        assert "% done" not in page.text and "Refresh" not in page.headers
        assert '<meta http-equiv="refresh" content="30">' in page.text  # without script
        assert ReportJob.get().status == "queued"

    def test_an_admin_is_shown_the_command(self, app, client, signed_in, known_project):
        signed_in("admin")
        _, page = request_from_the_portfolio_page(client)
        assert "No report worker is running" in page.text
        assert "<code>huey_consumer projects.worker.huey</code>" in page.text

    def test_with_a_worker_alive_the_page_shows_the_wait_then_the_report(
        self, app, client, signed_in, known_project
    ):
        signed_in(known_project.lead)
        beat()
        location, page = request_from_the_portfolio_page(client)
        assert "Waiting to start: 0% done" in re.sub(r"<[^>]+>", "", page.text)
        assert "No report worker is running" not in page.text
        tasks.run_portfolio_job(ReportJob.get().id)  # the worker takes it
        assert "Your report is ready" in client.get(location).text

    def test_a_dead_workers_job_fails_and_asking_again_gives_a_new_job(
        self, app, client, signed_in, known_project
    ):
        signed_in(known_project.lead)
        location, _ = request_from_the_portfolio_page(client)
        job = ReportJob.get()  # a worker took it and was killed half way through
        dead_worker(utcnow() - timedelta(minutes=2))
        ReportJob.update(status="running", progress=30, worker=DEAD).execute()

        again, page = request_from_the_portfolio_page(client)
        assert again != location and ReportJob.get_by_id(job.id).status == "failed"
        assert "No report worker is running" in page.text
        page = client.get(location)
        assert "The report worker stopped while it was building this report" in page.text
        # "Try again" on the dead one leads to the job already queued for the same report.
        form = next(f for f in forms(page.text) if f["action"].endswith("/retry"))
        assert client.post(form["action"], data=form["fields"]).location == again
        assert ReportJob.select().count() == 2


def test_try_again_after_a_dead_worker_builds_the_report_at_once(
    app, client, signed_in, known_project
):
    signed_in(known_project.lead)
    key = tasks.portfolio_version(known_project.lead, tasks.active_edition(), utcnow().date())
    job = ReportJob.create(
        requested_by=known_project.lead,
        status="running",
        progress=30,
        worker=dead_worker(utcnow() - timedelta(minutes=2)),
        cache_key=key,
        active_key=tasks.active_key("portfolio", known_project.lead.id, key),
    )
    page = client.get(f"/reports/jobs/{job.id}")
    assert "The report could not be built" in page.text
    assert "The report worker stopped" in page.text and "Refresh" not in page.headers
    form = next(f for f in forms(page.text) if f["action"].endswith("/retry"))
    response = client.post(form["action"], data=form["fields"])
    assert response.location.endswith(f"/reports/jobs/{job.id}")
    assert "Your report is ready" in client.get(response.location).text
    job = ReportJob.get_by_id(job.id)
    assert (job.status, job.attempts, job.worker) == ("done", 1, worker_id())


def test_two_requests_at_once_get_one_job_and_one_render(app, known_project, monkeypatch):
    """Two people's browsers (the same person, two tabs) press the button at the same moment,
    against the real database: both compute the version before either inserts."""
    lead = known_project.lead
    clients = [app.test_client(), app.test_client()]
    for client in clients:
        assert client.post("/login", data={"email": lead.email, "password": PASSWORD}).location

    both_know_the_version = threading.Barrier(2, timeout=30)
    version_calls = []
    real_version = tasks.portfolio_version

    def version(*args):
        key = real_version(*args)
        version_calls.append(key)
        if len(version_calls) <= 2:  # the two requests, not the job's own check
            both_know_the_version.wait()
        return key

    one_returned = threading.Event()
    renders = []
    real_pdf = tasks.portfolio_pdf

    def pdf(report, progress):
        renders.append(1)
        one_returned.wait(timeout=30)  # render only once the other request has its answer
        return real_pdf(report, progress)

    monkeypatch.setattr(tasks, "portfolio_version", version)
    monkeypatch.setattr(tasks, "portfolio_pdf", pdf)
    locations, errors = [], []

    def press(client):
        try:
            locations.append(client.post("/portfolio/report/jobs").location)
        except Exception as error:
            errors.append(error)
        finally:
            one_returned.set()

    threads = [threading.Thread(target=press, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    job = ReportJob.get()
    assert locations == [f"/reports/jobs/{job.id}"] * 2
    assert (job.status, job.attempts, len(renders)) == ("done", 1, 1)
    assert ReportCache.select().count() == 1 and ReportJob.select().count() == 1
