"""Forms for a project's facts and its members."""

from __future__ import annotations

import re

from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    Optional,
    StopValidation,
    ValidationError,
)

from playbook.edition import PHASES
from projects.auth import queries as people
from projects.auth.models import User
from projects.fields import DayField, Form, Versioned, choices
from projects.projects.models import PROJECT_ROLES

# "Ana Lopez <ana.lopez@agency.gov>": how the field shows a person, and one way to type them.
_ADDRESS_IN_BRACKETS = re.compile(r"<\s*([^<>\s]+@[^<>\s]+)\s*>\s*$")


def as_typed(person: User) -> str:
    """A person as the field shows them, which reads back as that person."""
    return f"{person.name} <{person.email}>"


class PersonField(StringField):
    """One person, typed: an email address, a full name (when only one person who can sign in
    has it) or "Name <email address>", the way the field shows someone. `data` is their user id.

    A text box rather than a list of everyone, so the page stays small however many people can
    sign in. Only people who can sign in may be chosen, except `kept`: the person the saved
    record names now, so saving a form without touching this field never fails or changes it,
    even when that person has since lost access. When the words typed could mean several people,
    or match no one exactly, `matches` holds up to ten people they could mean, for the page."""

    def __init__(self, label=None, validators=None, *, required: str, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.required = required
        self.kept: int | None = None
        self.matches: list[User] = []
        self._people: dict[int, User] = {}

    def process_data(self, value) -> None:
        self.data = value

    def process_formdata(self, valuelist) -> None:
        self.data = None  # the typed words become a person's id in pre_validate

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        person = self.person(self.data)
        return as_typed(person) if person else ""

    def person(self, user_id) -> User | None:
        """The person with this id (read once)."""
        if not isinstance(user_id, int):
            return None
        if user_id not in self._people:
            self._people[user_id] = User.get_or_none(User.id == user_id)
        return self._people[user_id]

    def describe(self, value) -> str:
        """A value of this field as people read it, for the save-conflict table."""
        person = self.person(value)
        return as_typed(person) if person else "(no one)"

    def pre_validate(self, form) -> None:
        typed = (self.raw_data[0] if self.raw_data else "").strip()
        if not typed:
            raise StopValidation(self.required)
        bracketed = _ADDRESS_IN_BRACKETS.search(typed)
        email = bracketed.group(1) if bracketed else typed if "@" in typed else None
        if email:
            person = people.person_with_email(email)
            if person is None:
                raise StopValidation(
                    f"No one signs in with the email address “{email}”. Check the address, "
                    "or ask an admin to add the person."
                )
            found = [person]
        else:
            called = people.people_called(typed)
            found = [p for p in called if p.active or p.id == self.kept] or called[:1]
            if len(found) > 1:
                self.matches = found
                raise StopValidation(
                    f"More than one person is called “{typed}”. Enter the email address of "
                    "the one you mean."
                )
            if not found:
                self.matches = people.active_people_matching(typed)
                raise StopValidation(
                    f"No one who can sign in is called “{typed}”. "
                    + (
                        "Enter the email address of one of the people listed, or check the name."
                        if self.matches
                        else "Check the name, or enter their email address."
                    )
                )
        person = found[0]
        if not person.active and person.id != self.kept:
            raise StopValidation(
                f"{person.name} cannot sign in, so cannot lead a project. Choose someone who can."
            )
        self._people[person.id] = person
        self.data = person.id


class ProjectForm(Versioned, Form):
    name = StringField(
        "Project name",
        validators=[
            DataRequired("Enter a project name"),
            Length(max=200, message="Use 200 characters or fewer"),
        ],
    )
    agency = StringField(
        "Agency",
        validators=[DataRequired("Enter the agency that owns the project"), Length(max=200)],
    )
    office = StringField("Office or program (optional)", validators=[Optional(), Length(max=200)])
    phase = SelectField(
        "Phase",
        choices=choices((p, p.title()) for p in PHASES),
        validators=[InputRequired("Choose the project's phase")],
    )
    summary = TextAreaField(
        "Summary (optional)",
        description="What the service does and for whom, in a few sentences.",
        validators=[Optional(), Length(max=5000)],
    )
    lead = PersonField(
        "Project lead",
        description="Their email address, or their full name if no one else has it.",
        required="Enter the email address or name of the project lead",
    )
    start_date = DayField("Start date (optional)", validators=[Optional()])
    target_date = DayField(
        "Target date (optional)",
        validators=[Optional()],
        description="When the project expects to reach its next milestone.",
    )

    def validate_target_date(self, field):
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError("Enter a target date on or after the start date")


class MemberForm(Form):
    email = StringField(
        "Email address of the person to add",
        validators=[
            DataRequired("Enter the email address of the person to add"),
            Email("Enter an email address in the right format, like name@agency.gov"),
        ],
    )
    role = SelectField(
        "Role on this project",
        description="Editors update checklists and findings; owners also manage the project "
        "and its members; viewers read.",
        choices=choices(PROJECT_ROLES),
        default="editor",  # most people join to do the work; owners are few
        validators=[InputRequired("Choose a role")],
    )
    reviewer = BooleanField(
        "May review evidence",
        description="A reviewer accepts done items or asks for more evidence; nobody reviews "
        "an item they marked done themselves.",
    )
