"""Reports as plain data, built in a fixed number of queries; renderers never query."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from playbook import measures as figures
from playbook.readiness import Attention, Readiness, evidence_coverage, evidence_words
from projects.contracts.queries import ContractLine
from projects.filters import format_day
from projects.reports.models import PORTFOLIO, PROJECT
from projects.research.queries import FindingLine

# Bump when templates or data change shape, so cached PDFs are built again.
REPORT_FORMAT = 5  # 3: reviewed readiness, assessment actions; 4: customer experience; 5: compared
# with recorded history


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
    evidence_measure: str = ""  # the name of the measure it takes as evidence (play 12)

    @property
    def has_evidence(self) -> bool:
        return bool(self.evidence_url) or self.finding_evidence or bool(self.evidence_measure)


@dataclass(frozen=True)
class MeasurePoint:
    """A measure's figure for one period, and how many answered (A-11 drivers)."""

    period: str
    value: float | None
    responses: int = 0

    @property
    def label(self) -> str:
        return figures.period_label(self.period)


@dataclass(frozen=True)
class MeasureLine:
    """One service measure of a project: its latest figures against its target, and its
    trend over the last periods (oldest first; empty where a report lists no trend)."""

    key: str
    name: str
    unit: str
    direction: str
    target: float | None
    driver: str  # "" or the A-11 driver it measures
    latest_period: str
    latest: float | None
    previous: float | None
    points: list[MeasurePoint] = field(default_factory=list)

    @property
    def change(self) -> str:
        """ "better", "worse", "same" or "" since the period before."""
        return figures.change(self.latest, self.previous, self.direction)

    @property
    def meets_target(self) -> bool | None:
        return figures.meets(self.latest, self.target, self.direction)

    def show(self, value: float | None) -> str:
        return figures.format_value(value, self.unit)

    @property
    def direction_label(self) -> str:
        return figures.DIRECTIONS.get(self.direction, self.direction)

    @property
    def period_label(self) -> str:
        return figures.period_label(self.latest_period) if self.latest_period else "no period yet"

    @property
    def responses(self) -> int:
        """How many answered in the latest period (A-11 drivers; 0 for other measures)."""
        return next((p.responses for p in self.points if p.period == self.latest_period), 0)

    @property
    def target_words(self) -> str:
        if self.target is None:
            return "no target"
        met = self.meets_target
        verdict = "" if met is None else (", met" if met else ", not met")
        return f"target {self.show(self.target)}{verdict}"

    @property
    def change_words(self) -> str:
        if not self.change:
            return "no earlier period to compare"
        if self.change == "same":
            return f"no change from {self.show(self.previous)}"
        return f"{self.change} than {self.show(self.previous)} the period before"


@dataclass(frozen=True)
class CustomerExperience:
    """What a report says about how the service works for the people it serves."""

    measures: list[MeasureLine] = field(default_factory=list)
    # Comment themes: the tags of the findings the feedback comments were recorded as, with
    # how many comments each, most first.
    themes: list[tuple[str, int]] = field(default_factory=list)

    @property
    def drivers(self) -> list[MeasureLine]:
        return [m for m in self.measures if m.driver]

    @property
    def operational(self) -> list[MeasureLine]:
        return [m for m in self.measures if not m.driver]

    @property
    def below_target(self) -> list[MeasureLine]:
        return [m for m in self.measures if m.meets_target is False]

    @property
    def responses(self) -> int:
        """Answers in the latest period: the most any driver had (each asks the same people)."""
        return max((m.responses for m in self.drivers), default=0)


@dataclass(frozen=True)
class ActionLine:
    """An action a service assessment set the team."""

    play: int
    text: str
    owner: str
    due_date: date | None  # None: by the re-assessment
    status: str  # open or closed
    what_was_done: str


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
        return evidence_words(sum(1 for i in self.done if i.has_evidence), len(self.done))


@dataclass(frozen=True)
class QuestionLine:
    id: str
    play: int
    text: str
    answer: str  # Markdown; rendered and sanitized by the templates


SNAPSHOT, HISTORY = "snapshot", "history"  # what a report compares against


@dataclass(frozen=True)
class Baseline:
    """What this report compares against: the newest frozen snapshot, or else the readiness
    recorded daily (projects.trends) as it stood 90 days before (`id` 0, `created_at` the start
    of the day recorded)."""

    id: int
    label: str
    created_at: datetime
    kind: str = SNAPSHOT

    @property
    def since(self) -> str:
        """How the report names it in "Since …": the snapshot, or the day recorded."""
        if self.kind == HISTORY:
            return f"{format_day(self.created_at.date())} (recorded)"
        return "the snapshot"


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
    findings: list[FindingLine]
    contracts: list[ContractLine]
    baseline: Baseline | None = None
    overall_change: int | None = None
    overdue_count: int = 0  # open items past their due date
    actions: list[ActionLine] = field(default_factory=list)  # from service assessments
    last_assessment: str = ""  # "Alpha to beta: met with conditions, 2026-05-04"; "" if none
    cx: CustomerExperience = field(default_factory=CustomerExperience)

    @property
    def evidence_coverage(self) -> float | None:
        return evidence_coverage(self.done_with_evidence, self.overall.done)

    @property
    def evidence_label(self) -> str:
        return evidence_words(self.done_with_evidence, self.overall.done)

    @property
    def attention(self) -> Attention:
        """What the score leaves out, shown beside it."""
        critical = sum(1 for f in self.findings if f.severity == "critical")
        return Attention(critical, self.overdue_count)

    @property
    def findings_by_severity(self) -> list[tuple[str, list[FindingLine]]]:
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
    cx: list[MeasureLine] = field(default_factory=list)  # satisfaction and trust, no trend

    @property
    def attention(self) -> Attention:
        return Attention(self.open_critical, self.overdue_count)

    @property
    def below_target(self) -> bool:
        return any(m.meets_target is False for m in self.cx)


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
    critical_findings: list[tuple[ProjectFacts, FindingLine]]
    contracts: list[tuple[ProjectFacts, ContractLine]]
    baseline: Baseline | None = None
    new_since_baseline: list[str] = field(default_factory=list)
    # The portfolio's satisfaction and trust by quarter: (key, name, points), oldest first.
    cx_trend: list[MeasureLine] = field(default_factory=list)
    # Comment themes across the portfolio (CustomerExperience.themes, added up), most first.
    cx_themes: list[tuple[str, int]] = field(default_factory=list)

    @property
    def with_cx(self) -> list[PortfolioRow]:
        """Projects with satisfaction or trust figures."""
        return [r for r in self.rows if any(m.latest is not None for m in r.cx)]

    @property
    def cx_below_target(self) -> int:
        return sum(1 for r in self.rows if r.below_target)

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

    @property
    def ready_with_attention(self) -> int:
        """Projects rated ready that have open critical findings or overdue items."""
        return sum(1 for r in self.rows if r.overall.rating == "green" and r.attention)

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
