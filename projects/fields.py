"""Validators, fields and forms shared by several features."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from urllib.parse import urlparse

from flask_wtf import FlaskForm
from wtforms import IntegerField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional, ValidationError
from wtforms.widgets import HiddenInput

from projects.passwords import password_problem


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


def choices(options: Mapping | Iterable[tuple]) -> list[SelectChoice]:
    """SelectField choices from a {value: label} mapping or (value, label) pairs."""
    pairs = options.items() if isinstance(options, Mapping) else options
    return [SelectChoice(value, label) for value, label in pairs]


class VersionField(IntegerField):
    """The hidden version a form was loaded at. It always shows its current data, so a page
    redrawn after a conflict carries the version saved now, not the one first posted."""

    widget = HiddenInput()

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators or [Optional()], **kwargs)

    def _value(self) -> str:
        return "" if self.data is None else str(self.data)


class ConfirmForm(FlaskForm):
    """A form with nothing but its CSRF token, for buttons such as archive and remove."""
