"""The portfolio report as a background job: progress in the database, result cached by the
version of the data it shows.

A job tells the truth about itself: it records which worker runs it, and a job whose worker
has stopped sending heartbeats is failed at once, so "Try again" works. One job at a time is
queued or running per report, person and version of the data (the unique `active_key`), so a
double click or two tabs get the same job and the report is rendered once. REPORT_JOB_TIMEOUT
(no progress for 15 minutes) stays the backstop for anything else, such as a hung worker.
"""

from __future__ import annotations

import logging
from contextlib import suppress
from datetime import datetime, timedelta

from flask import current_app
from peewee import IntegrityError

from projects.auth.models import User
from projects.db import db, utcnow
from projects.editions import active_edition
from projects.jobs import any_worker_alive, beat, huey, in_app_context, worker_alive, worker_id
from projects.reports.fingerprint import portfolio_version
from projects.reports.models import (
    DONE,
    FAILED,
    PORTFOLIO,
    QUEUED,
    RUNNING,
    ReportCache,
    ReportJob,
)
from projects.reports.portfolio_report import build_portfolio_report
from projects.reports.records import as_data
from projects.reports.render import portfolio_pdf

log = logging.getLogger(__name__)
TRY_AGAIN = "Try again; if it fails again, tell your admin."
WAITING = "Waiting for a worker to start"
WORKER_STOPPED = (
    "The report worker stopped while it was building this report (it may have been restarted "
    f"or run out of memory). {TRY_AGAIN}"
)
NOT_PICKED_UP = (
    "No report worker picked the report up in time. An administrator needs to check that the "
    "report worker is running, then you can try again."
)
TOO_LONG = f"The report took too long and was stopped. {TRY_AGAIN}"


class Abandoned(Exception):
    """The job is no longer this worker's: it was failed meanwhile (and perhaps retried)."""


def _set(job_id: int, **fields) -> int:
    fields.setdefault("updated_at", utcnow())
    with db.atomic():
        return ReportJob.update(**fields).where(ReportJob.id == job_id).execute()


def _fail(job_id: int, error: str, **fields) -> None:
    _set(job_id, status=FAILED, stage="Failed", error=error, active_key=None, **fields)


def _set_mine(job_id: int, worker: str, **fields) -> None:
    """Update a job this worker is running; Abandoned when it no longer is."""
    fields.setdefault("updated_at", utcnow())
    with db.atomic():
        changed = (
            ReportJob.update(**fields)
            .where(
                (ReportJob.id == job_id)
                & (ReportJob.status == RUNNING)
                & (ReportJob.worker == worker)
            )
            .execute()
        )
    if not changed:
        raise Abandoned(job_id)


def cached_report(key: str) -> ReportCache | None:
    return ReportCache.get_or_none(ReportCache.key == key)


def active_key(kind: str, user_id: int, cache_key: str) -> str:
    """What may have only one queued or running job: this report, for this person (and so
    for what they may see), on this version of the data."""
    return f"{kind}:{user_id}:{cache_key}"


def request_portfolio(user: User) -> ReportJob:
    """A job for this user's portfolio report: already done when the data has not changed since
    a cached PDF was made, the job under way when one is (and its worker is alive), else a new
    one in the queue. Concurrent requests get the same job: the unique active key lets one
    insert win and the others read it."""
    key = portfolio_version(user, active_edition(), utcnow().date())
    slot = active_key(PORTFOLIO, user.id, key)
    for _ in range(3):
        if ReportCache.select().where(ReportCache.key == key).exists():
            with db.atomic():
                return ReportJob.create(
                    requested_by=user,
                    status=DONE,
                    progress=100,
                    stage="Ready at once: nothing has changed since this report was last made",
                    cache_key=key,
                    finished_at=utcnow(),
                )
        under_way = ReportJob.get_or_none(ReportJob.active_key == slot)
        if under_way is not None:
            if not settle(under_way):
                return under_way
            continue  # it could not finish and was failed, which freed its key
        try:
            with db.atomic():
                job = ReportJob.create(requested_by=user, cache_key=key, active_key=slot)
        except IntegrityError:
            continue  # another request made the same job a moment ago: take theirs
        enqueue(job.id)
        return ReportJob.get_by_id(job.id)
    raise RuntimeError(f"could not request the portfolio report for user {user.id}")


def enqueue(job_id: int) -> None:
    try:
        build_portfolio(job_id)
    except Exception:  # the queue itself is unreachable (Redis down, disk full)
        log.exception("could not queue report job %s", job_id)
        _fail(job_id, f"The report could not be queued for the background worker. {TRY_AGAIN}")


def retry(job: ReportJob) -> ReportJob:
    """Queue a failed job again, and return it; or the same report's job already under way."""
    slot = active_key(job.kind, job.requested_by_id, job.cache_key)
    for _ in range(3):
        try:
            with db.atomic():
                queued = (
                    ReportJob.update(
                        status=QUEUED,
                        progress=0,
                        stage=WAITING,
                        error="",
                        worker="",
                        active_key=slot,
                        updated_at=utcnow(),
                        finished_at=None,
                    )
                    .where((ReportJob.id == job.id) & (ReportJob.status == FAILED))
                    .execute()
                )
        except IntegrityError:
            under_way = ReportJob.get_or_none(ReportJob.active_key == slot)
            if under_way is not None and not settle(under_way):
                return under_way
            continue
        if queued:
            enqueue(job.id)
        break
    return ReportJob.get_by_id(job.id)


def settle(job: ReportJob, now: datetime | None = None) -> bool:
    """Fail a job that can no longer finish, and say why; True when it did. A running job
    whose worker sent no heartbeat for WORKER_TIMEOUT is dead; any unfinished job that has not
    moved for REPORT_JOB_TIMEOUT is stuck (the backstop). A queued job with no worker running
    stays queued until then: starting the worker builds it (see waiting_for_a_worker)."""
    if job.status not in (QUEUED, RUNNING):
        return False
    now = now or utcnow()
    limit = timedelta(seconds=current_app.config.get("REPORT_JOB_TIMEOUT", 900))
    if job.status == RUNNING and job.worker and not worker_alive(job.worker, now):
        error = WORKER_STOPPED
    elif now - job.updated_at > limit:
        error = NOT_PICKED_UP if job.status == QUEUED else TOO_LONG
    else:
        return False
    with db.atomic():
        ReportJob.update(
            status=FAILED,
            stage="Failed",
            error=error,
            active_key=None,
            updated_at=now,
            finished_at=now,
        ).where(
            (ReportJob.id == job.id)
            & (ReportJob.status == job.status)
            & (ReportJob.worker == job.worker)
        ).execute()
    return True


def waiting_for_a_worker(job: ReportJob, now: datetime | None = None) -> bool:
    """Is this job queued with no worker running to take it?"""
    return job.status == QUEUED and not any_worker_alive(now)


@huey.task()
def build_portfolio(job_id: int) -> None:
    in_app_context(lambda: run_portfolio_job(job_id))


def run_portfolio_job(job_id: int) -> None:
    me = worker_id()
    beat()  # a worker that is running a job is alive, with or without its heartbeat thread
    with db.atomic():
        claimed = (
            ReportJob.update(
                status=RUNNING,
                progress=5,
                stage="Gathering the projects",
                worker=me,
                attempts=ReportJob.attempts + 1,
                updated_at=utcnow(),
            )
            .where((ReportJob.id == job_id) & (ReportJob.status == QUEUED))
            .execute()
        )
    if not claimed:
        return  # gone, finished, failed, or another worker has it
    job = ReportJob.get_by_id(job_id)
    try:
        user = User.get_by_id(job.requested_by_id)
        edition = active_edition()
        now = utcnow()
        key = portfolio_version(user, edition, now.date())
        if cached_report(key) is None:
            report = build_portfolio_report(user, edition, now)

            def progress(percent: int, stage: str) -> None:
                _set_mine(job_id, me, progress=min(percent, 95), stage=stage)
                beat()

            rendered = portfolio_pdf(report, progress)
            # Another job may have made the same report meanwhile; theirs is as good.
            with suppress(IntegrityError), db.atomic():
                ReportCache.create(
                    key=key,
                    data=as_data(report),
                    scores=report.scores(),
                    pdf=rendered.pdf,
                    pages=rendered.pages,
                )
        _set_mine(
            job_id,
            me,
            status=DONE,
            progress=100,
            stage="Ready",
            cache_key=key,
            active_key=None,
            finished_at=utcnow(),
        )
    except Abandoned:
        log.info("report job %s was failed or retried while this worker ran it", job_id)
    except Exception:
        log.exception("report job %s failed", job_id)
        with suppress(Abandoned):
            _set_mine(
                job_id,
                me,
                status=FAILED,
                stage="Failed",
                error=f"Something went wrong while building the report. {TRY_AGAIN}",
                active_key=None,
                finished_at=utcnow(),
            )
