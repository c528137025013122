"""Building the report across the active projects a person may see."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from peewee import JOIN

from playbook.edition import PHASES, Edition
from playbook.readiness import Readiness, change_in_points, mean_score, project_readiness
from projects.access import SEE_EVERYTHING, may, visible_projects
from projects.auth.models import User
from projects.checklists.queries import accepted_items
from projects.contracts.queries import package_lines
from projects.db import utcnow
from projects.projects.models import Project
from projects.reports.baseline import newest_baseline
from projects.reports.customer import headline_lines, portfolio_themes, portfolio_trend
from projects.reports.lines import item_lines, item_rows, project_facts
from projects.reports.records import PlaySummary, PortfolioReport, PortfolioRow
from projects.research.queries import open_finding_lines

# Per project, the portfolio lists this many overdue and stale items and counts the rest.
PORTFOLIO_ITEMS_PER_PROJECT = 5


def _projects_with_leads(query) -> list[tuple[Project, str | None]]:
    rows = (
        query.select(Project, User.name.alias("lead_name"))
        .join(User, JOIN.LEFT_OUTER, on=Project.lead == User.id)
        .order_by(Project.name, Project.id)
        .objects()
    )
    return [(p, p.lead_name) for p in rows]


def portfolio_projects(user: User | None):
    """The projects a portfolio report covers: active ones the user may see (None: all)."""
    query = Project.select() if user is None else visible_projects(user)
    return query.where(~Project.archived)


def build_portfolio_report(
    user: User | None, edition: Edition, now: datetime | None = None
) -> PortfolioReport:
    """The portfolio report in a fixed number of queries, whether it covers 5 projects or 500."""
    now = now or utcnow()
    projects = _projects_with_leads(portfolio_projects(user))
    ids = [p.id for p, _ in projects]
    recorded = item_rows(ids)
    accepted = accepted_items(ids)
    findings = open_finding_lines(ids)
    contracts = package_lines(ids)
    cx = headline_lines(ids)
    baseline = newest_baseline(today=now.date())
    before_all = baseline[1] if baseline else {}
    rows: list[PortfolioRow] = []
    for project, lead_name in projects:
        facts = project_facts(project, lead_name)
        lines = item_lines(edition, recorded.get(project.id, {}), now)
        readiness = project_readiness(
            edition, {i.id: i.status for i in lines}, project.phase, accepted[project.id]
        )
        overdue = sorted((i for i in lines if i.overdue), key=lambda i: (i.due_date, i.id))
        stale = sorted((i for i in lines if i.stale), key=lambda i: (i.updated_at, i.id))
        before = before_all.get(str(project.id))
        rows.append(
            PortfolioRow(
                facts,
                readiness.overall,
                readiness.phase,
                readiness.plays,
                overdue[:PORTFOLIO_ITEMS_PER_PROJECT],
                len(overdue),
                stale[:PORTFOLIO_ITEMS_PER_PROJECT],
                len(stale),
                sum(1 for f in findings.get(project.id, []) if f.severity == "critical"),
                change_in_points(before["overall"], readiness.overall.score) if before else None,
                cx[project.id],
            )
        )
    by_id = {r.project.id: r.project for r in rows}
    return PortfolioReport(
        generated_at=now,
        edition=edition.title,
        scope="every active project"
        if user is None or may(user, SEE_EVERYTHING)
        else ("the active projects you lead or belong to"),
        rows=rows,
        plays=_play_summaries(edition, rows, before_all if baseline else None),
        by_phase={phase: sum(1 for r in rows if r.project.phase == phase) for phase in PHASES},
        by_rating=dict(Counter(r.overall.rating for r in rows)),
        overall=Readiness(score=mean_score(r.overall.score for r in rows)),
        critical_findings=[
            (by_id[pid], f)
            for pid in ids
            for f in findings.get(pid, [])
            if f.severity == "critical"
        ],
        contracts=[(by_id[pid], c) for pid in ids for c in contracts.get(pid, [])],
        baseline=baseline[0] if baseline else None,
        new_since_baseline=[r.project.name for r in rows if str(r.project.id) not in before_all]
        if baseline
        else [],
        cx_trend=portfolio_trend(ids),
        cx_themes=portfolio_themes(ids),
    )


def _play_summaries(edition: Edition, rows: list[PortfolioRow], before: dict | None):
    summaries = []
    for play in edition.plays:
        now_scores = [r.plays[play.number].score for r in rows]
        change = None
        if before is not None:
            # Compare like with like: only projects in both the snapshot and this report.
            both = [r for r in rows if str(r.project.id) in before]
            change = change_in_points(
                mean_score(before[str(r.project.id)]["plays"].get(str(play.number)) for r in both),
                mean_score(r.plays[play.number].score for r in both),
            )
        summaries.append(
            PlaySummary(
                play.number,
                play.title,
                Readiness(score=mean_score(now_scores)),
                sum(1 for r in rows if r.plays[play.number].rating == "red"),
                change,
            )
        )
    return summaries
