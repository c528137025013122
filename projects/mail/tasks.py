"""Sending email from the background worker, with retries: a message waits in the queue,
not in a web request, and an SMTP server that is down gets several more tries."""

from __future__ import annotations

import logging
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

from projects.jobs import huey, in_app_context
from projects.mail.delivery import deliver
from projects.mail.messages import compose

log = logging.getLogger(__name__)
RETRIES, RETRY_DELAY = 5, 60  # five more tries, a minute apart


@huey.task(retries=RETRIES, retry_delay=RETRY_DELAY)
def send_message(raw: bytes) -> str:
    message = BytesParser(policy=policy.default).parsebytes(raw)

    def work() -> str:
        where = deliver(message)
        log.info("Sent %r to %s via %s", str(message["Subject"]), message["To"], where)
        return where

    return in_app_context(work)


def send(to: str, subject: str, template: str, **context) -> EmailMessage:
    """Compose the message now (templates need the app) and queue it for the worker. Call it
    after the change it tells of is committed, so a rolled-back change sends nothing."""
    message = compose(to, subject, template, **context)
    send_message(bytes(message))
    return message
