"""The measures API with per-project tokens: created and revoked by owners on the tokens
page, stored hashed, scoped to one project, every use audited; clear JSON errors."""

from __future__ import annotations

import hashlib
import re

from playbook import measures as catalog
from projects.audit import AuditEvent
from projects.db import db, utcnow
from projects.measures import changes
from projects.measures.models import ApiToken, Measure, MeasureValue
from tests.conftest import make_project, make_user
from tests.pages import filled, url


def _month(back=1):
    period = catalog.period_of(utcnow().date())
    for _ in range(back):
        period = catalog.previous_period(period)
    return period


def _quarter():
    return catalog.period_of(utcnow().date(), catalog.QUARTER)


def _create_token(client, slug, name="Nightly export") -> str:
    where = url("measures.api_tokens", slug=slug)
    page = client.post(where, data=filled(client, where, containing="name", name=name))
    assert page.status_code == 200
    assert "this is the only time it is shown" in page.text
    return re.search(r'<code class="pt-token" id="new-token">([^<]+)</code>', page.text).group(1)


def _measure(project, key="completion_rate"):
    kind = catalog.CATALOG[key]
    with db.atomic():
        return changes.create_measure(
            project, key=key, name=kind.name, unit=kind.unit, direction=kind.direction, target=80
        )


def _put(api, token, slug, key, period, body):
    return api.put(
        url("api.put_value", slug=slug, key=key, period=period),
        json=body,
        headers={"Authorization": f"Bearer {token}"},
    )


def test_a_program_records_figures_with_the_projects_token(app, client, signed_in):
    project = make_project(signed_in("lead"))
    _measure(project)
    token = _create_token(client, project.slug)
    stored = ApiToken.get()
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in (stored.prefix, stored.token_hash) and stored.prefix == token[:8]
    api = app.test_client()  # a program: no session cookie
    response = _put(api, token, project.slug, "completion_rate", _month(2), {"value": 70})
    assert response.status_code == 201, response.get_json()
    response = _put(api, token, project.slug, "completion_rate", _month(1), {"value": 82.5})
    assert response.status_code == 201
    assert response.get_json()["latest"] == {"period": _month(1), "value": 82.5}
    again = _put(api, token, project.slug, "completion_rate", _month(1), {"value": 83})
    assert again.status_code == 200 and again.get_json()["value"] == 83
    read = api.get(
        url("api.measures", slug=project.slug), headers={"Authorization": f"Bearer {token}"}
    )
    measure = read.get_json()["measures"][0]
    assert (measure["key"], measure["unit"], measure["direction"], measure["target"]) == (
        "completion_rate",
        "percent",
        "higher",
        80,
    )
    assert [(p["period"], p["value"], p["source"]) for p in measure["periods"]] == [
        (_month(2), 70, "api"),
        (_month(1), 83, "api"),
    ]
    assert measure["latest"]["change"] == "better" and measure["latest"]["meets_target"]
    uses = AuditEvent.select().where(
        (AuditEvent.object_type == "ApiToken") & (AuditEvent.action == "used")
    )
    assert uses.count() == 4
    assert {e.after["token"] for e in uses} == {token[:8]}
    writes = AuditEvent.select().where(AuditEvent.object_type == "MeasureValue")
    assert {e.after.get("token") for e in writes} == {token[:8]}
    page = client.get(url("measures.api_tokens", slug=project.slug))
    assert "Nightly export" in page.text and token[:8] in page.text and token not in page.text
    assert "Never" not in page.text  # last used is shown


def test_a_driver_takes_its_distribution(app, client, signed_in):
    project = make_project(signed_in("lead"))
    changes.ensure_driver_measures(project)
    token = _create_token(client, project.slug)
    body = {"answers": {"1": 2, "2": 3, "3": 5, "4": 40, "5": 50}, "offered": 900}
    response = _put(app.test_client(), token, project.slug, "satisfaction", _quarter(), body)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["value"] == 90.0
    row = MeasureValue.get()
    assert (row.responses, row.answers, row.offered, row.source) == (
        100,
        (2, 3, 5, 40, 50),
        900,
        "api",
    )


def test_clear_errors_and_never_a_server_error(app, client, signed_in):
    lead = signed_in("lead")
    project = make_project(lead)
    other = make_project(lead)
    _measure(project)
    token = _create_token(client, project.slug)
    api = app.test_client()
    cases = [
        (token, project.slug, "completion_rate", "2026-Q1", {"value": 1}, 400, "month"),
        (token, project.slug, "completion_rate", _month(), {"value": 101}, 400, "0 to 100"),
        (token, project.slug, "completion_rate", _month(), {"value": "high"}, 400, "number"),
        (token, project.slug, "completion_rate", _month(), {"value": True}, 400, "number"),
        (token, project.slug, "completion_rate", _month(), [1], 400, "JSON object"),
        (token, project.slug, "completion_rate", _month(), {"valu": 1}, 400, "Unknown field"),
        (token, project.slug, "completion_rate", _month(), {"answers": [1] * 5}, 400, "driver"),
        (token, project.slug, "no_such", _month(), {"value": 1}, 404, "completion_rate"),
        (token, other.slug, "completion_rate", _month(), {"value": 1}, 403, "another project"),
        ("pt_wrong", project.slug, "completion_rate", _month(), {"value": 1}, 401, "not valid"),
    ]
    for secret, slug, key, period, body, status, words in cases:
        response = _put(api, secret, slug, key, period, body)
        assert response.status_code == status, (body, response.get_json())
        assert words in response.get_json()["error"], (body, response.get_json())
    bare = api.put(url("api.put_value", slug=project.slug, key="x", period=_month()), json={})
    assert bare.status_code == 401 and "API token" in bare.get_json()["error"]
    assert not MeasureValue.select().exists()


def test_a_signed_in_person_reads_but_cannot_write_without_a_token(client, signed_in):
    """Writes never take the session cookie: that is why the API needs no CSRF token."""
    project = make_project(signed_in("lead"))
    _measure(project)
    assert client.get(url("api.measures", slug=project.slug)).get_json()["measures"]
    response = client.put(
        url("api.put_value", slug=project.slug, key="completion_rate", period=_month()),
        json={"value": 50},
    )
    assert response.status_code == 401
    assert not MeasureValue.select().exists()
    signed_out = client.application.test_client()
    response = signed_out.get(url("api.measures", slug=project.slug))
    assert response.status_code == 401 and "error" in response.get_json()


def test_a_revoked_token_no_longer_works(app, client, signed_in):
    project = make_project(signed_in("lead"))
    _measure(project)
    token = _create_token(client, project.slug)
    where = url("measures.api_tokens", slug=project.slug)
    page = client.get(where)
    action = re.search(r'action="([^"]*/revoke)"', page.text).group(1)
    data = filled(client, where, containing="csrf_token")
    page = client.post(action, data=data, follow_redirects=True)
    assert "Token “Nightly export” revoked." in page.text
    response = _put(app.test_client(), token, project.slug, "completion_rate", _month(), {})
    assert response.status_code == 401
    assert AuditEvent.select().where(AuditEvent.action == "revoked").count() == 1


def test_only_owners_manage_tokens(client, signed_in):
    owner = make_user("lead")
    editor = signed_in("lead")
    project = make_project(owner, members={editor: "editor"})
    assert client.get(url("measures.api_tokens", slug=project.slug)).status_code == 403
    assert Measure.select().count() == 0


def test_the_project_history_says_what_tokens_and_figures_did(app, client, signed_in):
    project = make_project(signed_in("lead"))
    _measure(project)
    token = _create_token(client, project.slug)
    _put(app.test_client(), token, project.slug, "completion_rate", _month(), {"value": 61})
    page = client.get(url("projects.history", slug=project.slug)).text
    assert "added the measure “Completion rate”" in page
    assert f"created the API token “Nightly export” ({token[:8]}…)" in page
    label = catalog.period_label(_month())
    assert f"recorded the figure of completion_rate for {label} through the API" in page
    assert f"used the API token {token[:8]}…: PUT /api/v1/projects/" in page
