"""The public feedback form, through its pages: a visitor without an account answers in
English or Spanish; bots, floods, personal data and bad input are held back with nothing
stored; an off form or unknown key is a plain 404."""

from __future__ import annotations

import re

import pytest

from projects.feedback.models import FeedbackResponse, FeedbackThrottle
from projects.measures.models import Measure, MeasureValue
from tests.conftest import make_project
from tests.feedback.factories import open_form
from tests.pages import filled, url


@pytest.fixture
def app_config():
    # The real thing: CSRF on, as in production, for visitors with no account.
    return {"WTF_CSRF_ENABLED": True, "FEEDBACK_RATE_LIMIT": 3}


@pytest.fixture
def form(app):
    project = make_project(name="Internal codename Falcon", summary="Secret budget notes")
    return open_form(project, public_title="Renew your parking permit")


def address(form, **args) -> str:
    return url("feedback.form", key=form.key, **args)


def answered(client, form, lang=None, **changes) -> dict:
    fields = filled(client, address(form, **({"lang": lang} if lang else {})))
    return fields | {"satisfaction": "4", "ease": "2"} | changes


def test_a_visitor_answers_without_an_account_and_it_counts_at_once(client, form):
    page = client.get(address(form))
    assert page.status_code == 200
    assert "Renew your parking permit" in page.text
    assert "Overall, I am happy with the service I got today." in page.text
    # Nothing of the project but its public title.
    assert "Falcon" not in page.text and "Secret budget" not in page.text
    assert 'name="csrf_token"' in page.text
    response = client.post(
        address(form), data=answered(client, form, comment="The form was quick.")
    )
    assert response.status_code == 302
    thanks = client.get(response.location)
    assert "Thank you for your feedback" in thanks.text
    saved = FeedbackResponse.get()
    assert saved.answers == {"satisfaction": 4, "ease": 2}
    assert saved.comment == "The form was quick." and saved.language == "en"
    satisfaction = Measure.get(Measure.project == form.project, Measure.driver == "satisfaction")
    assert satisfaction.latest_value == 100.0
    value = MeasureValue.get(MeasureValue.measure == satisfaction)
    assert (value.responses, value.answers) == (1, (0, 0, 0, 1, 0))
    ease = Measure.get(Measure.project == form.project, Measure.driver == "ease")
    assert ease.latest_value == 0.0


def test_a_post_without_the_pages_token_is_refused_with_the_answers_kept(client, form):
    fields = answered(client, form, comment="Kept for later")
    fields["csrf_token"] = "forged"
    page = client.post(address(form), data=fields)
    assert page.status_code == 200
    assert "for your security it expired" in page.text
    assert "Kept for later" in page.text
    assert FeedbackResponse.select().count() == 0


def test_the_visitor_chooses_spanish(client, form):
    page = client.get(address(form))
    link = re.search(r'href="([^"]+lang=es)"', page.text).group(1)
    spanish = client.get(link.replace("&amp;", "&"))
    assert '<html lang="es">' in spanish.text
    assert "Cuéntenos cómo le fue" in spanish.text
    assert "En general, estoy contento con el servicio que recibí hoy." in spanish.text
    assert "Muy de acuerdo" in spanish.text
    assert "Un sitio oficial del Gobierno de Estados Unidos" in spanish.text
    response = client.post(address(form, lang="es"), data=answered(client, form, lang="es"))
    assert "Gracias por sus comentarios" in client.get(response.location).text
    assert FeedbackResponse.get().language == "es"


def test_spanish_messages_for_bad_input_with_nothing_lost(client, form):
    fields = answered(client, form, lang="es", satisfaction="9", comment="Muy bien")
    page = client.post(address(form, lang="es"), data=fields)
    assert page.status_code == 200
    assert "Hay un problema" in page.text
    assert "Elija una de las respuestas ofrecidas" in page.text
    assert "Muy bien" in page.text and 'value="2" checked' in page.text
    assert FeedbackResponse.select().count() == 0


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"satisfaction": "nine"}, "Choose one of the answers given"),
        ({"comment": "x" * 2001}, "Keep your comment to 2,000 characters"),
    ],
)
def test_bad_input_gets_a_clear_message(client, form, changes, message):
    page = client.post(address(form), data=answered(client, form, **changes))
    assert page.status_code == 200
    assert message in page.text and "Error:" in page.text
    assert FeedbackResponse.select().count() == 0


def test_an_empty_response_is_refused(client, form):
    fields = filled(client, address(form))
    page = client.post(address(form), data=fields)
    assert "Answer at least one question, or write a comment" in page.text
    assert FeedbackResponse.select().count() == 0


@pytest.mark.parametrize(
    "comment, kind",
    [
        ("Call me at (202) 555-0143 please", "a phone number"),
        ("Write to maria.lopez@example.com", "an email address"),
        ("My SSN is 123-45-6789", "a Social Security number"),
    ],
)
def test_personal_data_in_a_comment_is_refused_never_stored(client, form, comment, kind):
    page = client.post(address(form), data=answered(client, form, comment=comment))
    assert page.status_code == 200
    assert f"Please remove personal details from your comment, such as {kind}" in page.text
    assert comment in page.text  # nothing lost: the visitor edits it out
    assert FeedbackResponse.select().count() == 0
    assert MeasureValue.select().count() == 0


def test_a_bot_that_fills_the_honeypot_is_thanked_and_nothing_is_stored(client, form):
    fields = answered(client, form, website="https://spam.example")
    response = client.post(address(form), data=fields)
    assert response.status_code == 302
    assert "Thank you" in client.get(response.location).text
    assert FeedbackResponse.select().count() == 0
    assert MeasureValue.select().count() == 0


def test_an_address_past_the_rate_limit_is_held_back(client, form):
    for _ in range(3):
        assert client.post(address(form), data=answered(client, form)).status_code == 302
    page = client.post(address(form), data=answered(client, form, comment="Fourth"))
    assert page.status_code == 429
    assert "many responses from your connection" in page.text
    assert "Fourth" in page.text
    assert FeedbackResponse.select().count() == 3
    satisfaction = MeasureValue.select().join(Measure).where(Measure.driver == "satisfaction")
    assert satisfaction.get().responses == 3
    # The address is kept only as a keyed hash.
    row = FeedbackThrottle.get()
    assert "127.0.0.1" not in row.address_hash and len(row.address_hash) == 64


def test_another_address_is_not_held_back(client, form):
    for _ in range(3):
        client.post(address(form), data=answered(client, form))
    other = {"REMOTE_ADDR": "192.0.2.7"}
    fields = filled(client, address(form)) | {"trust": "5"}
    assert client.post(address(form), data=fields, environ_base=other).status_code == 302


def forwarded(client_address: str) -> dict:
    """What a request that came through one reverse proxy carries."""
    return {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": client_address}


def test_behind_a_forged_header_the_address_is_the_connections_own(client, form):
    """Without TRUSTED_PROXIES, X-Forwarded-For is ignored: a client cannot dodge the limit by
    sending a new one each time."""
    for n in range(3):
        sent = client.post(
            address(form), data=answered(client, form), environ_base=forwarded(f"192.0.2.{n}")
        )
        assert sent.status_code == 302
    held = client.post(
        address(form), data=answered(client, form), environ_base=forwarded("192.0.2.9")
    )
    assert held.status_code == 429


class TestBehindAProxy:
    @pytest.fixture
    def app_config(self, app_config):
        return app_config | {"TRUSTED_PROXIES": 1}

    def test_each_visitor_behind_the_proxy_has_their_own_limit(self, client, form):
        for _ in range(3):
            sent = client.post(
                address(form), data=answered(client, form), environ_base=forwarded("192.0.2.1")
            )
            assert sent.status_code == 302
        held = client.post(
            address(form), data=answered(client, form), environ_base=forwarded("192.0.2.1")
        )
        assert held.status_code == 429
        other = client.post(
            address(form), data=answered(client, form), environ_base=forwarded("192.0.2.2")
        )
        assert other.status_code == 302
        assert FeedbackThrottle.select().count() == 2


def test_an_unknown_key_or_a_form_turned_off_is_a_plain_404(client, form):
    assert client.get(url("feedback.form", key="no-such-form")).status_code == 404
    assert client.get(url("feedback.thanks", key="no-such-form")).status_code == 404
    form.enabled = False
    form.save()
    page = client.get(address(form))
    assert page.status_code == 404
    assert "Renew your parking permit" not in page.text
    assert client.post(address(form), data={"satisfaction": "5"}).status_code == 404


def test_the_form_shows_the_paperwork_reduction_act_number_when_set(client, form):
    assert "OMB control number" not in client.get(address(form)).text
    form.pra_number, form.pra_expires = "1234-5678", None
    form.save()
    assert "OMB control number: 1234-5678" in client.get(address(form)).text


def test_the_public_page_keeps_the_strict_content_security_policy(client, form):
    page = client.get(address(form))
    policy = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "<script>" not in page.text and "style=" not in page.text


def test_the_limit_starts_again_when_the_window_has_passed(client, form, monkeypatch):
    from projects.feedback import changes
    from tests.conftest import Clock

    clock = Clock()
    monkeypatch.setattr(changes, "utcnow", lambda: clock.now)
    for _ in range(3):
        client.post(address(form), data=answered(client, form))
    clock.advance(minutes=59)
    assert client.post(address(form), data=answered(client, form)).status_code == 429
    clock.advance(minutes=2)
    assert client.post(address(form), data=answered(client, form)).status_code == 302
    assert FeedbackResponse.select().count() == 4
    # The responses count in the quarter they were sent in.
    assert {r.period for r in FeedbackResponse.select()} == {"2026-Q1"}


def test_a_submission_missing_a_field_or_too_large_is_refused_not_an_error(client, form):
    fields = answered(client, form, lang="es")
    fields.pop("comment")
    page = client.post(address(form, lang="es"), data=fields)
    assert page.status_code == 200
    # In the visitor's language, like every other message of the form.
    assert "Algunos campos de este formulario no llegaron (" in page.text
    assert FeedbackResponse.select().count() == 0
    huge = answered(client, form) | {"comment": "x" * 3_000_000}
    assert client.post(address(form), data=huge).status_code == 413
    assert FeedbackResponse.select().count() == 0
