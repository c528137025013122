"""A play's page: saving items and answers, validation, conflicts and the audit log."""

import pytest

from playbook.edition import default_edition
from projects.audit import AuditEvent
from projects.checklists.models import ItemResponse, QuestionAnswer
from tests.conftest import make_project, make_user
from tests.pages import url

PLAY = default_edition().play(1)


def play_form(client, project, number=1):
    """The play form as the browser would send it back untouched: every hidden field."""
    import re
    from html import unescape

    page = client.get(url("checklists.play", slug=project.slug, number=number))
    assert page.status_code == 200
    data = {}
    for tag in re.findall(r"<(?:input|textarea|select)[^>]*>", page.text):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or name.group(1) == "csrf_token":
            continue
        value = re.search(r'value="([^"]*)"', tag)
        data[name.group(1)] = unescape(value.group(1)) if value else ""
    # Selected options and textarea contents.
    for name, body in re.findall(
        r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', page.text, re.S
    ):
        selected = re.search(r'<option value="([^"]*)" selected', body)
        data[name] = unescape(selected.group(1)) if selected else ""
    for name, body in re.findall(
        r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', page.text, re.S
    ):
        data[name] = unescape(body)
    return data


@pytest.fixture
def editor_and_project(signed_in):
    lead = signed_in("lead")
    return lead, make_project(lead)


def test_a_play_page_lists_every_item_and_question(client, editor_and_project):
    _, project = editor_and_project
    page = client.get(url("checklists.play", slug=project.slug, number=1))
    for item in PLAY.checklist:
        assert item.id in page.text
    for question in PLAY.key_questions:
        assert question.text.replace("'", "&#39;") in page.text


def test_saving_items_and_answers(client, editor_and_project):
    lead, project = editor_and_project
    data = play_form(client, project) | {
        "items-0-status": "done",
        "items-0-evidence_url": "https://example.gov/research",
        "items-1-status": "in_progress",
        "items-1-owner": str(lead.id),
        "items-1-due_date": "2026-12-01",
        "questions-0-answer": "People applying **online**.",
    }
    response = client.post(url("checklists.play", slug=project.slug, number=1), data=data)
    assert response.status_code == 302
    first = ItemResponse.get(project=project, item_id="p01.c1")
    assert (first.status, first.evidence_url, first.version) == (
        "done",
        "https://example.gov/research",
        1,
    )
    second = ItemResponse.get(project=project, item_id="p01.c2")
    assert (second.owner_id, str(second.due_date)) == (lead.id, "2026-12-01")
    # Untouched items get no rows: nothing changed for them.
    assert ItemResponse.select().where(ItemResponse.project == project).count() == 2
    assert QuestionAnswer.get(project=project, question_id="p01.q1").answer.startswith("People")
    page = client.get(url("checklists.play", slug=project.slug, number=1))
    assert "<strong>online</strong>" in page.text
    assert "Readiness for this play" in page.text and "21%" in page.text  # (1 + 0.5) / 7
    assert AuditEvent.select().where(AuditEvent.project == project).count() == 3


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"items-0-status": "not_applicable"}, "Say why this item does not apply to the project"),
        ({"items-0-evidence_url": "javascript:alert(1)"}, "Enter a web address that starts with"),
        ({"items-0-evidence_url": "file:///etc/passwd"}, "Enter a web address that starts with"),
        ({"items-0-due_date": "31/12/2026"}, "Enter the date as year-month-day"),
        ({"items-0-status": "finished"}, "Not a valid choice"),
        ({"items-0-owner": "999999"}, "Not a valid choice"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(client, editor_and_project, change, message):
    _, project = editor_and_project
    data = play_form(client, project) | {"items-1-status": "done"} | change
    page = client.post(url("checklists.play", slug=project.slug, number=1), data=data)
    assert page.status_code == 200
    assert "<title>Error:" in page.text
    assert message in page.text
    assert 'href="#items-0-' in page.text  # the summary links to the field
    assert ItemResponse.select().count() == 0


def test_the_error_summary_names_the_item_or_question_of_each_error(client, editor_and_project):
    """On a page of many items, "Say why this item does not apply" alone does not say which."""
    from html import unescape

    _, project = editor_and_project
    data = play_form(client, project) | {
        "items-2-status": "not_applicable",
        "questions-0-answer": "x" * 20001,
    }
    page = client.post(url("checklists.play", slug=project.slug, number=1), data=data)
    summary = unescape(page.text.split('id="error-summary"', 1)[1].split("</ul>", 1)[0])
    item, question = PLAY.checklist[2], PLAY.key_questions[0]
    assert (
        f'<a href="#items-2-justification">{item.id} {item.text}: '
        "Say why this item does not apply to the project</a>"
    ) in summary
    assert (
        f'<a href="#questions-0-answer">{question.text}: Use 20,000 characters or fewer</a>'
    ) in summary


def test_not_applicable_with_a_reason_leaves_the_count(client, editor_and_project):
    _, project = editor_and_project
    data = play_form(client, project) | {
        "items-0-status": "not_applicable",
        "items-0-justification": "No research budget",
    }
    assert (
        client.post(url("checklists.play", slug=project.slug, number=1), data=data).status_code
        == 302
    )
    page = client.get(url("checklists.play", slug=project.slug, number=1))
    assert "1 not applicable" in page.text


def test_a_later_save_of_the_same_item_gets_a_conflict_with_both_values(app, editor_and_project):
    lead, project = editor_and_project
    other = make_user("lead", name="Other Editor")
    from projects.projects.models import Membership

    Membership.create(project=project, user=other, role="editor")
    mine, theirs = app.test_client(), app.test_client()
    for client, user in ((mine, lead), (theirs, other)):
        client.post(
            url("auth.login"),
            data={"email": user.email, "password": "correct horse battery staple"},
        )
    my_form, their_form = play_form(mine, project), play_form(theirs, project)

    saved = theirs.post(
        url("checklists.play", slug=project.slug, number=1),
        data=their_form | {"items-0-note": "Their note"},
    )
    assert saved.status_code == 302
    page = mine.post(
        url("checklists.play", slug=project.slug, number=1),
        data=my_form | {"items-0-note": "My note", "items-2-status": "done"},
    )
    assert page.status_code == 409
    assert "Someone else saved changes while you were editing" in page.text
    assert "Their note" in page.text and "My note" in page.text
    # Nothing of the later save was written, and the earlier one is intact.
    assert ItemResponse.get(project=project, item_id="p01.c1").note == "Their note"
    assert not ItemResponse.select().where(ItemResponse.item_id == "p01.c3").exists()
    # The form now starts from what is saved: saving again keeps my values on purpose.
    assert 'name="items-0-version" type="hidden" value="1"' in page.text
    again = mine.post(
        url("checklists.play", slug=project.slug, number=1), data=_resubmit(page.text)
    )
    assert again.status_code == 302
    assert ItemResponse.get(project=project, item_id="p01.c1").note == "My note"
    assert ItemResponse.get(project=project, item_id="p01.c3").status == "done"


def _resubmit(html):
    import re
    from html import unescape

    data = {}
    for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html):
        data[name] = unescape(value)
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        selected = re.search(r'<option value="([^"]*)" selected', body)
        data[name] = unescape(selected.group(1)) if selected else ""
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        data[name] = unescape(body)
    data.pop("csrf_token", None)
    return data


def test_saves_of_different_items_merge_without_a_conflict(app, editor_and_project):
    lead, project = editor_and_project
    client = app.test_client()
    client.post(
        url("auth.login"), data={"email": lead.email, "password": "correct horse battery staple"}
    )
    stale = play_form(client, project)
    client.post(
        url("checklists.play", slug=project.slug, number=1), data=stale | {"items-0-status": "done"}
    )
    response = client.post(
        url("checklists.play", slug=project.slug, number=1),
        data=stale | {"items-1-status": "in_progress"},
    )
    assert response.status_code == 302
    statuses = {r.item_id: r.status for r in ItemResponse.select()}
    assert statuses == {"p01.c1": "done", "p01.c2": "in_progress"}


def test_a_viewer_reads_but_cannot_save(client, signed_in):
    viewer = signed_in("contracting")
    project = make_project(members={viewer: "viewer"})
    page = client.get(url("checklists.play", slug=project.slug, number=1))
    assert "You can read this play" in page.text
    assert "<textarea" not in page.text
    response = client.post(
        url("checklists.play", slug=project.slug, number=1), data={"items-0-status": "done"}
    )
    assert response.status_code == 403
    assert ItemResponse.select().count() == 0


@pytest.mark.parametrize("number", [0, 14, 99999999999])
def test_plays_outside_one_to_thirteen_are_not_found(client, editor_and_project, number):
    _, project = editor_and_project
    assert client.get(url("checklists.play", slug=project.slug, number=number)).status_code == 404


def test_a_tampered_form_saves_nothing_and_does_not_crash(client, editor_and_project):
    _, project = editor_and_project
    data = play_form(client, project) | {"items-0-item_id": "p02.c1", "items-0-status": "done"}
    page = client.post(url("checklists.play", slug=project.slug, number=1), data=data)
    assert page.status_code == 200
    assert ItemResponse.select().count() == 0


def test_play_seven_has_no_key_questions_section(client, editor_and_project):
    _, project = editor_and_project
    page = client.get(url("checklists.play", slug=project.slug, number=7))
    assert page.status_code == 200
    assert "Key questions" not in page.text
