"""Building the report on one project."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from playbook.edition import Edition
from playbook.readiness import (
    DONE,
    IN_PROGRESS,
    NOT_APPLICABLE,
    change_in_points,
    evidence_coverage,
    expected_by,
    is_open,
    next_action_order,
    next_phase,
    project_readiness,
)
from projects.assessments.queries import actions_of, last_assessments
from projects.auth.models import User
from projects.checklists.models import QuestionAnswer
from projects.checklists.queries import accepted_items
from projects.contracts.queries import package_lines
from projects.db import utcnow
from projects.projects.models import Project
from projects.reports.baseline import newest_baseline, play_change
from projects.reports.customer import project_cx
from projects.reports.lines import item_lines, item_rows, project_facts
from projects.reports.records import ActionLine, ItemLine, PlaySection, ProjectReport, QuestionLine
from projects.research.queries import items_with_findings, open_finding_lines


def build_project_report(
    project: Project, edition: Edition, now: datetime | None = None
) -> ProjectReport:
    """Everything the project report shows, in a fixed number of queries (about ten)."""
    now = now or utcnow()
    today = now.date()
    lead_name = User.select(User.name).where(User.id == project.lead_id).scalar()
    supported = items_with_findings([project.id]).get(project.id, set())
    lines = item_lines(edition, item_rows([project.id])[project.id], now, supported)
    statuses = {line.id: line.status for line in lines}
    accepted = accepted_items([project.id])[project.id]
    readiness = project_readiness(edition, statuses, project.phase, accepted)
    target = next_phase(project.phase) or project.phase
    by_play: dict[int, list[ItemLine]] = defaultdict(list)
    for line in lines:
        by_play[line.play].append(line)
    baseline = newest_baseline(project.id, today)
    before = baseline[1].get(str(project.id)) if baseline else None
    plays = []
    for play in edition.plays:
        items = by_play[play.number]
        done = [i for i in items if i.status == DONE]
        plays.append(
            PlaySection(
                play.number,
                play.title,
                readiness.plays[play.number],
                evidence_coverage(sum(1 for i in done if i.has_evidence), len(done)),
                done,
                [i for i in items if i.status == IN_PROGRESS],
                [i for i in items if is_open(i.status) and expected_by(_item(edition, i), target)],
                [i for i in items if i.status == NOT_APPLICABLE],
                play_change(before, play.number, readiness.plays[play.number].score),
            )
        )
    answers = dict(
        QuestionAnswer.select(QuestionAnswer.question_id, QuestionAnswer.answer)
        .where(QuestionAnswer.project == project.id)
        .tuples()
    )
    questions = [
        QuestionLine(q.id, q.play, q.text, answers[q.id])
        for play in edition.plays
        for q in play.key_questions
        if answers.get(q.id, "").strip()
    ]
    missing = [line for section in plays for line in section.missing]
    findings = open_finding_lines([project.id])
    contracts = package_lines([project.id])
    return ProjectReport(
        generated_at=now,
        edition=edition.title,
        project=project_facts(project, lead_name),
        overall=readiness.overall,
        phase=readiness.phase,
        next_phase=next_phase(project.phase),
        plays=plays,
        done_with_evidence=sum(1 for i in lines if i.status == DONE and i.has_evidence),
        stale=[i for i in lines if i.stale],
        questions=questions,
        next_actions=sorted(missing, key=lambda i: next_action_order(i.due_date, today)),
        findings=findings.get(project.id, []),
        contracts=contracts.get(project.id, []),
        baseline=baseline[0] if baseline else None,
        overall_change=change_in_points(before["overall"], readiness.overall.score)
        if before
        else None,
        overdue_count=sum(1 for i in lines if i.overdue),
        actions=[
            ActionLine(
                a.play,
                a.text,
                a.owner.name if a.owner else "No owner yet",
                a.due_date,
                a.status,
                a.what_was_done,
            )
            for a in actions_of(project)
        ],
        last_assessment=_last_assessment(project),
        cx=project_cx([project.id])[project.id],
    )


def _last_assessment(project: Project) -> str:
    last = last_assessments([project.id])[project.id]
    if last is None:
        return ""
    return f"{last.gate}: {last.outcome_label.lower()}, {last.held_on.isoformat()}"


def _item(edition: Edition, line: ItemLine):
    return edition.items[line.id]
