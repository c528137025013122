"""The public feedback form: people who use a project's service answer the A-11 drivers on a
5-point scale, in English or Spanish, without an account; their answers become the project's
figures and their comments can be recorded as research findings."""

from __future__ import annotations

from flask import Blueprint, Flask

from playbook.edition import EditionError
from projects import languages

bp = Blueprint("feedback", __name__)
# Reached without signing in: the form's unguessable address is the only way in, and it
# shows nothing of the project but its public title (tests/feedback/test_public_form.py).
PUBLIC = {"feedback.form", "feedback.thanks"}


def init_app(app: Flask) -> None:
    from projects.feedback import queries, views  # noqa: F401 - registers the routes

    app.register_blueprint(bp)
    languages.MULTILINGUAL.update(PUBLIC)
    with app.app_context():  # a survey edition that does not validate stops the start
        try:
            queries.survey_in_use()
        except EditionError as error:
            raise RuntimeError(f"FEEDBACK_SURVEY cannot be used: {error}") from None

    @app.template_global("feedback_comments")
    def feedback_comments(project, limit: int = 3):
        return queries.latest_comments(project, limit)

    @app.template_global("feedback_sources")
    def feedback_sources(finding):
        return queries.sources_of(finding)
