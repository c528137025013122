"""Validators, fields and forms shared by several features."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlparse

from flask_babel import gettext
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    SubmitField,
)
from wtforms.csrf.core import CSRFTokenField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional, ValidationError
from wtforms.widgets import HiddenInput

from projects.filters import format_day
from projects.passwords import password_problem
from projects.saves import Outcome, fingerprint


def is_web_address(link: str) -> bool:
    """http(s) only: never javascript:, data: or file: links."""
    parsed = urlparse(link)
    return parsed.scheme in ("http", "https") and bool(parsed.netloc)


def web_address(form, field) -> None:
    """Evidence links must be http(s) addresses, never javascript: or file: ones."""
    value = (field.data or "").strip()
    if value and not is_web_address(value):
        raise ValidationError("Enter a web address that starts with https:// or http://")


def strong_password(form, field) -> None:
    problem = password_problem(field.data or "")
    if problem:
        raise ValidationError(problem)


def csv_file(description: str) -> FileField:
    """The file field of a CSV import form."""
    return FileField(
        "CSV file",
        description=description,
        validators=[
            FileRequired("Choose a CSV file to upload"),
            FileAllowed(["csv"], "Upload a CSV file: its name must end in .csv"),
        ],
    )


def choices(options: Mapping | Iterable[tuple]) -> list[SelectChoice]:
    """SelectField choices from a {value: label} mapping or (value, label) pairs."""
    pairs = options.items() if isinstance(options, Mapping) else options
    return [SelectChoice(value, label) for value, label in pairs]


class DayField(DateField):
    """A date. Pages show it as a date picker (templates/components/forms.html), which sends
    year-month-day whatever format the browser displays, so hints never name a format; a
    browser without a picker shows a text box, and a date typed there some other way gets
    this message."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError("Enter the date as year-month-day, for example 2026-03-27") from error


class VersionField(IntegerField):
    """The hidden version a form was loaded at. It always shows its current data, so a page
    redrawn after a conflict carries the version saved now, not the one first posted."""

    widget = HiddenInput()

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators or [Optional()], **kwargs)

    def _value(self) -> str:
        return "" if self.data is None else str(self.data)


class Versioned:
    """Mixin for an edit form (or one row of a form): the hidden version and fingerprint of
    the values it was loaded with, which `projects.saves.save` checks."""

    version = VersionField()
    original = HiddenField()

    def start_from(self, version: int, values: dict) -> None:
        """Load the hidden fields from a saved row: its version and editable values."""
        self.version.data, self.version.raw_data = version, None
        self.original.data = fingerprint(values)

    def restart(self, outcome: Outcome) -> None:
        """After a conflict: start from what is saved now, so saving again keeps this person's
        values on purpose, and show the values only someone else changed."""
        fresh = outcome.fresh.get(self._prefix)
        if fresh is None:
            return
        self.version.data, self.version.raw_data = fresh.version, None
        self.original.data = fresh.original
        for name, value in fresh.theirs.items():
            if name in self._fields:
                self[name].data, self[name].raw_data = value, None


@dataclass(frozen=True)
class ConflictRow:
    """One line of the conflict table: what the field is called and both values, for people."""

    label: str
    saved: str
    yours: str
    by: str


def conflict_rows(form, outcome: Outcome, rows: dict[str, str] | None = None) -> list:
    """The conflicts of a save, labeled as the form labels its fields. `rows` names the rows
    of a form that edits several ({"items-0-": "p01.c1 Understand what people need"})."""
    fields = {}
    for field in form:
        if hasattr(field, "entries"):  # a list of sub-forms, one per row
            for entry in field.entries:
                words = (rows or {}).get(entry.form._prefix, "")
                fields.update({inner.name: (inner, words) for inner in entry.form})
        else:
            fields[field.name] = (field, "")
    result = []
    for name, conflict in outcome.conflicts.items():
        field, row = fields.get(name, (None, ""))
        label = field.label.text if field is not None else name.replace("_", " ").capitalize()
        label = label.removesuffix(" (optional)")
        result.append(
            ConflictRow(
                f"{row}: {label}" if row else label,
                shown(conflict.saved, field),
                shown(conflict.yours, field),
                conflict.by,
            )
        )
    return result


def shown(value, field=None) -> str:
    """A value as a person reads it: as its field describes it (a person by name), a choice by
    its label, lists joined, a day as a date, nothing as "(empty)"."""
    if hasattr(field, "describe"):  # a field that knows how to name its values
        return field.describe(value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if value is None or value == "" or value == []:
        return "(empty)"
    if isinstance(value, list | tuple):
        return ", ".join(shown(v, field) for v in value)
    for choice in getattr(field, "choices", None) or []:
        key, text = (choice.value, choice.label) if isinstance(choice, SelectChoice) else choice[:2]
        if str(key) == str(value):
            return str(text)
    if isinstance(value, date):
        return format_day(value)
    return str(value)


# Characters no person types and no document format keeps: C0 controls other than tab and
# line breaks, DEL, C1 controls (text decoded with the wrong code page) and the two
# non-characters. PostgreSQL refuses NUL in text, and a Word document (XML 1.0) with any C0
# control cannot be opened, so none of them reach the database.
UNTYPABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def without_control_characters(text: str) -> str:
    return UNTYPABLE.sub("", text)


# Inputs a browser leaves out of a submission when nothing is chosen; every other field is
# always sent, empty or not.
MAY_BE_LEFT_OUT = (
    BooleanField,
    RadioField,
    SelectMultipleField,
    FileField,
    SubmitField,
    CSRFTokenField,
)


class Form(FlaskForm):
    """The base of every form the app posts: what arrives is cleaned of characters nobody
    types, and a submission missing a field that a browser always sends is refused with a
    message, rather than read as "no value" (which would blank a saved one)."""

    class Meta:
        # Off for forms filled by the app itself (a row of an imported spreadsheet).
        every_field_required = True

        def wrap_formdata(self, form, formdata):
            formdata = super().wrap_formdata(form, formdata)
            if formdata is None:
                return None
            return MultiDict(
                (key, without_control_characters(v) if isinstance(v, str) else v)
                for key, v in formdata.items(multi=True)
            )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        missing = [f.label.text for f in _left_out(self)] if self.meta.every_field_required else []
        if missing:
            self.form_errors.append(
                gettext(  # the public feedback form is in Spanish too
                    "Some fields of this form did not arrive (%(fields)s). Nothing was saved. "
                    "Reload the page and try again.",
                    fields=", ".join(str(label) for label in missing),
                )
            )
            return False
        return valid


def _left_out(fields) -> Iterable:
    """Fields a browser would have sent that are absent from the submission, in sub-forms
    and lists of rows too."""
    for field in fields:
        if isinstance(field, FormField):
            yield from _left_out(field.form)
        elif isinstance(field, FieldList):
            yield from _left_out(field.entries)
        elif isinstance(field, MAY_BE_LEFT_OUT):
            continue
        elif isinstance(field, SelectField) and not field.choices:
            continue  # a select with no options sends nothing
        elif field.raw_data == []:
            yield field


class ConfirmForm(Form):
    """A form with nothing but its CSRF token, for buttons such as archive and remove."""
