"""Every form page, walked through app.url_map as the admin sees it: each field has a label,
aria-describedby points at what is on the page, and a form sent back empty shows its errors
through the one error markup, the error summary and an "Error: " title."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from tests import test_permissions as permissions
from tests.conftest import PASSWORD
from tests.contracts.factories import make_package
from tests.pages import forms
from tests.research.factories import make_finding

world = permissions.world  # the permission tests' project with people in every relation

UNLABELLED_TYPES = {"hidden", "submit", "button", "image", "reset"}
# A few pages the walk must reach, so that it cannot pass by finding nothing.
FORM_PAGES = {"projects.edit", "research.create", "contracts.answers", "contracts.new_clause"}


class _Fields(HTMLParser):
    """The page's form controls, labels, ids and aria references."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.controls: list[dict] = []
        self.label_for: set[str] = set()
        self.ids: set[str] = set()
        self.repeated_ids: list[str] = []
        self.blocks_in_p: list[str] = []  # a <p> cannot hold them: the browser splits it
        self._p_depth = 0
        self._label_depth = 0
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attrs = {k: v if v is not None else "" for k, v in attrs}
        if "id" in attrs:
            if attrs["id"] in self.ids:
                self.repeated_ids.append(attrs["id"])
            self.ids.add(attrs["id"])
        if tag == "p":
            self._p_depth += 1
        elif tag in ("form", "div", "ul", "ol", "table") and self._p_depth:
            self.blocks_in_p.append(tag)
        if tag == "title":
            self._in_title = True
        elif tag == "label":
            self._label_depth += 1
            if attrs.get("for"):
                self.label_for.add(attrs["for"])
        elif tag in ("input", "select", "textarea"):
            if tag == "input" and attrs.get("type", "text").lower() in UNLABELLED_TYPES:
                return
            self.controls.append(attrs | {"tag": tag, "in_label": self._label_depth > 0})

    def handle_endtag(self, tag):
        if tag == "p":
            self._p_depth = max(0, self._p_depth - 1)
        if tag == "label":
            self._label_depth -= 1
        elif tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def markup_problems(html: str) -> list[str]:
    page = _Fields()
    page.feed(html)
    problems = [f"id {id_!r} is on the page more than once" for id_ in page.repeated_ids]
    problems += [f"a <{tag}> inside a <p>" for tag in page.blocks_in_p]
    for control in page.controls:
        name = f"<{control['tag']} name={control.get('name')!r}>"
        labeled = (
            control["in_label"]
            or control.get("id") in page.label_for
            or control.get("aria-label")
            or control.get("aria-labelledby")
        )
        if not labeled:
            problems.append(f"{name} has no label")
        described = control.get("aria-describedby", "").split()
        missing = [d for d in described if d not in page.ids]
        problems += [f"{name}: aria-describedby #{d} is not on the page" for d in missing]
        # A checkbox in a group is described by its fieldset instead.
        if (
            control.get("aria-invalid") == "true"
            and control.get("type") != "checkbox"
            and not any(d.endswith("-error") for d in described)
        ):
            problems.append(f"{name} is invalid but not described by its error")
    return problems


# A format in a date picker's hint contradicts the picker, which shows the browser's own format.
DATE_FORMATS = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\b(?:YYYY|MM|DD)\b|year-month-day", re.I)


def date_hint_problems(html: str) -> list[str]:
    problems = []
    for control in re.findall(r'<input[^>]*type="date"[^>]*>', html):
        field_id = re.search(r'id="([^"]+)"', control).group(1)
        hint = re.search(
            rf'<div class="usa-hint" id="{re.escape(field_id)}-hint">(.*?)</div>', html
        )
        if hint and DATE_FORMATS.search(hint.group(1)):
            problems.append(
                f"the date picker #{field_id} has a format in its hint: {hint.group(1)}"
            )
    return problems


def title_of(html: str) -> str:
    page = _Fields()
    page.feed(html)
    return page.title.strip()


@pytest.fixture
def admin_client(app, client, world):
    """Signed in as the admin, with a contract package, an agency clause and a finding, so
    that every kind of form page exists."""
    make_package(world.project, world.admin)
    make_finding(world.project, world.owner)
    client.post("/login", data={"email": world.admin.email, "password": PASSWORD})
    return client


def form_pages(app, client, world) -> list[tuple[permissions.Route, str]]:
    pages = []
    for route in permissions.routes(app, world):
        if "GET" in route.methods and route.real:
            page = client.get(route.url)
            if page.status_code == 200 and page.mimetype == "text/html" and "<form" in page.text:
                pages.append((route, page.text))
    return pages


def test_every_field_on_every_form_page_has_a_label(app, admin_client, world):
    pages = form_pages(app, admin_client, world)
    endpoints = {route.rule.endpoint for route, _ in pages}
    assert endpoints >= FORM_PAGES, f"the walk did not reach {FORM_PAGES - endpoints}"
    failures = [f"{route}: {p}" for route, html in pages for p in markup_problems(html)]
    failures += [f"{route}: {p}" for route, html in pages for p in date_hint_problems(html)]
    assert not failures, "\n".join(failures)


def test_a_form_sent_back_empty_shows_the_summary_and_says_error_in_the_title(
    app, admin_client, world
):
    shown = []
    failures = []
    for route, html in form_pages(app, admin_client, world):
        if "POST" not in route.methods:
            continue
        fields = next(
            (
                f["fields"]
                for f in forms(html)
                if f["method"] == "post" and f["action"] in ("", route.url)
            ),
            None,
        )
        if fields is None:
            continue
        empty = {
            k: ("" if k not in ("csrf_token", "version", "original") else v)
            for k, v in fields.items()
        }
        response = admin_client.post(route.url, data=empty)
        if "usa-error-message" not in response.text:
            continue
        shown.append(route.rule.endpoint)
        page = response.text
        if not title_of(page).startswith("Error: "):
            failures.append(f"{route}: the title {title_of(page)!r} does not start with Error:")
        if 'id="error-summary"' not in page:
            failures.append(f"{route}: field errors but no error summary")
        ids = set(re.findall(r'\bid="([^"]+)"', page))
        summary = page.split('id="error-summary"', 1)[-1].split("</ul>", 1)[0]
        for target in re.findall(r'href="#([^"]+)"', summary):
            if target not in ids:
                failures.append(f"{route}: the summary links to #{target}, not on the page")
        failures += [f"{route} (with errors): {p}" for p in markup_problems(page)]
    assert not failures, "\n".join(failures)
    assert {"projects.edit", "research.create", "admin.create_user"} <= set(shown), shown


def test_several_forms_on_one_page_each_feed_the_summary(app):
    """The summary takes the page's forms explicitly, whatever they are called."""
    from flask import render_template_string
    from wtforms import Form, StringField
    from wtforms.validators import DataRequired

    class One(Form):
        name = StringField("Name", validators=[DataRequired("Enter a name")])

    class Two(Form):
        label = StringField("Label", validators=[DataRequired("Enter a label")])

    first, second = One(), Two()
    first.validate(), second.validate()
    with app.test_request_context():
        html = render_template_string(
            '{% extends "base.html" %}{% set error_forms = [first, None, second] %}'
            "{% block title %}Two forms{% endblock %}",
            first=first,
            second=second,
        )
    assert title_of(html).startswith("Error: Two forms")
    assert '<a href="#name">Enter a name</a>' in html
    assert '<a href="#label">Enter a label</a>' in html


def test_a_field_with_two_errors_has_one_message_element_and_is_marked_invalid(app):
    """Both messages sit in the one `<id>-error` element the control names, and every kind of
    control, selects included, says aria-invalid."""
    from flask import render_template_string
    from wtforms import (
        BooleanField,
        DateField,
        Form,
        SelectField,
        SelectMultipleField,
        StringField,
        TextAreaField,
    )

    from projects.fields import choices

    class EveryKind(Form):
        name = StringField("Name")
        role = SelectField("Role", choices=choices({"a": "A", "b": "B"}))
        note = TextAreaField("Note", description="A hint")
        when = DateField("When")
        agree = BooleanField("Agree")
        topics = SelectMultipleField("Topics", choices=choices({"x": "X", "y": "Y"}))

    form = EveryKind()
    for field in form:
        field.errors = ["The first problem", "The second problem"]
    with app.test_request_context():
        html = render_template_string(
            '{% from "components/forms.html" import text_input, select, textarea, date_input,'
            " checkbox, checkboxes %}{{ text_input(form.name) }}{{ select(form.role) }}"
            "{{ textarea(form.note) }}{{ date_input(form.when) }}{{ checkbox(form.agree) }}"
            "{{ checkboxes(form.topics) }}",
            form=form,
        )
    assert not markup_problems(html)
    for field in form:
        assert html.count(f'id="{field.id}-error"') == 1, field.id
        assert html.count("The second problem") == len(list(form))
    for tag, name in [
        ("input", "name"),
        ("select", "role"),
        ("textarea", "note"),
        ("input", "when"),
        ("input", "agree"),
        ("input", "topics"),
    ]:
        control = re.search(rf'<{tag}[^>]*name="{name}"[^>]*>', html).group(0)
        assert 'aria-invalid="true"' in control, control
