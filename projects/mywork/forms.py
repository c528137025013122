"""The My work page's one form: whether the person gets the weekly email."""

from __future__ import annotations

from wtforms import BooleanField, HiddenField
from wtforms.validators import InputRequired

from projects.fields import Form


class WeeklyEmailForm(Form):
    # A browser sends no value for an unchecked box; this hidden field makes a submission of
    # the form tell itself from an empty request (which then changes nothing).
    shown = HiddenField(default="yes", validators=[InputRequired()])
    weekly_digest = BooleanField(
        "Email me each week about my overdue work and work due in the next 14 days"
    )
