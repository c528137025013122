"""Every edit form, submitted exactly as the page renders it, changes nothing.

A browser that loads an edit page and presses "Save" without touching anything sends every
field with the value the page shows. If the page shows a value other than the saved one (a
select that does not preselect the saved choice, a date in another format, a textarea that
loses a newline), that save silently changes the record. The pages come from `app.url_map`,
so a new edit form is covered without anyone remembering to add it here.
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from werkzeug.datastructures import MultiDict

from projects.auth.models import User
from projects.demo import seed
from projects.projects.models import Project
from tests.pages import database_state, demo_pages, demo_sign_in, forms, post_form, url
from tests.test_stale_saves import ENDPOINTS as STALE_TESTED

# Pages whose form makes something new (or imports, or freezes): submitting them as rendered
# is meant to create a record, so they are not edit forms.
CREATES = ("create", "new", "add", "upload", "import", "freeze", "request")
# Pages that ask "are you sure?": their one form is the action itself, not an edit.
CONFIRMS = ("projects.archive",)
ROLES = ("admin", "lead", "lead2", "contracting", "leadership")
# Forms that post back to their own page without a version: they add something, edit nothing.
ADDS_ONLY = {
    "projects.members": "adds a member",
    "auth.set_up_second_factor": "turns two-step sign-in on with a code from the app",
    "invitations.pending": "invites someone new",
    "invitations.forgot_password": "emails a link to reset a password",
    "assessments.close_action": "closes an action once; a closed action is never reopened",
    "measures.api_tokens": "creates an API token",
}
# Forms that carry the version of what they act on and refuse when it moved (there is nothing
# to merge): tests/test_review.py and tests/test_assessments.py.
REFUSE_WHEN_MOVED = {
    "checklists.review_item": "a review is of the item as the reviewer saw it",
    "assessments.outcome": "the outcome is of the ratings as the lead assessor saw them",
}


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


def _edit_pages(app) -> list[tuple[str, str]]:
    """(endpoint, address) of every GET page but creation and confirmation pages, for each of
    the demo's objects."""
    return [
        (endpoint, address)
        for endpoint, address in demo_pages(app)
        if endpoint not in CONFIRMS and not any(word in endpoint.split(".")[-1] for word in CREATES)
    ]


def _same_page(action: str, url: str) -> bool:
    return action in ("", url) or urlparse(action).path == urlparse(url).path


@pytest.mark.parametrize("role", ROLES)
def test_saving_an_edit_form_as_rendered_changes_nothing(app, client, role):
    seed()
    demo_sign_in(client, role)
    checked = []
    for endpoint, address in _edit_pages(app):
        page = client.get(address)
        if page.status_code != 200 or page.mimetype != "text/html":
            continue  # this role may not open it, or it is not a page
        html = page.get_data(as_text=True)
        for form in forms(html):
            if form["method"] != "post" or not _same_page(form["action"], address):
                continue
            if any(name.split("-")[-1] == "version" for name, _ in form["pairs"]):
                assert endpoint in STALE_TESTED, f"{endpoint}: add it to tests/test_stale_saves.py"
            else:
                assert endpoint in ADDS_ONLY | REFUSE_WHEN_MOVED, (
                    f"{endpoint} edits without a version check"
                )
            before = database_state()
            response = client.post(address, data=MultiDict(form["pairs"]))
            assert response.status_code in (200, 302), (address, response.status_code)
            after = database_state()
            changed = {t for t in before if before[t] != after.get(t)}
            assert not changed, f"{role} saved {address} as rendered, changing {sorted(changed)}"
            checked.append(address)
    if role != "leadership":  # leadership reads everything and edits nothing
        assert checked, f"no edit form found for {role}"


def test_a_new_project_is_led_by_the_person_who_starts_it(app, client):
    seed()
    demo_sign_in(client, "lead2")
    page = client.get(url("projects.create")).get_data(as_text=True)
    fields = post_form(page, "lead")
    me = User.get(User.email == "lead2@example.gov")
    assert fields["lead"] == f"{me.name} <lead2@example.gov>"
    fields |= {"name": "Boat registrations", "agency": "Parks"}
    assert client.post(url("projects.create"), data=fields).status_code == 302
    assert Project.get(Project.name == "Boat registrations").lead_id == me.id
