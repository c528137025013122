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
from werkzeug.routing import BuildError

from projects.auth.models import User
from projects.contracts.models import AgencyClause, ContractPackage, PackageClause, PackageQaspRow
from projects.demo import DEMO_PASSWORD, seed
from projects.projects.models import Project
from projects.research.models import Finding
from tests.pages import database_state, forms, post_form, url
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
}


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


def _candidates() -> dict[str, list]:
    """Values to fill each URL variable with, from the demo portfolio."""
    packages = list(ContractPackage.select())
    return {
        "slug": [p.slug for p in Project.select().order_by(Project.id)],
        "number": [1, 5, 13],
        "package_id": [p.id for p in packages],
        "entry_id": [e.id for e in PackageClause.select()][:3],
        "row_id": [r.id for r in PackageQaspRow.select()][:2],
        "clause_id": [c.clause_id for c in AgencyClause.select()][:2],
        "finding_id": [f.id for f in Finding.select()][:4],
        "user_id": [u.id for u in User.select()],
    }


def _edit_pages(app) -> list[str]:
    """One URL for every GET page whose endpoint is not a creation page, for each combination
    of the demo's objects that the URL can take (the role decides which of them it may open)."""
    values = _candidates()
    urls = []
    for rule in app.url_map.iter_rules():
        if (
            "GET" not in rule.methods
            or rule.endpoint in ("static",)
            or rule.endpoint.startswith("api.")
        ):
            continue
        if rule.endpoint in CONFIRMS or any(
            word in rule.endpoint.split(".")[-1] for word in CREATES
        ):
            continue
        if not set(rule.arguments) <= set(values):
            continue  # downloads, jobs and snapshots: no form to save
        combos = [{}]
        for name in sorted(rule.arguments):
            combos = [c | {name: v} for c in combos for v in values[name]]
        for combo in combos:
            try:
                with app.test_request_context():
                    urls.append(app.url_for(rule.endpoint, **combo))
            except BuildError:
                continue
    return sorted(set(urls))


def _sign_in(client, role: str) -> None:
    login = client.get("/login").get_data(as_text=True)
    fields = next(f["fields"] for f in forms(login) if f["method"] == "post")
    fields.update(email=f"{role}@example.gov", password=DEMO_PASSWORD)
    assert client.post("/login", data=fields).status_code == 302


def _same_page(action: str, url: str) -> bool:
    return action in ("", url) or urlparse(action).path == urlparse(url).path


@pytest.mark.parametrize("role", ROLES)
def test_saving_an_edit_form_as_rendered_changes_nothing(app, client, role):
    seed()
    _sign_in(client, role)
    checked = []
    for address in _edit_pages(app):
        page = client.get(address)
        if page.status_code != 200 or page.mimetype != "text/html":
            continue  # this role may not open it, or it is not a page
        html = page.get_data(as_text=True)
        for form in forms(html):
            if form["method"] != "post" or not _same_page(form["action"], address):
                continue
            endpoint = app.url_map.bind("localhost").match(address)[0]
            if any(name.split("-")[-1] == "version" for name, _ in form["pairs"]):
                assert endpoint in STALE_TESTED, f"{endpoint}: add it to tests/test_stale_saves.py"
            else:
                assert endpoint in ADDS_ONLY, f"{endpoint} edits without a version check"
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
    _sign_in(client, "lead2")
    page = client.get(url("projects.create")).get_data(as_text=True)
    fields = post_form(page, "lead")
    me = User.get(User.email == "lead2@example.gov")
    assert fields["lead"] == str(me.id)
