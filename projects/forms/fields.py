"""Validators and fields shared by several forms."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from urllib.parse import urlparse

from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from projects.passwords import password_problem


def web_address(form, field) -> None:
    """Evidence links must be http(s) addresses, never javascript: or file: ones."""
    value = (field.data or "").strip()
    if not value:
        return
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ValidationError("Enter a web address that starts with https:// or http://")


def strong_password(form, field) -> None:
    problem = password_problem(field.data or "")
    if problem:
        raise ValidationError(problem)


def choices(options: Mapping | Iterable[tuple]) -> list[SelectChoice]:
    """SelectField choices from a {value: label} mapping or (value, label) pairs."""
    pairs = options.items() if isinstance(options, Mapping) else options
    return [SelectChoice(value, label) for value, label in pairs]
