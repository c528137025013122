"""Every page a person reaches passes axe-core's WCAG 2.1 A and AA rules, can be used by
keyboard from the skip link on, has one h1 and a title, and works with JavaScript off."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import expect
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from projects.auth.models import User
from tests.browser.conftest import AXE, change, make_a_conflict, send, sign_in

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SLUG = "building-permits"  # a demo project (lead@example.gov; contracting@ is a viewer)
ADMIN, LEAD, VIEWER = "admin@example.gov", "lead@example.gov", "contracting@example.gov"
LEADERSHIP = "leadership@example.gov"
# Endpoints that are not pages: files, JSON, and the sign-in page (audited signed out below).
NOT_PAGES = {"static", "auth.login", "reports.job_status"}
# Pages shown only after a form is sent (they need its token); audited by their own tests.
MAX_PER_PAGE_TYPE = 10  # pages of one kind read for links (every demo project, some plays)
REACHED_ONLY_BY_FORM = {
    "research.confirm_import": "the preview after uploading findings",
    "feedback.thanks": "after sending the public feedback form: audited below",
    "measures.confirm_import": "the preview after uploading figures",
    "measures.choose_period": "the period box on a measure's page; it only redirects",
    "reports.job": "after asking for the portfolio PDF: audited in PAGES below",
    "reports.job_download": "a PDF, once a report job has finished",
    "reports.snapshot_download": "a PDF, once someone froze a snapshot",
    "contracts.edit_agency_clause": "the demo data has no agency clause to edit",
    # The pages of emailed links, and the outbox's messages: test_emailed_link_pages_pass_axe.
    "invitations.accept": "the link in an invitation email",
    "invitations.reset_password": "the link in a password reset email",
    "invitations.forgot_password": "the sign-in page's link, signed out",
    "mywork.stop_weekly_email": "the link in the weekly email of an owner without an account",
    "mail.message": "a message in the outbox",
}


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary})),
            }));
        }""",
        WCAG_TAGS,
    )


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:10]:
            summary = " ".join(node["summary"].split())
            lines.append(f"    {node['target']}  -- {summary}")
    return "\n".join(lines)


# A name on an element with no role is ignored by screen readers (axe only asks for a review):
# a scroll region needs role="region" for its label to be read.
UNSPOKEN_NAMES = """() => Array.from(
    document.querySelectorAll("div[aria-label], span[aria-label], div[aria-labelledby]"),
    el => el.getAttribute("role") ? null
        : `<${el.localName}> named "${el.getAttribute("aria-label") || el.id}" has no role`,
).filter(Boolean)"""


def page_problems(page) -> list[str]:
    """Structure every page needs: a title naming the service, exactly one h1, and no name on
    an element without a role. The public feedback pages (/feedback/<key>) are titled by the
    service people used, which the app does not know here: any title but an empty one."""
    problems = []
    title = page.title()
    public = urlsplit(page.url).path.startswith("/feedback/")
    if (
        (not public and not title.endswith("Playbook Tracker"))
        or title.startswith(" ")
        or not title
    ):
        problems.append(f"title is {title!r}")
    h1s = page.locator("h1").count()
    if h1s != 1:
        problems.append(f"{h1s} h1 elements")
    problems += page.evaluate(UNSPOKEN_NAMES)
    return problems


def audit(page, label: str) -> list[str]:
    """Everything wrong with the page now open, as readable lines (empty: all good)."""
    failures = [f"{label} ({page.url}): {p}" for p in page_problems(page)]
    violations = axe_violations(page)
    if violations:
        failures.append(f"{label} ({page.url}) has axe violations:\n{describe(violations)}")
    return failures


def submit(page, button: str) -> None:
    """Press a form's button and wait for the page the server answers with."""
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


def submit_empty_project_form(page) -> None:
    submit(page, "Create project")
    assert page.locator("#error-summary").is_visible(), "the empty form showed no errors"
    assert page.title().startswith("Error: ")


def create_portfolio_pdf(page) -> None:
    page.get_by_role("button", name="Create the portfolio PDF").click()
    page.wait_for_url(re.compile(r"/reports/jobs/\d+$"))


@dataclass(frozen=True)
class Visit:
    label: str
    who: str | None  # None: signed out
    path: str
    then: Callable | None = None
    status: int = 200


PAGES = [
    Visit("sign-in", None, "/login"),
    Visit(
        "sign-in with errors",
        None,
        "/login",
        then=lambda page: submit(page, "Sign in"),
    ),
    Visit("home", LEAD, "/"),
    Visit(
        "portfolio filtered",
        LEADERSHIP,
        "/portfolio?phase=beta&sort=-readiness&agency=Department+of+Buildings",
    ),
    Visit("portfolio", LEADERSHIP, "/portfolio"),
    Visit("project", LEAD, f"/projects/{SLUG}"),
    Visit("play, editable", LEAD, f"/projects/{SLUG}/plays/1"),
    Visit("play, read-only", VIEWER, f"/projects/{SLUG}/plays/1"),
    Visit("edit project", LEAD, f"/projects/{SLUG}/edit"),
    Visit("members", LEAD, f"/projects/{SLUG}/members"),
    Visit("history", LEAD, f"/projects/{SLUG}/history"),
    Visit("admin users", ADMIN, "/admin/users"),
    Visit("my work", LEAD, "/my-work"),
    Visit("invitations", ADMIN, "/admin/invitations"),
    Visit("outbox", ADMIN, "/admin/outbox"),
    Visit("forgot password", None, "/password-reset"),
    Visit("new user", ADMIN, "/admin/users/new"),
    Visit("new project with errors", LEAD, "/projects/new", then=submit_empty_project_form),
    Visit(
        "play with errors",
        LEAD,
        f"/projects/{SLUG}/plays/5",
        then=lambda page: (
            change(page, {"items-0-status": "not_applicable", "items-0-justification": ""}),
            send(page, "items-0-status"),
        ),
    ),
    Visit(
        "project details not saved (a conflict)",
        LEAD,
        f"/projects/{SLUG}/edit",
        then=lambda page: make_a_conflict(page, f"/projects/{SLUG}/edit", "office"),
    ),
    Visit("portfolio report job", LEADERSHIP, "/portfolio/report", then=create_portfolio_pdf),
    Visit("page not found", LEAD, "/projects/no-such-project", status=404),
    Visit("page not found, signed out", None, "/no-such-page", status=404),
]


@pytest.mark.parametrize("visit", PAGES, ids=[v.label for v in PAGES])
def test_page_passes_axe(axe_page, visit):
    if visit.who:
        sign_in(axe_page, visit.who)
    response = axe_page.goto(visit.path)
    assert response.status == visit.status
    if visit.then:
        visit.then(axe_page)
    failures = audit(axe_page, visit.label)
    assert not failures, "\n".join(failures)


def _endpoint(app, url: str) -> str | None:
    parts = urlsplit(url)
    try:
        endpoint, _ = app.url_map.bind("localhost").match(parts.path, method="GET")
    except RequestRedirect:
        return None
    except HTTPException:
        return None
    return endpoint


def _page_endpoints(app) -> set[str]:
    return {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods
        and rule.endpoint not in NOT_PAGES
        and not rule.endpoint.startswith("api.")
    }


def _built_urls(app, endpoints: set[str], known: dict) -> list[str]:
    """Addresses for pages no link led to, where the demo data fills every argument."""
    adapter = app.url_map.bind("localhost")
    urls = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in endpoints and rule.arguments <= known.keys():
            urls.append(adapter.build(rule.endpoint, {k: known[k] for k in rule.arguments}))
    return urls


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a" and dict(attrs).get("href"):
            self.hrefs.append(dict(attrs)["href"])


def _links(base: str, url: str, html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    found = (urljoin(url, href).split("#")[0] for href in parser.hrefs)
    return [href for href in found if href.startswith(base)]


def test_every_page_in_the_app_passes_axe(axe_page, live_server):
    """Follows links as an admin until every GET page of the app has been audited once, so
    pages added later (research, contracts, reports...) are covered too. Links are read from
    up to MAX_PER_PAGE_TYPE pages of each kind (every project, a few plays...); pages no link
    reaches are built from the demo data when their arguments allow."""
    app = live_server.app
    wanted = _page_endpoints(app)
    with app.app_context():
        admin = User.get(User.email == ADMIN)
    known = {"slug": SLUG, "number": 1, "user_id": admin.id}
    sign_in(axe_page, ADMIN)
    request = axe_page.context.request
    fresh, again = [live_server.url("/"), live_server.url("/portfolio")], []
    fetched: dict[str, int] = {}
    seen: set[str] = set()
    audited: dict[str, str] = {}
    files: dict[str, str] = {}
    failures: list[str] = []
    built = False
    while fresh or again or not built:
        if not fresh and not again:
            built = True
            pending = wanted - set(audited) - set(files)
            fresh = [live_server.url(path) for path in _built_urls(app, pending, known)]
            continue
        url = fresh.pop(0) if fresh else again.pop(0)
        endpoint = _endpoint(app, url)
        if url in seen or endpoint is None or endpoint in files:
            continue
        if fetched.get(endpoint, 0) >= MAX_PER_PAGE_TYPE:
            continue
        seen.add(url)
        fetched[endpoint] = fetched.get(endpoint, 0) + 1
        response = request.get(url)
        if response.status >= 500:
            failures.append(f"{url} answered {response.status}")
            continue
        if "text/html" not in response.headers.get("content-type", ""):
            files[endpoint] = url  # a download (CSV, PDF, DOCX): nothing for axe to read
            continue
        if endpoint not in audited:
            axe_page.goto(url)
            audited[endpoint] = url
            failures += audit(axe_page, endpoint)
        for href in _links(live_server.base, url, response.text()):
            target = _endpoint(app, href)
            if target in wanted and href not in seen:
                (again if target in audited else fresh).append(href)
    unreached = wanted - set(audited) - set(files) - REACHED_ONLY_BY_FORM.keys()
    assert not failures, "\n".join(failures)
    assert not unreached, (
        f"no link from the demo data leads to these pages, so axe could not audit them: "
        f"{sorted(unreached)}. Link them from a page the demo data shows, or add them to "
        "PAGES in this file."
    )


def test_axe_reports_what_it_finds(axe_page):
    """The audit is real: a page with known faults fails with their ids and elements."""
    axe_page.goto("/login")
    axe_page.evaluate("""() => {
        const main = document.getElementById("main-content");
        main.insertAdjacentHTML("beforeend",
            '<img src="/static/none.png" id="no-alt"><p id="faint">faint text</p>');
        document.getElementById("faint").style.color = "#ddd";
    }""")
    violations = axe_violations(axe_page)
    found = {v["id"]: v for v in violations}
    assert {"image-alt", "color-contrast"} <= found.keys()
    assert "#no-alt" in describe(violations)


def test_skip_link_is_first_and_moves_focus_to_main(page, live_server):
    sign_in(page, LEAD)
    page.goto(f"/projects/{SLUG}")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.outerHTML")
    assert "Skip to main content" in focused
    assert page.evaluate("document.activeElement.matches('a.usa-skipnav')"), focused
    assert page.locator("a.usa-skipnav").is_visible(), "the skip link is not shown on focus"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"
    page.keyboard.press("Tab")
    inside_main = page.evaluate(
        "document.getElementById('main-content').contains(document.activeElement)"
    )
    assert inside_main, "the next Tab after the skip link left the main content"


def test_sign_in_by_keyboard_alone(page):
    page.goto("/login")
    for _ in range(15):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "email":
            break
    else:
        pytest.fail("Tab never reached the email field")
    page.keyboard.type(LEAD)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "password"
    page.keyboard.type("demo-password-2026")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/projects$"))
    assert page.get_by_role("heading", level=1).inner_text() == "My projects"


def test_main_pages_have_no_console_errors(page):
    """With the real CSP on: nothing blocked (inline styles or scripts), no script errors."""
    messages = []
    page.on("console", lambda m: m.type == "error" and messages.append(f"{page.url}: {m.text}"))
    page.on("pageerror", lambda e: messages.append(f"{page.url}: {e}"))
    sign_in(page, LEAD)
    for path in (
        "/",
        "/portfolio",
        f"/projects/{SLUG}",
        f"/projects/{SLUG}/plays/2",
        f"/projects/{SLUG}/edit",
    ):
        page.goto(path)
        page.wait_for_load_state("load")
    assert not messages, "\n".join(messages)


def test_without_javascript_sign_in_and_save_a_play(browser, live_server, server_errors):
    context = browser.new_context(base_url=live_server.base, java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in(page, LEAD)
        page.goto(f"/projects/{SLUG}/plays/4")
        note = page.locator("fieldset.pt-item").first.get_by_label("Note")
        note.fill("Checked with the team on Tuesday, no script needed.")
        submit(page, "Save play 4")
        expect(page.get_by_role("status").filter(has_text="Play 4 saved.")).to_be_visible()
        assert page.locator("fieldset.pt-item").first.get_by_label("Note").input_value() == (
            "Checked with the team on Tuesday, no script needed."
        )
        page.goto(f"/projects/{SLUG}/history")
        assert "Checked with the team on Tuesday" in page.locator("main").inner_text()
    finally:
        context.close()


def test_emailed_link_pages_pass_axe(axe_page, live_server):
    """The invitation, password reset and "stop the weekly email" pages, opened from the
    links the emails carry, and the outbox page of a message."""
    from projects.invitations import changes as invitations
    from projects.mywork.digest import stop_token
    from tests.mailbox import link_in, outbox

    app = live_server.app
    with app.app_context():
        admin = User.get(User.email == ADMIN)
        invitations.invite("new.colleague@example.gov", by=admin, name="New Colleague")
        invitations.request_reset(LEAD)
        messages = outbox(app)
        stop = f"/weekly-email/stop/{stop_token('someone@example.gov')}"
    invite = next(m for m in messages if m["To"] == "new.colleague@example.gov")
    reset = next(m for m in messages if m["To"] == LEAD)
    failures = []
    for label, path in [
        ("accept invitation", link_in(invite, "/invitations/")),
        ("choose a new password", link_in(reset, "/password-reset/")),
    ]:
        assert axe_page.goto(path).status == 200
        failures += audit(axe_page, label)
    assert axe_page.goto(stop).status == 200
    failures += audit(axe_page, "stop the weekly email")
    with axe_page.expect_navigation():
        axe_page.get_by_role("button", name="Stop the weekly email").click()
    failures += audit(axe_page, "weekly email stopped")
    sign_in(axe_page, ADMIN)
    axe_page.goto("/admin/outbox")
    with axe_page.expect_navigation():
        axe_page.get_by_role("link", name="You are invited to Playbook Tracker").first.click()
    failures += audit(axe_page, "outbox message")
    assert not failures, "\n".join(failures)


def test_public_feedback_form_passes_axe_in_both_languages(axe_page, live_server):
    """The public form, signed out, in English and in Spanish, sent empty (with its errors)
    and sent answered (the thank-you page). Its titles name the service people used (its
    public title), not Playbook Tracker, which the public never sees."""
    from projects.feedback.models import FeedbackForm

    with live_server.app.app_context():
        key = FeedbackForm.select(FeedbackForm.key).where(FeedbackForm.enabled).first().key
    failures = []
    languages = (("en", "Send feedback", "Thank you"), ("es", "Enviar comentarios", "Gracias"))
    for lang, button, thanks in languages:
        assert axe_page.goto(f"/feedback/{key}?lang={lang}").status == 200
        failures += public_audit(axe_page, f"feedback form ({lang})", lang)
        submit(axe_page, button)
        failures += public_audit(axe_page, f"feedback form with errors ({lang})", lang)
        axe_page.locator("label.usa-radio__label").first.click()  # USWDS hides the input
        submit(axe_page, button)
        assert thanks in axe_page.title()
        failures += public_audit(axe_page, f"feedback thank-you page ({lang})", lang)
    assert not failures, "\n".join(failures)


def public_audit(page, label: str, lang: str) -> list[str]:
    failures = audit(page, label)
    if page.locator("html").get_attribute("lang") != lang:
        failures.append(f"{label}: the page's language is not {lang}")
    return failures
