"""Helpers for tests that read pages as a browser would: the address of a page, the fields a form
would send, whether the markup could run a script, and a snapshot of every table to prove nothing
changed."""

from __future__ import annotations

from html.parser import HTMLParser

from flask import Flask, current_app, url_for
from werkzeug.routing import BuildError

from projects.assessments.models import Assessment, AssessmentAction
from projects.auth.models import User
from projects.contracts.models import AgencyClause, ContractPackage, PackageClause, PackageQaspRow
from projects.db import db
from projects.demo import DEMO_PASSWORD
from projects.feedback.models import FeedbackForm
from projects.projects.models import Project
from projects.research.models import Finding


def url(endpoint: str, **values) -> str:
    """The path of a page as the app's own `url_for` builds it, e.g.
    `url("checklists.play", slug=project.slug, number=1)`: tests name pages as the code does.
    Needs the app context the `app` fixture holds for every test."""
    with current_app.test_request_context():
        return url_for(endpoint, **values)


def _candidates() -> dict[str, list]:
    """Values to fill each URL variable with, from the demo portfolio (`projects.demo.seed`)."""
    return {
        "slug": [p.slug for p in Project.select().order_by(Project.id)],
        "number": [1, 5, 12, 13],  # 12: its items take a measure as evidence
        "package_id": [p.id for p in ContractPackage.select()],
        "entry_id": [e.id for e in PackageClause.select()][:3],
        "row_id": [r.id for r in PackageQaspRow.select()][:2],
        "clause_id": [c.clause_id for c in AgencyClause.select()][:2],
        "finding_id": [f.id for f in Finding.select()][:4],
        "user_id": [u.id for u in User.select()],
        "assessment_id": [a.id for a in Assessment.select().order_by(Assessment.id)],
        "action_id": [a.id for a in AssessmentAction.select().order_by(AssessmentAction.id)][:1],
        "item_id": ["p01.c1"],
        "key": [f.key for f in FeedbackForm.select().order_by(FeedbackForm.id)][:1],
    }


def demo_pages(app: Flask) -> list[tuple[str, str]]:
    """(endpoint, address) for every GET page of the route map but static files and the API,
    once for each combination of the demo's objects its URL can take (the signed-in role
    decides which of them it may open). Downloads, jobs and snapshots, whose URLs name
    objects the demo does not make, are left out: they have no forms."""
    values = _candidates()
    pages = set()
    for rule in app.url_map.iter_rules():
        if (
            "GET" not in rule.methods
            or rule.endpoint == "static"
            or rule.endpoint.startswith("api.")
        ):
            continue
        if not set(rule.arguments) <= set(values):
            continue
        combos = [{}]
        for name in sorted(rule.arguments):
            combos = [c | {name: v} for c in combos for v in values[name]]
        for combo in combos:
            try:
                with app.test_request_context():
                    pages.add((rule.endpoint, url_for(rule.endpoint, **combo)))
            except BuildError:
                continue
    return sorted(pages, key=lambda page: page[1])


def demo_sign_in(client, role: str) -> None:
    """Sign in as the demo's person with that role ("admin", "lead", "lead2", ...) through
    the sign-in form as the page renders it."""
    login = client.get(url("auth.login")).get_data(as_text=True)
    fields = post_form(login, "email")
    fields.update(email=f"{role}@example.gov", password=DEMO_PASSWORD)
    assert client.post(url("auth.login"), data=fields).status_code == 302


class _Forms(HTMLParser):
    """Collects every <form> on a page with the values a browser would submit unchanged."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: str | None = None
        self._first_option: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = {k: v if v is not None else "" for k, v in attrs}
        if tag == "form":
            self._form = {
                "action": attrs.get("action", ""),
                "method": attrs.get("method", "get").lower(),
                "fields": {},
                "pairs": [],  # every (name, value) in order: repeated names such as checkboxes
            }
            self.forms.append(self._form)
        elif self._form is None or ("name" not in attrs and tag != "option"):
            return
        elif tag == "input":
            kind = attrs.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            value = attrs.get("value", "on" if kind in ("checkbox", "radio") else "")
            self._form["fields"][attrs["name"]] = value
            self._form["pairs"].append([attrs["name"], value])
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self._form["fields"][self._textarea] = ""
            self._form["pairs"].append([self._textarea, ""])
        elif tag == "select":
            self._select, self._first_option = attrs["name"], None
            self._form["pairs"].append([self._select, ""])
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            if self._first_option is None:
                self._first_option = value
                self._form["fields"].setdefault(self._select, value)
                self._form["pairs"][-1][1] = value
            if "selected" in attrs:
                self._form["fields"][self._select] = value
                self._form["pairs"][-1][1] = value

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._form is not None and self._textarea:
            self._form["fields"][self._textarea] += data
            self._form["pairs"][-1][1] += data


def forms(html: str) -> list[dict]:
    """Every form on the page: {"action", "method", "fields": {name: value}, "pairs": [[name,
    value], ...]}; `pairs` keeps every value of a repeated name (a list of checkboxes)."""
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def post_form(html: str, containing: str | None = None) -> dict:
    """The fields of the page's first POST form (that has a field named `containing`)."""
    for form in forms(html):
        if form["method"] == "post" and (containing is None or containing in form["fields"]):
            return dict(form["fields"])
    raise AssertionError(f"no POST form with a field {containing!r} on the page")


def button_form(client, page: str, action: str) -> dict:
    """The fields of the form on the page at `page` that posts to `action`, as rendered: what
    a browser sends when that button is pressed."""
    html = client.get(page).get_data(as_text=True)
    for form in forms(html):
        if form["method"] == "post" and form["action"] == action:
            return dict(form["fields"])
    raise AssertionError(f"no POST form to {action} on {page}")


def filled(client, address: str, containing: str | None = None, **changes) -> dict:
    """The fields of the POST form on the page at `address` as it renders them (see
    `post_form`), with `changes` typed in: what a browser sends for a person who filled
    in those fields."""
    page = client.get(address)
    assert page.status_code == 200, (address, page.status_code)
    return post_form(page.get_data(as_text=True), containing) | changes


class _Scripts(HTMLParser):
    """Finds markup that could run a script or load something from elsewhere."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.lower().startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            if name.lower() in ("href", "src", "action", "formaction") and value:
                scheme = value.strip().lower().split(":", 1)[0]
                if ":" in value and scheme in ("javascript", "data", "vbscript"):
                    self.problems.append(f"<{tag} {name}={value!r}>")
        if tag in ("script", "iframe", "object", "embed") and not dict(attrs).get(
            "src", ""
        ).startswith("/static/"):
            self.problems.append(f"<{tag}> that is not one of the app's own static files")
        if tag == "style" or any(name == "style" for name, _ in attrs):
            self.problems.append(f"<{tag}> with inline style")


def script_problems(html: str) -> list[str]:
    parser = _Scripts()
    parser.feed(html)
    return parser.problems


def database_state() -> dict[str, list[str]]:
    """Every row of every table, to compare before and after a request that must change nothing."""
    state = {}
    for table in sorted(db.get_tables()):
        if table == "migratehistory":
            continue
        rows = db.execute_sql(f'SELECT * FROM "{table}"').fetchall()  # noqa: S608 - our own tables
        state[table] = sorted(repr(tuple(_comparable(value) for value in row)) for row in rows)
    return state


def _comparable(value):
    """PostgreSQL returns binary columns as memoryviews, whose repr is their address: compare
    their bytes instead."""
    return bytes(value) if isinstance(value, memoryview) else value
