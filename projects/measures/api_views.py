"""The measures API, under /api/v1/ (the API blueprint): read a project's measures signed in
or with the project's API token, and write a period's figure with the token.

Writes take only a token (`Authorization: Bearer <token>`), never the session cookie, so a
page on another site cannot make a signed-in person's browser write: that is why the API
blueprint needs no CSRF token. Every request carrying a token is audited."""

from __future__ import annotations

from functools import wraps

from flask import jsonify, request
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from playbook import measures as catalog
from projects.access import project_or_404
from projects.api import bp
from projects.db import utcnow
from projects.measures import changes, tokens
from projects.measures.models import Measure
from projects.measures.queries import api_measures
from projects.projects.models import Project

ANSWER_KEYS = ("1", "2", "3", "4", "5")
FIELDS = {"value", "responses", "answers", "offered", "customers"}
MOST_COUNT = 1_000_000_000


class Refused(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


def _error(status: int, message: str):
    return jsonify({"error": message}), status


def accepts_token(view):
    """The view authenticates itself: with an API token, or (reads only) a signed-in person.
    `projects.auth` lets requests to such views through; each use of a token is audited."""

    @wraps(view)
    def wrapper(slug: str, **kwargs):
        header = request.headers.get("Authorization")
        if header is None:
            token = None
        else:
            token = tokens.authenticate(tokens.bearer(header))
            if token is None:
                return _error(401, "The API token is not valid, or it was revoked.")
        status = 500  # until the view answers
        try:
            if token is not None and token.project.slug != slug:
                raise Refused(403, "This API token belongs to another project.")
            answer = view(slug, token=token, **kwargs)
            status = answer[1] if isinstance(answer, tuple) else 200
            return answer
        except Refused as refused:
            status = refused.status
            return _error(refused.status, refused.message)
        except HTTPException as error:
            status = error.code or 500
            raise
        finally:
            if token is not None:
                tokens.record_use(token, request.method, request.path, status)

    wrapper.accepts_token = True
    return wrapper


def _project(slug: str, token) -> Project:
    if token is not None:
        return token.project
    if not current_user.is_authenticated:
        raise Refused(401, "Sign in, or send the project's API token: Authorization: Bearer ...")
    return project_or_404(slug)


@bp.route("/projects/<slug>/measures")
@accepts_token
def measures(slug: str, token=None):
    """Each measure with its unit, direction, target, latest figures and periods."""
    project = _project(slug, token)
    return jsonify({"slug": project.slug, "measures": api_measures(project)})


@bp.route("/projects/<slug>/measures/<key>/values/<period>", methods=["PUT"])
@accepts_token
def put_value(slug: str, key: str, period: str, token=None):
    """Record a period's figure: {"value": 82.5}, or for an A-11 driver the distribution
    {"answers": {"1": 3, "2": 5, "3": 10, "4": 40, "5": 42}}; optionally "offered" and
    "customers". Token only."""
    if token is None:
        raise Refused(401, "Writing needs the project's API token: Authorization: Bearer ...")
    project = token.project
    measure = Measure.get_or_none((Measure.project == project) & (Measure.key == key[:40]))
    if measure is None:
        keys = ", ".join(m.key for m in project.measures.order_by(Measure.position)) or "none"
        raise Refused(404, f"The project has no measure {key[:40]!r}. Its measures: {keys}.")
    problem = catalog.period_problem(period, measure.period_kind, utcnow().date())
    if problem:
        raise Refused(400, f"{problem}.")
    given = _body(measure)
    outcome = changes.record_value(
        measure,
        period,
        by=None,
        source="api",
        note={"token": token.prefix},
        **given,
    )
    row = outcome.rows[0]
    created = outcome.written and row.version == 1
    return jsonify(
        {
            "measure": measure.key,
            "period": row.period,
            "value": row.value,
            "responses": row.responses,
            "answers": dict(zip(ANSWER_KEYS, row.answers, strict=True)) if measure.driver else None,
            "offered": row.offered,
            "customers": row.customers,
            "saved": outcome.written,
            "latest": {"period": measure.latest_period or None, "value": measure.latest_value},
        }
    ), (201 if created else 200)


def _count(body: dict, name: str) -> int | None:
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MOST_COUNT:
        raise Refused(400, f"{name} must be a whole number from 0 to {MOST_COUNT:,}.")
    return value


def _body(measure: Measure) -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise Refused(400, 'Send a JSON object, for example {"value": 82.5}.')
    unknown = sorted(str(k)[:40] for k in set(body) - FIELDS)
    if unknown:
        raise Refused(400, f"Unknown field {', '.join(unknown)}; use {', '.join(sorted(FIELDS))}.")
    given: dict = {"offered": _count(body, "offered"), "customers": _count(body, "customers")}
    answers = body.get("answers")
    if answers is not None:
        if not measure.driver:
            raise Refused(400, f"{measure.key} is not an A-11 driver: send a value, not answers.")
        if isinstance(answers, list) and len(answers) == 5:
            answers = dict(zip(ANSWER_KEYS, answers, strict=True))
        if not isinstance(answers, dict) or set(answers) - set(ANSWER_KEYS):
            raise Refused(
                400, 'answers gives how many answered each score: {"1": 3, ..., "5": 42}.'
            )
        counts = [_count(answers, k) or 0 for k in ANSWER_KEYS]
        if not sum(counts):
            raise Refused(400, "The answers add up to 0.")
        given["answers"] = counts
        return given
    if "value" not in body:
        raise Refused(
            400, 'Send the figure as {"value": ...}' + (" or answers." if measure.driver else ".")
        )
    value = body["value"]
    if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
        raise Refused(400, "value must be a number, or null.")
    problem = catalog.value_problem(None if value is None else float(value), measure.unit)
    if problem:
        raise Refused(400, f"{problem}.")
    given["value"] = None if value is None else float(value)
    if (responses := _count(body, "responses")) is not None:
        given["responses"] = responses
    return given
