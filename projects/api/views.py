"""The read-only JSON API for signed-in users, under /api/v1/."""

from __future__ import annotations

import math
from datetime import timedelta

from flask import abort, current_app, jsonify, request, url_for
from flask_login import current_user

from playbook.readiness import ACCEPTED, NOT_STARTED, ProjectReadiness, project_readiness
from projects.access import project_or_404, visible_projects
from projects.api import bp
from projects.assessments.queries import (
    actions_of,
    assessments_of,
    last_assessments,
    ratings_of,
)
from projects.checklists.queries import responses_by_item
from projects.checklists.scores import stored_scores
from projects.contracts.queries import package_summaries
from projects.db import utcnow
from projects.editions import active_edition
from projects.feedback.queries import project_form_address
from projects.measures.figures import HEADLINE, headline_figures, measure_keys
from projects.owners.queries import outside_names
from projects.projects.models import Project
from projects.research.queries import findings_newest_first
from projects.trends.queries import daily


def _headline(measure) -> dict | None:
    """A headline measure's latest figures, its direction since the period before, its
    target."""
    if measure is None:
        return None
    return {
        "key": measure.key,
        "name": measure.name,
        "unit": measure.unit,
        "period": measure.latest_period or None,
        "value": measure.latest_value,
        "previous_value": measure.previous_value,
        "change": measure.change or None,
        "target": measure.target,
        "meets_target": measure.meets_target,
    }


def _summary(project: Project, readiness: ProjectReadiness, figures: dict) -> dict:
    """`figures`: the project's headline measures by key (measures.figures)."""
    return _listed(
        (project.slug, project.name, project.agency, project.phase, project.archived),
        {
            "overall": readiness.overall.score,
            "reviewed": readiness.overall.reviewed_score,
            "phase": readiness.phase.score,
            "plays": {str(n): r.score for n, r in readiness.plays.items()},
        },
        figures,
    )


def _listed(facts: tuple, scores: dict, figures: dict) -> dict:
    """A project as lists show it: `facts` in LISTED's order after the id, with its scores and
    its headline customer-experience figures."""
    slug, name, agency, phase, archived = facts
    return {
        "slug": slug,
        "name": name,
        "agency": agency,
        "phase": phase,
        "archived": bool(archived),
        "readiness": scores,
        "customer_experience": {key: _headline(figures.get(key)) for key in HEADLINE},
    }


PER_PAGE, MOST_PER_PAGE = 100, 500
LISTED = (Project.id, Project.slug, Project.name, Project.agency, Project.phase, Project.archived)


class BadRequest(ValueError):
    """A query parameter the API cannot use; the message says which and why."""


@bp.errorhandler(BadRequest)
def bad_request(error: BadRequest):
    return jsonify({"error": str(error)}), 400


def _whole_number(name: str, default: int, most: int) -> int:
    text = request.args.get(name)
    if text is None:
        return default
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= most:
        raise BadRequest(f"{name} must be a whole number from 1 to {most}; it was {text!r}.")
    return int(text)


@bp.route("/projects")
def projects():
    """The projects a person may see, by slug, a page at a time (`page`, `per_page`)."""
    per_page = _whole_number("per_page", PER_PAGE, MOST_PER_PAGE)
    page = _whole_number("page", 1, 2**31)
    query = visible_projects(current_user)
    total = query.count()
    pages = max(math.ceil(total / per_page), 1)
    rows = list(query.select(*LISTED).order_by(Project.slug).paginate(page, per_page).tuples())
    scores = stored_scores([row[0] for row in rows])
    figures = headline_figures([row[0] for row in rows])

    def address(number: int) -> str | None:
        if not 1 <= number <= pages or number == page:
            return None
        return url_for(".projects", page=number, per_page=per_page)

    return jsonify(
        {
            "projects": [_listed(row[1:], scores[row[0]], figures[row[0]]) for row in rows],
            "page": page,
            "per_page": per_page,
            "pages": pages,
            "total": total,
            "next": address(page + 1),
            "previous": address(min(page - 1, pages)),
        }
    )


@bp.route("/projects/<slug>")
def project(slug: str):
    project = project_or_404(slug)
    edition = active_edition()
    saved = responses_by_item(project)
    readiness = project_readiness(
        edition,
        {item_id: row.status for item_id, row in saved.items()},
        project.phase,
        {i for i, row in saved.items() if row.review == ACCEPTED},
    )
    outside = outside_names(row.outside_owner_id for row in saved.values())  # one query
    keys = measure_keys(project)
    items = []
    for item in edition.items.values():
        row = saved.get(item.id)
        items.append(
            {
                "id": item.id,
                "play": item.play,
                "status": row.status if row else NOT_STARTED,
                "owner_id": row.owner_id if row else None,
                "owner_without_account": outside.get(row.owner_key) if row else None,
                "due_date": row.due_date.isoformat() if row and row.due_date else None,
                "evidence_url": row.evidence_url if row else "",
                "evidence_measure": keys.get(row.evidence_measure_id) if row else None,
                "review": row.review if row else "",
                "updated_at": row.updated_at.isoformat() + "Z" if row else None,
            }
        )
    last = last_assessments([project.id])[project.id]
    return jsonify(
        _summary(project, readiness, headline_figures([project.id])[project.id])
        | {
            "edition": edition.name,
            "items": items,
            "last_assessment": _last(last),
            # The public feedback form's full address when it is on, else null.
            "feedback_form": project_form_address(project),
        }
    )


def _last(assessment) -> dict | None:
    if assessment is None:
        return None
    return {
        "gate": assessment.gate,
        "outcome": assessment.outcome,
        "date": assessment.held_on.isoformat(),
    }


@bp.route("/projects/<slug>/assessments")
def assessments(slug: str):
    """The project's assessments, newest first: completed ones with their per-play ratings and
    actions; open ones with their gate and date only (the panel is still at work)."""
    project = project_or_404(slug)
    found = assessments_of(project)
    ratings = ratings_of([a.id for a in found if a.completed])
    actions = actions_of(project)
    return jsonify(
        {
            "assessments": [
                {
                    "id": a.id,
                    "gate": a.gate,
                    "from_phase": a.from_phase,
                    "to_phase": a.to_phase,
                    "date": a.held_on.isoformat(),
                    "status": "completed" if a.completed else "open",
                    "outcome": a.outcome or None,
                    "ratings": {
                        str(r.play): {
                            "rating": r.rating,
                            "went_well": r.went_well,
                            "to_improve": r.to_improve,
                        }
                        for r in ratings.get(a.id, [])
                    },
                    "actions": [
                        {
                            "id": x.id,
                            "play": x.play,
                            "text": x.text,
                            "owner_id": x.owner_id,
                            "due_date": x.due_date.isoformat() if x.due_date else None,
                            "status": x.status,
                        }
                        for x in actions
                        if x.assessment_id == a.id
                    ],
                }
                for a in found
            ]
        }
    )


@bp.route("/projects/<slug>/contract-packages")
def contract_packages(slug: str):
    """Export links are paths on this site, or full addresses on SERVER_NAME when it is set:
    never built from the request's Host header, which the caller chooses."""
    project = project_or_404(slug)
    return jsonify(
        {
            "packages": [
                {
                    "id": s.package.id,
                    "title": s.package.title,
                    "status": s.package.status,
                    "revision": s.latest_revision,
                    "clauses": s.clause_ids,
                    "exports": {
                        fmt: url_for(
                            "contracts.download",
                            slug=slug,
                            package_id=s.package.id,
                            number=s.latest_revision,
                            fmt=fmt,
                            _external=bool(current_app.config.get("SERVER_NAME")),
                        )
                        if s.latest_revision
                        else None
                        for fmt in ("docx", "pdf", "markdown")
                    },
                }
                for s in package_summaries(project)
            ]
        }
    )


HISTORY_DAYS, MOST_HISTORY_DAYS = 90, 730


@bp.route("/projects/<slug>/history")
def history(slug: str):
    """The project's recorded daily scores for the last `days` days (90 unless asked; at
    most 730), oldest first: overall, phase and per play, 0 to 1 (null: nothing applicable)."""
    project = project_or_404(slug)
    days = _whole_number("days", HISTORY_DAYS, MOST_HISTORY_DAYS)
    since = utcnow().date() - timedelta(days=days)
    return jsonify(
        {
            "slug": project.slug,
            "days": days,
            "since": since.isoformat(),
            "history": daily(project.id, since),
        }
    )


@bp.route("/projects/<slug>/findings")
def findings(slug: str):
    project = project_or_404(slug)
    return jsonify(
        {
            "findings": [
                {
                    "id": f.id,
                    "title": f.title,
                    "method": f.method,
                    "severity": f.severity,
                    "status": f.status,
                    "date": f.research_date.isoformat(),
                    "participants": f.participants,
                    "plays": f.plays,
                    "items": f.items,
                    "tags": f.tags,
                }
                for f in findings_newest_first(project)
            ]
        }
    )


@bp.route("/<path:anything>")
def unknown(anything: str):
    abort(404)
