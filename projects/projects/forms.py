"""Forms for a project's facts and its members."""

from __future__ import annotations

from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional, ValidationError

from playbook.edition import PHASES
from projects.fields import DayField, Form, Versioned, choices
from projects.projects.models import PROJECT_ROLES


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
    lead = SelectField(
        "Project lead", coerce=int, validators=[InputRequired("Choose the project lead")]
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
