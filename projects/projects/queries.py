"""Reading projects for their pages and the portfolio: what a readiness score leaves out (open
critical findings, overdue items) and the evidence behind done items, for many projects in a
fixed number of queries."""

from __future__ import annotations

from datetime import date

from playbook.readiness import DONE, Attention
from projects.checklists.queries import done_with_links, overdue_counts
from projects.research.queries import items_with_findings, open_critical_and_high


def attention_of(project_ids: list[int], today: date) -> dict[int, Attention]:
    """Each project's open critical findings and overdue items, shown beside its score."""
    critical = open_critical_and_high(project_ids)
    overdue = overdue_counts(project_ids, today)
    return {pid: Attention(critical[pid]["critical"], overdue[pid]) for pid in project_ids}


def evidence_of(project_id: int, statuses: dict[str, str]) -> tuple[int, int]:
    """(done items with evidence, done items): evidence is a link, or a research finding that
    supports the item."""
    done = {item for item, status in statuses.items() if status == DONE}
    backed = (
        done_with_links([project_id])[project_id] | items_with_findings([project_id])[project_id]
    )
    return len(done & backed), len(done)
