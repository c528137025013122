"""The application factory: the composition root that wires config, database and blueprints."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from jinja2 import StrictUndefined

from projects import (
    access,
    admin,
    api,
    assessments,
    auth,
    checklists,
    cli,
    config,
    contracts,
    db,
    filters,
    invitations,
    jobs,
    mail,
    measures,
    mywork,
    portfolio,
    reports,
    research,
    security,
    trends,
)
from projects import projects as projects_feature

ROOT = Path(__file__).resolve().parent.parent
# Each feature registers its own blueprint, commands and template globals; the order is free.
FEATURES = (
    auth,
    admin,
    projects_feature,
    checklists,
    research,
    contracts,
    portfolio,
    reports,
    assessments,
    api,
    mywork,
    mail,
    invitations,
    trends,
    measures,
)


def create_app(test_config: dict | None = None) -> Flask:
    # root_path at the repository root: templates/, static/ and instance/ resolve by default.
    app = Flask(
        __name__,
        root_path=str(ROOT),
        instance_path=str(ROOT / "instance"),
        instance_relative_config=True,
    )
    config.load(app, test_config)
    if app.debug or app.testing:
        app.jinja_env.undefined = StrictUndefined

    db.init_app(app)
    security.init_app(app)  # first: URL converters apply to the rules added after them
    filters.init_app(app)
    access.init_app(app)
    cli.init_app(app)
    jobs.init_app(app)
    for feature in FEATURES:
        feature.init_app(app)
    _register_error_pages(app)
    return app


API_ERRORS = {404: "Not found.", 405: "This address does not answer that method."}


def _register_error_pages(app: Flask) -> None:
    messages = {
        400: ("Something in the request was not right", "Go back, reload the page and try again."),
        403: (
            "You do not have permission to do that",
            "Ask the project's owner or an admin if you need access.",
        ),
        404: ("Page not found", "Check the address, or go back to your projects."),
        405: ("That action is not available here", "Go back and use the page's own buttons."),
        413: (
            "The file or form you sent is too large",
            "Send something smaller: the limit is 2 MB.",
        ),
        500: (
            "Sorry, something went wrong on our side",
            "Nothing you entered was saved. Try again in a few minutes.",
        ),
    }

    def render(code: int):
        title, advice = messages[code]
        if request.path.startswith("/api/"):  # scripts get JSON, whatever went wrong
            return jsonify({"error": API_ERRORS.get(code, title)}), code
        return render_template("errors/error.html", code=code, title=title, advice=advice), code

    for code in messages:
        app.register_error_handler(code, lambda error, code=code: render(code))

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_template(
            "errors/error.html",
            code=400,
            title="Your form expired",
            advice="For your security, forms expire. Go back, reload the page and send it again.",
        ), 400
