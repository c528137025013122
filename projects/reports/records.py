"""Reports as plain data: built once in a fixed number of queries, then rendered as HTML, PDF
or CSV. No renderer ever queries the database itself."""

from __future__ import annotations

import dataclasses
import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from peewee import JOIN, fn

from playbook.edition import PHASES, Edition
from playbook.readiness import (
    DONE,
    IN_PROGRESS,
    NOT_APPLICABLE,
    NOT_STARTED,
    Readiness,
    change_in_points,
    evidence_coverage,
    expected_by,
    is_open,
    is_overdue,
    is_stale_open,
    mean_score,
    next_action_order,
    next_phase,
    project_readiness,
)
from projects.access import visible_projects
from projects.models import ItemResponse, Project, QuestionAnswer, User, utcnow
from projects.reports import sections
from projects.reports.models import PORTFOLIO, PROJECT, Snapshot
from projects.research.evidence import items_with_findings

# Bump when templates or data change shape, so cached PDFs are built again.
REPORT_FORMAT = 1
# Per project, the portfolio lists this many overdue and stale items and counts the rest.
PORTFOLIO_ITEMS_PER_PROJECT = 5


@dataclass(frozen=True)
class ProjectFacts:
    id: int
    slug: str
    name: str
    agency: str
    office: str
    phase: str
    summary: str
    lead: str
    start_date: date | None
    target_date: date | None
    archived: bool


@dataclass(frozen=True)
class ItemLine:
    """One checklist item as it stands for one project."""

    id: str
    play: int
    text: str
    phase: str
    status: str
    owner: str
    due_date: date | None
    evidence_url: str
    justification: str
    note: str
    updated_at: datetime | None
    overdue: bool
    stale: bool
    finding_evidence: bool = False  # a research finding supports it

    @property
    def has_evidence(self) -> bool:
        return bool(self.evidence_url) or self.finding_evidence


@dataclass(frozen=True)
class PlaySection:
    number: int
    title: str
    readiness: Readiness
    evidence_coverage: float | None
    done: list[ItemLine]
    in_progress: list[ItemLine]
    missing: list[ItemLine]  # expected by the next phase and not done
    not_applicable: list[ItemLine]
    change: int | None = None  # percentage points since the baseline snapshot

    @property
    def evidence_label(self) -> str:
        return (
            "no items done yet"
            if self.evidence_coverage is None
            else (f"{round(self.evidence_coverage * 100)}% of done items have evidence")
        )


@dataclass(frozen=True)
class QuestionLine:
    id: str
    play: int
    text: str
    answer: str  # Markdown; rendered and sanitised by the templates


@dataclass(frozen=True)
class Baseline:
    """The frozen snapshot this report compares against."""

    id: int
    label: str
    created_at: datetime


@dataclass(frozen=True)
class ProjectReport:
    generated_at: datetime
    edition: str
    project: ProjectFacts
    overall: Readiness
    phase: Readiness
    next_phase: str | None
    plays: list[PlaySection]
    done_with_evidence: int
    stale: list[ItemLine]
    questions: list[QuestionLine]
    next_actions: list[ItemLine]
    findings: list[sections.FindingLine]
    contracts: list[sections.ContractLine]
    baseline: Baseline | None = None
    overall_change: int | None = None

    @property
    def evidence_coverage(self) -> float | None:
        return evidence_coverage(self.done_with_evidence, self.overall.done)

    @property
    def findings_by_severity(self) -> list[tuple[str, list[sections.FindingLine]]]:
        groups: dict[str, list] = defaultdict(list)
        for finding in self.findings or []:
            groups[finding.severity_label].append(finding)
        return list(groups.items())

    @property
    def play_rows(self) -> list[tuple[str, Readiness]]:
        """(label, readiness) per play, for charts."""
        return [(f"{p.number}. {p.title}", p.readiness) for p in self.plays]

    def scores(self) -> dict:
        return {str(self.project.id): _scores(self.project, self.overall, self.plays)}


@dataclass(frozen=True)
class PortfolioRow:
    project: ProjectFacts
    overall: Readiness
    phase: Readiness
    plays: dict[int, Readiness]
    overdue: list[ItemLine]  # the first few, most overdue first
    overdue_count: int
    stale: list[ItemLine]
    stale_count: int
    open_critical: int
    overall_change: int | None = None


@dataclass(frozen=True)
class PlaySummary:
    """One play across the portfolio."""

    number: int
    title: str
    readiness: Readiness  # score: mean over projects with applicable items
    not_ready: int  # projects rated red on this play
    change: int | None = None


@dataclass(frozen=True)
class PortfolioReport:
    generated_at: datetime
    edition: str
    scope: str
    rows: list[PortfolioRow]
    plays: list[PlaySummary]
    by_phase: dict[str, int]
    by_rating: dict[str, int]
    overall: Readiness
    critical_findings: list[tuple[ProjectFacts, sections.FindingLine]]
    contracts: list[tuple[ProjectFacts, sections.ContractLine]]
    baseline: Baseline | None = None
    new_since_baseline: list[str] = field(default_factory=list)

    @property
    def least_ready(self) -> list[PlaySummary]:
        known = [p for p in self.plays if p.readiness.score is not None]
        return sorted(known, key=lambda p: (p.readiness.score, p.number))[:5]

    @property
    def play_rows(self) -> list[tuple[str, Readiness]]:
        return [(f"{p.number}. {p.title}", p.readiness) for p in self.plays]

    @property
    def phase_rows(self) -> list[tuple[str, int]]:
        return [(phase.title(), n) for phase, n in self.by_phase.items()]

    @property
    def changed(self) -> list[PortfolioRow]:
        moved = [r for r in self.rows if r.overall_change]
        return sorted(moved, key=lambda r: (r.overall_change, r.project.name))

    @property
    def overdue_count(self) -> int:
        return sum(r.overdue_count for r in self.rows)

    @property
    def stale_count(self) -> int:
        return sum(r.stale_count for r in self.rows)

    @property
    def attention(self) -> list[PortfolioRow]:
        return [r for r in self.rows if r.overdue_count or r.stale_count]

    def scores(self) -> dict:
        return {str(r.project.id): _scores(r.project, r.overall, r.plays) for r in self.rows}


def _scores(project: ProjectFacts, overall: Readiness, plays) -> dict:
    per_play = (
        plays.items() if isinstance(plays, dict) else ((p.number, p.readiness) for p in plays)
    )
    return {
        "name": project.name,
        "overall": overall.score,
        "plays": {str(number): r.score for number, r in per_play},
    }


def as_data(report) -> dict:
    """The report as JSON-ready data, for snapshots and caches."""
    return {"format": REPORT_FORMAT, "kind": _kind(report), "report": dataclasses.asdict(report)}


def _kind(report) -> str:
    return PROJECT if isinstance(report, ProjectReport) else PORTFOLIO


# Building ----------------------------------------------------------------------------------


def _facts(project: Project, lead_name: str | None) -> ProjectFacts:
    return ProjectFacts(
        project.id,
        project.slug,
        project.name,
        project.agency,
        project.office,
        project.phase,
        project.summary,
        lead_name or "No lead yet",
        project.start_date,
        project.target_date,
        project.archived,
    )


def _projects_with_leads(query) -> list[tuple[Project, str | None]]:
    rows = (
        query.select(Project, User.name.alias("lead_name"))
        .join(User, JOIN.LEFT_OUTER, on=Project.lead == User.id)
        .order_by(Project.name, Project.id)
        .objects()
    )
    return [(p, p.lead_name) for p in rows]


def _item_rows(project_ids: list[int]) -> dict[int, dict[str, tuple]]:
    """Every recorded item of these projects in one query, with the owner's name."""
    found: dict[int, dict[str, tuple]] = defaultdict(dict)
    if not project_ids:
        return found
    rows = (
        ItemResponse.select(
            ItemResponse.project,
            ItemResponse.item_id,
            ItemResponse.status,
            User.name,
            ItemResponse.due_date,
            ItemResponse.evidence_url,
            ItemResponse.justification,
            ItemResponse.note,
            ItemResponse.updated_at,
        )
        .join(User, JOIN.LEFT_OUTER, on=ItemResponse.owner == User.id)
        .where(ItemResponse.project.in_(project_ids))
        .tuples()
    )
    for project_id, item_id, *rest in rows:
        found[project_id][item_id] = tuple(rest)
    return found


def _lines(
    edition: Edition, recorded: dict[str, tuple], now: datetime, supported: set[str] = frozenset()
) -> list[ItemLine]:
    today = now.date()
    lines = []
    for play in edition.plays:
        for item in play.checklist:
            status, owner, due, evidence, justification, note, updated = recorded.get(
                item.id, (NOT_STARTED, None, None, "", "", "", None)
            )
            lines.append(
                ItemLine(
                    item.id,
                    item.play,
                    item.text,
                    item.phase,
                    status,
                    owner or "",
                    due,
                    evidence or "",
                    justification or "",
                    note or "",
                    updated,
                    is_overdue(status, due, today),
                    is_stale_open(status, updated, now),
                    item.id in supported,
                )
            )
    return lines


def _baseline(project_id: int | None = None) -> tuple[Baseline, dict] | None:
    """The newest frozen snapshot to compare with: the portfolio's, or for one project the
    newest of its own and the portfolio's. One query; only the scores column is read."""
    query = Snapshot.select(Snapshot.id, Snapshot.label, Snapshot.created_at, Snapshot.scores)
    if project_id is None:
        query = query.where(Snapshot.kind == PORTFOLIO)
    else:
        query = query.where(
            (Snapshot.kind == PORTFOLIO)
            | ((Snapshot.kind == PROJECT) & (Snapshot.project == project_id))
        )
    row = query.order_by(Snapshot.created_at.desc(), Snapshot.id.desc()).first()
    if row is None:
        return None
    return Baseline(row.id, row.label, row.created_at), row.scores or {}


def build_project_report(
    project: Project, edition: Edition, now: datetime | None = None
) -> ProjectReport:
    """Everything the project report shows, in a fixed number of queries (about eight)."""
    now = now or utcnow()
    today = now.date()
    lead_name = User.select(User.name).where(User.id == project.lead_id).scalar()
    supported = items_with_findings([project.id]).get(project.id, set())
    lines = _lines(edition, _item_rows([project.id])[project.id], now, supported)
    statuses = {line.id: line.status for line in lines}
    readiness = project_readiness(edition, statuses, project.phase)
    target = next_phase(project.phase) or project.phase
    by_play: dict[int, list[ItemLine]] = defaultdict(list)
    for line in lines:
        by_play[line.play].append(line)
    baseline = _baseline(project.id)
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
                _play_change(before, play.number, readiness.plays[play.number].score),
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
    findings = sections.open_findings([project.id])
    contracts = sections.contract_packages([project.id])
    return ProjectReport(
        generated_at=now,
        edition=edition.title,
        project=_facts(project, lead_name),
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
    )


def _item(edition: Edition, line: ItemLine):
    return edition.items[line.id]


def _play_change(before: dict | None, number: int, score: float | None) -> int | None:
    if not before:
        return None
    return change_in_points(before["plays"].get(str(number)), score)


def portfolio_projects(user: User | None):
    """The projects a portfolio report covers: active ones the user may see (None: all)."""
    query = Project.select() if user is None else visible_projects(user)
    return query.where(~Project.archived)


def build_portfolio_report(
    user: User | None, edition: Edition, now: datetime | None = None
) -> PortfolioReport:
    """The portfolio report in five queries, whether it covers 5 projects or 500."""
    now = now or utcnow()
    projects = _projects_with_leads(portfolio_projects(user))
    ids = [p.id for p, _ in projects]
    recorded = _item_rows(ids)
    findings = sections.open_findings(ids)
    contracts = sections.contract_packages(ids)
    baseline = _baseline()
    before_all = baseline[1] if baseline else {}
    rows: list[PortfolioRow] = []
    for project, lead_name in projects:
        facts = _facts(project, lead_name)
        lines = _lines(edition, recorded.get(project.id, {}), now)
        readiness = project_readiness(edition, {i.id: i.status for i in lines}, project.phase)
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
            )
        )
    by_id = {r.project.id: r.project for r in rows}
    return PortfolioReport(
        generated_at=now,
        edition=edition.title,
        scope="every active project"
        if user is None or user.sees_everything
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
    parts = [REPORT_FORMAT, edition.name, today, project_part, items, snapshot, leads]
    parts.append(sections.version_of_findings(ids))
    parts.append(sections.version_of_contracts(ids))
    return hashlib.sha256(repr(parts).encode()).hexdigest()
