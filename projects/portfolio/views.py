"""The portfolio dashboard: every project the user may see, play by play."""

from __future__ import annotations

import math

from flask import current_app, render_template, request
from flask_login import current_user

from playbook.assessment import RATING_LABELS as OUTCOMES
from playbook.edition import PHASES
from projects.access import visible_projects
from projects.assessments.queries import NEVER_ASSESSED, last_assessments
from projects.auth.models import User
from projects.checklists.queries import overdue_counts
from projects.checklists.scores import stored_readiness
from projects.db import utcnow
from projects.editions import active_edition
from projects.portfolio import bp
from projects.portfolio.queries import SORTS, filtered_projects, in_order, with_leads
from projects.projects.models import Project
from projects.research.queries import open_critical_and_high

# The portfolio's filter by each project's last assessment.
ASSESSED = {**OUTCOMES, NEVER_ASSESSED: "Never assessed"}


def _filters() -> dict:
    args = request.args
    return {
        "agency": args.get("agency", "").strip(),
        "phase": args.get("phase", "") if args.get("phase") in PHASES else "",
        "lead": args.get("lead", type=int),
        "sort": args.get("sort") if args.get("sort") in SORTS else "name",
        "assessment": args.get("assessment") if args.get("assessment") in ASSESSED else "",
        "page": max(args.get("page", 1, type=int), 1),
    }


@bp.route("/portfolio")
def dashboard():
    filters = _filters()
    query = filtered_projects(current_user, filters)
    total = query.count()
    per_page = current_app.config["PROJECTS_PER_PAGE"]
    pages = max(math.ceil(total / per_page), 1)
    page = min(filters["page"], pages)
    shown = list(with_leads(in_order(query, filters["sort"])).paginate(page, per_page))
    ids = [p.id for p in shown]
    visible = visible_projects(current_user).where(Project.archived == False)  # noqa: E712
    agencies = [
        a for (a,) in visible.select(Project.agency).distinct().order_by(Project.agency).tuples()
    ]
    leads = (
        User.select(User.id, User.name)
        .where(User.id.in_(visible.select(Project.lead)))
        .order_by(User.name)
    )
    return render_template(
        "portfolio/dashboard.html",
        edition=active_edition(),
        rows=shown,
        open_findings=open_critical_and_high(ids),  # one grouped query
        overdue=overdue_counts(ids, utcnow().date()),  # and one more
        last_assessment=last_assessments(ids),  # and one more
        assessed=list(ASSESSED.items()),
        total=total,
        readiness={pid: s.readiness for pid, s in stored_readiness(ids).items()},
        filters=filters,
        page=page,
        pages=pages,
        agencies=agencies,
        leads=[(u.id, u.name) for u in leads],
        phases=[(p, p.title()) for p in PHASES],
        sorts=SORTS,
    )
