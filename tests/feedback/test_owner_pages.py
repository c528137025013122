"""What the project's people do with the form: owners turn it on and off, set the Paperwork
Reduction Act fields and copy the link; people who may see the project read the comments
with their scores; editors record a finding from comments, linked both ways."""

from __future__ import annotations

import html
import re

from projects.feedback.models import FeedbackForm, FeedbackResponse, FindingFeedback
from projects.measures.models import Measure
from projects.research.models import Finding
from tests.conftest import make_project, make_user
from tests.feedback.factories import open_form
from tests.pages import filled, url


def test_an_owner_turns_the_form_on_copies_the_link_and_turns_it_off(client, signed_in):
    owner = signed_in("lead")
    project = make_project(owner, name="Parking permits")
    settings = url("feedback.settings", slug=project.slug)
    fields = filled(client, settings, "version", enabled="y", public_title="Renew a permit")
    fields |= {"pra_number": "1234-5678", "pra_expires": "2027-06-30"}
    page = client.post(settings, data=fields, follow_redirects=True)
    assert "Settings saved. The form is on." in page.text
    saved = FeedbackForm.get()
    assert len(saved.key) >= 43  # 256 random bits
    link = html.unescape(
        re.search(r'id="feedback-address" type="text" readonly value="([^"]+)"', page.text).group(1)
    )
    assert link.endswith(url("feedback.form", key=saved.key))
    assert f'&lt;a href="{link}"&gt;' in page.text  # the snippet for their own site
    # Turning the form on gives the project its seven A-11 measures at once.
    assert Measure.select().where(Measure.project == project).count() == 7
    public = client.get(link)
    assert "Renew a permit" in public.text and "OMB control number: 1234-5678" in public.text

    fields = filled(client, settings, "version")
    fields.pop("enabled")
    page = client.post(settings, data=fields, follow_redirects=True)
    assert "The form is off." in page.text
    assert client.get(link).status_code == 404
    # Back on: the same address, so links on other sites keep working.
    client.post(settings, data=filled(client, settings, "version", enabled="y"))
    assert FeedbackForm.get().key == saved.key
    assert client.get(link).status_code == 200


def test_a_control_number_in_the_wrong_shape_is_refused(client, signed_in):
    owner = signed_in("lead")
    project = make_project(owner)
    settings = url("feedback.settings", slug=project.slug)
    page = client.post(
        settings, data=filled(client, settings, "version", enabled="y", pra_number="12345")
    )
    assert "Enter the control number as 4 digits, a dash and 4 digits" in page.text
    assert FeedbackForm.select().count() == 0


def test_an_editor_may_not_change_the_settings(client, signed_in):
    editor = make_user("lead")
    project = make_project(members={editor: "editor"})
    signed_in(editor)
    assert client.get(url("feedback.settings", slug=project.slug)).status_code == 403
    assert (
        "Public feedback form settings"
        not in client.get(url("projects.detail", slug=project.slug)).text
    )


def _responses(project, n=3):
    return [
        FeedbackResponse.create(
            project=project,
            period="2026-Q3",
            answers={"satisfaction": 2, "ease": 1},
            comment=f"Comment number {i}: I could not find where to upload the photo.",
        )
        for i in range(n)
    ]


def test_the_project_page_and_the_feedback_page_show_comments_with_their_scores(client, signed_in):
    viewer = make_user("lead")
    project = make_project(members={viewer: "viewer"})
    _responses(project, 30)
    FeedbackResponse.create(project=project, period="2026-Q3", answers={"trust": 5})
    signed_in(viewer)
    detail = client.get(url("projects.detail", slug=project.slug)).text
    assert "What people told us" in detail
    assert "Comment number 29" in detail and "Comment number 2:" not in detail
    page = client.get(url("feedback.index", slug=project.slug)).text
    assert "31 responses in all, 30 with a comment" in page
    assert "Overall, I am happy with the service I got today. <strong>2 of 5</strong>" in page
    assert "Comment number 29" in page and "Comment number 4:" not in page  # 25 a page
    assert "Comment number 4:" in client.get(url("feedback.index", slug=project.slug, page=2)).text
    assert "Record as a finding" not in page  # a viewer records nothing


def test_an_editor_records_a_finding_from_two_comments_linked_both_ways(client, signed_in):
    editor = make_user("lead")
    project = make_project(members={editor: "editor"})
    first, second, _ = _responses(project)
    signed_in(editor)
    page = client.get(url("feedback.index", slug=project.slug)).text
    assert "Record as a finding" in page
    address = url("feedback.record_finding", slug=project.slug, response=[first.id, second.id])
    form_page = client.get(address).text
    assert "From 2 feedback comments" in form_page
    fields = filled(client, address, "title", severity="high")
    assert fields["method"] == "survey" and fields["participants"] == "2"
    assert "Comment number 0" in fields["insight"] and "Comment number 1" in fields["insight"]
    response = client.post(address, data=fields)
    assert response.status_code == 302
    finding = Finding.get()
    assert {link.response_id for link in FindingFeedback.select()} == {first.id, second.id}
    detail = client.get(response.location).text
    assert "Recorded from feedback" in detail and "Comment number 1" in detail
    page = client.get(url("feedback.index", slug=project.slug)).text
    assert f"Recorded as finding “{finding.title}”" in re.sub(r"<[^>]+>", "", html.unescape(page))


def test_another_projects_comment_cannot_be_recorded(client, signed_in):
    editor = make_user("lead")
    project = make_project(members={editor: "editor"})
    other = _responses(make_project(), 1)[0]
    signed_in(editor)
    response = client.get(url("feedback.record_finding", slug=project.slug, response=other.id))
    assert response.status_code == 302 and response.location.endswith(
        url("feedback.index", slug=project.slug)
    )


def test_the_api_gives_the_forms_address_when_it_is_on(client, signed_in):
    owner = signed_in("lead")
    project = make_project(owner)
    api = url("api.project", slug=project.slug)
    assert client.get(api).get_json()["feedback_form"] is None
    settings = url("feedback.settings", slug=project.slug)
    client.post(settings, data=filled(client, settings, "version", enabled="y"))
    key = FeedbackForm.get().key
    assert client.get(api).get_json()["feedback_form"] == "http://localhost" + url(
        "feedback.form", key=key
    )
    client.post(
        settings,
        data={k: v for k, v in filled(client, settings, "version").items() if k != "enabled"},
    )
    assert client.get(api).get_json()["feedback_form"] is None


def test_the_feedback_page_makes_as_many_queries_for_many_comments_as_for_few(client, signed_in):
    from playhouse.test_utils import count_queries

    owner = signed_in("lead")
    counts = []
    for n in (2, 25):
        project = make_project(owner)
        for response in _responses(project, n):
            finding = Finding.create(
                project=project,
                title="From feedback",
                method="survey",
                research_date=response.created_at.date(),
                severity="low",
            )
            FindingFeedback.create(finding=finding, response=response)
        address = url("feedback.index", slug=project.slug)
        client.get(address)
        with count_queries() as counter:
            assert client.get(address).status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1]


def test_two_owners_saving_different_settings_from_stale_pages_both_keep_theirs(client, signed_in):
    owner = signed_in("lead")
    form = open_form(make_project(owner), public_title="Old title")
    settings = url("feedback.settings", slug=form.project.slug)
    stale = filled(client, settings, "version")
    theirs = filled(client, settings, "version", pra_number="1234-5678")
    assert client.post(settings, data=theirs).status_code == 302
    assert client.post(settings, data=stale | {"public_title": "New title"}).status_code == 302
    saved = FeedbackForm.get_by_id(form.id)
    assert (saved.public_title, saved.pra_number, saved.enabled) == ("New title", "1234-5678", True)
