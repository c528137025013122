"""The daily recording, as a periodic task of the background worker (`flask scores record`
does the same by hand). Several workers may each run it: the day's copy is replaced, not
doubled."""

from __future__ import annotations

import logging

from huey import crontab

from projects.jobs import huey, in_app_context
from projects.trends.changes import record

log = logging.getLogger(__name__)


@huey.periodic_task(crontab(minute="10", hour="0"))
def record_daily_scores() -> int:
    recorded = in_app_context(record)
    log.info("Recorded %s readiness scores for today", recorded)
    return recorded
