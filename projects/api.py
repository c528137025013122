"""The read-only JSON API for signed-in users, under /api/v1/."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify
from flask_login import current_user

from playbook.readiness import NOT_STARTED, ProjectReadiness
from projects.access import project_or_404, visible_projects
from projects.editions import active_edition
from projects.models import ItemResponse, Project
from projects.scores import readiness_of

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def _summary(project: Project, readiness: ProjectReadiness) -> dict:
    return {
        "slug": project.slug,
        "name": project.name,
        "agency": project.agency,
        "phase": project.phase,
        "archived": project.archived,
        "readiness": {
            "overall": readiness.overall.score,
            "phase": readiness.phase.score,
            "plays": {str(n): r.score for n, r in readiness.plays.items()},
        },
    }


@bp.route("/projects")
def projects():
    rows = list(visible_projects(current_user).order_by(Project.slug))
    readiness = readiness_of(rows, active_edition())
    return jsonify({"projects": [_summary(p, readiness[p.id]) for p in rows]})


@bp.route("/projects/<slug>")
def project(slug: str):
    project = project_or_404(slug)
    edition = active_edition()
    readiness = readiness_of([project], edition)[project.id]
    saved = {r.item_id: r for r in ItemResponse.select().where(ItemResponse.project == project)}
    items = []
    for item in edition.items.values():
        row = saved.get(item.id)
        items.append(
            {
                "id": item.id,
                "play": item.play,
                "status": row.status if row else NOT_STARTED,
                "owner_id": row.owner_id if row else None,
                "due_date": row.due_date.isoformat() if row and row.due_date else None,
                "evidence_url": row.evidence_url if row else "",
                "updated_at": row.updated_at.isoformat() + "Z" if row else None,
            }
        )
    return jsonify(_summary(project, readiness) | {"edition": edition.name, "items": items})


@bp.route("/<path:anything>")
def unknown(anything: str):
    abort(404)
