"""Reads about feedback that other features use: a project's public form and its address,
its latest comments, and the comments a finding was recorded from."""

from __future__ import annotations

from collections import defaultdict

from flask import current_app, url_for
from peewee import fn

from playbook.survey import Survey, default_survey, load_survey_file
from projects.feedback.models import FeedbackForm, FeedbackResponse, FindingFeedback
from projects.projects.models import Project
from projects.research.models import Finding, FindingTag

_surveys: dict[str, Survey] = {}


def survey_in_use() -> Survey:
    """The survey edition the forms ask: FEEDBACK_SURVEY (a TOML file) when set, else the
    built-in one. Read once per process; the app checks it when it starts."""
    path = current_app.config.get("FEEDBACK_SURVEY")
    if not path:
        return default_survey()
    if path not in _surveys:
        _surveys[path] = load_survey_file(path)
    return _surveys[path]


def settings_of(project: Project) -> FeedbackForm | None:
    return FeedbackForm.get_or_none(FeedbackForm.project == project)


def open_form(key: str) -> tuple[FeedbackForm, Project] | None:
    """The form at this key with its project, when it is on and the project is not archived;
    None for an unknown key or a form that is off."""
    row = (
        FeedbackForm.select(FeedbackForm, Project)
        .join(Project)
        .where((FeedbackForm.key == key) & FeedbackForm.enabled & ~Project.archived)
        .get_or_none()
    )
    return (row, row.project) if row else None


def public_address(form: FeedbackForm | None) -> str | None:
    """The form's full address for the public, when it is on; else None."""
    if form is None or not form.enabled:
        return None
    base = current_app.config.get("BASE_URL")
    if base:
        return base.rstrip("/") + url_for("feedback.form", key=form.key)
    return url_for("feedback.form", key=form.key, _external=True)


def project_form_address(project: Project) -> str | None:
    return public_address(settings_of(project))


def comments(project: Project):
    """An unexecuted query of the project's responses that have a comment, newest first."""
    return (
        FeedbackResponse.select()
        .where((FeedbackResponse.project == project) & (FeedbackResponse.comment != ""))
        .order_by(FeedbackResponse.created_at.desc(), FeedbackResponse.id.desc())
    )


def with_findings(responses: list[FeedbackResponse]) -> list[FeedbackResponse]:
    """Give each response `.findings`, the findings recorded from it, in one query."""
    found: dict[int, list[Finding]] = defaultdict(list)
    ids = [r.id for r in responses]
    if ids:
        rows = (
            FindingFeedback.select(FindingFeedback.response, Finding.id, Finding.title)
            .join(Finding)
            .where(FindingFeedback.response.in_(ids))
            .order_by(Finding.id)
        )
        for link in rows:
            found[link.response_id].append(link.finding)
    for response in responses:
        response.findings = found[response.id]
    return responses


def latest_comments(project: Project, limit: int = 3) -> list[FeedbackResponse]:
    return with_findings(list(comments(project).limit(limit)))


def sources_of(finding: Finding) -> list[FeedbackResponse]:
    """The feedback comments a finding was recorded from, oldest first."""
    return list(
        FeedbackResponse.select()
        .join(FindingFeedback)
        .where(FindingFeedback.finding == finding.id)
        .order_by(FeedbackResponse.created_at, FeedbackResponse.id)
    )


def response_count(project: Project) -> int:
    return FeedbackResponse.select().where(FeedbackResponse.project == project).count()


def comment_themes(project_ids: list[int]) -> dict[int, list[tuple[str, int]]]:
    """Each project's comment themes: for every tag of the findings its comments were recorded
    as, how many comments that is, most first. One grouped query."""
    found: dict[int, list[tuple[str, int]]] = {pid: [] for pid in project_ids}
    if not project_ids:
        return found
    comments = fn.COUNT(FindingFeedback.response.distinct())
    rows = (
        FindingTag.select(Finding.project, FindingTag.tag, comments)
        .join(Finding)
        .join(FindingFeedback, on=FindingFeedback.finding == Finding.id)
        .where(Finding.project.in_(project_ids))
        .group_by(Finding.project, FindingTag.tag)
        .order_by(comments.desc(), FindingTag.tag)
        .tuples()
    )
    for pid, tag, count in rows:
        found[pid].append((tag, count))
    return found
