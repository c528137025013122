"""GET /api/v1/projects/<slug>/findings, on the read-only API's blueprint."""

from __future__ import annotations

from flask import jsonify

from projects.access import project_or_404
from projects.api import bp
from projects.research.models import Finding, attach_links


@bp.route("/projects/<slug>/findings")
def findings(slug: str):
    project = project_or_404(slug)
    rows = attach_links(
        list(
            Finding.select()
            .where(Finding.project == project)
            .order_by(Finding.research_date.desc(), Finding.id.desc())
        )
    )
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
                for f in rows
            ]
        }
    )
