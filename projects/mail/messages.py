"""Composing a message: a subject, a plain-text part and an HTML part, each from its own
template under templates/mail/ (the HTML one autoescaped, so what people typed stays text),
and links that work from outside the site."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app, has_request_context, render_template, url_for


def link(endpoint: str, **values) -> str:
    """An absolute address of a page, for an email: BASE_URL when set (the worker has no
    request to take a host from), else the host of the request being answered."""
    base = current_app.config.get("BASE_URL")
    if base or not has_request_context():
        with current_app.test_request_context(base_url=base or "http://localhost/"):
            return url_for(endpoint, _external=True, **values)
    return url_for(endpoint, _external=True, **values)


def one_line(text: str) -> str:
    """Header values are one line: a name with a line break must not add a header."""
    return " ".join(str(text).split())


def compose(to: str, subject: str, template: str, **context) -> EmailMessage:
    """The message `template` (templates/mail/<template>.txt and .html) for `to`."""
    config = current_app.config
    message = EmailMessage()
    message["Subject"] = one_line(subject)
    message["From"] = one_line(config["MAIL_SENDER"])
    message["To"] = one_line(to)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="playbook-tracker")
    context = {"subject": subject, **context}
    message.set_content(render_template(f"mail/{template}.txt", **context))
    message.add_alternative(render_template(f"mail/{template}.html", **context), subtype="html")
    return message
