"""A fingerprint of what the portfolio report shows, so a cached PDF can be handed back."""

from __future__ import annotations

import hashlib
from datetime import date

from peewee import fn

from playbook.edition import Edition
from projects.access import SEE_EVERYTHING, may
from projects.auth.models import User
from projects.checklists.models import ItemResponse
from projects.contracts.queries import packages_version
from projects.measures.figures import measures_version
from projects.projects.models import Project
from projects.reports.models import PORTFOLIO, Snapshot
from projects.reports.portfolio_report import portfolio_projects
from projects.reports.records import REPORT_FORMAT
from projects.research.queries import findings_version


def portfolio_version(user: User | None, edition: Edition, today: date) -> str:
    """A fingerprint of everything the portfolio report shows, from a few aggregate queries:
    equal fingerprints mean an equal report, so a cached PDF can be handed back at once."""
    projects = portfolio_projects(user)
    project_part = list(
        projects.select(Project.id, Project.version, Project.updated_at)
        .order_by(Project.id)
        .tuples()
    )
    ids = projects.select(Project.id)
    items = (
        ItemResponse.select(
            fn.COUNT(ItemResponse.id), fn.MAX(ItemResponse.updated_at), fn.SUM(ItemResponse.version)
        )
        .where(ItemResponse.project.in_(ids))
        .tuples()
        .get()
    )
    snapshot = Snapshot.select(fn.MAX(Snapshot.id)).where(Snapshot.kind == PORTFOLIO).scalar()
    leads = User.select(fn.COUNT(User.id), fn.MAX(User.id)).tuples().get()
    # The report says whose projects it covers, so that is part of what it shows.
    scope = "all" if user is None or may(user, SEE_EVERYTHING) else "member"
    parts = [REPORT_FORMAT, edition.name, today, scope, project_part, items, snapshot, leads]
    parts.append(findings_version(ids))
    parts.append(packages_version(ids))
    parts.append(measures_version(ids))
    return hashlib.sha256(repr(parts).encode()).hexdigest()
