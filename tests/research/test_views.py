"""The research log as people use it: recording, browsing, editing, permissions, the privacy
guard, sanitized Markdown, and the findings shown on the play, project and portfolio pages."""

import re
from html import unescape

import pytest
from playhouse.test_utils import count_queries

from projects.audit import AuditEvent
from projects.research.models import Finding, attach_links
from tests.conftest import make_project, make_user
from tests.pages import filled, url
from tests.research.factories import make_finding

GOOD = {
    "title": "People cannot find the fee",
    "insight": "Five of six participants looked for the fee before starting.",
    "method": "usability_testing",
    "research_date": "2026-03-02",
    "participants": "6",
    "user_groups": "P1 to P6",
    "severity": "high",
    "confidence": "4",
    "status": "open",
    "recommendation": "Show the fee on the start page.",
    "evidence_links": "https://example.gov/notes/round-1",
    "tags": "Fees, start page",
    "plays": ["1"],
    "items": ["p02.c1"],
}


def new_finding(client, project, **changes) -> dict:
    """The new-finding form as the page renders it, filled in with GOOD and `changes`."""
    return filled(client, url("research.create", slug=project.slug), "title", **GOOD | changes)


@pytest.fixture
def lead_project(signed_in):
    lead = signed_in("lead")
    return lead, make_project(lead)


def test_recording_a_finding(client, lead_project):
    lead, project = lead_project
    response = client.post(
        url("research.create", slug=project.slug), data=new_finding(client, project)
    )
    assert response.status_code == 302
    finding = attach_links([Finding.get()])[0]
    assert response.headers["Location"].endswith(
        url("research.detail", slug=project.slug, finding_id=finding.id)
    )
    assert finding.title == "People cannot find the fee"
    assert finding.tags == ["fees", "start page"]
    assert finding.plays == [1, 2]  # the linked item's play is linked too
    assert finding.items == ["p02.c1"]
    assert finding.created_by_id == lead.id
    assert finding.privacy_checked_at is None
    page = client.get(response.headers["Location"])
    assert "People cannot find the fee" in page.text
    assert "Usability testing" in page.text
    assert "https://example.gov/notes/round-1" in page.text
    assert AuditEvent.get(AuditEvent.object_type == "Finding").action == "created"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title": ""}, "Enter a title for the finding"),
        ({"insight": "  "}, "Describe what you learned"),
        ({"method": "focus_group"}, "Not a valid choice"),
        ({"method": ""}, "Choose the research method"),
        ({"research_date": "27/03/2026"}, "Enter the date as year-month-day"),
        ({"participants": "eight"}, "Enter the number of participants as a whole number"),
        ({"confidence": "0"}, "Enter a number of sources from 1 to 10,000"),
        ({"status": "wont_address"}, "Say why the team won&#39;t address this finding"),
        ({"evidence_links": "javascript:alert(1)"}, "start with https:// or http://"),
        ({"items": ["p99.c1"]}, "There is no checklist item p99.c1"),
        ({"plays": ["14"]}, "Choose plays from 1 to 13"),
        ({"tags": "x" * 41}, "Keep each tag to 40 characters"),
    ],
)
def test_bad_input_gets_a_clear_message_and_saves_nothing(client, lead_project, change, message):
    _, project = lead_project
    page = client.post(
        url("research.create", slug=project.slug), data=new_finding(client, project, **change)
    )
    assert page.status_code == 200
    assert message in page.text
    assert "<title>Error:" in page.text
    assert Finding.select().count() == 0


@pytest.mark.parametrize(
    ("field", "text", "what"),
    [
        ("insight", "Contact her at maria.lopez@example.com later", "an email address"),
        ("user_groups", "P3 (555-867-5309)", "a phone number"),
        ("recommendation", "Check 078-05-1120 again", "a number shaped like a Social Security"),
        ("title", "Call +1 202 555 0143 was dropped", "a phone number"),
    ],
)
def test_the_privacy_guard_asks_before_saving(client, lead_project, field, text, what):
    lead, project = lead_project
    page = client.post(
        url("research.create", slug=project.slug),
        data=new_finding(client, project, **{field: text}),
    )
    assert page.status_code == 200
    assert what in page.text
    assert "check the box to confirm it is not personal data" in page.text
    assert 'name="privacy_confirmed"' in page.text
    assert Finding.select().count() == 0
    # Redacting it saves without a question.
    assert (
        client.post(
            url("research.create", slug=project.slug),
            data=new_finding(client, project, **{field: "[redacted]"}),
        ).status_code
        == 302
    )
    # Confirming saves it and records who checked.
    data = new_finding(
        client, project, **{"title": "Checked", field: text, "privacy_confirmed": "y"}
    )
    assert client.post(url("research.create", slug=project.slug), data=data).status_code == 302
    checked = Finding.get(Finding.title == ("Checked" if field != "title" else text))
    assert checked.privacy_checked_by_id == lead.id
    assert checked.privacy_checked_at is not None
    assert (
        "Checked for personal data by"
        in client.get(url("research.detail", slug=project.slug, finding_id=checked.id)).text
    )


@pytest.mark.parametrize(
    "markdown",
    [
        "<script>alert('x')</script>",
        '<img src="x" onerror="alert(1)">',
        "[click me](javascript:alert(1))",
        '<a href="javascript:alert(1)">raw link</a>',
        "<div><iframe src='https://evil.example'></iframe></div>",
    ],
)
def test_markdown_cannot_inject_html_or_script(client, lead_project, markdown):
    _, project = lead_project
    finding = make_finding(project, insight=markdown, recommendation=markdown)
    page = client.get(url("research.detail", slug=project.slug, finding_id=finding.id)).text
    body = page.split('id="main-content"', 1)[1]
    # Raw HTML shows as text (&lt;script&gt;), never as a tag the browser would run.
    assert "<script" not in body.split("</main>")[0]
    assert not re.search(r"<[a-z][^>]*\bon[a-z]+=", body)
    assert not re.search(r"<a[^>]*href=\"\s*javascript:", body, re.I)
    assert "<iframe" not in body
    assert "<img" not in body


def test_markdown_still_renders_for_people(client, lead_project):
    _, project = lead_project
    finding = make_finding(project, insight="We saw **12** people.\n\n- one\n- two")
    page = client.get(url("research.detail", slug=project.slug, finding_id=finding.id)).text
    assert "<strong>12</strong>" in page
    assert "<li>one</li>" in page


def test_browsing_with_filters_and_search(client, lead_project):
    _, project = lead_project
    make_finding(
        project,
        title="Fee confusion",
        method="interviews",
        severity="critical",
        tags=["fees"],
        plays=[1],
    )
    make_finding(
        project,
        title="Upload fails on phones",
        method="survey",
        severity="low",
        status="addressed",
        tags=["mobile"],
        plays=[3],
        items=["p03.c1"],
    )
    make_finding(
        project,
        title="Staff re-key data",
        insight="Caseworkers copy every field",
        method="interviews",
        severity="medium",
        plays=[2],
    )

    def titles(**query):
        page = client.get(url("research.index", slug=project.slug), query_string=query).text
        return sorted(re.findall(r'/user-research/\d+">([^<]+)</a>', page))

    assert titles() == ["Fee confusion", "Staff re-key data", "Upload fails on phones"]
    assert titles(method="interviews") == ["Fee confusion", "Staff re-key data"]
    assert titles(severity="low") == ["Upload fails on phones"]
    assert titles(status="addressed") == ["Upload fails on phones"]
    assert titles(play=3) == ["Upload fails on phones"]
    assert titles(tag="fees") == ["Fee confusion"]
    assert titles(q="caseworkers") == ["Staff re-key data"]
    assert titles(q="nothing like this") == []
    assert titles(method="nonsense", play="x") == titles()  # unknown filters are ignored


def test_editing_a_finding_is_audited(client, lead_project):
    _, project = lead_project
    finding = make_finding(project, status="open", tags=["a"])
    form = client.get(url("research.edit", slug=project.slug, finding_id=finding.id)).text
    data = edit_data(form) | {"status": "planned", "tags": "a, b"}
    response = client.post(
        url("research.edit", slug=project.slug, finding_id=finding.id), data=data
    )
    assert response.status_code == 302
    saved = attach_links([Finding.get_by_id(finding.id)])[0]
    assert (saved.status, saved.tags, saved.version) == ("planned", ["a", "b"], 2)
    event = AuditEvent.get(AuditEvent.action == "updated")
    assert event.before == {"status": "open", "tags": ["a"]}
    assert event.after == {"status": "planned", "tags": ["a", "b"]}


def test_concurrent_edits_merge_or_show_a_conflict(client, lead_project):
    _, project = lead_project
    finding = make_finding(project, status="open", severity="high", title="Original")
    first = edit_data(
        client.get(url("research.edit", slug=project.slug, finding_id=finding.id)).text
    )
    second = dict(first)
    client.post(
        url("research.edit", slug=project.slug, finding_id=finding.id),
        data=first | {"status": "planned"},
    )
    # A different field from a stale page: merged, nothing lost.
    response = client.post(
        url("research.edit", slug=project.slug, finding_id=finding.id),
        data=second | {"severity": "low"},
    )
    assert response.status_code == 302
    saved = Finding.get_by_id(finding.id)
    assert (saved.status, saved.severity) == ("planned", "low")
    # The same field from the stale page: a conflict, nothing saved.
    page = client.post(
        url("research.edit", slug=project.slug, finding_id=finding.id),
        data=second | {"status": "addressed"},
    )
    assert page.status_code == 409
    assert "Someone else saved changes while you were editing" in page.text
    assert Finding.get_by_id(finding.id).status == "planned"
    # Saving again from the conflict page keeps this person's value.
    again = client.post(
        url("research.edit", slug=project.slug, finding_id=finding.id), data=edit_data(page.text)
    )
    assert again.status_code == 302
    assert Finding.get_by_id(finding.id).status == "addressed"


def edit_data(html: str) -> dict:
    """The edit form's fields as a browser would send them back."""
    data: dict = {"plays": [], "items": []}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if not name or name.group(1) == "csrf_token":
            continue
        if 'type="checkbox"' in tag:
            if " checked" in tag:
                data.setdefault(name.group(1), []).append(unescape(value.group(1)))
            continue
        data[name.group(1)] = unescape(value.group(1)) if value else ""
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        selected = re.search(r'<option value="([^"]*)" selected', body)
        data[name] = unescape(selected.group(1)) if selected else ""
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        data[name] = unescape(body)
    return data


@pytest.mark.parametrize(
    "endpoint",
    [
        "research.index",
        "research.create",
        "research.detail",
        "research.edit",
        "research.upload",
        "research.export",
    ],
)
def test_people_outside_the_project_get_not_found(client, signed_in, endpoint):
    project = make_project()
    finding = make_finding(project)
    signed_in("lead")
    values = {"finding_id": finding.id} if endpoint in ("research.detail", "research.edit") else {}
    assert client.get(url(endpoint, slug=project.slug, **values)).status_code == 404


@pytest.mark.parametrize("endpoint", ["research.detail", "research.edit"])
def test_another_projects_finding_is_not_found(client, lead_project, endpoint):
    _, project = lead_project
    other = make_finding(make_project())
    where = url(endpoint, slug=project.slug, finding_id=other.id)
    assert client.get(where).status_code == 404
    assert client.post(where, data=GOOD).status_code in (404, 405)


def test_viewers_read_the_log_but_cannot_change_it(client, signed_in):
    viewer = make_user("lead")
    project = make_project(members={viewer: "viewer"})
    finding = make_finding(project, title="Visible to viewers")
    signed_in(viewer)
    page = client.get(url("research.index", slug=project.slug))
    assert page.status_code == 200
    assert "Visible to viewers" in page.text
    assert "Record a finding" not in page.text
    assert (
        client.get(url("research.detail", slug=project.slug, finding_id=finding.id)).status_code
        == 200
    )
    assert client.get(url("research.export", slug=project.slug)).status_code == 200
    assert client.get(url("research.create", slug=project.slug)).status_code == 403
    assert client.post(url("research.create", slug=project.slug), data=GOOD).status_code == 403
    assert (
        client.post(
            url("research.edit", slug=project.slug, finding_id=finding.id), data=GOOD
        ).status_code
        == 403
    )
    assert client.get(url("research.upload", slug=project.slug)).status_code == 403
    assert Finding.select().count() == 1


def test_editors_can_record_findings(client, signed_in):
    editor = make_user("lead")
    project = make_project(members={editor: "editor"})
    signed_in(editor)
    data = new_finding(client, project)
    assert client.post(url("research.create", slug=project.slug), data=data).status_code == 302


def test_the_play_page_shows_findings_beside_their_items(client, lead_project):
    _, project = lead_project
    make_finding(project, title="Fee confusion", severity="critical", items=["p01.c2"], plays=[1])
    make_finding(make_project(), title="Someone else's finding", items=["p01.c2"], plays=[1])
    page = client.get(url("checklists.play", slug=project.slug, number=1)).text
    item = page.split('id="item-p01.c2"', 1)[1].split('id="item-p01.c3"', 1)[0]
    assert "Fee confusion" in item
    assert "Critical" in item
    assert "Someone else" not in page
    first_item = page.split('id="item-p01.c1"', 1)[1].split('id="item-p01.c2"', 1)[0]
    assert "Fee confusion" not in first_item


def test_the_play_page_fetches_findings_in_one_query(client, lead_project):
    _, project = lead_project

    def queries():
        with count_queries() as counter:
            assert (
                client.get(url("checklists.play", slug=project.slug, number=1)).status_code == 200
            )
        return counter.count

    make_finding(project, items=["p01.c1"], plays=[1])
    few = queries()
    for n in range(1, 7):
        make_finding(project, items=[f"p01.c{n}"], plays=[1])
    assert queries() == few


def test_the_project_page_shows_open_findings_by_severity(client, lead_project):
    _, project = lead_project
    make_finding(project, severity="critical")
    make_finding(project, severity="critical")
    make_finding(project, severity="low")
    make_finding(project, severity="high", status="addressed")
    page = client.get(url("projects.detail", slug=project.slug)).text
    page = page.split("<h2>User research</h2>", 1)[1].split("<h2", 1)[0]
    assert "3 open findings from user research" in page
    assert "2 critical" in page
    assert "1 low" in page
    assert "high</a>" not in page
    assert f'href="{url("research.index", slug=project.slug)}"' in page


def test_the_portfolio_shows_open_critical_and_high_findings(client, signed_in):
    signed_in("admin")
    project = make_project(name="Alpha service")
    make_project(name="Beta service")
    make_finding(project, severity="critical")
    make_finding(project, severity="high")
    make_finding(project, severity="high")
    make_finding(project, severity="high", status="addressed")
    make_finding(project, severity="medium")
    page = client.get(url("portfolio.dashboard")).text
    row = page.split("Alpha service", 1)[1].split("</tr>", 1)[0]
    assert "1 critical, 2 high" in row
    other = page.split("Beta service", 1)[1].split("</tr>", 1)[0]
    assert "None" in other


def test_the_portfolio_query_count_stays_flat(client, signed_in):
    signed_in("admin")

    def queries():
        with count_queries() as counter:
            assert client.get(url("portfolio.dashboard")).status_code == 200
        return counter.count

    make_finding(make_project(), severity="critical")
    few = queries()
    for _ in range(6):
        make_finding(make_project(), severity="high")
    assert queries() == few


@pytest.mark.parametrize("how_many", [5, 200])
def test_the_findings_list_keeps_a_flat_query_count(client, lead_project, how_many):
    _, project = lead_project
    counts = {}
    for size in (5, how_many):
        while Finding.select().count() < size:
            make_finding(project, plays=[1, 2], items=["p01.c1"], tags=["a", "b"])
        with count_queries() as counter:
            page = client.get(url("research.index", slug=project.slug))
        assert page.status_code == 200
        counts[size] = counter.count
    assert counts[how_many] == counts[5]


def test_the_project_page_links_to_the_research_log(client, lead_project):
    _, project = lead_project
    page = client.get(url("projects.detail", slug=project.slug)).text
    assert "See the research log" in page
    assert "No open findings from user research" in page


def test_a_finding_started_from_a_play_page_has_the_play_ticked(client, lead_project):
    _, project = lead_project
    play_page = client.get(url("checklists.play", slug=project.slug, number=4)).text
    assert f"/projects/{project.slug}/user-research/new?play=4" in play_page
    form = client.get(
        f"/projects/{project.slug}/user-research/new?play=4&item=p04.c2&item=p99.c1"
    ).text
    assert re.search(r'id="plays-4"[^>]*checked', form)
    assert re.search(r'id="items-p04-c2"[^>]*checked', form)
    assert "p99.c1" not in form
