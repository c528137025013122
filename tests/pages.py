"""Helpers for tests that read pages as a browser would: the address of a page, the fields a form
would send, whether the markup could run a script, and a snapshot of every table to prove nothing
changed."""

from __future__ import annotations

from html.parser import HTMLParser

from flask import current_app, url_for

from projects.db import db


def url(endpoint: str, **values) -> str:
    """The path of a page as the app's own `url_for` builds it, e.g.
    `url("checklists.play", slug=project.slug, number=1)`: tests name pages as the code does.
    Needs the app context the `app` fixture holds for every test."""
    with current_app.test_request_context():
        return url_for(endpoint, **values)


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
