"""The outbox page: with no MAIL_SERVER, the messages the app would have sent, for admins."""

from __future__ import annotations

from flask import abort, current_app, render_template

from projects.access import ADMINISTER, requires
from projects.mail import bp
from projects.mail.delivery import kept, parts, read


@bp.route("")
@requires(ADMINISTER)
def outbox():
    return render_template(
        "mail/outbox.html", messages=kept(), server=current_app.config.get("MAIL_SERVER")
    )


@bp.route("/<message>")
@requires(ADMINISTER)
def message(message: str):
    try:
        found = read(message)
    except (FileNotFoundError, IsADirectoryError):
        abort(404)
    text, html = parts(found)
    return render_template("mail/message.html", name=message, message=found, text=text, html=html)
