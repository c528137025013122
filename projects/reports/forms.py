"""Forms for reports: freezing a snapshot."""

from __future__ import annotations

from wtforms import StringField
from wtforms.validators import DataRequired, Length

from projects.fields import Form


class FreezeForm(Form):
    label = StringField(
        "Name of the snapshot",
        description="For example “Portfolio, Q2 2026”. It appears in later reports that compare "
        "against this one.",
        validators=[
            DataRequired("Enter a name for the snapshot"),
            Length(max=200, message="Use 200 characters or fewer"),
        ],
    )
