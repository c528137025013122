"""A small known portfolio for the report tests."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from projects.checklists import scores
from projects.checklists.models import ItemResponse, QuestionAnswer
from tests.conftest import make_project, make_user

NOW = datetime(2026, 5, 15, 12, 0)
TODAY = NOW.date()


def record(project, item_id, status, **fields):
    fields.setdefault("updated_at", NOW - timedelta(days=1))
    return ItemResponse.create(project=project, item_id=item_id, status=status, **fields)


@pytest.fixture
def known_project(app):
    """An alpha project: play 1 partly done, one overdue item, one stale, one not applicable."""
    lead = make_user("lead", name="Lee Lead")
    project = make_project(lead, name="Renew a license", slug="renew-a-license", phase="alpha")
    record(project, "p01.c1", "done", evidence_url="https://example.gov/research-plan")
    record(project, "p01.c2", "done")
    record(project, "p01.c3", "in_progress", owner=lead, due_date=date(2026, 5, 1))
    record(project, "p02.c1", "not_applicable", justification="Paper forms are out of scope")
    record(project, "p03.c1", "in_progress", updated_at=NOW - timedelta(days=120))
    QuestionAnswer.create(
        project=project, question_id="p01.q1", answer="We interviewed **12** people."
    )
    scores.refresh(project)  # what saving those items through the play page stores
    return project
