"""The portfolio dashboard: every project the user may see, play by play."""

from __future__ import annotations

import math

from flask import current_app, render_template, request, url_for
from flask_login import current_user

from playbook.assessment import RATING_LABELS as OUTCOMES
from playbook.edition import PHASES
from projects.access import SEE_EVERYTHING, may, visible_projects
from projects.assessments.queries import NEVER_ASSESSED, last_assessments
from projects.checklists.queries import overdue_counts
from projects.checklists.scores import stored_readiness
from projects.db import utcnow
from projects.editions import active_edition
from projects.measures.figures import headline_figures
from projects.portfolio import bp
from projects.portfolio.queries import (
    CX_FILTERS,
    SORTS,
    filtered_projects,
    in_order,
    with_leads,
)
from projects.projects.models import Project
from projects.research.queries import open_critical_and_high
from projects.trends.queries import changes

# The portfolio's filter by each project's last assessment.
ASSESSED = {**OUTCOMES, NEVER_ASSESSED: "Never assessed"}


def _filters() -> dict:
    args = request.args
    return {
        "agency": args.get("agency", "").strip(),
        "phase": args.get("phase", "") if args.get("phase") in PHASES else "",
        # Part of a lead's name or email address: a list of every lead would grow with them.
        "lead": args.get("lead", "").strip()[:100],
        "sort": args.get("sort") if args.get("sort") in SORTS else "name",
        "assessment": args.get("assessment") if args.get("assessment") in ASSESSED else "",
        "cx": args.get("cx") if args.get("cx") in CX_FILTERS else "",
        "page": max(args.get("page", 1, type=int), 1),
    }


@bp.route("/portfolio")
def dashboard():
    filters = _filters()
    edition = active_edition()
    query = filtered_projects(current_user, filters)
    total = query.count()
    per_page = current_app.config["PROJECTS_PER_PAGE"]
    pages = max(math.ceil(total / per_page), 1)
    page = min(filters["page"], pages)
    shown = list(with_leads(in_order(query, filters["sort"])).paginate(page, per_page))
    ids = [p.id for p in shown]
    stored = stored_readiness(ids)
    today = utcnow().date()
    visible = visible_projects(current_user).where(Project.archived == False)  # noqa: E712
    agencies = [
        a for (a,) in visible.select(Project.agency).distinct().order_by(Project.agency).tuples()
    ]
    return render_template(
        "portfolio/dashboard.html",
        edition=edition,
        rows=shown,
        open_findings=open_critical_and_high(ids),  # one grouped query
        overdue=overdue_counts(ids, today),  # and one more
        last_assessment=last_assessments(ids),  # and one more
        cx=headline_figures(ids),  # and one more
        cx_filters=list(CX_FILTERS.items()),
        a11_export=may(current_user, SEE_EVERYTHING),
        assessed=list(ASSESSED.items()),
        total=total,
        readiness={pid: s.readiness for pid, s in stored.items()},
        trend=changes({pid: s.overall.score for pid, s in stored.items()}, today),  # two more
        play_links=_play_links(shown, edition),
        filters=filters,
        page=page,
        pages=pages,
        agencies=agencies,
        phases=[(p, p.title()) for p in PHASES],
        sorts=SORTS,
    )


def _play_links(projects: list[Project], edition) -> dict[int, dict[int, str]]:
    """Each project's play page addresses, from one url_for per project with the play number
    put in after: a url_for for each of the 13 cells of every row was a quarter of the page's
    time. (tests/test_portfolio.py checks every link against url_for.)"""
    numbers = [play.number for play in edition.plays]
    links = {}
    for project in projects:
        first = url_for("checklists.play", slug=project.slug, number=numbers[0])
        stem = first.removesuffix(f"/{numbers[0]}")
        links[project.id] = {n: f"{stem}/{n}" for n in numbers}
    return links
