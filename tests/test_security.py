"""Security a person would notice: headers, cookies, oversize requests, unsafe Markdown, the
`next` link after sign-in, friendly 404s and refusing to run in production without a secret."""

from __future__ import annotations

from urllib.parse import urlencode, urlparse

import pytest
from werkzeug.routing import IntegerConverter

from projects import create_app
from projects.checklists.models import QuestionAnswer
from projects.editions import active_edition
from projects.markdown import render_markdown
from tests.conftest import PASSWORD, make_project, make_user
from tests.pages import post_form, script_problems


def _directives(policy: str) -> dict[str, list[str]]:
    parts = (d.split() for d in policy.split(";") if d.strip())
    return {p[0]: p[1:] for p in parts}


@pytest.mark.parametrize(
    "url", ["/login", "/", "/portfolio", "/api/v1/projects", "/no-such-page", "PROJECT"]
)
def test_every_response_carries_the_security_headers(client, signed_in, url):
    if url != "/login":
        lead = signed_in("lead")
        url = f"/projects/{make_project(lead).slug}" if url == "PROJECT" else url
    response = client.get(url)
    headers = response.headers
    policy = _directives(headers["Content-Security-Policy"])
    assert "'unsafe-inline'" not in headers["Content-Security-Policy"]
    assert "'unsafe-eval'" not in headers["Content-Security-Policy"]
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] in ("same-origin", "strict-origin", "no-referrer")


def test_pages_have_no_inline_scripts_or_styles(client, signed_in):
    lead = signed_in("lead")
    project = make_project(lead)
    for url in (
        "/",
        "/portfolio",
        f"/projects/{project.slug}",
        f"/projects/{project.slug}/plays/1",
    ):
        assert script_problems(client.get(url).text) == [], url


def _session_cookie(response) -> str:
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert cookies, "signing in set no session cookie"
    return cookies[0]


@pytest.mark.parametrize("app_config", [{"SESSION_COOKIE_SECURE": True}])
def test_the_session_cookie_is_secure_http_only_and_same_site(client, app_config):
    user = make_user()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    attributes = [a.strip().lower() for a in _session_cookie(response).split(";")]
    assert "httponly" in attributes
    assert "samesite=lax" in attributes or "samesite=strict" in attributes
    assert "secure" in attributes
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_without_https_the_cookie_is_still_http_only_and_same_site(client):
    user = make_user()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    attributes = [a.strip().lower() for a in _session_cookie(response).split(";")]
    assert "httponly" in attributes
    assert "samesite=lax" in attributes
    assert "secure" not in attributes  # SESSION_COOKIE_SECURE is off in this test app


@pytest.mark.parametrize("signed_in_first", [False, True])
def test_an_oversize_request_is_refused_with_a_page_a_person_understands(
    client, signed_in, signed_in_first
):
    big = "x" * (3 * 1024 * 1024)
    if signed_in_first:
        project = make_project(signed_in("lead"))
        url = f"/projects/{project.slug}/plays/1"
    else:
        url = "/login"
    response = client.post(url, data={"note": big, "email": "a@b.gov", "password": "x"})
    assert response.status_code == 413
    assert "too large" in response.text
    assert "2 MB" in response.text
    assert "Traceback" not in response.text
    assert QuestionAnswer.select().count() == 0


UNSAFE_MARKDOWN = {
    "script": "<script>alert(1)</script>",
    "img onerror": "<img src=x onerror=alert(1)>",
    "javascript link": "[x](javascript:alert(1))",
    "javascript link, mixed case": "[x](JaVaScRiPt:alert(1))",
    "raw html": '<b onclick="alert(1)">bold</b><iframe src="https://evil.example"></iframe>',
    "raw link": '<a href="javascript:alert(1)">x</a>',
    "data link": "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "data image": "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "autolink": "<javascript:alert(1)>",
    "style": "<style>body { display: none }</style>",
}


@pytest.mark.parametrize("text", UNSAFE_MARKDOWN.values(), ids=UNSAFE_MARKDOWN.keys())
def test_markdown_never_produces_markup_that_runs_scripts(text):
    html = str(render_markdown(text))
    assert script_problems(html) == []
    for tag in ("<script", "<img", "<iframe", "<style", "<b "):
        assert tag not in html.lower()
    assert '<a href="javascript' not in html.lower()
    assert '<a href="data' not in html.lower()


def test_raw_html_is_shown_as_text_not_run():
    html = str(render_markdown("<b>bold</b>"))
    assert "<b>" not in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("**Done** in *March*", "<strong>Done</strong> in <em>March</em>"),
        ("- one\n- two", "<li>one</li>"),
        ("[Research](https://example.gov/r)", 'href="https://example.gov/r"'),
        ("[Research](https://example.gov/r)", 'rel="noopener noreferrer nofollow"'),
        ("[Write to us](mailto:team@example.gov)", 'href="mailto:team@example.gov"'),
    ],
)
def test_ordinary_markdown_still_works(text, expected):
    assert expected in str(render_markdown(text))


@pytest.mark.parametrize("text", UNSAFE_MARKDOWN.values(), ids=UNSAFE_MARKDOWN.keys())
def test_a_saved_answer_is_shown_safely_on_the_play_page(client, signed_in, text):
    lead, viewer = make_user("lead"), make_user("lead")
    project = make_project(lead, members={viewer: "viewer"})
    signed_in(lead)
    url = f"/projects/{project.slug}/plays/1"
    data = post_form(client.get(url).text, containing="questions-0-answer")
    data["questions-0-answer"] = text
    assert client.post(url, data=data).status_code == 302
    question = active_edition().play(1).key_questions[0]
    assert QuestionAnswer.get(project=project, question_id=question.id).answer == text
    for who in (lead, viewer):  # the editor's page (form and answers) and the reader's
        client.post("/logout")
        signed_in(who)
        page = client.get(url).text
        assert script_problems(page) == []
        if "<" in text:
            assert text not in page  # escaped in the form, sanitized in the answers


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "\\\\evil.example",
        "/\t/evil.example",
        "/\n/evil.example",
        " //evil.example",
        "https:evil.example",
        "javascript:alert(1)",
        "http://localhost.evil.example/",
        "evil.example",
    ],
)
def test_next_cannot_send_someone_off_the_site(client, target):
    user = make_user()
    response = client.post(
        "/login?" + urlencode({"next": target}),
        data={"email": user.email, "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_next_keeps_a_path_on_this_site(client):
    user = make_user()
    response = client.post(
        "/login?" + urlencode({"next": "/portfolio?agency=Parks&page=2"}),
        data={"email": user.email, "password": PASSWORD},
    )
    location = urlparse(response.headers["Location"])
    assert (location.netloc, location.path, location.query) == (
        "",
        "/portfolio",
        "agency=Parks&page=2",
    )


@pytest.mark.parametrize("signed_in_first", [False, True])
@pytest.mark.parametrize("url", ["/no-such-page", "/projects/no-such-project", "/admin/nothing"])
def test_unknown_addresses_get_a_friendly_404(client, signed_in, url, signed_in_first):
    if signed_in_first:
        signed_in("admin")
    response = client.get(url)
    if response.status_code == 302:  # signed out: a real page asks for sign-in first
        assert not signed_in_first
        assert urlparse(response.location).path == "/login"
        return
    assert response.status_code == 404
    assert "<title>Page not found" in response.text
    assert "Check the address" in response.text
    assert 'class="usa-button"' in response.text  # a way back
    assert "Not Found</h1>" not in response.text  # not the server's bare page


@pytest.mark.parametrize(
    "number", ["0", "14", "-1", "1.5", "abc", "99999999999999999999", "9" * 400, "%F0%9F%98%80"]
)
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_play_number_that_does_not_exist_is_a_404(client, signed_in, number, method):
    project = make_project(signed_in("lead"))
    response = client.open(f"/projects/{project.slug}/plays/{number}", method=method)
    assert response.status_code == 404
    assert "Page not found" in response.text


def test_a_huge_number_in_any_url_is_a_404_not_an_error(app, client, signed_in):
    admin = signed_in("admin")
    project = make_project(admin)
    checked = []
    for rule in app.url_map.iter_rules():
        names = set(rule._converters)
        numbers = sorted(n for n in names if isinstance(rule._converters[n], IntegerConverter))
        if not numbers or names - set(numbers) - {"slug"}:
            continue
        for number in numbers:
            values = dict.fromkeys(numbers, 1) | {number: 424242, "slug": project.slug}
            url = rule.build(values, append_unknown=False)[1].replace("424242", "9" * 30)
            for method in sorted({"GET", "POST"} & rule.methods):
                status = client.open(url, method=method).status_code
                assert status == 404, f"{method} {url}: {status}"
                checked.append(rule.endpoint)
    assert {"checklists.play", "admin.edit_user", "projects.remove_member"} <= set(checked)


def test_production_refuses_to_start_without_a_secret_key(database_url, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY is not set") as refused:
        create_app({"PRODUCTION": True, "DATABASE_URL": database_url})
    assert "environment variable" in str(refused.value)


def test_production_starts_with_a_secret_key(database_url, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "a-long-random-value-from-the-operator")
    app = create_app({"PRODUCTION": True, "DATABASE_URL": database_url})
    assert app.config["SECRET_KEY"] == "a-long-random-value-from-the-operator"
    assert app.config["SESSION_COOKIE_SECURE"] is True


STRONG_KEY = "k" * 32


@pytest.mark.parametrize("key", ["short", "x" * 31, "é" * 15])
def test_production_refuses_a_secret_key_shorter_than_32_bytes(database_url, monkeypatch, key):
    monkeypatch.setenv("SECRET_KEY", key)
    with pytest.raises(RuntimeError, match="shorter than 32 bytes") as refused:
        create_app({"PRODUCTION": True, "DATABASE_URL": database_url})
    assert "secrets.token_hex(32)" in str(refused.value)


@pytest.mark.parametrize("setting", ["SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"])
def test_production_refuses_cookies_not_marked_secure(database_url, monkeypatch, setting):
    monkeypatch.setenv("SECRET_KEY", STRONG_KEY)
    with pytest.raises(RuntimeError, match=f"{setting} must be True in production"):
        create_app({"PRODUCTION": True, "DATABASE_URL": database_url, setting: False})


@pytest.mark.parametrize("url", [None, "sqlite:///DB"])
def test_production_on_sqlite_warns_that_it_serves_one_machine(
    database_url, monkeypatch, caplog, tmp_path, url
):
    monkeypatch.setenv("SECRET_KEY", STRONG_KEY)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    settings = {"PRODUCTION": True}
    if url:
        settings["DATABASE_URL"] = url.replace("DB", str(tmp_path / "one.db"))
    with caplog.at_level("WARNING", logger="projects.config"):
        create_app(settings)
    assert "one machine only" in caplog.text


def test_production_on_postgresql_does_not_warn_about_one_machine(monkeypatch, caplog):
    monkeypatch.setenv("SECRET_KEY", STRONG_KEY)
    with caplog.at_level("WARNING", logger="projects.config"):
        create_app({"PRODUCTION": True, "DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"})
    assert "one machine only" not in caplog.text
