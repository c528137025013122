"""Done items waiting for someone's review, in My work (projects.mywork lists the kinds
registered with it)."""

from __future__ import annotations

from flask import url_for

from playbook.readiness import DONE, NOT_REVIEWED
from projects.access import reviewing_projects
from projects.checklists.models import ItemResponse
from projects.editions import active_edition
from projects.mywork.queries import ACTIVE, MOST_ROWS, Scope, Task, register_source
from projects.projects.models import Project


def waiting_for_review(scope: Scope) -> list[Task]:
    """Done items nobody has reviewed yet, on the person's projects where they may review, other
    than the ones they marked done themselves. A review has no due date and nobody owns it
    before it is done, so it is never in a team's overdue list."""
    if scope.owner is None or scope.overdue_on is not None:
        return []
    me = scope.owner
    query = (
        ItemResponse.select(ItemResponse.item_id, Project.slug, Project.name)
        .join(Project)
        .where(
            (ItemResponse.status == DONE)
            & (ItemResponse.review == NOT_REVIEWED)
            & (ItemResponse.done_by.is_null() | (ItemResponse.done_by != me.id))
            & ItemResponse.project.in_(scope.projects)
            & ItemResponse.project.in_(reviewing_projects(me))
            & ACTIVE
        )
        .order_by(Project.name, ItemResponse.item_id)
    )
    items = active_edition().items
    return [
        Task(
            "review",
            f"{item.id} {item.text}",
            project_name,
            slug,
            None,
            "Done, waiting for review",
            url_for("checklists.review_item", slug=slug, item_id=item.id),
            me.id,
            me.name,
        )
        for item_id, slug, project_name in query.limit(MOST_ROWS).tuples()
        if (item := items.get(item_id)) is not None
    ]


register_source("review", "Items waiting for my review", waiting_for_review)
