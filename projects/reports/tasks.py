"""The portfolio report as a background job: progress in the database, result cached by the
version of the data it shows."""

from __future__ import annotations

import logging
from contextlib import suppress
from datetime import timedelta

from flask import current_app
from peewee import IntegrityError

from projects.auth.models import User
from projects.db import db, utcnow
from projects.editions import active_edition
from projects.jobs import huey, in_app_context
from projects.reports.fingerprint import portfolio_version
from projects.reports.models import DONE, FAILED, QUEUED, RUNNING, ReportCache, ReportJob
from projects.reports.portfolio_report import build_portfolio_report
from projects.reports.records import as_data
from projects.reports.render import portfolio_pdf

log = logging.getLogger(__name__)
TRY_AGAIN = "Try again; if it fails again, tell your admin."


def _set(job_id: int, **fields) -> None:
    fields.setdefault("updated_at", utcnow())
    with db.atomic():
        ReportJob.update(**fields).where(ReportJob.id == job_id).execute()


def _fail(job_id: int, error: str, **fields) -> None:
    _set(job_id, status=FAILED, stage="Failed", error=error, **fields)


def cached_report(key: str) -> ReportCache | None:
    return ReportCache.get_or_none(ReportCache.key == key)


def request_portfolio(user: User) -> ReportJob:
    """A job for this user's portfolio report: already done when the data has not changed since
    a cached PDF was made, the job under way when one is, else a new one in the queue."""
    key = portfolio_version(user, active_edition(), utcnow().date())
    now = utcnow()
    with db.atomic():
        if ReportCache.select().where(ReportCache.key == key).exists():
            return ReportJob.create(
                requested_by=user,
                status=DONE,
                progress=100,
                stage="Ready at once: nothing has changed since this report was last made",
                cache_key=key,
                finished_at=now,
            )
        under_way = (
            ReportJob.select()
            .where(
                (ReportJob.requested_by == user)
                & (ReportJob.cache_key == key)
                & ReportJob.status.in_([QUEUED, RUNNING])
            )
            .first()
        )
        if under_way and not expire_if_stuck(under_way):
            return under_way
        job = ReportJob.create(requested_by=user, cache_key=key)
    enqueue(job.id)
    return ReportJob.get_by_id(job.id)


def enqueue(job_id: int) -> None:
    try:
        build_portfolio(job_id)
    except Exception:  # the queue itself is unreachable (Redis down, disk full)
        log.exception("could not queue report job %s", job_id)
        _fail(job_id, f"The report could not be queued for the background worker. {TRY_AGAIN}")


def retry(job: ReportJob) -> None:
    _set(job.id, status=QUEUED, progress=0, stage="Waiting for a worker to start", error="")
    enqueue(job.id)


def expire_if_stuck(job: ReportJob) -> bool:
    """Mark a job failed when nothing has moved for REPORT_JOB_TIMEOUT seconds."""
    limit = timedelta(seconds=current_app.config.get("REPORT_JOB_TIMEOUT", 900))
    if job.status not in (QUEUED, RUNNING) or utcnow() - job.updated_at <= limit:
        return False
    waiting = job.status == QUEUED
    _fail(
        job.id,
        "No background worker picked the report up in time. Check that the worker is "
        "running (`make run` starts it)."
        if waiting
        else f"The report took too long and was stopped. {TRY_AGAIN}",
        finished_at=utcnow(),
    )
    return True


@huey.task()
def build_portfolio(job_id: int) -> None:
    in_app_context(lambda: run_portfolio_job(job_id))


def run_portfolio_job(job_id: int) -> None:
    job = ReportJob.get_or_none(ReportJob.id == job_id)
    if job is None or job.status not in (QUEUED, RUNNING):
        return
    _set(
        job_id,
        status=RUNNING,
        progress=5,
        stage="Gathering the projects",
        attempts=job.attempts + 1,
    )
    try:
        user = User.get_by_id(job.requested_by_id)
        edition = active_edition()
        now = utcnow()
        key = portfolio_version(user, edition, now.date())
        if cached_report(key) is None:
            report = build_portfolio_report(user, edition, now)

            def progress(percent: int, stage: str) -> None:
                _set(job_id, progress=min(percent, 95), stage=stage)

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
        _set(job_id, status=DONE, progress=100, stage="Ready", cache_key=key, finished_at=utcnow())
    except Exception:
        log.exception("report job %s failed", job_id)
        _fail(
            job_id,
            f"Something went wrong while building the report. {TRY_AGAIN}",
            finished_at=utcnow(),
        )
