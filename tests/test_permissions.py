"""Who may reach which route. The tests walk app.url_map, so every route added later (research,
contracts, reports, ...) is checked too: signed-out access, object scoping, roles and CSRF."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlparse

import pytest
from werkzeug.routing import AnyConverter, IntegerConverter, Rule

from projects.auth import PUBLIC_ENDPOINTS
from projects.auth.models import User
from projects.checklists.models import ItemResponse, QuestionAnswer
from projects.db import BaseModel
from projects.editions import active_edition
from projects.projects.models import Membership, Project
from tests.conftest import PASSWORD, make_project, make_user
from tests.pages import database_state, forms, post_form, url

PUBLIC = {"auth.login", "static"}
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
    return World(
        project=project,
        owner=owner,
        editor=editor,
        viewer=viewer,
        admin=make_user("admin"),
        leadership=make_user("leadership"),
        outsiders={"lead": make_user("lead"), "contracting": make_user("contracting")},
    )


def argument_values(world: World) -> dict:
    """A real value for URL arguments by name. Arguments not here get a real row's value
    (`<int:thing_id>`: an id from the table called thing; `<token>`: a value of a column called
    token), else a placeholder from PLACEHOLDERS (integers: 1). A new route whose argument
    is none of these fails these tests: add it here or to PLACEHOLDERS."""
    return {"slug": world.project.slug, "number": 1, "user_id": world.viewer.id}


# Values that point at nothing real: the page may be a 404, but never reachable when it
# must not be.
PLACEHOLDERS = {
    "anything": "no-such-thing",
    "clause_id": "no-such-clause",
    "filename": "css/app.css",
    "token": "no-such-upload",
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


def test_the_only_public_routes_are_sign_in_and_static_files(client):
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
        client.post(url("projects.archive", slug=slug)),
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
