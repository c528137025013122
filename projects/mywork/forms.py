"""The My work page's one form: whether the person gets the weekly email."""

from __future__ import annotations

from wtforms import BooleanField

from projects.fields import Form


class WeeklyEmailForm(Form):
    weekly_digest = BooleanField(
        "Email me each week about my overdue work and work due in the next 14 days"
    )
