"""The read-only JSON API for signed-in users, under /api/v1/."""

from __future__ import annotations

from flask import abort, current_app, jsonify, url_for
from flask_login import current_user

from playbook.readiness import NOT_STARTED, ProjectReadiness
from projects.access import project_or_404, visible_projects
from projects.api import bp
from projects.checklists.queries import readiness_of, responses_by_item
from projects.contracts.queries import package_summaries
from projects.editions import active_edition
from projects.projects.models import Project
from projects.research.queries import findings_newest_first


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
    saved = responses_by_item(project)
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
