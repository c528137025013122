"""The weekly digest: each person who wants it gets, on DIGEST_DAY at DIGEST_HOUR (UTC), an
email of their overdue and due-soon work. An hourly task checks the hour; each person's week
is claimed in the database before sending, so two workers never send the same digest twice.
Owners without accounts get one too (one per address, whatever the projects), with a link to
make their account instead of links to pages they cannot open, and a link to stop it: signed
with SECRET_KEY, it names the address and works for as long as the key does."""

from __future__ import annotations

import logging
from datetime import datetime

from flask import current_app, request, url_for
from huey import crontab
from itsdangerous import BadSignature, URLSafeSerializer

from projects.auth.models import User
from projects.db import db, utcnow
from projects.invitations.changes import link_for_owner
from projects.jobs import huey, in_app_context
from projects.mail.tasks import send
from projects.mywork.queries import GROUPS, LATER, OVERDUE, SOON, tasks_of, tasks_of_outside_owner
from projects.owners.models import OutsideOwner
from projects.projects.models import Project

log = logging.getLogger(__name__)
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
BATCH = 200
STOP_SALT = "stop the weekly email"


def stop_token(email: str) -> str:
    """The token of the "stop this email" link of an address."""
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=STOP_SALT).dumps(email)


def email_of_stop_token(token: str) -> str | None:
    """The address a "stop this email" token names; None when it was not made here."""
    try:
        email = URLSafeSerializer(current_app.config["SECRET_KEY"], salt=STOP_SALT).loads(token)
    except BadSignature:
        return None
    return email if isinstance(email, str) else None


def week_of(now: datetime) -> str:
    year, week, _ = now.isocalendar()
    return f"{year}-W{week:02d}"


def is_digest_hour(now: datetime) -> bool:
    config = current_app.config
    day = str(config["DIGEST_DAY"]).strip().lower()
    return DAYS[now.weekday()] == day and now.hour == int(config["DIGEST_HOUR"])


def _claim(user_id: int, week: str) -> bool:
    with db.atomic():
        return bool(
            User.update(digest_week=week)
            .where((User.id == user_id) & (User.digest_week != week))
            .execute()
        )


def send_digests(now: datetime | None = None) -> int:
    """Send this week's digest to everyone who wants one and has overdue or due-soon work
    (and has not had this week's), and to owners without accounts; returns how many were
    sent."""
    now = now or utcnow()
    base = current_app.config.get("BASE_URL") or "http://localhost/"
    with current_app.test_request_context(base_url=base):
        return _to_users(now) + _to_outside_owners(now)


def _to_users(now: datetime) -> int:
    week, sent, last = week_of(now), 0, 0
    while True:
        people = list(
            User.select()
            .where(User.active & User.weekly_digest & (User.id > last))
            .order_by(User.id)
            .limit(BATCH)
        )
        if not people:
            return sent
        last = people[-1].id
        for user in people:
            if user.digest_week == week:
                continue
            tasks = [t for t in tasks_of(user, now.date()) if t.urgency(now.date()) != LATER]
            if not tasks or not _claim(user.id, week):
                continue
            site = request.host_url.rstrip("/")
            send(
                user.email,
                f"Your work this week: {_count(tasks, now, OVERDUE)} overdue, "
                f"{_count(tasks, now, SOON)} due soon",
                "digest",
                name=user.name,
                groups=[
                    (GROUPS[key], [t for t in tasks if t.urgency(now.date()) == key])
                    for key in (OVERDUE, SOON)
                ],
                site=site,
                my_work=site + url_for("mywork.index"),
                today=now.date(),
            )
            sent += 1


def _claim_outside(email: str, week: str) -> bool:
    """Claim this week's digest of an address (all its projects' rows at once)."""
    with db.atomic():
        return bool(
            OutsideOwner.update(digest_week=week)
            .where(
                (OutsideOwner.email == email)
                & OutsideOwner.user.is_null()
                & (OutsideOwner.digest_week != week)
            )
            .execute()
        )


def _to_outside_owners(now: datetime) -> int:
    """One digest per address of owners without accounts who have overdue or due-soon work."""
    week, sent, last = week_of(now), 0, ""
    stopped = OutsideOwner.select(OutsideOwner.email).where(~OutsideOwner.weekly_digest)
    while True:
        emails = [
            email
            for (email,) in OutsideOwner.select(OutsideOwner.email)
            .where(
                OutsideOwner.user.is_null()
                & (OutsideOwner.digest_week != week)
                & (OutsideOwner.email > last)
                & OutsideOwner.email.not_in(stopped)
            )
            .distinct()
            .order_by(OutsideOwner.email)
            .limit(BATCH)
            .tuples()
        ]
        if not emails:
            return sent
        last = emails[-1]
        for email in emails:
            tasks = [
                t
                for t in tasks_of_outside_owner(email, now.date())
                if t.urgency(now.date()) != LATER
            ]
            if (
                not tasks
                or User.get_or_none(User.email == email)
                or not _claim_outside(email, week)
            ):
                continue
            # One link is enough: accepting it hands over the work on every project.
            first = (
                OutsideOwner.select(OutsideOwner, Project)
                .join(Project)
                .where(
                    (OutsideOwner.email == email)
                    & OutsideOwner.user.is_null()
                    & (Project.slug == tasks[0].project_slug)
                )
                .get()
            )
            send(
                email,
                f"Your work this week: {_count(tasks, now, OVERDUE)} overdue, "
                f"{_count(tasks, now, SOON)} due soon",
                "digest_outside",
                name=first.name,
                groups=[
                    (GROUPS[key], [t for t in tasks if t.urgency(now.date()) == key])
                    for key in (OVERDUE, SOON)
                ],
                invitation=link_for_owner(
                    email, name=first.name, project=first.project, by=first.created_by
                ),
                stop=url_for("mywork.stop_weekly_email", token=stop_token(email), _external=True),
                today=now.date(),
            )
            sent += 1


def _count(tasks, now: datetime, key: str) -> int:
    return sum(1 for t in tasks if t.urgency(now.date()) == key)


@huey.periodic_task(crontab(minute="0"))
def weekly_digest() -> int:
    def work() -> int:
        now = utcnow()
        return send_digests(now) if is_digest_hour(now) else 0

    return in_app_context(work)
