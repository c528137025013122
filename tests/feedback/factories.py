"""A project with its public feedback form on, for the feedback tests."""

from __future__ import annotations

from projects.feedback.changes import new_key
from projects.feedback.models import FeedbackForm
from projects.measures.changes import ensure_driver_measures
from projects.projects.models import Project


def open_form(project: Project, **fields) -> FeedbackForm:
    ensure_driver_measures(project)
    return FeedbackForm.create(project=project, key=new_key(), enabled=True, **fields)
