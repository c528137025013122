"""Writing feedback: an owner's form settings, each accepted response (stored and rolled up
into the project's A-11 measures in one transaction) and findings recorded from comments."""

from __future__ import annotations

import hashlib
import hmac
import random
import secrets
from datetime import datetime, timedelta

from flask import current_app
from peewee import Case, chunked

from playbook.measures import QUARTER, period_of
from playbook.survey import Survey
from projects import audit
from projects.auth.models import User
from projects.db import db, retry_when_busy, utcnow
from projects.feedback.models import (
    FeedbackForm,
    FeedbackResponse,
    FeedbackThrottle,
    FindingFeedback,
)
from projects.measures.changes import count_answers, ensure_driver_measures
from projects.measures.models import MeasureValue
from projects.projects.models import Project
from projects.research import changes as research_changes
from projects.research.models import Finding
from projects.saves import Edit, Outcome, save

SETTINGS = ("enabled", "public_title", "pra_number", "pra_expires")
PRUNE_CHANCE = 0.01  # a submission now and then forgets addresses quiet for a whole window


def new_key() -> str:
    """The form's address key: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def values_of(form: FeedbackForm | None) -> dict:
    if form is None:
        return {"enabled": False, "public_title": "", "pra_number": "", "pra_expires": None}
    return {c: getattr(form, c) for c in SETTINGS}


def save_settings(
    project: Project, values: dict, *, version: int | None, original: str | None, user: User
) -> Outcome:
    """Save an owner's settings of the form (versioned, audited). The first save makes the
    form and its key; turning it on makes the project's driver measures, so the project page
    shows them before the first answer arrives."""

    def then() -> None:
        if values.get("enabled"):
            ensure_driver_measures(project)

    return save(
        Edit(
            FeedbackForm.select().where(FeedbackForm.project == project),
            values,
            version,
            original,
            values=values_of,
            new=lambda: FeedbackForm(project=project, key=new_key()),
        ),
        user=user,
        project=project,
        then=then,
    )


def address_hash(address: str | None) -> str:
    """A keyed hash of the client's address: the throttle never stores the address."""
    key = current_app.config["SECRET_KEY"]
    key = key.encode() if isinstance(key, str) else key
    return hmac.new(key, (address or "unknown").encode(), hashlib.sha256).hexdigest()


def _count_submission(hashed: str, now: datetime) -> bool:
    """Count one submission for the address in its window; False when that passes
    FEEDBACK_RATE_LIMIT (the caller then rolls the count back with everything else). Call
    inside the submission's transaction: the upsert locks the address's row until it commits,
    so the limit holds across workers."""
    limit = current_app.config["FEEDBACK_RATE_LIMIT"]
    window = timedelta(minutes=current_app.config["FEEDBACK_RATE_WINDOW_MINUTES"])
    throttle = FeedbackThrottle
    expired = throttle.window_start <= now - window
    [(counted,)] = (
        throttle.insert(address_hash=hashed, window_start=now, submissions=1)
        .on_conflict(
            conflict_target=[throttle.address_hash],
            update={
                throttle.submissions: Case(None, [(expired, 1)], throttle.submissions + 1),
                throttle.window_start: Case(None, [(expired, now)], throttle.window_start),
            },
        )
        .returning(throttle.submissions)
        .tuples()
        .execute()
    )
    if random.random() < PRUNE_CHANCE:  # noqa: S311 (not security)
        throttle.delete().where(throttle.window_start <= now - window).execute()
    return counted <= limit


class TooMany(Exception):
    """The address has sent as many responses as the rate limit allows for now."""


def submit(
    project: Project,
    survey: Survey,
    answers: dict[str, int],
    comment: str,
    language: str,
    address: str | None,
) -> FeedbackResponse:
    """Store one accepted response and count its answers into the project's driver measures,
    all in one transaction. Raises TooMany (nothing stored) past the address's rate limit.
    Not audited: the response is its own record, and it has no author."""

    def work() -> FeedbackResponse:
        now = utcnow()
        period = period_of(now.date(), QUARTER)
        with db.atomic():
            if not _count_submission(address_hash(address), now):
                raise TooMany
            response = FeedbackResponse.create(
                project=project,
                period=period,
                answers=answers,
                comment=comment,
                language=language,
                survey=survey.name,
                created_at=now,
            )
            if answers:
                count_answers(project, period, answers)
            return response

    return retry_when_busy(work)


def record_finding(
    project: Project,
    values: dict,
    responses: list[FeedbackResponse],
    user: User,
    *,
    privacy_checked: bool,
) -> Finding:
    """Record a research finding from feedback comments and link it to them, in one
    transaction (audited with the finding)."""
    with db.atomic():
        finding = research_changes.create(project, values, user, privacy_checked=privacy_checked)
        FindingFeedback.insert_many(
            [{"finding": finding.id, "response": r.id} for r in responses]
        ).execute()
        audit.record(
            "linked",
            finding,
            project=project,
            user=user,
            after={"feedback_responses": [r.id for r in responses]},
        )
    return finding


def seed_responses(project: Project, rows: list[dict]) -> None:
    """Store many responses at once (the demo) and add them to the project's driver figures
    as count_answers would, one write per driver and period: on top of any figure already
    stored there (its customers and offered counts kept). Each row: created_at, answers,
    comment, language, survey."""
    from projects.measures.changes import record_value

    measures = ensure_driver_measures(project)
    counts: dict[tuple[str, str], list[int]] = {}
    stored = []
    for row in rows:
        period = period_of(row["created_at"].date(), QUARTER)
        stored.append({"project": project.id, "period": period, **row})
        for driver, score in row["answers"].items():
            counts.setdefault((driver, period), [0, 0, 0, 0, 0])[score - 1] += 1
    with db.atomic():
        for batch in chunked(stored, 200):
            FeedbackResponse.insert_many(batch).execute()
        existing = {
            (value.measure_id, value.period): value
            for value in MeasureValue.select().where(
                MeasureValue.measure.in_([m.id for m in measures.values()])
            )
        }
        for (driver, period), answers in sorted(counts.items()):
            measure = measures[driver]
            before = existing.get((measure.id, period))
            if before is not None:
                answers = [a + b for a, b in zip(answers, before.answers, strict=True)]
            record_value(
                measure,
                period,
                answers=answers,
                offered=before.offered if before else None,
                customers=before.customers if before else None,
                source="feedback",
            )
