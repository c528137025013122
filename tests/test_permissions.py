"""Who may reach which route. The tests walk app.url_map, so every route added later (research,
contracts, reports, ...) is checked too: signed-out access, object scoping, the permission
policy for every role and standing on a project, and CSRF."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from urllib.parse import urlparse

import pytest
from werkzeug.routing import AnyConverter, IntegerConverter, Rule

from projects import access
from projects.access import (
    ADMINISTER,
    CREATE_PROJECT,
    EDIT_AGENCY_CLAUSES,
    EDIT_CONTRACTS,
    EDIT_ITEMS,
    FREEZE_REPORTS,
    MANAGE_PROJECT,
    REVIEW_EVIDENCE,
    RUN_ASSESSMENTS,
    SEE_EVERYTHING,
    VIEW,
)
from projects.auth import PUBLIC_ENDPOINTS
from projects.auth.models import ROLES, User
from projects.checklists.models import ItemResponse, QuestionAnswer
from projects.contracts.models import (
    AgencyClause,
    PackageClause,
    PackageQaspRow,
    Revision,
    RevisionFile,
)
from projects.db import BaseModel
from projects.editions import active_edition
from projects.feedback.models import FeedbackResponse
from projects.fields import ConfirmForm
from projects.measures import changes as measures_changes
from projects.measures.tokens import create_token
from projects.projects.models import PROJECT_ROLES, Membership, Project
from projects.reports import views as report_views
from projects.reports.changes import freeze
from projects.reports.models import PROJECT
from projects.reports.render import RenderedPDF
from tests.conftest import PASSWORD, make_project, make_user
from tests.contracts.factories import make_package
from tests.pages import database_state, forms, post_form, url
from tests.research.factories import make_finding

PUBLIC = {
    "auth.login",
    "static",
    # The emailed links: tests/test_invitations.py shows why they need no sign-in and what
    # they refuse.
    "invitations.accept",
    "invitations.forgot_password",
    "invitations.reset_password",
    # The link to stop the weekly email of an owner without an account: signed, and it only
    # stops that email (tests/test_outside_owners.py).
    "mywork.stop_weekly_email",
    # The public feedback form and its thank-you page: tests/feedback/test_public_form.py
    # shows what they show (only the public title) and refuse (an off form, an unknown key).
    "feedback.form",
    "feedback.thanks",
}
# The one change leadership makes to a project they are not on: freezing a report snapshot
# (DESIGN.md: leadership freezes quarterly snapshots).
LEADERSHIP_MAY_POST = {"reports.freeze_project"}


@dataclass
class World:
    """One project with people in every relation to it, and people in every role."""

    project: Project
    owner: User
    editor: User
    viewer: User
    admin: User
    leadership: User
    outsiders: dict[str, User]  # role -> a user of that role who is not on the project


@pytest.fixture
def world(app) -> World:
    owner = make_user("lead", name="Olive Owner")
    editor, viewer = make_user("lead", name="Eddie Editor"), make_user("lead", name="Vera Viewer")
    project = make_project(
        owner,
        name="Confidential parking permits",
        members={editor: "editor", viewer: "viewer"},
    )
    play = active_edition().play(1)
    ItemResponse.create(
        project=project, item_id=play.checklist[0].id, status="in_progress", updated_by=owner
    )
    QuestionAnswer.create(
        project=project, question_id=play.key_questions[0].id, answer="We interviewed *twelve*."
    )
    make_project(make_user("lead"))  # someone else's project, so ids are not all 1
    _project_records(project, owner)
    return World(
        project=project,
        owner=owner,
        editor=editor,
        viewer=viewer,
        admin=make_user("admin"),
        leadership=make_user("leadership"),
        outsiders={"lead": make_user("lead"), "contracting": make_user("contracting")},
    )


AGENCY_CLAUSE = "agency.remote-work"
AGENCY_FIELDS = {
    "title": "Remote work",
    "section": "personnel",
    "proposal": "always",
    "text": "{{ agency_name }} staff may work remotely.",
    "variables": ["agency_name"],
    "plays": [6],
    "items": [],
    "topics": ["key-personnel"],
    "qasp": [],
}


def _project_records(project: Project, user: User) -> None:
    """A finding, an agency clause, a contract package with an exported revision, a frozen
    snapshot, a measure with a figure and an API token, so the routes that show them point at
    real rows."""
    make_finding(project, user)
    FeedbackResponse.create(
        project=project, period="2026-Q1", answers={"satisfaction": 4}, comment="Quick and clear."
    )
    measure = measures_changes.ensure_driver_measures(project)["satisfaction"]
    measures_changes.record_value(measure, "2026-Q1", answers=[1, 2, 3, 4, 5], by=user)
    create_token(project, "Nightly export", by=user)
    AgencyClause.create(clause_id=AGENCY_CLAUSE, version=1, fields=AGENCY_FIELDS, created_by=user)
    package = make_package(project, user)
    revision = Revision.create(package=package, number=1, snapshot={}, created_by=user)
    content = b"Contract language"
    RevisionFile.create(
        revision=revision,
        format="docx",
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
    )
    freeze(
        kind=PROJECT,
        label="Quarter 1",
        data={"project": project.name},
        scores={},
        pdf=b"%PDF-1.7 a frozen report",
        user=user,
        project=project,
    )


def argument_values(world: World) -> dict:
    """A real value for URL arguments by name. Arguments not here get a real row's value
    (`<int:thing_id>`: an id from the table called thing; `<token>`: a value of a column called
    token), else a placeholder from PLACEHOLDERS (integers: 1). A new route whose argument
    is none of these fails these tests: add it here or to PLACEHOLDERS."""
    package = world.project.contract_packages.get()
    return {
        "slug": world.project.slug,
        "number": 1,
        "user_id": world.viewer.id,
        "clause_id": AGENCY_CLAUSE,
        "entry_id": PackageClause.select().where(PackageClause.package == package).get().id,
        "row_id": PackageQaspRow.select().where(PackageQaspRow.package == package).get().id,
    }


# Values that point at nothing real: the page may be a 404, but never reachable when it
# must not be.
PLACEHOLDERS = {
    "anything": "no-such-thing",
    "clause_id": "no-such-clause",
    "filename": "css/app.css",
    "token": "no-such-upload",
    "message": "20260101T000000000000-00000000.eml",
}


def _models(base=BaseModel):
    for model in base.__subclasses__():
        yield model
        yield from _models(model)


def _real_value(name: str, project: Project, integer: bool):
    """A value from a real row for the argument `name`, inside the project when the table
    belongs to projects: a column called `name`, or for `<int:thing_id>` an id from the table
    called thing (or ..._thing)."""
    wanted = name.removesuffix("_id")
    for model in _models():
        table, fields = model._meta.table_name, model._meta.fields
        if name in fields:
            column = fields[name]
        elif integer and name.endswith("_id") and (table == wanted or table.endswith(f"_{wanted}")):
            column = model._meta.primary_key
        else:
            continue
        query = model.select(column).order_by(model._meta.primary_key)
        if "project" in fields:
            query = query.where(model.project == project)
        found = query.scalar()
        if found is not None:
            return found
    return None


@dataclass
class Route:
    rule: Rule
    url: str
    real: bool  # every argument points at a real row, so the page exists

    @property
    def methods(self) -> list[str]:
        return [m for m in ("GET", "POST") if m in self.rule.methods]

    @property
    def api(self) -> bool:
        return self.url.startswith("/api/")

    def __str__(self) -> str:
        return f"{self.url} ({self.rule.endpoint})"


def routes(app, world: World, where=lambda rule: True) -> list[Route]:
    """Every route but sign-in and static files, its URL filled with real values."""
    values = argument_values(world)
    found, unfilled = [], []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint in PUBLIC or not where(rule):
            continue
        args, real = {}, True
        for name in sorted(rule._converters):  # the variables in the URL, not its defaults
            converter = rule._converters[name]
            integer = isinstance(converter, IntegerConverter)
            if name in values:
                args[name] = values[name]
            elif isinstance(converter, AnyConverter):
                args[name] = sorted(converter.items)[0]
            elif (row_value := _real_value(name, world.project, integer)) is not None:
                args[name] = row_value
            elif name in PLACEHOLDERS or integer:
                args[name], real = PLACEHOLDERS.get(name, 1), False
            else:
                unfilled.append(f"{rule.rule} ({rule.endpoint}): <{name}>")
        if not unfilled:
            found.append(Route(rule, rule.build(args, append_unknown=False)[1], real))
    assert not unfilled, (
        "The permission tests cannot fill these URL arguments. Add each argument's name and a "
        "real value to argument_values() (or to PLACEHOLDERS) in tests/test_permissions.py:\n"
        + "\n".join(unfilled)
    )
    return found


def project_routes(app, world):
    return routes(app, world, where=lambda rule: "slug" in rule.arguments)


def sample_data(app, world: World) -> dict[str, dict]:
    """What each page's own form would post (as the admin sees it), so that a refused POST is
    one that would have changed something had it been allowed."""
    admin = app.test_client()
    admin.post(url("auth.login"), data={"email": world.admin.email, "password": PASSWORD})
    samples = {}
    for route in project_routes(app, world):
        if "GET" in route.methods and "POST" in route.methods:
            page = admin.get(route.url)
            for form in forms(page.text) if page.status_code == 200 else []:
                if form["method"] == "post" and form["action"] in ("", route.url):
                    samples[route.url] = form["fields"]
                    break
    return samples


# The action each route needs (by method where they differ), as access.py names it. None: any
# signed-in person (the page shows only what is theirs or what they may see). A route missing
# here fails test_every_route_declares_the_action_it_needs: declare it, then the policy walk
# checks it for every role and standing.
ROUTE_ACTIONS: dict[str, str | dict[str, str | None] | None] = {
    "auth.logout": None,
    "auth.account": None,  # a person's own account
    "auth.change_password": None,
    "auth.sign_out_everywhere": None,
    # Two-step sign-in: a person's own. The code page (and the set-up page when REQUIRE_MFA
    # asks) is also reached between password and code, before any session: tests/
    # test_second_factor.py; here, signed in, it only sends the person on.
    "auth.enter_code": None,
    "auth.set_up_second_factor": None,
    "auth.recovery_codes": None,
    "auth.new_recovery_codes": None,
    "auth.turn_off_second_factor": None,
    "admin.sign_out_user": ADMINISTER,
    "admin.reset_second_factor": ADMINISTER,
    "admin.users": ADMINISTER,
    "admin.create_user": ADMINISTER,
    "admin.edit_user": ADMINISTER,
    "projects.home": None,  # sends each role to its work
    "projects.index": None,
    "projects.create": CREATE_PROJECT,
    "projects.detail": VIEW,
    "projects.history": VIEW,
    "projects.edit": MANAGE_PROJECT,
    "projects.archive": MANAGE_PROJECT,
    "projects.restore": MANAGE_PROJECT,
    "projects.archived": None,  # archived projects the person may see; Restore where they manage
    "projects.members": MANAGE_PROJECT,
    "projects.remove_member": MANAGE_PROJECT,
    "checklists.play": {"GET": VIEW, "POST": EDIT_ITEMS},
    "research.index": VIEW,
    "research.detail": VIEW,
    "research.export": VIEW,
    "research.create": EDIT_ITEMS,
    "research.edit": EDIT_ITEMS,
    "research.upload": EDIT_ITEMS,
    "research.confirm_import": EDIT_ITEMS,
    "contracts.clauses": None,
    "contracts.clause": None,
    "contracts.new_clause": EDIT_AGENCY_CLAUSES,
    "contracts.edit_agency_clause": EDIT_AGENCY_CLAUSES,
    "contracts.new": EDIT_CONTRACTS,
    "contracts.detail": VIEW,
    "contracts.download": VIEW,
    "contracts.answers": EDIT_CONTRACTS,
    "contracts.add": EDIT_CONTRACTS,
    "contracts.include": EDIT_CONTRACTS,
    "contracts.move_clause": EDIT_CONTRACTS,
    "contracts.edit_clause": EDIT_CONTRACTS,
    "contracts.reset_clause": EDIT_CONTRACTS,
    "contracts.add_qasp": EDIT_CONTRACTS,
    "contracts.edit_qasp": EDIT_CONTRACTS,
    "contracts.delete_qasp": EDIT_CONTRACTS,
    "contracts.export_package": EDIT_CONTRACTS,
    "contracts.index": None,  # the packages of the projects the person may see
    "contracts.finalize": EDIT_CONTRACTS,
    "contracts.mark_items": EDIT_ITEMS,  # checklist items, from an exported package
    "portfolio.dashboard": None,
    "reports.project_preview": VIEW,
    "reports.project_download": VIEW,
    "reports.freeze_project": FREEZE_REPORTS,
    "reports.portfolio": None,
    "reports.portfolio_download_csv": None,
    "reports.a11_quarterly": SEE_EVERYTHING,  # leadership's A-11 export, every project
    "reports.request_portfolio": None,
    "reports.job": None,  # a person's own report jobs: anyone else's is a 404
    "reports.job_status": None,  # the job page's script polls it: the same rule
    "reports.job_download": None,
    "reports.retry_job": None,
    "reports.freeze_portfolio": FREEZE_REPORTS,
    "reports.snapshots": None,
    "reports.snapshot_download": VIEW,  # a project snapshot: VIEW on its project
    "api.projects": None,
    "api.project": VIEW,
    "api.contract_packages": VIEW,
    "api.findings": VIEW,
    "api.unknown": None,
    "api.history": VIEW,
    "mywork.index": None,  # a person's own work, on the projects they are on
    "mywork.weekly_email": None,  # their own setting
    "mail.outbox": ADMINISTER,
    "mail.message": ADMINISTER,
    "invitations.pending": ADMINISTER,
    "invitations.resend": ADMINISTER,
    "invitations.cancel": ADMINISTER,
    # Evidence review and service assessments (issue 14). The panel and lead-assessor checks
    # inside an assessment are tested in tests/test_assessments.py.
    "checklists.review_item": REVIEW_EVIDENCE,
    "projects.reviewer_right": MANAGE_PROJECT,
    "assessments.index": VIEW,
    "assessments.create": RUN_ASSESSMENTS,
    "assessments.detail": VIEW,
    "assessments.notes": RUN_ASSESSMENTS,
    "assessments.rate": RUN_ASSESSMENTS,
    "assessments.outcome": RUN_ASSESSMENTS,
    "assessments.download": VIEW,
    "assessments.close_action": EDIT_ITEMS,
    "assessments.edit_action": MANAGE_PROJECT,
    "api.assessments": VIEW,
    # Customer experience (issue 13): measures, their figures, CSV and API tokens.
    "measures.index": VIEW,
    "measures.detail": VIEW,
    "measures.export": VIEW,
    "measures.create": MANAGE_PROJECT,
    "measures.add_drivers": MANAGE_PROJECT,
    "measures.edit": MANAGE_PROJECT,
    "measures.choose_period": VIEW,  # only sends the person on to measures.value
    "measures.value": EDIT_ITEMS,
    "measures.upload": EDIT_ITEMS,
    "measures.confirm_import": EDIT_ITEMS,
    "measures.api_tokens": MANAGE_PROJECT,
    "measures.revoke_token": MANAGE_PROJECT,
    # Signed in: VIEW; or the project's API token (tests/test_measures_api.py).
    "api.measures": VIEW,
    # PUT with the project's API token only, never a session (tests/test_measures_api.py).
    "api.put_value": None,
    # Customer experience: the public feedback form's comments and settings (issue 13).
    "feedback.index": VIEW,
    "feedback.settings": MANAGE_PROJECT,
    "feedback.record_finding": EDIT_ITEMS,
}
# Routes without <slug> whose object belongs to the world's project.
REACHES_PROJECT = {"reports.snapshot_download"}
STANDINGS = [access.LEAD, *PROJECT_ROLES, None]  # lead, owner, editor, viewer, not on it


def required_action(rule: Rule, method: str) -> str | None:
    declared = ROUTE_ACTIONS[rule.endpoint]
    return declared.get(method) if isinstance(declared, dict) else declared


def on_project(rule: Rule) -> bool:
    return "slug" in rule.arguments or rule.endpoint in REACHES_PROJECT


def test_every_route_declares_the_action_it_needs(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()} - PUBLIC
    undeclared = sorted(endpoints - set(ROUTE_ACTIONS))
    assert not undeclared, (
        "Declare the access.py action each new route needs in ROUTE_ACTIONS "
        "(tests/test_permissions.py): " + ", ".join(undeclared)
    )
    assert not set(ROUTE_ACTIONS) - endpoints, "ROUTE_ACTIONS names routes that are gone"
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC:
            continue
        # A view guarded by @access.requires says which action; it must agree.
        view = app.view_functions[rule.endpoint]
        if hasattr(view, "required_action"):
            for method in ("GET", "POST"):
                if method in rule.methods:
                    assert required_action(rule, method) == view.required_action, rule


def _place(user: User, project: Project, standing: str | None) -> None:
    if standing == access.LEAD:
        Project.update(lead=user).where(Project.id == project.id).execute()
    elif standing is not None:
        Membership.create(project=project, user=user, role=standing)


@pytest.mark.parametrize("standing", STANDINGS, ids=lambda s: s or "not-on-project")
@pytest.mark.parametrize("role", list(ROLES))
def test_every_route_answers_as_the_policy_says(
    app, client, signed_in, world, monkeypatch, role, standing
):
    """For every route and method: 404 where the person may not see the project, 403 where
    they may see it but not do the route's action, and otherwise the page (or, for a POST
    sent empty, the form's own refusal: nothing is saved)."""
    user = make_user(role)
    _place(user, world.project, standing)
    project = Project.get_by_id(world.project.id)
    # Button forms fail as if their token were missing, so an allowed POST changes nothing;
    # the report PDF is a stand-in (its rendering has tests of its own and takes seconds).
    monkeypatch.setattr(ConfirmForm, "validate_on_submit", lambda self: False)
    monkeypatch.setattr(report_views, "project_pdf", lambda report: RenderedPDF(b"%PDF-", 1))
    signed_in(user)
    before = database_state()
    failures = []
    walk = sorted(routes(app, world), key=lambda r: r.rule.endpoint == "auth.logout")
    for route in walk:
        if route.rule.endpoint == "auth.logout":
            # Every other route changed nothing; signing out ends the person's sessions.
            assert database_state() == before
            generation = User.get_by_id(user.id).session_generation
        for method in route.methods:
            action = required_action(route.rule, method)
            target = project if on_project(route.rule) else None
            status = client.open(route.url, method=method, data={}).status_code
            if target is not None and not access.may(user, VIEW, target):
                wanted, ok = "404", status == 404
            elif action is not None and not access.may(user, action, target):
                wanted, ok = "403", status == 403
            else:
                wanted = "allowed"
                answers = {200, 302, 303} | ({400} if method == "POST" else set())
                ok = status in answers or (status == 404 and not route.real)
            if not ok:
                failures.append(f"{method} {route} needs {action}: {status}, not {wanted}")
    assert not failures, f"{role} ({standing or 'not on the project'}):\n" + "\n".join(failures)
    assert User.get_by_id(user.id).session_generation == generation + 1


def test_the_only_public_routes_are_sign_in_static_files_and_emailed_links(client):
    assert PUBLIC_ENDPOINTS == PUBLIC, "a new public route needs a test of why it is public"
    assert client.get(url("auth.login")).status_code == 200
    with client.get("/static/css/app.css") as response:
        assert response.status_code == 200


def test_every_other_route_requires_sign_in(app, client, world):
    before = database_state()
    failures = []
    for route in routes(app, world):
        for method in route.methods:
            response = client.open(route.url, method=method, data={"name": "x"})
            if route.api:
                ok = response.status_code == 401 and "error" in (response.get_json() or {})
            else:
                ok = response.status_code == 302 and urlparse(response.location).path == url(
                    "auth.login"
                )
            if not ok:
                failures.append(f"{method} {route}: {response.status_code}")
    assert not failures, "reachable without signing in:\n" + "\n".join(failures)
    assert database_state() == before


@pytest.mark.parametrize("role", ["lead", "contracting"])
def test_a_user_who_is_not_on_the_project_gets_404_everywhere_in_it(
    app, client, signed_in, world, role
):
    samples = sample_data(app, world)
    signed_in(world.outsiders[role])
    before = database_state()
    failures = []
    for route in project_routes(app, world):
        for method in route.methods:
            response = client.open(route.url, method=method, data=samples.get(route.url, {}))
            if response.status_code != 404:
                failures.append(f"{method} {route}: {response.status_code}, not 404")
            elif world.project.name in response.text:
                failures.append(f"{method} {route}: the 404 names the project")
            elif route.api and not response.is_json:
                failures.append(f"{method} {route}: the API's 404 is not JSON")
    assert not failures, "\n".join(failures)
    assert database_state() == before


@pytest.mark.parametrize("who", ["leadership", "viewer"])
def test_leadership_and_viewers_can_read_the_project_but_change_nothing(
    app, client, signed_in, world, who
):
    samples = sample_data(app, world)
    signed_in(getattr(world, who))
    before = database_state()
    failures = []
    for route in project_routes(app, world):
        missing = () if route.real else (404,)
        if "GET" in route.methods:
            status = client.get(route.url).status_code
            # A page that only reads must open; a form page may say 403 (edit, members).
            allowed = range(200, 400) if "POST" not in route.methods else (200, 403)
            if status not in allowed and status not in missing:
                failures.append(f"GET {route}: {status}")
        if "POST" in route.methods and not (
            who == "leadership" and route.rule.endpoint in LEADERSHIP_MAY_POST
        ):
            status = client.post(route.url, data=samples.get(route.url, {})).status_code
            if status not in (403, *missing):
                failures.append(f"POST {route}: {status}, not 403")
    assert not failures, "\n".join(failures)
    assert database_state() == before
    for endpoint, values in [
        ("projects.detail", {}),
        ("projects.history", {}),
        ("checklists.play", {"number": 1}),
    ]:
        assert client.get(url(endpoint, slug=world.project.slug, **values)).status_code == 200
    assert client.get(url("api.project", slug=world.project.slug)).status_code == 200


def _save_play(client, slug: str, status: str = "done"):
    data = post_form(
        client.get(url("checklists.play", slug=slug, number=1)).text, containing="items-0-status"
    )
    data["items-0-status"] = status
    return client.post(url("checklists.play", slug=slug, number=1), data=data)


def test_an_editor_can_save_a_play_but_not_manage_the_project(app, client, signed_in, world):
    signed_in(world.editor)
    slug = world.project.slug
    page = client.get(url("checklists.play", slug=slug, number=1))
    assert page.status_code == 200
    assert 'name="items-0-status"' in page.text
    response = _save_play(client, slug, "done")
    assert response.status_code == 302
    item_id = active_edition().play(1).checklist[0].id
    saved = ItemResponse.get(project=world.project, item_id=item_id)
    assert (saved.status, saved.updated_by_id) == ("done", world.editor.id)

    before = database_state()
    refused = [
        client.get(url("projects.members", slug=slug)),
        client.post(
            url("projects.members", slug=slug), data={"email": world.admin.email, "role": "owner"}
        ),
        client.post(url("projects.remove_member", slug=slug, user_id=world.viewer.id)),
        client.get(url("projects.edit", slug=slug)),
        client.post(url("projects.edit", slug=slug), data={"name": "Taken over", "agency": "X"}),
        client.get(url("projects.archive", slug=slug)),
        client.post(url("projects.archive", slug=slug)),
        client.post(url("projects.restore", slug=slug)),
    ]
    assert [r.status_code for r in refused] == [403] * len(refused)
    assert database_state() == before


def test_the_project_page_offers_only_what_the_person_may_do(client, signed_in, world):
    signed_in(world.viewer)
    page = client.get(url("checklists.play", slug=world.project.slug, number=1))
    assert 'name="items-0-status"' not in page.text
    assert "Ask the project's owner to make you an editor" in page.text


def test_an_admin_can_do_everything(app, client, signed_in, world):
    samples = sample_data(app, world)
    signed_in(world.admin)
    failures = []
    for route in project_routes(app, world):
        if "GET" in route.methods and route.real:
            status = client.get(route.url).status_code
            if status >= 400:
                failures.append(f"GET {route}: {status}")
    assert not failures, "\n".join(failures)

    slug = world.project.slug
    assert _save_play(client, slug, "in_progress").status_code == 302
    data = samples[url("projects.edit", slug=slug)] | {"name": "Parking permits online"}
    assert client.post(url("projects.edit", slug=slug), data=data).status_code == 302
    outsider = world.outsiders["lead"]
    response = client.post(
        url("projects.members", slug=slug), data={"email": outsider.email, "role": "viewer"}
    )
    assert response.status_code == 302
    assert (
        client.post(url("projects.remove_member", slug=slug, user_id=world.viewer.id)).status_code
        == 302
    )
    assert client.post(url("projects.archive", slug=slug)).status_code == 302
    project = Project.get_by_id(world.project.id)
    assert (project.name, project.archived) == ("Parking permits online", True)
    members = {m.user_id: m.role for m in Membership.select().where(Membership.project == project)}
    assert members == {world.editor.id: "editor", outsider.id: "viewer"}
    for endpoint, values in [
        ("admin.users", {}),
        ("admin.create_user", {}),
        ("admin.edit_user", {"user_id": world.viewer.id}),
    ]:
        assert client.get(url(endpoint, **values)).status_code == 200


@pytest.mark.parametrize("role", ["lead", "contracting", "leadership"])
def test_admin_pages_are_forbidden_to_everyone_else(app, client, signed_in, world, role):
    signed_in(role)
    before = database_state()
    failures = []
    admin_routes = routes(app, world, where=lambda rule: rule.rule.startswith("/admin/"))
    assert admin_routes, "the walk found no /admin/ routes"
    for route in admin_routes:
        for method in route.methods:
            data = {"name": "Mallory", "email": "mallory@example.gov", "role": "admin"}
            status = client.open(route.url, method=method, data=data).status_code
            if status != 403:
                failures.append(f"{method} {route}: {status}, not 403")
    assert not failures, "\n".join(failures)
    assert database_state() == before


@pytest.mark.parametrize(("role", "status"), [("leadership", 403), ("contracting", 403)])
def test_only_leads_and_admins_create_projects(client, signed_in, role, status):
    user = signed_in(role)
    assert client.get(url("projects.create")).status_code == status
    data = {"name": "Shadow project", "agency": "X", "phase": "alpha", "lead": user.id}
    assert client.post(url("projects.create"), data=data).status_code == status
    assert Project.select().count() == 0


@pytest.mark.parametrize("role", ["lead", "admin"])
def test_leads_and_admins_may_open_the_new_project_form(client, signed_in, role):
    signed_in(role)
    assert client.get(url("projects.create")).status_code == 200


class TestCsrf:
    """The same app with CSRF protection on, as in production."""

    @pytest.fixture
    def app_config(self):
        return {"WTF_CSRF_ENABLED": True}

    @staticmethod
    def token(page) -> str:
        match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text)
        assert match, "no CSRF token on the page"
        return match.group(1)

    def test_sign_in_needs_the_token_from_the_page(self, client, world):
        login = {"email": world.owner.email, "password": PASSWORD}
        refused = client.post(url("auth.login"), data=login)
        assert refused.status_code == 400
        assert "Your form expired" in refused.text
        assert client.get(url("projects.index")).status_code == 302  # still signed out
        token = self.token(client.get(url("auth.login")))
        assert client.post(url("auth.login"), data=login | {"csrf_token": token}).status_code == 302
        assert client.get(url("projects.index")).status_code == 200

    def test_every_post_without_a_token_is_refused_and_changes_nothing(self, app, client, world):
        token = self.token(client.get(url("auth.login")))
        login = {"email": world.admin.email, "password": PASSWORD, "csrf_token": token}
        assert client.post(url("auth.login"), data=login).status_code == 302
        samples = {}
        for route in routes(app, world):
            if "GET" in route.methods and "POST" in route.methods:
                page = client.get(route.url)
                if page.status_code == 200:
                    fields = next(
                        (
                            f["fields"]
                            for f in forms(page.text)
                            if f["method"] == "post" and f["action"] in ("", route.url)
                        ),
                        {},
                    )
                    samples[route.url] = {k: v for k, v in fields.items() if k != "csrf_token"}
        before = database_state()
        failures = []
        post_routes = [r for r in routes(app, world) if "POST" in r.methods]
        assert any(r.rule.endpoint == "auth.logout" for r in post_routes)
        for route in post_routes:
            response = client.post(route.url, data=samples.get(route.url, {"name": "x"}))
            if response.status_code != 400:
                failures.append(f"POST {route}: {response.status_code}, not 400")
        assert not failures, "accepted without a CSRF token:\n" + "\n".join(failures)
        assert database_state() == before
        assert (
            client.get(url("projects.index")).status_code == 200
        )  # the refused sign-out left us signed in

    def test_a_form_with_its_token_saves(self, client, world):
        token = self.token(client.get(url("auth.login")))
        login = {"email": world.editor.email, "password": PASSWORD, "csrf_token": token}
        client.post(url("auth.login"), data=login)
        assert _save_play(client, world.project.slug, "done").status_code == 302
        item_id = active_edition().play(1).checklist[0].id
        assert ItemResponse.get(project=world.project, item_id=item_id).status == "done"
