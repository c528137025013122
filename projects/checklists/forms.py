"""The play page's form: every checklist item and key question of one play, saved together."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from wtforms import (
    FieldList,
    FormField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms import (
    Form as RowForm,
)
from wtforms.validators import Length, Optional, ValidationError

from playbook.readiness import NOT_APPLICABLE, STATUS_LABELS
from projects.fields import DayField, Form, Versioned, choices, web_address


class ItemForm(Versioned, RowForm):
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
    owner = SelectField("Owner", coerce=int)
    due_date = DayField("Due date", validators=[Optional()])

    def validate_justification(self, field):
        if self.status.data == NOT_APPLICABLE and not (field.data or "").strip():
            raise ValidationError("Say why this item does not apply to the project")


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
