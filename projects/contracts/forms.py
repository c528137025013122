"""Forms for contract packages: the guided answers, clause edits, QASP rows, agency clauses."""

from __future__ import annotations

import re

from wtforms import (
    Field,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import TextInput

from playbook.contracts import (
    MAX_TEXT,
    SECTIONS,
    TOPICS,
    VARIABLES,
    ClauseError,
    Variable,
    check_fills_in,
)
from playbook.contracts.layouts import LAYOUTS
from playbook.edition import default_edition
from projects.contracts.changes import AGENCY_FIELDS, agency_values, validate_edit
from projects.fields import Form, Versioned, choices, web_address


class WholeNumberField(Field):
    """A whole number within a range, with messages that name the question."""

    widget = TextInput()

    def __init__(self, label, variable: Variable, **kwargs):
        super().__init__(label, **kwargs)
        self.variable = variable
        self.raw = ""

    def _value(self) -> str:
        return self.raw if self.raw else ("" if self.data is None else str(self.data))

    def process_formdata(self, valuelist):
        self.raw = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if self.raw:
            try:
                self.data = int(self.raw)
            except ValueError:
                self.data = None

    def pre_validate(self, form):
        var = self.variable
        if not self.raw and self.data is None:
            raise ValidationError(f"Enter the {var.label[0].lower()}{var.label[1:]}")
        if self.data is None:
            raise ValidationError(
                f"Enter {var.label.lower()} as a whole number, like {var.minimum}"
            )
        if not var.minimum <= self.data <= var.maximum:
            raise ValidationError(f"{var.label} must be between {var.minimum} and {var.maximum}")


def _field(var: Variable):
    description = var.hint
    if var.kind in ("text", "longtext"):
        kind = TextAreaField if var.kind == "longtext" else StringField
        return kind(
            var.label,
            description=description,
            validators=[
                DataRequired(f"Enter the {var.label[0].lower()}{var.label[1:]}"),
                Length(max=var.max_length, message=f"Use {var.max_length:,} characters or fewer"),
            ],
        )
    if var.kind == "int":
        return WholeNumberField(var.label, var, description=description)
    if var.kind == "bool":
        return SelectField(
            var.label,
            choices=choices([("no", "No"), ("yes", "Yes")]),
            description=description,
            validators=[InputRequired("Say whether the service handles personal information")],
        )
    return SelectField(
        var.label,
        choices=choices(var.choices),
        description=description,
        validators=[InputRequired(f"Choose the {var.label.lower()}")],
    )


class PackageForm(Versioned, Form):
    title = StringField(
        "Package title",
        validators=[
            DataRequired("Enter a title for the package"),
            Length(max=200, message="Use 200 characters or fewer"),
        ],
    )
    layout = SelectField(
        "Solicitation layout",
        choices=choices((k, v.label) for k, v in LAYOUTS.items()),
        description="The exports follow it: their parts, headings and numbering.",
        validators=[InputRequired("Choose the solicitation layout")],
    )
    # The project's research findings to cite in the background; choices set by the view.
    cited_findings = SelectMultipleField(
        "Research findings to cite in the background", coerce=int, validate_choice=True
    )

    def answers(self) -> dict:
        result = {"cited_findings": sorted(set(self.cited_findings.data or []))}
        for var in VARIABLES:
            value = getattr(self, var.name).data
            if var.kind == "bool":
                value = value == "yes"
            elif isinstance(value, str):
                value = value.strip()
            result[var.name] = value
        return result

    def fill(self, answers: dict) -> None:
        self.cited_findings.data = list(answers.get("cited_findings", []))
        for var in VARIABLES:
            value = answers.get(var.name)
            if var.kind == "bool":
                value = "yes" if value else "no"
            getattr(self, var.name).data = value

    def restart(self, outcome) -> None:
        super().restart(outcome)
        for var in VARIABLES:  # someone else's yes/no answers, as the form shows them
            field = getattr(self, var.name)
            if var.kind == "bool" and isinstance(field.data, bool):
                field.data = "yes" if field.data else "no"


for _var in VARIABLES:
    setattr(PackageForm, _var.name, _field(_var))
ANSWER_GROUPS = (  # how the guided form groups its questions
    (
        "The buyer and the service",
        ("agency_name", "program_name", "project_name", "service_summary"),
    ),
    ("How the work is bought", ("contract_type", "iteration_weeks", "discovery_weeks")),
    ("Budget", ("ceiling_dollars",)),
    (
        "Period and place of performance",
        (
            "performance_start",
            "base_period_months",
            "option_periods",
            "option_period_months",
            "place_of_performance",
            "travel",
        ),
    ),
    (
        "People",
        (
            "key_personnel",
            "personnel_security",
            "incumbent",
            "transition_in_days",
            "technical_challenge",
        ),
    ),
    (
        "Hosting, data and code",
        ("hosting", "data_sensitivity", "handles_pii", "open_source", "repository_host"),
    ),
)


class ClauseTextForm(Versioned, Form):
    text = TextAreaField(
        "Clause text",
        description="Separate paragraphs with a blank line; start a bullet with “- ”. Use "
        "answers like {{ agency_name }}.",
        validators=[
            DataRequired("Enter the clause text"),
            Length(max=MAX_TEXT, message=f"Use {MAX_TEXT:,} characters or fewer"),
        ],
    )

    def __init__(self, *args, answers: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.package_answers = answers or {}

    def validate_text(self, field):
        problem = validate_edit(field.data or "", self.package_answers)
        if problem:
            raise ValidationError(problem)


class AddClauseForm(Form):
    clause_id = SelectField("Clause to add", validators=[InputRequired("Choose a clause")])


class QaspRowForm(Versioned, Form):
    standard = TextAreaField(
        "Performance standard",
        validators=[DataRequired("Enter the performance standard"), Length(max=2000)],
    )
    quality_level = TextAreaField(
        "Acceptable quality level",
        validators=[DataRequired("Enter the acceptable quality level"), Length(max=2000)],
    )
    surveillance = TextAreaField(
        "Method of surveillance",
        validators=[DataRequired("Enter how the Government will check it"), Length(max=2000)],
    )


class AgencyClauseForm(Versioned, Form):
    name = StringField(
        "Short name",
        description="Lowercase words joined by hyphens, for example remote-work. It becomes "
        "the clause's id (agency.remote-work) and cannot change later.",
        validators=[DataRequired("Enter a short name for the clause"), Length(max=60)],
    )
    title = StringField(
        "Title", validators=[DataRequired("Enter the clause title"), Length(max=200)]
    )
    section = SelectField(
        "Section of the solicitation",
        choices=choices(SECTIONS),
        validators=[InputRequired("Choose the section")],
    )
    proposal = SelectField(
        "When it is proposed",
        choices=choices(
            [("optional", "Only when an officer adds it"), ("always", "In every new package")]
        ),
        validators=[InputRequired("Choose when the clause is proposed")],
    )
    text = TextAreaField(
        "Clause text",
        description=ClauseTextForm.text.kwargs["description"],
        validators=[
            DataRequired("Enter the clause text"),
            Length(max=MAX_TEXT, message=f"Use {MAX_TEXT:,} characters or fewer"),
        ],
    )
    plays = StringField(
        "Related plays (optional)",
        description="Play numbers separated by commas, for example 5, 13.",
        validators=[Optional(), Length(max=100)],
    )
    topics = SelectMultipleField("Topics it covers", choices=choices(TOPICS), validate_choice=True)
    source_title = StringField(
        "Source it follows (optional)", validators=[Optional(), Length(max=200)]
    )
    source_url = StringField(
        "Address of the source (optional)",
        validators=[Optional(), Length(max=500), web_address],
    )
    qasp_standard = TextAreaField(
        "QASP performance standard (optional)", validators=[Optional(), Length(max=2000)]
    )
    qasp_quality_level = TextAreaField(
        "Acceptable quality level", validators=[Optional(), Length(max=2000)]
    )
    qasp_surveillance = TextAreaField(
        "Method of surveillance", validators=[Optional(), Length(max=2000)]
    )

    def validate_name(self, field):
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", (field.data or "").strip()):
            raise ValidationError(
                "Use lowercase letters, numbers and hyphens only, for example remote-work"
            )

    def validate_text(self, field):
        try:
            check_fills_in(field.data or "")
        except ClauseError as error:
            raise ValidationError(str(error)) from None

    def validate_plays(self, field):
        if self.play_numbers() is None:
            last = len(default_edition().plays)
            raise ValidationError(f"Enter play numbers from 1 to {last}, separated by commas")

    def validate_topics(self, field):
        if not field.data:
            raise ValidationError("Choose at least one topic the clause covers")

    def validate_source_url(self, field):
        if bool(field.data) != bool(self.source_title.data):
            raise ValidationError("Give both the source's title and its address, or neither")
        if field.data and not field.data.strip().startswith("https://"):
            raise ValidationError("Enter an address that starts with https://")

    def validate_qasp_standard(self, field):
        parts = [self.qasp_standard.data, self.qasp_quality_level.data, self.qasp_surveillance.data]
        if any(p and p.strip() for p in parts) and not all(p and p.strip() for p in parts):
            raise ValidationError(
                "Give the standard, the quality level and the surveillance method, or none"
            )

    def play_numbers(self) -> list[int] | None:
        raw = [p.strip() for p in (self.plays.data or "").split(",") if p.strip()]
        # The clause library is checked against the built-in edition (see agency_views._save).
        edition = default_edition()
        if not all(p.isdigit() and edition.play(int(p)) for p in raw):
            return None
        return sorted({int(p) for p in raw})

    def values(self) -> dict:
        """The clause's fields as the form holds them (see contracts.changes.agency_values)."""
        return {name: self[name].data for name in AGENCY_FIELDS}

    def fill(self, fields: dict) -> None:
        for name, value in agency_values(fields).items():
            self[name].data = value


class MarkItemsForm(Form):
    """The Play 5 items an exported package satisfies, to mark done with the revision as
    evidence; choices set by the view."""

    items = SelectMultipleField("Play 5 items this package satisfies", validate_choice=True)

    def validate_items(self, field):
        if not field.data:
            raise ValidationError("Choose at least one item to mark done")
