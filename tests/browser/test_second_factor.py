"""Two-step sign-in in Chromium: with JavaScript off and the real CSP, the QR code shows and
nothing is refused, the app is set up by reading the key off the page, and a recovery code
signs in; axe-core finds nothing on the set-up, recovery-code and code pages."""

from __future__ import annotations

import pyotp
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.browser.test_accessibility import audit, submit
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.browser


def _new_person(live_server) -> str:
    with live_server.app.app_context():
        return make_user(name="Tess Two-Step").email


def _set_up(page) -> list[str]:
    """From the account page, as a person with an authenticator app: the recovery codes."""
    page.goto("/account")
    page.get_by_role("link", name="Set up two-step sign-in").click()
    key = page.locator("code.pt-code-text").inner_text().replace(" ", "")
    page.get_by_label("Code from your authenticator app").fill(pyotp.TOTP(key).now())
    submit(page, "Turn on two-step sign-in")
    expect(page.get_by_role("heading", level=1)).to_have_text("Recovery codes")
    return page.locator("ol.pt-recovery-codes code").all_inner_texts()


def _sign_out(page) -> None:
    page.goto("/")
    submit(page, "Sign out Tess Two-Step")


def test_two_step_sign_in_without_javascript(browser, live_server, server_errors):
    email = _new_person(live_server)
    context = browser.new_context(base_url=live_server.base, java_script_enabled=False)
    messages: list[str] = []
    try:
        page = context.new_page()
        page.on("console", lambda m: m.type == "error" and messages.append(m.text))
        sign_in(page, email, PASSWORD)
        page.goto("/account/two-step-sign-in/set-up")
        qr = page.locator("svg.pt-qr-code")
        expect(qr).to_be_visible()
        assert qr.bounding_box()["width"] >= 200, "the QR code is too small to scan"
        codes = _set_up(page)
        assert len(codes) == 10
        _sign_out(page)
        sign_in(page, email, PASSWORD)
        assert page.url.endswith("/login/code")
        page.get_by_label("Recovery code").fill(codes[0])
        submit(page, "Continue with a recovery code")
        expect(page.get_by_role("heading", level=1)).to_have_text("My projects")
    finally:
        context.close()
    assert not messages, "\n".join(messages)  # a CSP refusal would show here


def test_two_step_pages_pass_axe(axe_page, live_server, server_errors):
    email = _new_person(live_server)
    sign_in(axe_page, email, PASSWORD)
    axe_page.goto("/account/two-step-sign-in/set-up")
    failures = audit(axe_page, "set up two-step sign-in")
    submit(axe_page, "Turn on two-step sign-in")
    assert axe_page.title().startswith("Error: ")
    failures += audit(axe_page, "set up two-step sign-in, with errors")
    _set_up(axe_page)
    failures += audit(axe_page, "recovery codes")
    _sign_out(axe_page)
    sign_in(axe_page, email, PASSWORD)
    failures += audit(axe_page, "enter your code")
    with axe_page.expect_navigation():  # "Continue" alone, not "Continue with a recovery code"
        axe_page.get_by_role("button", name="Continue", exact=True).click()
    assert axe_page.title().startswith("Error: ")
    failures += audit(axe_page, "enter your code, with errors")
    assert not failures, "\n".join(failures)
