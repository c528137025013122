"""The assessment screens' forms: opening one, panel notes, a play's rating, the outcome, and
closing an action."""

from __future__ import annotations

from wtforms import IntegerField, SelectField, SelectMultipleField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import HiddenInput

from playbook.assessment import GATES, RATING_LABELS, RATINGS
from projects.fields import DayField, Form, Versioned, choices

LONG = Length(max=10000, message="Use 10,000 characters or fewer")


class OpenAssessmentForm(Form):
    to_phase = SelectField("Phase gate", choices=choices(GATES))
    held_on = DayField("Date of the assessment", validators=[InputRequired("Enter a date")])
    lead_assessor = SelectField("Lead assessor", coerce=int)
    panel = SelectMultipleField(
        "Other panel members",
        coerce=int,
        description="Assessors and admins. The lead assessor is on the panel already.",
    )


class NotesForm(Form):
    notes = TextAreaField(
        "Your notes",
        description="Only the panel sees these drafts; the report carries the lead "
        "assessor's ratings.",
        validators=[LONG],
    )


class RatingForm(Versioned, Form):
    rating = SelectField("Rating", choices=choices({"": "Choose a rating", **RATING_LABELS}))
    went_well = TextAreaField("What went well", validators=[LONG])
    to_improve = TextAreaField(
        "What to improve",
        description="Becomes an action for the team when the outcome is recorded.",
        validators=[LONG],
    )

    def validate_rating(self, field):
        if field.data not in RATINGS:
            raise ValidationError("Choose met, met with conditions or not met")

    def validate_to_improve(self, field):
        if self.rating.data in RATINGS[1:] and not (field.data or "").strip():
            raise ValidationError("Say what the team must improve for a play that is not met")


class OutcomeForm(Form):
    outcome = SelectField("Outcome", choices=choices({"": "Choose an outcome", **RATING_LABELS}))
    summary = TextAreaField("Summary for the team and leadership", validators=[LONG])
    assessment_version = IntegerField(widget=HiddenInput())

    def validate_outcome(self, field):
        if field.data not in RATINGS:
            raise ValidationError("Choose met, met with conditions or not met")


class CloseActionForm(Form):
    what_was_done = TextAreaField(
        "What was done",
        validators=[DataRequired("Say what was done to close this action"), LONG],
    )


class ActionForm(Versioned, Form):
    """Who owns an action and when it is due (empty: by the re-assessment)."""

    owner = SelectField("Owner", coerce=int)
    due_date = DayField(
        "Due date",
        description="Leave it empty when the action is due by the re-assessment.",
        validators=[Optional()],
    )
