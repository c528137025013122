"""The play page's form: every checklist item and key question of one play, saved together."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from wtforms import (
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms import (
    Form as RowForm,
)
from wtforms.validators import Length, Optional, ValidationError
from wtforms.widgets import HiddenInput

from playbook.readiness import NEEDS_EVIDENCE, NOT_APPLICABLE, STATUS_LABELS, VERDICTS
from projects.fields import DayField, Form, Versioned, choices, web_address
from projects.owners.fields import OutsideOwnerFields, owner_select


class ItemForm(Versioned, OutsideOwnerFields, RowForm):
    item_id = HiddenField()
    status = SelectField("Status", choices=choices(STATUS_LABELS))
    justification = TextAreaField(
        "Why it does not apply",
        description="Required when the item is not applicable.",
        validators=[Length(max=2000, message="Use 2,000 characters or fewer")],
    )
    note = TextAreaField("Note", validators=[Optional(), Length(max=5000)])
    evidence_url = StringField(
        "Evidence link", validators=[Optional(), Length(max=2000), web_address]
    )
    owner = owner_select("Owner")
    due_date = DayField("Due date", validators=[Optional()])

    def validate_justification(self, field):
        if self.status.data == NOT_APPLICABLE and not (field.data or "").strip():
            raise ValidationError("Say why this item does not apply to the project")


class MeasureItemForm(ItemForm):
    """An item of the play that asks for data (play 12): it can also name a measure."""

    evidence_measure = SelectField("Evidence measure", coerce=int)


class QuestionForm(Versioned, RowForm):
    question_id = HiddenField()
    answer = TextAreaField(
        "Answer",
        description="You can use Markdown: *emphasis*, lists, links.",
        validators=[Optional(), Length(max=20000, message="Use 20,000 characters or fewer")],
    )


class PlayForm(Form):
    items = FieldList(FormField(ItemForm))
    questions = FieldList(FormField(QuestionForm))
    # Each row's name ("p01.c3 Spend time with users") by its field name prefix ("items-2-"),
    # so the error summary says which item an error is in (projects.filters.form_errors).
    row_names: Mapping[str, str] = MappingProxyType({})


class MeasurePlayForm(PlayForm):
    """The form of play 12, whose items can take one of the project's measures as evidence."""

    items = FieldList(FormField(MeasureItemForm))


VERDICT_CHOICES = {
    "": "Choose a verdict",
    VERDICTS[0]: "Accepted: the evidence shows the item is done",
    VERDICTS[1]: "Needs more evidence",
}


class ReviewForm(Form):
    """A reviewer's verdict on one done item, for the version of the item they looked at."""

    verdict = SelectField("Your verdict", choices=choices(VERDICT_CHOICES))
    comment = TextAreaField(
        "Comment",
        description="Required when more evidence is needed: say what is missing.",
        validators=[Length(max=5000, message="Use 5,000 characters or fewer")],
    )
    item_version = IntegerField(widget=HiddenInput())

    def validate_verdict(self, field):
        if field.data not in VERDICTS:
            raise ValidationError("Choose accepted or needs more evidence")

    def validate_comment(self, field):
        if self.verdict.data == NEEDS_EVIDENCE and not (field.data or "").strip():
            raise ValidationError("Say what evidence is missing")
