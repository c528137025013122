"""Email through a real SMTP server on loopback (aiosmtpd): what arrives, with both parts and
the person's own text inert; and, with no MAIL_SERVER, the outbox folder and its admin page."""

from __future__ import annotations

from pathlib import Path

import pytest

from projects.jobs import huey
from projects.mail import tasks
from projects.mail.tasks import send
from tests.conftest import make_project, make_user
from tests.mailbox import (
    free_port,
    html_of,
    link_in,
    outbox,
    smtp_server,
    smtp_settings,
    text_of,
)
from tests.pages import filled, url


@pytest.fixture
def smtp():
    with smtp_server() as running:
        yield running


class TestThroughSMTP:
    @pytest.fixture
    def app_config(self, smtp):
        return smtp_settings(smtp[0])

    def test_an_invitation_reaches_the_smtp_server_with_both_parts(
        self, app, client, signed_in, smtp
    ):
        _, received = smtp
        lead = make_user("lead", name="Lena <script>alert(1)</script> Lead")
        project = make_project(lead, name="Permits & <i>fees</i>")
        signed_in(lead)
        address = url("projects.members", slug=project.slug)
        form = filled(client, address, "email", email="New.Person@agency.gov", role="editor")
        assert client.post(address, data=form).status_code == 302

        (message,) = received.messages
        assert received.envelopes == [("tracker@agency.gov", ["new.person@agency.gov"])]
        assert message["From"] == "Playbook Tracker <tracker@agency.gov>"
        assert message["To"] == "new.person@agency.gov"
        assert message["Subject"] == "You are invited to Permits & <i>fees</i> on Playbook Tracker"
        text, html = text_of(message), html_of(message)
        assert 'the project "Permits & <i>fees</i>" as an editor' in text
        assert "Lena <script>alert(1)</script> Lead invited you" in text
        assert "Permits &amp; &lt;i&gt;fees&lt;/i&gt;" in html
        assert "&lt;script&gt;" in html and "<script>" not in html and "<i>" not in html
        accept = link_in(message, "/invitations/")
        assert f'href="https://playbook.agency.gov{accept}"' in html
        assert outbox(app) == [], "with a mail server, nothing goes to the outbox"

    def test_a_header_cannot_be_added_through_a_name(self, app, smtp):
        _, received = smtp
        with app.test_request_context():
            send(
                "a@agency.gov",
                "Hello\r\nBcc: someone@elsewhere.example",
                "password_reset",
                name="A",
                address="https://x.example/",
                minutes=60,
                expires_at=None,
            )
        (message,) = received.messages
        assert message["Bcc"] is None
        assert message["Subject"] == "Hello Bcc: someone@elsewhere.example"


class TestWhenTheServerIsDown:
    @pytest.fixture
    def app_config(self):
        return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": free_port(), "MAIL_TIMEOUT": 2}

    def test_the_worker_tries_again_and_the_page_still_answers(self, app, client, signed_in):
        assert tasks.send_message.retries == tasks.RETRIES > 0
        lead = make_user("lead")
        project = make_project(lead)
        signed_in(lead)
        address = url("projects.members", slug=project.slug)
        form = filled(client, address, "email", email="someone@agency.gov", role="viewer")
        response = client.post(address, data=form)
        assert response.status_code == 302, "a mail server that is down fails no page"
        assert outbox(app) == [], "nothing pretends to be sent"
        (retry,) = huey.scheduled()  # waiting for its next try, a minute later
        assert retry.name.endswith("send_message") and retry.retries == tasks.RETRIES - 1


def test_with_no_mail_server_messages_go_to_the_outbox_and_admins_read_them(app, client, signed_in):
    lead = make_user("lead")
    project = make_project(lead, name="Parking <b>permits</b>")
    signed_in(lead)
    address = url("projects.members", slug=project.slug)
    client.post(address, data=filled(client, address, "email", email="x@agency.gov", role="viewer"))
    (message,) = outbox(app)
    assert message["To"] == "x@agency.gov"
    assert client.get(url("mail.outbox")).status_code == 403, "only admins read the outbox"

    client.post(url("auth.logout"))
    signed_in("admin")
    page = client.get(url("mail.outbox")).text
    assert "1 message in the outbox" in page
    assert "You are invited to Parking &lt;b&gt;permits&lt;/b&gt; on Playbook Tracker" in page
    (name,) = [p.name for p in (Path(app.instance_path) / "outbox").iterdir()]
    shown = client.get(url("mail.message", message=name)).text
    assert "x@agency.gov" in shown and "/invitations/" in shown
    assert "<b>permits</b>" not in shown
    for wrong in ("..%2Fsecret_key", "secret_key", "20260101T000000000000-00000000.eml"):
        assert client.get(f"/admin/outbox/{wrong}").status_code == 404
