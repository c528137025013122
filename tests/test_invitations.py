"""Invitations and password resets by email: one-time links that expire, work once and are
stored only as hashes. These pages are public because the emailed link is the proof; each
test shows what they refuse without it."""

from __future__ import annotations

from datetime import timedelta

from projects.auth.models import User
from projects.db import utcnow
from projects.invitations.models import AccessLink
from projects.projects.models import Membership
from tests.conftest import PASSWORD, make_project, make_user
from tests.mailbox import link_in, outbox
from tests.pages import filled, url

NEW_PASSWORD = "a long and unusual passphrase 7"


def invite_through_members_page(client, project, email="new.person@agency.gov", role="editor"):
    address = url("projects.members", slug=project.slug)
    form = filled(client, address, "email", email=email, role=role)
    response = client.post(address, data=form)
    assert response.status_code == 302
    return client.get(response.location).text


def test_an_invited_person_sets_their_password_and_lands_in_the_project(app, client, signed_in):
    lead = make_user("lead", name="Lena Lead")
    project = make_project(lead, name="Parking permits")
    signed_in(lead)
    page = invite_through_members_page(client, project)
    assert "new.person@agency.gov has no account yet: we emailed them an invitation" in page
    assert "Invited, not yet joined" in page and "new.person@agency.gov, as editor" in page
    client.post(url("auth.logout"))

    (message,) = outbox(app)
    address = link_in(message, "/invitations/")
    token = address.rsplit("/", 1)[1]
    stored = AccessLink.get(email="new.person@agency.gov")
    assert token not in stored.token_hash and len(stored.token_hash) == 64, "stored hashed"

    form = filled(
        client, address, "password", name="Nia New", password=NEW_PASSWORD, confirm=NEW_PASSWORD
    )
    response = client.post(address, data=form)
    assert response.status_code == 302
    assert response.location.endswith(url("projects.detail", slug=project.slug))
    landing = client.get(response.location).text
    assert "Welcome, Nia New" in landing and "Parking permits" in landing
    user = User.get(email="new.person@agency.gov")
    assert (user.name, user.role) == ("Nia New", "lead")
    assert Membership.get(project=project, user=user).role == "editor"

    # The link worked once.
    client.post(url("auth.logout"))
    again = client.get(address)
    assert again.status_code == 404 and "This link no longer works" in again.text
    assert client.post(address, data=form).status_code == 404


def test_an_invitation_link_expires_and_a_made_up_one_opens_nothing(app, client, signed_in):
    project = make_project(signed_in("lead"))
    invite_through_members_page(client, project)
    client.post(url("auth.logout"))
    address = link_in(outbox(app)[0], "/invitations/")
    for wrong in ("/invitations/made-up-token", "/invitations/" + "x" * 300):
        assert client.get(wrong).status_code == 404
    AccessLink.update(expires_at=utcnow() - timedelta(minutes=1)).execute()
    assert client.get(address).status_code == 404
    assert not User.select().where(User.email == "new.person@agency.gov").exists()


def test_the_form_refuses_a_weak_password_with_a_message(app, client, signed_in):
    project = make_project(signed_in("lead"))
    invite_through_members_page(client, project)
    client.post(url("auth.logout"))
    address = link_in(outbox(app)[0], "/invitations/")
    form = filled(client, address, "password", name="Nia", password="password", confirm="password")
    page = client.post(address, data=form)
    assert page.status_code == 200 and "Enter a password of at least 12 characters" in page.text
    assert AccessLink.get().used_at is None


def test_admins_invite_resend_and_cancel(app, client, signed_in):
    signed_in("admin")
    address = url("invitations.pending")
    form = filled(
        client, address, "email", email="cara@agency.gov", name="Cara", role="contracting"
    )
    assert client.post(address, data=form).status_code == 302
    page = client.get(address).text
    assert "1 pending invitation" in page and "cara@agency.gov" in page
    first = link_in(outbox(app)[0], "/invitations/")

    link = AccessLink.get(email="cara@agency.gov")
    resend = filled(client, address, "csrf_token")
    client.post(url("invitations.resend", link_id=link.id), data=resend)
    second = link_in(outbox(app)[1], "/invitations/")
    assert first != second
    client.post(url("auth.logout"))
    assert client.get(first).status_code == 404, "resending ends the old link"
    assert client.get(second).status_code == 200

    signed_in("admin")
    cancel = filled(client, address, "csrf_token")
    client.post(url("invitations.cancel", link_id=link.id), data=cancel)
    assert "0 pending invitations" in client.get(address).text
    client.post(url("auth.logout"))
    assert client.get(second).status_code == 404
    # An accepted invitation makes the chosen role.
    signed_in("admin")
    form = filled(client, address, "email", email="dee@agency.gov", name="Dee", role="leadership")
    client.post(address, data=form)
    client.post(url("auth.logout"))
    link = link_in(outbox(app)[-1], "/invitations/")
    form = filled(client, link, "password", password=NEW_PASSWORD, confirm=NEW_PASSWORD)
    assert client.post(link, data=form).status_code == 302
    assert User.get(email="dee@agency.gov").role == "leadership"


def test_password_reset_by_email(app, client, auth):
    user = make_user("lead", email="pat@agency.gov", name="Pat")
    other = app.test_client()
    assert (
        other.post(url("auth.login"), data={"email": user.email, "password": PASSWORD}).status_code
        == 302
    )

    login = client.get(url("auth.login")).text
    assert url("invitations.forgot_password") in login
    address = url("invitations.forgot_password")
    for email in ("pat@agency.gov", "nobody@agency.gov"):
        response = client.post(address, data=filled(client, address, "email", email=email))
        assert response.status_code == 302
        said = client.get(response.location).text
        assert f"If an account uses {email}, we have emailed it a link" in said
    (message,) = outbox(app)  # only the real account got one
    assert message["To"] == "pat@agency.gov"
    reset = link_in(message, "/password-reset/")

    form = filled(client, reset, "password", password=NEW_PASSWORD, confirm=NEW_PASSWORD)
    response = client.post(reset, data=form)
    assert response.status_code == 302
    assert "Your password is changed" in client.get(response.location).text
    assert other.get(url("projects.index")).status_code == 302, "other sessions ended"
    assert auth.login(User.get_by_id(user.id), NEW_PASSWORD).status_code == 302
    client.post(url("auth.logout"))
    assert client.get(reset).status_code == 404, "the link worked once"


def test_a_reset_link_expires(app, client):
    make_user("lead", email="pat@agency.gov")
    address = url("invitations.forgot_password")
    client.post(address, data=filled(client, address, "email", email="pat@agency.gov"))
    reset = link_in(outbox(app)[0], "/password-reset/")
    AccessLink.update(expires_at=utcnow() - timedelta(seconds=1)).execute()
    page = client.get(reset)
    assert page.status_code == 404 and "Ask for a new link" in page.text


def test_reset_emails_to_one_account_are_limited_to_three_an_hour(app, client):
    """Anyone can ask for anyone's address; the fourth request in an hour says the same as the
    others and sends nothing."""
    make_user("lead", email="pat@agency.gov")
    address = url("invitations.forgot_password")
    for _ in range(4):
        response = client.post(
            address, data=filled(client, address, "email", email="pat@agency.gov")
        )
        assert response.status_code == 302
        assert "If an account uses pat@agency.gov" in client.get(response.location).text
    assert len(outbox(app)) == 3
    AccessLink.update(created_at=utcnow() - timedelta(minutes=61)).execute()
    client.post(address, data=filled(client, address, "email", email="pat@agency.gov"))
    assert len(outbox(app)) == 4, "an hour later it works again"
