"""Reading projects for their pages: what a readiness score leaves out (open critical findings,
overdue items), for many projects in a fixed number of queries."""

from __future__ import annotations

from datetime import date

from playbook.readiness import Attention
from projects.auth.models import User
from projects.checklists.queries import overdue_counts
from projects.projects.models import Membership, Project
from projects.research.queries import open_critical_and_high


def attention_of(project_ids: list[int], today: date) -> dict[int, Attention]:
    """Each project's open critical findings and overdue items, shown beside its score."""
    critical = open_critical_and_high(project_ids)
    overdue = overdue_counts(project_ids, today)
    return {pid: Attention(critical[pid]["critical"], overdue[pid]) for pid in project_ids}


def people_choices(project: Project) -> list[tuple[int, str]]:
    """(id, name) of the project's lead and members, by name, after "No owner yet" (0): who
    may be named owner of its work."""
    people = (
        User.select(User.id, User.name)
        .where(
            User.id.in_(Membership.select(Membership.user).where(Membership.project == project))
            | (User.id == project.lead_id)
        )
        .order_by(User.name)
    )
    return [(0, "No owner yet")] + [(u.id, u.name) for u in people]
