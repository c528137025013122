"""A readiness label never stands alone: open critical findings and overdue items are shown
beside it on the project page, home, the portfolio and both reports, and evidence is said with
its counts ("1 of 2 done items have evidence"), never as a bare percentage."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape

import pytest

from playbook.edition import default_edition
from projects.checklists.models import ItemResponse
from projects.db import utcnow
from projects.reports.portfolio_report import build_portfolio_report
from projects.reports.project_report import build_project_report
from projects.reports.render import portfolio_html, project_html
from tests.conftest import make_project, make_user
from tests.pages import url
from tests.research.factories import make_finding

NEEDS = "Needs attention: 1 open critical finding and 1 overdue item"


def _words(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.fixture
def ready_but_not(app):
    """A project that scores green on play 1 but has a critical finding open and a late item."""
    lead = make_user("lead", name="Lee Lead")
    project = make_project(lead, name="Green but not done", phase="discovery")
    play = default_edition().play(1)
    for item in play.checklist[:-1]:
        ItemResponse.create(project=project, item_id=item.id, status="done")
    ItemResponse.update(evidence_url="https://example.gov/notes").where(
        ItemResponse.item_id == play.checklist[0].id
    ).execute()
    late = utcnow().date() - timedelta(days=3)
    ItemResponse.create(
        project=project, item_id=play.checklist[-1].id, status="in_progress", due_date=late
    )
    make_finding(project, severity="critical", status="open")
    make_finding(project, severity="critical", status="addressed")  # not open: not counted
    return project


def test_the_project_page_shows_attention_and_evidence_counts(client, signed_in, ready_but_not):
    signed_in(ready_but_not.lead)
    page = _words(client.get(url("projects.detail", slug=ready_but_not.slug)).text)
    done = len(default_edition().play(1).checklist) - 1
    assert NEEDS in page
    assert f"1 of {done} done items have evidence" in page
    assert "Evidence coverage" not in page and "100 %" not in page


def test_home_and_portfolio_show_attention_beside_the_score(client, signed_in, ready_but_not):
    signed_in(ready_but_not.lead)
    assert NEEDS in _words(client.get(url("projects.index")).text)
    portfolio = _words(client.get(url("portfolio.dashboard")).text)
    assert "1 critical 1 overdue item" in portfolio


def test_both_reports_show_attention_and_evidence_counts(ready_but_not):
    edition = default_edition()
    project = _words(project_html(build_project_report(ready_but_not, edition)))
    assert "needs attention: 1 open critical finding and 1 overdue item" in project
    assert "done items have evidence" in project and "% of done items" not in project
    portfolio = _words(portfolio_html(build_portfolio_report(None, edition)))
    assert f"Green but not done Department of Tests {NEEDS}" in portfolio


def test_nothing_to_say_says_nothing(client, signed_in):
    lead = signed_in("lead")
    project = make_project(lead)
    ItemResponse.create(project=project, item_id="p01.c1", status="done", due_date=date(2020, 1, 1))
    make_finding(project, severity="high", status="open")
    page = _words(client.get(url("projects.detail", slug=project.slug)).text)
    assert "Needs attention" not in page
    assert "0 of 1 done item has evidence" in page
